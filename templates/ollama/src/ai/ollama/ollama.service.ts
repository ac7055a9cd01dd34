import type { AbortableAsyncIterator, Ollama } from 'ollama';
import type { AIProvider, ChatChunk, ChatRequest, ChatResult, TokenUsage } from '../../ai/ai-provider.js';
import { estimateTokens } from '../../ai/ai-provider.js';
import { anySignal } from '../../lib/abort-signals.js';
import { HttpError, providerError } from '../../lib/errors.js';
import { loadOnce } from '../../lib/load-once.js';
import type { GenerateRequest, OllamaConfig, PullProgress } from './ollama.schema.js';

const PROVIDER = 'Ollama';
const DEFAULT_ENDPOINT = 'http://localhost:11434';
const DEFAULT_MODEL = 'llama3.2';
const DEFAULT_EMBEDDING_MODEL = 'nomic-embed-text';

/** Ollama as an `AIProvider`, plus its own calls: generate with a system prompt, and model pulls. */
export interface OllamaService extends Required<AIProvider> {
  generate(request: GenerateRequest, signal?: AbortSignal): Promise<ChatResult>;
  /** A refused request (unknown model, server down) fails on the first `next()`, as `chatStream` does. */
  generateStream(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<ChatChunk>;
  pull(model: string, signal?: AbortSignal): AsyncIterable<PullProgress>;
}

/** Wraps the official SDK behind `OllamaService`; HTTP and connection errors come out as `HttpError`s. */
export function createOllamaService(config: OllamaConfig): OllamaService {
  // The SDK ignores OLLAMA_HOST, so the address is always passed explicitly.
  const endpoint = config.OLLAMA_ENDPOINT ?? DEFAULT_ENDPOINT;
  const defaultModel = config.OLLAMA_MODEL ?? DEFAULT_MODEL;
  const defaultEmbeddingModel = config.OLLAMA_EMBEDDING_MODEL ?? DEFAULT_EMBEDDING_MODEL;
  // The SDK is imported on the first call, not at start-up.
  const loadClient = loadOnce(async () => new (await import('ollama')).Ollama({ host: endpoint }));
  const unreachable = `${PROVIDER} is not reachable at ${withoutCredentials(endpoint)}. Start it with \`ollama serve\` or set OLLAMA_ENDPOINT.`;

  // Only streams take an AbortSignal in the SDK; a fetch bound to the signal cancels any call.
  async function clientFor(signal: AbortSignal | undefined): Promise<Ollama> {
    if (!signal) return loadClient();
    const { Ollama } = await import('ollama');
    return new Ollama({
      host: endpoint,
      fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ? anySignal([init.signal, signal]) : signal }),
    });
  }

  // `model` names the model in the answer to a 404, which is how Ollama reports a model it has not pulled.
  function toHttpError(error: unknown, model: string | undefined): unknown {
    if (isResponseError(error)) {
      if (error.status_code === 404 && model !== undefined) {
        return new HttpError(
          404,
          `${PROVIDER} has no model "${model}". Pull it first: POST /api/ai/local/ollama/pull {"model":"${model}"}.`,
        );
      }
      // Ollama has no key to leak, and its server errors say what went wrong (e.g. too little memory for the model).
      if (error.status_code >= 500)
        return new HttpError(502, `${PROVIDER} failed (status ${error.status_code}): ${error.error.slice(0, 300)}`);
      return providerError(PROVIDER, error.status_code, error.error);
    }
    if (isConnectionFailure(error)) return new HttpError(503, unreachable);
    return error;
  }

  async function call<T>(model: string | undefined, signal: AbortSignal | undefined, request: (ollama: Ollama) => Promise<T>): Promise<T> {
    try {
      return await request(await clientFor(signal));
    } catch (error) {
      throw toHttpError(error, model);
    }
  }

  async function* streamed<Part extends object>(
    model: string | undefined,
    signal: AbortSignal | undefined,
    start: (ollama: Ollama) => Promise<AbortableAsyncIterator<Part>>,
  ): AsyncGenerator<Part> {
    const stream = await call(model, signal, start);
    try {
      yield* stream;
    } catch (error) {
      if (signal?.aborted) throw error;
      // Once streaming, Ollama reports failures in-band ({"error": "..."}), which the SDK throws as plain Errors.
      const mapped = toHttpError(error, model);
      throw mapped instanceof HttpError ? mapped : new HttpError(502, `${PROVIDER} stopped the stream: ${describe(error)}`);
    } finally {
      // Also ends the HTTP response when the consumer stops early, which the SDK would leave open.
      stream.abort();
    }
  }

  function generateParams(request: GenerateRequest) {
    return { model: request.model ?? defaultModel, prompt: request.prompt, system: request.system, options: generationOptions(request) };
  }

  function chatParams(request: ChatRequest) {
    // Field by field: the SDK's type wants both fields present, which zod 3 does not promise in projects without strictNullChecks.
    const messages = request.messages.map(({ role, content }) => ({ role, content }));
    return { model: request.model ?? defaultModel, messages, options: generationOptions(request) };
  }

  async function chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    const params = chatParams(request);
    const response = await call(params.model, signal, (ollama) => ollama.chat(params));
    return { provider: 'ollama', model: response.model, text: response.message.content, usage: toTokenUsage(response) };
  }

  async function generate(request: GenerateRequest, signal?: AbortSignal): Promise<ChatResult> {
    const params = generateParams(request);
    const response = await call(params.model, signal, (ollama) => ollama.generate(params));
    return { provider: 'ollama', model: response.model, text: response.response ?? '', usage: toTokenUsage(response) };
  }

  return {
    getInfo: () => ({ id: 'ollama', name: PROVIDER, defaultModel, supportsEmbeddings: true }),
    chat,
    async *chatStream(request, signal) {
      const params = chatParams(request);
      for await (const part of streamed(params.model, signal, (ollama) => ollama.chat({ ...params, stream: true }))) {
        if (part.message.content) yield { text: part.message.content };
        if (part.done) yield { text: '', usage: toTokenUsage(part) };
      }
    },
    complete: (prompt, options, signal) => generate({ ...options, prompt }, signal),
    generate,
    async *generateStream(request, signal) {
      const params = generateParams(request);
      for await (const part of streamed(params.model, signal, (ollama) => ollama.generate({ ...params, stream: true }))) {
        if (part.response) yield { text: part.response };
        if (part.done) yield { text: '', usage: toTokenUsage(part) };
      }
    },
    async embed(input, model = defaultEmbeddingModel, signal) {
      const response = await call(model, signal, (ollama) => ollama.embed({ model, input }));
      return {
        provider: 'ollama',
        model: response.model,
        embeddings: response.embeddings,
        usage: { inputTokens: response.prompt_eval_count ?? 0, outputTokens: 0 },
      };
    },
    async listModels(signal) {
      const { models } = await call(undefined, signal, (ollama) => ollama.list());
      return models.map((model) => ({ id: model.name }));
    },
    async *pull(model, signal) {
      // No model name for errors here: a 404 would not mean "pull it first".
      for await (const progress of streamed(undefined, signal, (ollama) => ollama.pull({ model, stream: true }))) {
        yield { status: progress.status, completed: progress.completed, total: progress.total };
      }
    },
    countTokens: estimateTokens,
  };
}

function generationOptions(request: { maxTokens?: number; temperature?: number }) {
  return { num_predict: request.maxTokens, temperature: request.temperature };
}

// Ollama leaves the prompt count out when the prompt was cached, whatever the SDK's types say.
function toTokenUsage(response: { prompt_eval_count?: number; eval_count?: number }): TokenUsage {
  return { inputTokens: response.prompt_eval_count ?? 0, outputTokens: response.eval_count ?? 0 };
}

// The SDK's ResponseError class is not exported, so it is recognised by its fields.
function isResponseError(error: unknown): error is Error & { error: string; status_code: number } {
  if (!(error instanceof Error)) return false;
  const fields = error as { status_code?: unknown; error?: unknown };
  return typeof fields.status_code === 'number' && typeof fields.error === 'string';
}

// fetch wraps every network failure (refused, DNS, reset) in this one TypeError.
function isConnectionFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The address as shown in messages: a user:password in it stays out.
function withoutCredentials(endpoint: string): string {
  const url = new URL(endpoint);
  url.username = '';
  url.password = '';
  return url.href.replace(/\/$/, '');
}
