#!/usr/bin/env node
// openai_responses.mjs: parity driver that runs the official `openai` JS SDK
// (version pinned in package.json) against an OpenAI Responses endpoint and
// reports what the SDK saw.
//
// Jobs (driver.mjs: one JSON line each on stdin, one result line each on
// stdout, after an {"sdk"} line):
//   {"id": str, "base_url": str, "api_key": str,
//    "params": {...Responses body, without "stream"...},
//    "mode": "unary" | "stream" | "stream_helper"}
// Jobs run one after another, on one client per server, key and options
// (maxRetries 0, timeout 20 s):
//   unary          client.responses.create({...params, stream: false})
//   stream         create({...params, stream: true}), iterated event by event
//   stream_helper  client.responses.stream(params).finalResponse()
//
// Result: {"id": str, "observation": {
//       "status": 200 | <APIError status> | null, "id", "model",
//       "text", "reasoning", "refusal",        // strings or null
//       "tool_calls": [{"id", "name", "arguments"}],
//       "finish": str | null,                  // status, "incomplete:<reason>"
//       "usage": null | {"input", "output", "total", "cached", "reasoning"},
//       "error": null | {"status", "type", "code", "in_stream"},
//       "chunks": int | null}}
// Every field comes from the SDK's parsed objects, never from raw HTTP; the
// shape is the Python drivers' (parity/observation.py). "text" joins the
// output_text parts, "refusal" the refusal parts, "reasoning" the reasoning
// items' summaries and reasoning text; function_call items are the calls
// (call_id as their id). "finish" is the response status, with the reason
// when it is incomplete ("incomplete:max_output_tokens"). Usage "cached" is
// input_tokens_details.cached_tokens, "reasoning"
// output_tokens_details.reasoning_tokens. "status" is 200 once the SDK
// accepted the reply (and stays 200 when the stream fails later), the
// APIError's status for an HTTP error reply, else null. After the stream
// started, an `error` event or `response.failed` (its error.code) is an
// error with "in_stream" true, as is anything thrown then; partial results
// that arrived before it are kept. Connection errors, timeouts and non-API
// exceptions report type = the exception's class name. "chunks" (stream
// only) counts events. One diagnostic line per failed job goes to stderr.
// Exit code 0, or 2 when a job line
// is not valid JSON.

import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { VERSION } from 'openai/version';
import { jobRunner, serveJobs } from './driver.mjs';


function usageOf(u) {
  if (!u) return null;
  return {
    input: u.input_tokens ?? null,
    output: u.output_tokens ?? null,
    total: u.total_tokens ?? null,
    cached: u.input_tokens_details?.cached_tokens ?? null,
    reasoning: u.output_tokens_details?.reasoning_tokens ?? null,
  };
}

// Connection failures, timeouts and aborts are APIError subclasses without a
// status or body: report them like other exceptions, by constructor name.
function errorOf(err, inStream) {
  if (err?.type === 'error' && !(err instanceof Error)) {
    // the helper rejects with a stream's `error` event as it came
    return { status: null, type: null, code: err.code ?? null, in_stream: inStream };
  }
  const local = err instanceof APIConnectionError || err instanceof APIUserAbortError;
  if (err instanceof APIError && !local) {
    return { status: err.status ?? null, type: err.type ?? null, code: err.code ?? null, in_stream: inStream };
  }
  return { status: null, type: err?.constructor?.name ?? typeof err, code: null, in_stream: inStream };
}

function finishOf(response) {
  const reason = response.incomplete_details?.reason;
  if (response.status === 'incomplete' && reason) return `incomplete:${reason}`;
  return response.status ?? null;
}

function failureOf(response, inStream) {
  return { status: null, type: null, code: response.error?.code ?? null, in_stream: inStream };
}

// Fill the observation from a whole Response (unary reply, the helper's
// final response, or a terminal event's response).
function fromResponse(obs, response, inStream) {
  obs.id = response.id ?? null;
  obs.model = response.model ?? null;
  const text = [];
  const refusal = [];
  const reasoning = [];
  obs.tool_calls = [];
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) {
        if (part.type === 'output_text') text.push(part.text);
        else if (part.type === 'refusal') refusal.push(part.refusal);
      }
    } else if (item.type === 'reasoning') {
      for (const summary of item.summary ?? []) reasoning.push(summary.text);
      for (const part of item.content ?? []) reasoning.push(part.text);
    } else if (item.type === 'function_call') {
      obs.tool_calls.push({ id: item.call_id ?? null, name: item.name ?? null, arguments: item.arguments ?? null });
    }
  }
  obs.text = text.length ? text.join('') : null;
  obs.refusal = refusal.length ? refusal.join('') : null;
  obs.reasoning = reasoning.length ? reasoning.join('') : null;
  obs.finish = finishOf(response);
  obs.usage = usageOf(response.usage);
  if (response.status === 'failed') obs.error = failureOf(response, inStream);
}

async function runUnary(client, params, obs) {
  const response = await client.responses.create({ ...params, stream: false });
  obs.status = 200;
  fromResponse(obs, response, false);
}

// Raw events: accumulate by hand.
async function runStream(client, params, obs, state) {
  const stream = await client.responses.create({ ...params, stream: true });
  obs.status = 200;
  obs.chunks = 0;
  state.inStream = true;
  const pieces = { text: [], reasoning: [], refusal: [] };
  const calls = new Map(); // output index -> {id, name, arguments}
  const collect = () => {
    obs.text = pieces.text.length ? pieces.text.join('') : null;
    obs.reasoning = pieces.reasoning.length ? pieces.reasoning.join('') : null;
    obs.refusal = pieces.refusal.length ? pieces.refusal.join('') : null;
    obs.tool_calls = [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
  };
  state.collect = collect; // so partial results survive an in-stream error
  for await (const event of stream) {
    obs.chunks += 1;
    switch (event.type) {
      case 'response.created':
        obs.id = event.response?.id ?? null;
        obs.model = event.response?.model ?? null;
        break;
      case 'response.output_text.delta':
        pieces.text.push(event.delta);
        break;
      case 'response.refusal.delta':
        pieces.refusal.push(event.delta);
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        pieces.reasoning.push(event.delta);
        break;
      case 'response.output_item.added':
        if (event.item?.type === 'function_call') {
          calls.set(event.output_index, { id: event.item.call_id ?? null, name: event.item.name ?? null, arguments: '' });
        }
        break;
      case 'response.function_call_arguments.delta':
        if (calls.has(event.output_index)) calls.get(event.output_index).arguments += event.delta;
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        obs.finish = finishOf(event.response);
        obs.usage = usageOf(event.response.usage);
        if (event.type === 'response.failed') obs.error = failureOf(event.response, true);
        break;
      case 'error':
        obs.error ??= { status: null, type: null, code: event.code ?? null, in_stream: true };
        break;
      default:
        break;
    }
  }
  collect();
}

// The SDK's own accumulator: finalResponse() is the last snapshot, whatever
// status it ended with; an `error` event rejects it with the event itself.
async function runStreamHelper(client, params, obs, state) {
  const stream = client.responses.stream({ ...params });
  let last = null; // the latest response a lifecycle event carried
  stream.on('connect', () => {
    obs.status = 200;
    state.inStream = true;
  });
  stream.on('event', (event) => {
    if (event.response) last = event.response;
  });
  state.collect = () => {
    if (last) fromResponse(obs, last, true);
  };
  const response = await stream.finalResponse();
  fromResponse(obs, response, true);
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

const runJob = jobRunner('openai_responses.mjs', RUNNERS, makeClient, errorOf);
await serveJobs('openai_responses.mjs', { name: 'openai', version: VERSION }, runJob);
