#!/usr/bin/env node
// openai_chat.mjs: parity driver that runs the official `openai` JS SDK
// (version pinned in package.json) against an OpenAI Chat Completions
// endpoint and reports what the SDK saw.
//
// Jobs (driver.mjs: one JSON line each on stdin, one result line each on
// stdout, after an {"sdk"} line):
//   {"id": str, "base_url": str, "api_key": str,
//    "params": {...Chat Completions body, without "stream"...},
//    "mode": "unary" | "stream" | "stream_helper"}
// Jobs run one after another, on one client per server, key and options
// (maxRetries 0, timeout 20 s):
//   unary          client.chat.completions.create({...params, stream: false})
//   stream         create({...params, stream: true}), iterated chunk by chunk
//   stream_helper  client.chat.completions.stream(params).finalChatCompletion()
//
// Result: {"id": str, "observation": {
//       "status": 200 | <APIError status> | null, "id", "model",
//       "text", "reasoning", "refusal",        // strings or null
//       "tool_calls": [{"id", "name", "arguments"}],
//       "finish": str | null,
//       "usage": null | {"input", "output", "total", "cached", "reasoning"},
//       "error": null | {"status", "type", "code", "in_stream"},
//       "chunks": int | null}}
// Every field comes from the SDK's parsed objects, never from raw HTTP.
// "status" is 200 once the SDK accepted the reply (and stays 200 when the
// stream fails later), the APIError's status for an HTTP error reply, else
// null. "error.in_stream" is true for anything thrown after the stream was
// accepted (while iterating, or by the helper after it connected); partial
// results that arrived before it are kept. Connection errors, timeouts and
// non-API exceptions report type = the exception's class name. For "stream",
// text/reasoning/refusal concatenate every string delta ("" counts), so they
// are null only if no such delta arrived. "chunks" is set for "stream" only.
// One diagnostic line per failed job goes to stderr. Exit code 0, or 2 when
// a job line is not valid JSON.

import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { VERSION } from 'openai/version';
import { jobRunner, serveJobs } from './driver.mjs';


function usageOf(u) {
  if (!u) return null;
  return {
    input: u.prompt_tokens ?? null,
    output: u.completion_tokens ?? null,
    total: u.total_tokens ?? null,
    cached: u.prompt_tokens_details?.cached_tokens ?? null,
    reasoning: u.completion_tokens_details?.reasoning_tokens ?? null,
  };
}

// Connection failures, timeouts and aborts are APIError subclasses without a
// status or body: report them like other exceptions, by constructor name.
function errorOf(err, inStream) {
  const local = err instanceof APIConnectionError || err instanceof APIUserAbortError;
  if (err instanceof APIError && !local) {
    return { status: err.status ?? null, type: err.type ?? null, code: err.code ?? null, in_stream: inStream };
  }
  return { status: null, type: err?.constructor?.name ?? typeof err, code: null, in_stream: inStream };
}

// Fill the observation from a whole ChatCompletion (unary reply, the helper's
// final completion, or the helper's partial snapshot after an error).
function fromCompletion(obs, completion) {
  obs.id = completion.id ?? null;
  obs.model = completion.model ?? null;
  const choice = completion.choices?.[0];
  const message = choice?.message ?? {};
  obs.text = message.content ?? null;
  obs.reasoning = message.reasoning_content ?? null;
  obs.refusal = message.refusal ?? null;
  obs.tool_calls = (message.tool_calls ?? [])
    .filter(Boolean) // the helper's array can have holes if an index is skipped
    .map((call) => ({
      id: call.id ?? null,
      name: call.function?.name ?? null,
      arguments: call.function?.arguments ?? null,
    }));
  obs.finish = choice?.finish_reason ?? null;
  obs.usage = usageOf(completion.usage);
}

async function runUnary(client, params, obs) {
  const completion = await client.chat.completions.create({ ...params, stream: false });
  obs.status = 200;
  fromCompletion(obs, completion);
}

// Raw deltas: accumulate by hand, only for choice index 0.
async function runStream(client, params, obs, state) {
  const stream = await client.chat.completions.create({ ...params, stream: true });
  obs.status = 200;
  obs.chunks = 0;
  state.inStream = true;
  const pieces = { text: [], reasoning: [], refusal: [] };
  const calls = new Map(); // tool-call index -> {id, name, arguments}
  const collect = () => {
    obs.text = pieces.text.length ? pieces.text.join('') : null;
    obs.reasoning = pieces.reasoning.length ? pieces.reasoning.join('') : null;
    obs.refusal = pieces.refusal.length ? pieces.refusal.join('') : null;
    obs.tool_calls = [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
  };
  state.collect = collect; // so partial results survive an in-stream error
  for await (const chunk of stream) {
    obs.chunks += 1;
    obs.id ??= chunk.id ?? null;
    obs.model ??= chunk.model ?? null;
    if (chunk.usage) obs.usage = usageOf(chunk.usage);
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string') pieces.text.push(delta.content);
      if (typeof delta.reasoning_content === 'string') pieces.reasoning.push(delta.reasoning_content);
      if (typeof delta.refusal === 'string') pieces.refusal.push(delta.refusal);
      for (const call of delta.tool_calls ?? []) {
        let acc = calls.get(call.index);
        if (!acc) {
          acc = { id: call.id ?? null, name: call.function?.name ?? null, arguments: '' };
          calls.set(call.index, acc);
        }
        acc.arguments += call.function?.arguments ?? '';
      }
      if (choice.finish_reason != null) obs.finish = choice.finish_reason;
    }
  }
  collect();
}

// The SDK's own accumulator.
async function runStreamHelper(client, params, obs, state) {
  const stream = client.chat.completions.stream({ ...params });
  stream.on('connect', () => {
    obs.status = 200;
    state.inStream = true;
  });
  state.collect = () => {
    const snapshot = stream.currentChatCompletionSnapshot;
    if (snapshot) fromCompletion(obs, snapshot);
  };
  const completion = await stream.finalChatCompletion();
  fromCompletion(obs, completion);
}

const RUNNERS = { unary: runUnary, stream: runStream, stream_helper: runStreamHelper };

function makeClient(job, options) {
  return new OpenAI({
    baseURL: job.base_url,
    apiKey: job.api_key,
    maxRetries: 0,
    timeout: 20000,
    organization: null, // don't pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID
    project: null, //      from the environment
    defaultHeaders: options.headers,
    defaultQuery: options.query,
  });
}

const runJob = jobRunner('openai_chat.mjs', RUNNERS, makeClient, errorOf);
await serveJobs('openai_chat.mjs', { name: 'openai', version: VERSION }, runJob);
