#!/usr/bin/env node
// anthropic_messages.mjs: parity driver that runs the official
// `@anthropic-ai/sdk` JS SDK (version pinned in package.json) against an
// Anthropic Messages endpoint and reports what the SDK saw.
//
// Jobs (driver.mjs: one JSON line each on stdin, one result line each on
// stdout, after an {"sdk"} line):
//   {"id": str, "base_url": str, "api_key": str,
//    "params": {...Messages body, without "stream"...},
//    "mode": "unary" | "stream" | "stream_helper"}
// Jobs run one after another, on one client per server, key and options
// (maxRetries 0, timeout 20 s):
//   unary          client.messages.create({...params, stream: false})
//   stream         create({...params, stream: true}), iterated event by event
//   stream_helper  client.messages.stream(params).finalMessage()
//
// Result: {"id": str, "observation": {
//       "status": 200 | <APIError status> | null, "id", "model",
//       "text", "reasoning", "refusal",        // strings or null (refusal: always null)
//       "tool_calls": [{"id", "name", "arguments"}],
//       "finish": str | null,                  // the stop_reason as sent
//       "usage": null | {"input", "output", "total", "cached", "reasoning"},
//       "error": null | {"status", "type", "code", "in_stream"},
//       "chunks": int | null}}
// Every field comes from the SDK's parsed objects, never from raw HTTP; the
// shape is the Python drivers' (parity/observation.py). "text" joins the
// text blocks, "reasoning" the thinking blocks, tool_use inputs are JSON
// text. Usage "input" counts every input token (input_tokens plus cache
// reads and writes), "cached" is cache_read_input_tokens, "reasoning" is
// output_tokens_details.thinking_tokens. "status" is 200 once the SDK
// accepted the reply (and stays 200 when the stream fails later), the
// APIError's status for an HTTP error reply, else null. "error.type" is the
// body's error.type; "error.in_stream" is true for anything thrown after
// the stream was accepted, and partial results that arrived before it are
// kept. Connection errors, timeouts and non-API exceptions report type = the
// exception's class name. "chunks" (stream only) counts events. One
// diagnostic line per failed job goes to stderr. Exit code 0, or 2 when
// a job line is not valid JSON.

import Anthropic, { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { VERSION } from '@anthropic-ai/sdk/version';
import { jobRunner, serveJobs } from './driver.mjs';


function usageOf(u) {
  if (!u) return null;
  const read = u.cache_read_input_tokens ?? null;
  const created = u.cache_creation_input_tokens ?? null;
  const input = u.input_tokens == null ? null : u.input_tokens + (read ?? 0) + (created ?? 0);
  return {
    input,
    output: u.output_tokens ?? null,
    total: (input ?? 0) + (u.output_tokens ?? 0),
    cached: read,
    reasoning: u.output_tokens_details?.thinking_tokens ?? null,
  };
}

// Connection failures, timeouts and aborts are APIError subclasses without a
// status or body: report them like other exceptions, by constructor name.
function errorOf(err, inStream) {
  const local = err instanceof APIConnectionError || err instanceof APIUserAbortError;
  if (err instanceof APIError && !local) {
    const type = err.type ?? err.error?.error?.type ?? null;
    return { status: inStream ? null : (err.status ?? null), type, code: null, in_stream: inStream };
  }
  return { status: null, type: err?.constructor?.name ?? typeof err, code: null, in_stream: inStream };
}

// Fill the observation from a whole Message (unary reply, the helper's final
// message, or the helper's partial snapshot after an error).
function fromMessage(obs, message) {
  obs.id = message.id ?? null;
  obs.model = message.model ?? null;
  const text = [];
  const reasoning = [];
  obs.tool_calls = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text') text.push(block.text);
    else if (block.type === 'thinking') reasoning.push(block.thinking);
    else if (block.type === 'tool_use') {
      obs.tool_calls.push({ id: block.id ?? null, name: block.name ?? null, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  obs.text = text.length ? text.join('') : null;
  obs.reasoning = reasoning.length ? reasoning.join('') : null;
  obs.finish = message.stop_reason ?? null;
  obs.usage = usageOf(message.usage);
}

async function runUnary(client, params, obs) {
  const message = await client.messages.create({ ...params, stream: false });
  obs.status = 200;
  fromMessage(obs, message);
}

// Raw events: accumulate by hand.
async function runStream(client, params, obs, state) {
  const stream = await client.messages.create({ ...params, stream: true });
  obs.status = 200;
  obs.chunks = 0;
  state.inStream = true;
  const pieces = { text: [], reasoning: [] };
  const calls = new Map(); // content block index -> {id, name, arguments}
  let usage = null;
  const collect = () => {
    obs.text = pieces.text.length ? pieces.text.join('') : null;
    obs.reasoning = pieces.reasoning.length ? pieces.reasoning.join('') : null;
    obs.tool_calls = [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => ({
      ...call, arguments: call.arguments || '{}',
    }));
    obs.usage = usageOf(usage);
  };
  state.collect = collect; // so partial results survive an in-stream error
  for await (const event of stream) {
    obs.chunks += 1;
    if (event.type === 'message_start') {
      obs.id = event.message?.id ?? null;
      obs.model = event.message?.model ?? null;
      usage = { ...(event.message?.usage ?? {}) };
    } else if (event.type === 'content_block_start') {
      const block = event.content_block ?? {};
      if (block.type === 'tool_use') calls.set(event.index, { id: block.id ?? null, name: block.name ?? null, arguments: '' });
    } else if (event.type === 'content_block_delta') {
      const delta = event.delta ?? {};
      if (delta.type === 'text_delta') pieces.text.push(delta.text);
      else if (delta.type === 'thinking_delta') pieces.reasoning.push(delta.thinking);
      else if (delta.type === 'input_json_delta' && calls.has(event.index)) calls.get(event.index).arguments += delta.partial_json;
    } else if (event.type === 'message_delta') {
      if (event.delta?.stop_reason != null) obs.finish = event.delta.stop_reason;
      // cumulative; input fields, when present, replace message_start's
      for (const [name, value] of Object.entries(event.usage ?? {})) {
        if (value != null) usage = { ...(usage ?? {}), [name]: value };
      }
    }
  }
  collect();
}

// The SDK's own accumulator.
async function runStreamHelper(client, params, obs, state) {
  const stream = client.messages.stream({ ...params });
  stream.on('connect', () => {
    obs.status = 200;
    state.inStream = true;
  });
  state.collect = () => {
    const snapshot = stream.currentMessage;
    if (snapshot) fromMessage(obs, snapshot);
  };
  const message = await stream.finalMessage();
  fromMessage(obs, message);
}

const RUNNERS = { unary: runUnary, stream: runStream, stream_helper: runStreamHelper };

function makeClient(job, options) {
  return new Anthropic({
    baseURL: job.base_url,
    apiKey: job.api_key,
    authToken: null, // don't pick up ANTHROPIC_AUTH_TOKEN from the environment
    maxRetries: 0,
    timeout: 20000,
    defaultHeaders: options.headers,
    defaultQuery: options.query,
  });
}

const runJob = jobRunner('anthropic_messages.mjs', RUNNERS, makeClient, errorOf);
await serveJobs('anthropic_messages.mjs', { name: '@anthropic-ai/sdk', version: VERSION }, runJob);
