#!/usr/bin/env node
// gemini.mjs: parity driver that runs the official `@google/genai` JS SDK
// (version pinned in package.json) against a Gemini API endpoint and
// reports what the SDK saw.
//
// Jobs (driver.mjs: one JSON line each on stdin, one result line each on
// stdout, after an {"sdk"} line):
//   {"id": str, "base_url": str, "api_key": str,
//    "params": {"model": str, ...generateContent body (wire JSON)...},
//    "mode": "unary" | "stream" | "stream_helper"}
// Jobs run one after another, on one client per server, key and options
// (timeout 20 s, the API version left to the SDK: v1beta):
//   unary          ai.models.generateContent({model, contents, config})
//   stream         ai.models.generateContentStream(...), iterated chunk by chunk
//   stream_helper  ai.chats.create({model, config, history}).sendMessageStream(
//                  {message: <the last content's parts>}), iterated to its
//                  end; the turn read back from chat.getHistory(true)
// config is the body's generationConfig with its other fields beside it
// (systemInstruction, tools, toolConfig, ...), as the SDK takes them.
//
// Result: {"id": str, "observation": {
//       "status": 200 | <ApiError status> | null, "id", "model",
//       "text", "reasoning",                   // strings or null
//       "refusal": null,                       // Gemini has no refusal part
//       "tool_calls": [{"id", "name", "arguments"}],
//       "finish": str | null,                  // the candidate's finishReason
//       "usage": null | {"input", "output", "total", "cached", "reasoning"},
//       "error": null | {"status", "type", "code": null, "in_stream"},
//       "chunks": int | null}}
// Every field comes from the SDK's parsed objects, never from raw HTTP; the
// shape is the Python drivers' (parity/observation.py). "text" joins the
// text parts, "reasoning" the thought parts; functionCall parts are the
// calls (args as JSON text). "id" is responseId, "model" modelVersion.
// Usage: "input" promptTokenCount, "output" candidatesTokenCount plus
// thoughtsTokenCount, "cached" cachedContentTokenCount, "reasoning"
// thoughtsTokenCount. The chat keeps a streamed turn in its curated history
// only when the SDK judged every chunk valid: the helper reads the turn from
// there, so a turn the SDK dropped reads as nothing. "status" is 200 once
// the SDK accepted the reply (and stays 200 when the stream fails later),
// the ApiError's status for an HTTP error reply, else null; "error.type" is
// the Google status name of the error body the SDK carries in its message
// (RESOURCE_EXHAUSTED). An error chunk in a stream, or anything thrown after
// the stream started, is an error with "in_stream" true; partial results
// that arrived before it are kept. Connection errors, timeouts and non-API
// exceptions report type = the exception's class name. "chunks" (stream
// only) counts chunks. One diagnostic line per failed job goes to stderr.
// Exit code 0, or 2 when a job line is not valid JSON.

import { ApiError, GoogleGenAI } from '@google/genai';
import { readFileSync } from 'node:fs';
import { jobRunner, serveJobs } from './driver.mjs';

// The package exports no version: read the installed package's own.
const VERSION = JSON.parse(
  readFileSync(new URL('./node_modules/@google/genai/package.json', import.meta.url), 'utf8'),
).version;

// The Google status name in an ApiError's message (the error body as JSON,
// when the reply was JSON), or null.
function googleStatus(message) {
  const start = message.indexOf('{');
  if (start < 0) return null;
  try {
    const body = JSON.parse(message.slice(start));
    return body?.error?.status ?? null;
  } catch {
    return null;
  }
}

function errorOf(err, inStream) {
  if (err instanceof ApiError) {
    return { status: err.status ?? null, type: googleStatus(err.message ?? ''), code: null, in_stream: inStream };
  }
  return { status: null, type: err?.constructor?.name ?? typeof err, code: null, in_stream: inStream };
}

function usageOf(u) {
  if (!u) return null;
  const thoughts = u.thoughtsTokenCount ?? null;
  return {
    input: u.promptTokenCount ?? null,
    output: (u.candidatesTokenCount ?? 0) + (thoughts ?? 0),
    total: u.totalTokenCount ?? null,
    cached: u.cachedContentTokenCount ?? null,
    reasoning: thoughts,
  };
}

// Parts, chunk after chunk (or turn after turn), and the last finish and usage.
class Folded {
  constructor() {
    this.text = [];
    this.reasoning = [];
    this.calls = [];
    this.usage = null;
  }

  parts(content) {
    for (const part of content?.parts ?? []) {
      if (part.functionCall) {
        const call = part.functionCall;
        this.calls.push({ id: call.id ?? null, name: call.name ?? null, arguments: JSON.stringify(call.args ?? {}) });
      } else if (typeof part.text === 'string') {
        (part.thought ? this.reasoning : this.text).push(part.text);
      }
    }
  }

  reply(obs, response, content = true) {
    obs.id = response.responseId ?? obs.id;
    obs.model = response.modelVersion ?? obs.model;
    this.usage = response.usageMetadata ?? this.usage;
    const candidate = response.candidates?.[0];
    if (!candidate) return;
    if (candidate.finishReason) obs.finish = candidate.finishReason;
    if (content) this.parts(candidate.content);
  }

  into(obs) {
    obs.text = this.text.length ? this.text.join('') : null;
    obs.reasoning = this.reasoning.length ? this.reasoning.join('') : null;
    obs.tool_calls = this.calls;
    obs.usage = usageOf(this.usage);
  }
}

function request(params) {
  const { model, contents, generationConfig, ...rest } = params;
  return { model, contents, config: { ...(generationConfig ?? {}), ...rest } };
}

async function runUnary(ai, params, obs) {
  const response = await ai.models.generateContent(request(params));
  obs.status = 200;
  const folded = new Folded();
  folded.reply(obs, response);
  folded.into(obs);
}

async function runStream(ai, params, obs, state) {
  const stream = await ai.models.generateContentStream(request(params));
  obs.status = 200;
  obs.chunks = 0;
  state.inStream = true;
  const folded = new Folded();
  state.collect = () => folded.into(obs); // so partial results survive an in-stream error
  for await (const chunk of stream) {
    obs.chunks += 1;
    folded.reply(obs, chunk);
  }
  folded.into(obs);
}

async function runStreamHelper(ai, params, obs, state) {
  const { model, contents, config } = request(params);
  const history = contents.slice(0, -1);
  const ask = contents[contents.length - 1];
  const chat = ai.chats.create({ model, config, history });
  const folded = new Folded();
  state.collect = () => folded.into(obs);
  const stream = await chat.sendMessageStream({ message: ask.parts });
  obs.status = 200;
  state.inStream = true;
  for await (const chunk of stream) folded.reply(obs, chunk, false);
  const kept = chat.getHistory(true);
  if (kept.length > history.length + 1) {
    for (const turn of kept.slice(history.length + 1)) folded.parts(turn);
  }
  folded.into(obs);
}

const RUNNERS = { unary: runUnary, stream: runStream, stream_helper: runStreamHelper };

function makeClient(job, options) {
  return new GoogleGenAI({
    apiKey: job.api_key,
    httpOptions: { baseUrl: job.base_url, timeout: 20000, headers: options.headers },
  });
}

const runJob = jobRunner('gemini.mjs', RUNNERS, makeClient, errorOf);
await serveJobs('gemini.mjs', { name: '@google/genai', version: VERSION }, runJob);
