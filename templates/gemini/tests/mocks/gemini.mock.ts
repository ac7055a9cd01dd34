import type { ServerResponse } from 'node:http';
import type { AIProviderMock } from '../helpers/ai-provider-contract.js';
import { forNextRequest, startJsonMock, writeUntilClosed } from '../helpers/provider-mock.js';

/**
 * A local stand-in for the Gemini API (the calls the plugin makes), with Google-style error bodies.
 * Its `url` is the server root, the SDK's base URL like https://generativelanguage.googleapis.com (the SDK adds /v1).
 */
export type GeminiMock = AIProviderMock;

/** The text every generation answers, streamed in these pieces. */
export const REPLY_PIECES = ['Hello', ' from', ' the mock'];
/** The usage every generation reports; thinking tokens are billed as output. */
export const USAGE = { promptTokenCount: 12, candidatesTokenCount: 3, thoughtsTokenCount: 5, totalTokenCount: 20 };
/** The model version every answer names. */
export const MODEL_VERSION = 'gemini-2.5-flash-001';
/** The vector every embedding request gets, per input. */
export const EMBEDDING = [0.5, -0.25, 0.125];
/** What `GET /v1/models` lists. */
const MODELS = [
  { name: 'models/gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', supportedGenerationMethods: ['generateContent'] },
  { name: 'models/gemini-embedding-001', displayName: 'Gemini Embedding 001', supportedGenerationMethods: ['embedContent'] },
];

const ERROR_STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Starts the mock; requests must carry `x-goog-api-key: <apiKey>`, as with the real API. */
export async function startGeminiMock(apiKey: string): Promise<GeminiMock> {
  const nextFailure = forNextRequest<number>();
  const nextEndlessStream = forNextRequest<() => void>();

  const server = await startJsonMock(({ method, path, headers, body }, res) => {
    if (headers['x-goog-api-key'] !== apiKey) {
      // Google answers a wrong key with 400, not 401; only the reason says what went wrong.
      sendError(res, 400, `API key not valid: ${String(headers['x-goog-api-key'])}. Please pass a valid API key.`, 'API_KEY_INVALID');
      return;
    }
    const status = nextFailure.take();
    if (status !== undefined) {
      sendError(res, status, `Mock failure with status ${status} for key ${apiKey}.`);
      return;
    }

    const [route, query] = `${method} ${path}`.split('?');
    const call = /^POST \/v1\/models\/[^:]+:(\w+)$/.exec(route ?? '')?.[1];
    if (call === 'generateContent') {
      sendJson(res, 200, generation(REPLY_PIECES.join(''), USAGE));
    } else if (call === 'streamGenerateContent' && query === 'alt=sse') {
      const onClosed = nextEndlessStream.take();
      if (onClosed) streamEndlessly(res, onClosed);
      else streamGeneration(res);
    } else if (call === 'batchEmbedContents' && isBatchEmbedBody(body)) {
      sendJson(res, 200, { embeddings: body.requests.map(() => ({ values: EMBEDDING })) });
    } else if (route === 'GET /v1/models') {
      sendJson(res, 200, { models: MODELS });
    } else {
      sendError(res, 404, `Unknown request ${route ?? ''}.`);
    }
  });

  return {
    ...server,
    failNext: nextFailure.set,
    streamUntilClosed: () => new Promise((resolve) => nextEndlessStream.set(resolve)),
  };
}

function isBatchEmbedBody(body: unknown): body is { requests: unknown[] } {
  return typeof body === 'object' && body !== null && 'requests' in body && Array.isArray(body.requests);
}

function generation(text: string, usage: Partial<typeof USAGE>, finishReason?: string) {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, ...(finishReason && { finishReason }) }],
    usageMetadata: usage,
    modelVersion: MODEL_VERSION,
    responseId: 'mock-response',
  };
}

function startEventStream(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
}

// The real API separates events with CRLF pairs.
function writeEvent(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\r\n\r\n`);
}

// The real stream's shape: each chunk a whole response with its piece of text and the usage so far.
function streamGeneration(res: ServerResponse): void {
  startEventStream(res);
  for (const [index, piece] of REPLY_PIECES.entries()) {
    const last = index === REPLY_PIECES.length - 1;
    writeEvent(res, generation(piece, last ? USAGE : { promptTokenCount: USAGE.promptTokenCount }, last ? 'STOP' : undefined));
  }
  res.end();
}

function streamEndlessly(res: ServerResponse, onClosed: () => void): void {
  startEventStream(res);
  writeUntilClosed(res, () => writeEvent(res, generation('more', { promptTokenCount: USAGE.promptTokenCount })), onClosed);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, reason?: string): void {
  const details = reason ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' }] : undefined;
  sendJson(res, status, { error: { code: status, message, status: ERROR_STATUSES[status] ?? 'UNKNOWN', details } });
}
