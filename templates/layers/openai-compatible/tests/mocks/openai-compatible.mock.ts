import type { ServerResponse } from 'node:http';
import type { AIProviderMock } from '../helpers/ai-provider-contract.js';
import { forNextRequest, startJsonMock, writeUntilClosed } from '../helpers/provider-mock.js';

/** One entry of `GET /models`, as OpenAI's API shapes it. */
export interface MockModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** How one provider's API differs from OpenAI's; everything else is the same mock. */
export interface OpenAICompatibleMockOptions {
  /** Requests must carry `Authorization: Bearer <apiKey>`, as with the real API. Omit for servers without auth (LM Studio). */
  apiKey?: string;
  /** Where the API lives below the server root: `/v1` (default) or OpenRouter's `/api/v1`. */
  basePath?: string;
  /** What `GET <basePath>/models` lists (default `MODELS`). */
  models?: MockModel[];
  /** Further JSON answers by `METHOD path`, e.g. OpenRouter's `GET /api/v1/key`. */
  routes?: Record<string, unknown>;
}

/**
 * A local stand-in for an OpenAI-compatible REST API (the calls the plugins make), with OpenAI-style
 * error bodies. Its `url` is the server root, e.g. http://127.0.0.1:PORT (LM Studio's endpoint setting).
 */
export interface OpenAICompatibleMock extends AIProviderMock {
  /** Base URL for the SDK, like https://api.openai.com/v1. */
  baseURL: string;
}

/** The text every chat answer carries, streamed in these pieces. */
export const REPLY_PIECES = ['Hello', ' from', ' the mock'];
/** The usage every chat answer reports. */
export const USAGE = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 };
/** Values a float32 holds exactly, so the SDK's base64 decoding gives them back unchanged. */
export const EMBEDDING = [0.5, -0.25, 0.125];
/** What `GET /models` lists unless a test says otherwise. */
export const MODELS: MockModel[] = [
  { id: 'mock-chat-model', object: 'model', created: 1754425777, owned_by: 'mock-lab' },
  { id: 'mock-embedding-model', object: 'model', created: 1705948997, owned_by: 'mock-lab' },
];

/** Starts the mock on a free local port. */
export async function startOpenAICompatibleMock(options: OpenAICompatibleMockOptions = {}): Promise<OpenAICompatibleMock> {
  const { apiKey, basePath = '/v1', models = MODELS, routes = {} } = options;
  const nextFailure = forNextRequest<number>();
  const nextEndlessStream = forNextRequest<() => void>();

  const server = await startJsonMock(({ method, path, headers, body }, res) => {
    if (apiKey !== undefined && headers.authorization !== `Bearer ${apiKey}`) {
      // Real APIs quote (part of) the key they got: the plugins must not pass this on.
      sendError(res, 401, `Incorrect API key provided: ${headers.authorization ?? 'none'}.`, 'invalid_api_key');
      return;
    }
    const status = nextFailure.take();
    if (status !== undefined) {
      sendError(res, status, `Mock failure with status ${status} for key ${apiKey ?? 'none'}.`, 'mock_failure');
      return;
    }

    const route = `${method} ${path}`;
    if (route === `POST ${basePath}/chat/completions` && isChatBody(body)) {
      const onClosed = body.stream ? nextEndlessStream.take() : undefined;
      if (!body.stream) {
        sendJson(res, 200, chatCompletion(body.model));
      } else if (onClosed) {
        streamEndlessly(res, body.model, onClosed);
      } else {
        streamChat(res, body.model);
      }
    } else if (route === `POST ${basePath}/embeddings` && isEmbeddingsBody(body)) {
      sendJson(res, 200, embeddings(body));
    } else if (route === `GET ${basePath}/models`) {
      sendJson(res, 200, { object: 'list', data: models });
    } else if (Object.hasOwn(routes, route)) {
      sendJson(res, 200, routes[route]);
    } else {
      sendError(res, 404, `Unknown request ${route}.`, 'unknown_url');
    }
  });

  return {
    ...server,
    baseURL: `${server.url}${basePath}`,
    failNext: nextFailure.set,
    streamUntilClosed: () => new Promise((resolve) => nextEndlessStream.set(resolve)),
  };
}

interface ChatBody {
  model: string;
  stream?: boolean;
}

function isChatBody(body: unknown): body is ChatBody {
  return hasModel(body);
}

interface EmbeddingsBody {
  model: string;
  input: string | string[];
  encoding_format?: 'float' | 'base64';
}

function isEmbeddingsBody(body: unknown): body is EmbeddingsBody {
  return hasModel(body) && 'input' in body;
}

function hasModel(body: unknown): body is { model: string } {
  return typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string';
}

function chatCompletion(model: string) {
  return {
    id: 'chatcmpl-mock',
    object: 'chat.completion',
    created: 1760000000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: REPLY_PIECES.join(''), refusal: null }, finish_reason: 'stop' }],
    usage: USAGE,
  };
}

function chunk(model: string, choices: unknown[], usage: typeof USAGE | null = null) {
  return { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1760000000, model, choices, usage };
}

function startEventStream(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
}

function writeEvent(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\n\n`);
}

// OpenAI's stream shape: a role chunk, the content pieces, a finish chunk, the usage chunk, [DONE].
function streamChat(res: ServerResponse, model: string): void {
  startEventStream(res);
  writeEvent(res, chunk(model, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  for (const piece of REPLY_PIECES) writeEvent(res, chunk(model, [{ index: 0, delta: { content: piece }, finish_reason: null }]));
  writeEvent(res, chunk(model, [{ index: 0, delta: {}, finish_reason: 'stop' }]));
  writeEvent(res, chunk(model, [], USAGE));
  res.end('data: [DONE]\n\n');
}

function streamEndlessly(res: ServerResponse, model: string, onClosed: () => void): void {
  startEventStream(res);
  writeUntilClosed(res, () => writeEvent(res, chunk(model, [{ index: 0, delta: { content: 'more' }, finish_reason: null }])), onClosed);
}

function embeddings(body: EmbeddingsBody) {
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  // The SDK asks for base64 (little-endian float32) unless told otherwise, and decodes it.
  const encode = (vector: number[]) =>
    body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
  return {
    object: 'list',
    model: body.model,
    data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: encode(EMBEDDING) })),
    usage: { prompt_tokens: inputs.length * 4, total_tokens: inputs.length * 4 },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

// x-should-retry: false stops the SDK's automatic retries of 429 and 5xx, so a test sees one answer.
function sendError(res: ServerResponse, status: number, message: string, code: string): void {
  res.setHeader('x-should-retry', 'false');
  sendJson(res, status, { error: { message, type: 'invalid_request_error', param: null, code } });
}
