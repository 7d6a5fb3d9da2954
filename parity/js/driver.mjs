// driver.mjs: what every JavaScript parity driver shares — the empty
// observation every job starts from, and the job loop.
//
// A driver runs as one long-lived process: it first prints
//   {"sdk": {"name": str, "version": str}}
// then reads jobs as JSON lines on stdin, runs each to its end and prints
// one JSON line per job, in order:
//   stdin   {"id": str, "base_url": str, "api_key": str,
//            "params": {...}, "mode": "unary" | "stream" | "stream_helper"}
//   stdout  {"id": str, "observation": {...}}
// (params and observation are documented in each driver). It exits when
// stdin ends; exit code 2 when a line is not valid JSON.

import { createInterface } from 'node:readline';

export function emptyObservation() {
  return {
    status: null, id: null, model: null, text: null, reasoning: null, refusal: null,
    tool_calls: [], finish: null, usage: null, error: null, chunks: null,
  };
}

// Prints the `sdk` line ({name, version}), then runs `runJob` over the job
// lines on stdin one after another; `script` names the driver in diagnostics.
export async function serveJobs(script, sdk, runJob) {
  process.stdout.write(JSON.stringify({ sdk }) + '\n');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let job;
    try {
      job = JSON.parse(line);
    } catch (err) {
      process.stderr.write(`${script}: a job line is not valid JSON: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const result = await runJob(job ?? {});
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}

// One job: a client from `makeClient(job, options)` (kept for later jobs with
// the same server, key and options, as an application keeps its client), read
// by `runners[job.mode]` (each runner fills `obs`, sets `state.inStream` once
// the SDK accepted the reply, and may set `state.collect` to keep partial
// results on a failure). `errorOf(err, inStream)` describes a failure; one
// line per failed job goes to stderr.
export function jobRunner(script, runners, makeClient, errorOf) {
  const clients = new Map();
  const clientFor = (job, options) => {
    const key = JSON.stringify([job.base_url, job.api_key, options]);
    if (!clients.has(key)) clients.set(key, makeClient(job, options));
    return clients.get(key);
  };
  return async (job) => {
    const obs = emptyObservation();
    const state = { inStream: false, collect: null };
    try {
      const runner = runners[job.mode];
      if (!runner) throw new TypeError(`unknown mode ${JSON.stringify(job.mode)}`);
      // `_options`: per-request headers and query, given to the client as defaults.
      const { _options: options, ...params } = job.params ?? {};
      await runner(clientFor(job, options ?? {}), params, obs, state);
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
