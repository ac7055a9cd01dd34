import type { ServerResponse } from 'node:http';
import type { AIProviderMock } from '../helpers/ai-provider-contract.js';
import { forNextRequest, startJsonMock, writeUntilClosed } from '../helpers/provider-mock.js';

/** A local stand-in for the Ollama server's REST API (the calls the plugin makes); its `url` is the address for OLLAMA_ENDPOINT. */
export interface OllamaMock extends AIProviderMock {
  /** Answers the next request with this status and an Ollama-style error body. */
  failNext(status: number, message?: string): void;
}

/** The text every chat and generate answer carries, streamed in these pieces. */
export const REPLY_PIECES = ['Hello', ' from', ' the mock'];
/** The token counts every answer reports. */
export const COUNTS = { prompt_eval_count: 12, eval_count: 3 };
export const EMBEDDING = [0.5, -0.25, 0.125];
/** Models the mock starts with; requests for others answer 404 as Ollama does, until they are pulled. */
export const INSTALLED_MODELS = ['llama3.2:latest', 'nomic-embed-text:latest'];
/** A model the mock's "registry" has no manifest for. */
export const UNKNOWN_REGISTRY_MODEL = 'no-such-model';
/** What a pull reports before its final "success". */
export const PULL_PROGRESS = [
  { status: 'pulling manifest' },
  { status: 'pulling dde5aa3fc5ff', digest: 'sha256:dde5aa3fc5ff', total: 2000, completed: 500 },
  { status: 'pulling dde5aa3fc5ff', digest: 'sha256:dde5aa3fc5ff', total: 2000, completed: 2000 },
  { status: 'verifying sha256 digest' },
  { status: 'writing manifest' },
];

const STATS = { total_duration: 5_000_000, load_duration: 1_000_000, prompt_eval_duration: 2_000_000, eval_duration: 2_000_000 };

/** Starts the mock; like a local Ollama it asks for no credentials. */
export async function startOllamaMock(): Promise<OllamaMock> {
  const nextFailure = forNextRequest<{ status: number; message: string }>();
  const nextEndlessStream = forNextRequest<() => void>();
  const installed = new Set(INSTALLED_MODELS);

  const server = await startJsonMock(({ method, path, body: received }, res) => {
    const body = (received ?? {}) as Record<string, unknown>;

    const failure = nextFailure.take();
    if (failure) {
      sendJson(res, failure.status, { error: failure.message });
      return;
    }

    const route = `${method} ${path}`;
    const model = String(body['model'] ?? body['name'] ?? '');
    if (route === 'GET /api/tags') {
      sendJson(res, 200, { models: INSTALLED_MODELS.map(modelEntry) });
    } else if (route === 'POST /api/pull') {
      if (pull(res, model)) installed.add(withTag(model));
    } else if (!['POST /api/chat', 'POST /api/generate', 'POST /api/embed'].includes(route)) {
      sendJson(res, 404, { error: `unknown route ${route}` });
    } else if (!installed.has(withTag(model))) {
      sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
    } else if (route === 'POST /api/embed') {
      const inputs = Array.isArray(body['input']) ? body['input'] : [body['input']];
      sendJson(res, 200, { model, embeddings: inputs.map(() => EMBEDDING), ...STATS, prompt_eval_count: inputs.length * 4 });
    } else {
      const answer = route === 'POST /api/chat' ? chatPart : generatePart;
      const onClosed = body['stream'] === true ? nextEndlessStream.take() : undefined;
      if (body['stream'] !== true) {
        sendJson(res, 200, { ...answer(model, REPLY_PIECES.join(''), true), ...STATS, ...COUNTS });
      } else if (onClosed) {
        streamEndlessly(res, () => answer(model, 'more', false), onClosed);
      } else {
        startNdjson(res);
        for (const piece of REPLY_PIECES) writeLine(res, answer(model, piece, false));
        res.end(line({ ...answer(model, '', true), ...STATS, ...COUNTS }));
      }
    }
  });

  return {
    ...server,
    failNext: (status, message = `Mock failure with status ${status}.`) => nextFailure.set({ status, message }),
    streamUntilClosed: () => new Promise((resolve) => nextEndlessStream.set(resolve)),
  };
}

// Ollama accepts a bare name for the `latest` tag.
function withTag(model: string): string {
  return model.includes(':') ? model : `${model}:latest`;
}

function modelEntry(name: string) {
  return {
    name,
    model: name,
    modified_at: '2026-01-15T10:00:00Z',
    size: 2_019_393_189,
    digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'llama',
      families: ['llama'],
      parameter_size: '3.2B',
      quantization_level: 'Q4_K_M',
    },
  };
}

function chatPart(model: string, content: string, done: boolean) {
  return { model, created_at: '2026-01-15T10:00:00Z', message: { role: 'assistant', content }, done, ...(done && { done_reason: 'stop' }) };
}

function generatePart(model: string, response: string, done: boolean) {
  return { model, created_at: '2026-01-15T10:00:00Z', response, done, ...(done && { done_reason: 'stop', context: [1, 2, 3] }) };
}

// Pulls stream even their failures: a missing manifest arrives as an in-band error line.
function pull(res: ServerResponse, model: string): boolean {
  startNdjson(res);
  const [first, ...rest] = PULL_PROGRESS;
  writeLine(res, first);
  if (model === UNKNOWN_REGISTRY_MODEL) {
    res.end(line({ error: 'pull model manifest: file does not exist' }));
    return false;
  }
  for (const progress of rest) writeLine(res, progress);
  res.end(line({ status: 'success' }));
  return true;
}

function streamEndlessly(res: ServerResponse, part: () => unknown, onClosed: () => void): void {
  startNdjson(res);
  writeUntilClosed(res, () => writeLine(res, part()), onClosed);
}

function startNdjson(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
}

function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

function writeLine(res: ServerResponse, value: unknown): void {
  res.write(line(value));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
