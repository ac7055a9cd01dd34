import type { AIProvider, ChatChunk, ChatRequest, ChatResult, ModelInfo } from '../../ai/ai-provider.js';
import { estimateTokens } from '../../ai/ai-provider.js';
import { HttpError, providerError } from '../../lib/errors.js';
import { loadOnce } from '../../lib/load-once.js';
import type { ClaudeConfig } from './claude.schema.js';

const DEFAULT_MODEL = 'claude-sonnet-5-5';
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
// The Messages API requires a cap on the answer's length; requests may set their own.
const DEFAULT_MAX_TOKENS = 1024;

/** Claude has no embeddings API, so `embed` is absent. */
export type ClaudeService = Omit<AIProvider, 'embed'>;

/** Wraps the official SDK behind `AIProvider`; API and connection errors come out as `HttpError`s. */
export function createClaudeService(config: ClaudeConfig): ClaudeService {
  // The SDK is imported on the first call, not at start-up. Concrete values only: an undefined
  // option makes the SDK read ANTHROPIC_* from process.env itself.
  const loadClient = loadOnce(async () => {
    const { Anthropic } = await import('@anthropic-ai/sdk');
    return new Anthropic({
      apiKey: config.ANTHROPIC_API_KEY,
      baseURL: config.ANTHROPIC_BASE_URL ?? DEFAULT_BASE_URL,
      maxRetries: config.ANTHROPIC_MAX_RETRIES,
    });
  });
  const defaultModel = config.ANTHROPIC_MODEL ?? DEFAULT_MODEL;

  // System messages become the `system` parameter. `temperature` is left out: the API has
  // not accepted it since version 2026-10-21.
  function messageParams(request: ChatRequest) {
    const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content);
    return {
      model: request.model ?? defaultModel,
      max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
      messages: request.messages.flatMap((message) =>
        message.role === 'system' ? [] : [{ role: message.role, content: message.content }],
      ),
      ...(system.length > 0 && { system: system.join('\n\n') }),
    };
  }

  async function chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    try {
      const client = await loadClient();
      const message = await client.messages.create(messageParams(request), { signal });
      return {
        provider: 'claude',
        model: message.model,
        text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
        usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
      };
    } catch (error) {
      throw await toProviderError(error);
    }
  }

  async function* chatStream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    try {
      const client = await loadClient();
      const stream = await client.messages.create({ ...messageParams(request), stream: true }, { signal });
      let inputTokens = 0;
      let outputTokens = 0;
      for await (const event of stream) {
        if (event.type === 'message_start') inputTokens = event.message.usage.input_tokens;
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') yield { text: event.delta.text };
        // message_delta carries the running total of output tokens.
        if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
      }
      yield { text: '', usage: { inputTokens, outputTokens } };
    } catch (error) {
      throw await toProviderError(error);
    }
  }

  return {
    getInfo: () => ({ id: 'claude', name: 'Claude', defaultModel, supportsEmbeddings: false }),
    chat,
    chatStream,
    complete: (prompt, options, signal) => chat({ ...options, messages: [{ role: 'user', content: prompt }] }, signal),
    async listModels(signal) {
      try {
        const models: ModelInfo[] = [];
        const client = await loadClient();
        for await (const model of client.models.list({}, { signal })) models.push({ id: model.id });
        return models;
      } catch (error) {
        throw await toProviderError(error);
      }
    },
    countTokens: estimateTokens,
  };
}

// An error event inside a stream has no HTTP status, only the type of error the API names.
const STREAM_ERROR_STATUS: Record<string, number> = {
  overloaded_error: 529,
  rate_limit_error: 429,
  billing_error: 402,
  authentication_error: 401,
};

// providerError decides what the client sees; it gets the API's own message, not the SDK's "400 {...}" text.
// APIError comes from the SDK the call has already loaded.
async function toProviderError(error: unknown): Promise<unknown> {
  const { APIError } = await import('@anthropic-ai/sdk');
  if (!(error instanceof APIError)) return error;
  // Without a type there was no answer at all: a connection failure or an abort.
  const status = error.status ?? (error.type === null ? undefined : (STREAM_ERROR_STATUS[error.type] ?? 500));
  // 529 is Anthropic's own "overloaded": temporary and not this app's fault.
  if (status === 529) return new HttpError(503, 'Claude is overloaded right now. Try again in a little while.');
  return providerError('Claude', status, error.apiMessage ?? undefined);
}
