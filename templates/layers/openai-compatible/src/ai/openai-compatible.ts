import type { ClientOptions } from 'openai';
import type { StoredKey } from '../lib/api-keys.js';
import { HttpError, providerError } from '../lib/errors.js';
import { loadOnce } from '../lib/load-once.js';
import type { AIProvider, ChatChunk, ChatRequest, ChatResult, ModelInfo, TokenUsage } from './ai-provider.js';
import { estimateTokens } from './ai-provider.js';

/** What sets one OpenAI-compatible API apart from the others; the calls themselves are shared. */
export interface OpenAICompatibleOptions {
  /** Provider id, as in AI_PROVIDERS and in every result. */
  id: string;
  /** Display name, used in error messages. */
  name: string;
  /** The SDK client's options, with a concrete apiKey and baseURL (an undefined one makes the SDK read OPENAI_* env); the client is built on the first call. */
  clientOptions: ClientOptions;
  /** Used when a request names no model. */
  defaultModel: string;
  /** Set when the API has embeddings; the model used when a request names none. */
  defaultEmbeddingModel?: string;
  /** The field that caps the answer: OpenAI's current one, or the older one most other servers read. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Replaces the generic "could not be reached", e.g. to name a local server's address. */
  unreachableMessage?: string;
  /** A key kept by api-key-manager, asked for before each call; without one the client's own key is used. */
  storedKey?: () => Promise<StoredKey | undefined>;
}

/**
 * An `AIProvider` over any API that speaks OpenAI's chat completions (OpenAI, xAI, OpenRouter,
 * LM Studio ...). API and connection errors come out as `HttpError`s.
 */
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions & { defaultEmbeddingModel: string }): Required<AIProvider>;
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): AIProvider;
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): AIProvider {
  const { id, name, defaultModel, defaultEmbeddingModel } = options;
  // The SDK is imported on the first call: importing it costs start-up time whether or not the provider is used.
  const loadClient = loadOnce(async () => new (await import('openai')).OpenAI(options.clientOptions));

  // A stored key replaces the client's for this one call; its use is counted once the call succeeds.
  async function callWith(signal: AbortSignal | undefined) {
    const stored = await options.storedKey?.();
    const headers = stored ? { Authorization: `Bearer ${stored.key}` } : undefined;
    return { request: { signal, headers }, succeeded: () => stored?.used() };
  }

  function chatParams(request: ChatRequest) {
    const { maxTokens } = request;
    return {
      model: request.model ?? defaultModel,
      // Field by field: the SDK's type wants both fields present, which zod 3 does not promise in projects without strictNullChecks.
      messages: request.messages.map(({ role, content }) => ({ role, content })),
      ...(options.maxTokensField === 'max_tokens' ? { max_tokens: maxTokens } : { max_completion_tokens: maxTokens }),
      temperature: request.temperature,
    };
  }

  async function chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    try {
      const call = await callWith(signal);
      const client = await loadClient();
      const completion = await client.chat.completions.create(chatParams(request), call.request);
      call.succeeded();
      return {
        provider: id,
        model: completion.model,
        text: completion.choices[0]?.message.content ?? '',
        usage: completion.usage && toTokenUsage(completion.usage),
      };
    } catch (error) {
      throw await toProviderError(error);
    }
  }

  async function* chatStream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    try {
      const call = await callWith(signal);
      const client = await loadClient();
      const stream = await client.chat.completions.create(
        { ...chatParams(request), stream: true, stream_options: { include_usage: true } },
        call.request,
      );
      call.succeeded();
      // OpenAI reports usage once, in a last chunk without choices; some servers repeat it on every chunk.
      let usage: TokenUsage | undefined;
      for await (const chunk of stream) {
        const text = chunk.choices[0]?.delta.content;
        if (text) yield { text };
        if (chunk.usage) usage = toTokenUsage(chunk.usage);
      }
      if (usage) yield { text: '', usage };
    } catch (error) {
      throw await toProviderError(error);
    }
  }

  async function listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const models: ModelInfo[] = [];
      const call = await callWith(signal);
      const client = await loadClient();
      for await (const model of client.models.list(call.request)) models.push({ id: model.id, ownedBy: model.owned_by });
      return models;
    } catch (error) {
      throw await toProviderError(error);
    }
  }

  // providerError decides what the client sees; it gets the API's own message, not the SDK's "400 ..." text.
  // The error classes come from the SDK the call has already loaded.
  async function toProviderError(error: unknown): Promise<unknown> {
    const { APIConnectionError, APIError } = await import('openai');
    if (error instanceof APIConnectionError && options.unreachableMessage) return new HttpError(503, options.unreachableMessage);
    if (!(error instanceof APIError)) return error;
    return providerError(name, error.status, apiMessage(error.error));
  }

  const provider: AIProvider = {
    getInfo: () => ({ id, name, defaultModel, supportsEmbeddings: defaultEmbeddingModel !== undefined }),
    chat,
    chatStream,
    // The legacy completions API is deprecated (and missing from most compatible servers); a prompt is a one-message chat.
    complete: (prompt, completionOptions, signal) => chat({ ...completionOptions, messages: [{ role: 'user', content: prompt }] }, signal),
    listModels,
    countTokens: estimateTokens,
  };
  if (defaultEmbeddingModel === undefined) return provider;

  return {
    ...provider,
    async embed(input, model = defaultEmbeddingModel, signal) {
      try {
        const call = await callWith(signal);
        const client = await loadClient();
        const response = await client.embeddings.create({ model, input }, call.request);
        call.succeeded();
        return {
          provider: id,
          model: response.model,
          embeddings: response.data.map((item) => item.embedding),
          usage: { inputTokens: response.usage.prompt_tokens, outputTokens: 0 },
        };
      } catch (error) {
        throw await toProviderError(error);
      }
    },
  };
}

function toTokenUsage(usage: { prompt_tokens: number; completion_tokens: number }): TokenUsage {
  return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
}

function apiMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { message } = body as { message?: unknown };
  return typeof message === 'string' ? message : undefined;
}
