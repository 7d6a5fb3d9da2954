// driver.mjs: what every JavaScript parity driver shares — the empty
// observation every job starts from, and the job loop: read one JSON
// document of jobs from stdin, run them one after another, print one JSON
// document of results (the shape is documented in each driver).

export function emptyObservation() {
  return {
    status: null, id: null, model: null, text: null, reasoning: null, refusal: null,
    tool_calls: [], finish: null, usage: null, error: null, chunks: null,
  };
}

async function readStdin() {
  const parts = [];
  for await (const part of process.stdin) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

// Runs `runJob` over the jobs on stdin and prints the results with `sdk`
// ({name, version}); `script` names the driver in diagnostics. Exit code 2
// when stdin is not valid JSON.
export async function serveJobs(script, sdk, runJob) {
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (err) {
    process.stderr.write(`${script}: stdin is not valid JSON: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  const results = [];
  const jobs = Array.isArray(input?.jobs) ? input.jobs : [];
  for (const job of jobs) results.push(await runJob(job ?? {}));
  process.stdout.write(JSON.stringify({ sdk, results }) + '\n');
}

// One job: a fresh client from `makeClient(job, options)`, read by `runners[job.mode]`
// (each runner fills `obs`, sets `state.inStream` once the SDK accepted the
// reply, and may set `state.collect` to keep partial results on a failure).
// `errorOf(err, inStream)` describes a failure; one line per failed job goes
// to stderr.
export function jobRunner(script, runners, makeClient, errorOf) {
  return async (job) => {
    const obs = emptyObservation();
    const state = { inStream: false, collect: null };
    try {
      const runner = runners[job.mode];
      if (!runner) throw new TypeError(`unknown mode ${JSON.stringify(job.mode)}`);
      // `_options`: per-request headers and query, given to the client as defaults.
      const { _options: options, ...params } = job.params ?? {};
      await runner(makeClient(job, options ?? {}), params, obs, state);
    } catch (err) {
      if (state.collect) {
        try {
          state.collect();
        } catch {
          // partial results are best effort
        }
      }
      obs.error = errorOf(err, state.inStream);
      if (!state.inStream) obs.status = obs.error.status; // an HTTP error reply
      const what = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
      process.stderr.write(`${script}: job ${JSON.stringify(job.id)}: ${what}\n`);
    }
    return { id: job.id ?? null, observation: obs };
  };
}
