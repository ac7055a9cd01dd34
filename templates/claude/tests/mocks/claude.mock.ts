import type { ServerResponse } from 'node:http';
import type { AIProviderMock } from '../helpers/ai-provider-contract.js';
import { forNextRequest, startJsonMock, writeUntilClosed } from '../helpers/provider-mock.js';

/**
 * A local stand-in for the Anthropic API (the calls the plugin makes), with Anthropic-style error
 * bodies. Its `url` is the server root, the SDK's base URL like https://api.anthropic.com (the SDK adds /v1).
 */
export interface ClaudeMock extends AIProviderMock {
  /** Makes the next streamed message send one piece of text, then an `overloaded_error` event. */
  overloadNextStream(): void;
}

/** The text every message answer carries, streamed in these pieces. */
export const REPLY_PIECES = ['Hello', ' from', ' the mock'];
/** The usage every message answer reports. */
export const USAGE = { input_tokens: 12, output_tokens: 3 };
/** What `GET /v1/models` lists. */
export const MODELS = [
  { type: 'model', id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5', created_at: '2026-09-28T00:00:00Z' },
  { type: 'model', id: 'claude-haiku-5-5', display_name: 'Claude Haiku 5.5', created_at: '2026-09-28T00:00:00Z' },
];

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Starts the mock; requests must carry `Authorization: Bearer <apiKey>`, as SDK 1.x sends it. */
export async function startClaudeMock(apiKey: string): Promise<ClaudeMock> {
  const nextFailure = forNextRequest<number>();
  const nextOverload = forNextRequest<true>();
  const nextEndlessStream = forNextRequest<() => void>();

  const server = await startJsonMock(({ method, path, headers, body }, res) => {
    if (headers.authorization !== `Bearer ${apiKey}`) {
      // Echoes the credential it got, so tests can prove the plugin does not pass this text on.
      sendError(res, 401, `Invalid bearer token: ${headers.authorization ?? 'none'}.`);
      return;
    }
    const status = nextFailure.take();
    if (status !== undefined) {
      sendError(res, status, `Mock failure with status ${status} for key ${apiKey}.`);
      return;
    }

    const route = `${method} ${path.split('?')[0]}`;
    if (route === 'POST /v1/messages' && isMessagesBody(body)) {
      const onClosed = body.stream ? nextEndlessStream.take() : undefined;
      if (!body.stream) {
        sendJson(res, 200, message(body.model));
      } else if (onClosed) {
        streamEndlessly(res, body.model, onClosed);
      } else if (nextOverload.take()) {
        streamThenOverload(res, body.model);
      } else {
        streamMessage(res, body.model);
      }
    } else if (route === 'GET /v1/models') {
      sendJson(res, 200, { data: MODELS, has_more: false, first_id: MODELS[0]?.id, last_id: MODELS[MODELS.length - 1]?.id });
    } else {
      sendError(res, 404, `Unknown request ${route}.`);
    }
  });

  return {
    ...server,
    failNext: nextFailure.set,
    overloadNextStream: () => nextOverload.set(true),
    streamUntilClosed: () => new Promise((resolve) => nextEndlessStream.set(resolve)),
  };
}

interface MessagesBody {
  model: string;
  stream?: boolean;
}

function isMessagesBody(body: unknown): body is MessagesBody {
  return typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string';
}

function message(model: string, content = [{ type: 'text', text: REPLY_PIECES.join(''), citations: null }], usage = USAGE) {
  return {
    id: 'msg_mock',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { ...usage, cache_creation_input_tokens: null, cache_read_input_tokens: null },
  };
}

function startEventStream(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
}

function writeEvent(res: ServerResponse, event: { type: string; [field: string]: unknown }): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

function textDelta(text: string) {
  return { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } };
}

function startMessage(res: ServerResponse, model: string): void {
  startEventStream(res);
  writeEvent(res, { type: 'message_start', message: message(model, [], { input_tokens: USAGE.input_tokens, output_tokens: 1 }) });
  writeEvent(res, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } });
  writeEvent(res, { type: 'ping' });
}

// The real stream's shape: message_start, a text block of deltas, message_delta with the output tokens, message_stop.
function streamMessage(res: ServerResponse, model: string): void {
  startMessage(res, model);
  for (const piece of REPLY_PIECES) writeEvent(res, textDelta(piece));
  writeEvent(res, { type: 'content_block_stop', index: 0 });
  writeEvent(res, {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: USAGE.output_tokens },
  });
  writeEvent(res, { type: 'message_stop' });
  res.end();
}

// Overload can strike after the 200 went out; the API then reports it as an error event.
function streamThenOverload(res: ServerResponse, model: string): void {
  startMessage(res, model);
  writeEvent(res, textDelta(REPLY_PIECES[0] ?? ''));
  writeEvent(res, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  res.end();
}

function streamEndlessly(res: ServerResponse, model: string, onClosed: () => void): void {
  startMessage(res, model);
  writeUntilClosed(res, () => writeEvent(res, textDelta('more')), onClosed);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'request-id': 'req_mock' });
  res.end(JSON.stringify(body));
}

// x-should-retry: false stops the SDK's automatic retries of 429 and 5xx, so a test sees one answer.
function sendError(res: ServerResponse, status: number, message: string): void {
  res.setHeader('x-should-retry', 'false');
  sendJson(res, status, { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message }, request_id: 'req_mock' });
}
