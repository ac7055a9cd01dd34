import type { ApiError, GenerateContentResponseUsageMetadata } from '@google/genai';
import * as z from 'zod';
import type { AIProvider, ChatChunk, ChatRequest, ChatResult, ModelInfo, TokenUsage } from '../../ai/ai-provider.js';
import { estimateTokens } from '../../ai/ai-provider.js';
import { HttpError, providerError } from '../../lib/errors.js';
import { loadOnce } from '../../lib/load-once.js';
import type { GeminiConfig, InlineImage } from './gemini.schema.js';

const DEFAULT_MODEL = 'gemini-2.5-flash';
const DEFAULT_EMBEDDING_MODEL = 'gemini-embedding-001';
const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/** A chat whose last turn may carry images, which Gemini reads with the text. */
export interface GeminiChatRequest extends ChatRequest {
  images?: InlineImage[];
}

/** Gemini has every optional capability of `AIProvider`, and its chat also understands images. */
export interface GeminiService extends Required<AIProvider> {
  chat(request: GeminiChatRequest, signal?: AbortSignal): Promise<ChatResult>;
}

/** Wraps the official SDK behind `AIProvider`; API and connection errors come out as `HttpError`s. */
export function createGeminiService(config: GeminiConfig): GeminiService {
  // The SDK is imported on the first call, not at start-up. Concrete values only: left out, the
  // SDK reads GOOGLE_API_KEY, GOOGLE_GENAI_USE_VERTEXAI ... from process.env.
  const loadClient = loadOnce(async () => {
    const { GoogleGenAI } = await import('@google/genai');
    return new GoogleGenAI({
      apiKey: config.GOOGLE_AI_API_KEY,
      vertexai: false,
      httpOptions: { baseUrl: config.GEMINI_BASE_URL ?? DEFAULT_BASE_URL },
    });
  });
  const defaultModel = config.GEMINI_MODEL ?? DEFAULT_MODEL;
  const defaultEmbeddingModel = config.GEMINI_EMBEDDING_MODEL ?? DEFAULT_EMBEDDING_MODEL;

  // Gemini calls the assistant "model" and takes system messages as a separate instruction.
  function generateParams(request: GeminiChatRequest, signal: AbortSignal | undefined) {
    const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content);
    const turns = request.messages.filter((message) => message.role !== 'system');
    const images = (request.images ?? []).map((image) => ({ inlineData: image }));
    return {
      model: request.model ?? defaultModel,
      contents: turns.map((message, index) => ({
        role: message.role === 'assistant' ? 'model' : 'user',
        parts: [{ text: message.content }, ...(index === turns.length - 1 ? images : [])],
      })),
      config: {
        maxOutputTokens: request.maxTokens,
        temperature: request.temperature,
        abortSignal: signal,
        ...(system.length > 0 && { systemInstruction: system.join('\n\n') }),
      },
    };
  }

  async function chat(request: GeminiChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    try {
      const params = generateParams(request, signal);
      const client = await loadClient();
      const response = await client.models.generateContent(params);
      return {
        provider: 'gemini',
        model: response.modelVersion ?? params.model,
        text: response.text ?? '',
        usage: response.usageMetadata && toTokenUsage(response.usageMetadata),
      };
    } catch (error) {
      throw await toProviderError(error);
    }
  }

  async function* chatStream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    try {
      const client = await loadClient();
      const stream = await client.models.generateContentStream(generateParams(request, signal));
      // Every chunk repeats the usage so far; the last one has the totals.
      let usage: GenerateContentResponseUsageMetadata | undefined;
      for await (const chunk of stream) {
        if (chunk.text) yield { text: chunk.text };
        usage = chunk.usageMetadata ?? usage;
      }
      if (usage) yield { text: '', usage: toTokenUsage(usage) };
    } catch (error) {
      throw await toProviderError(error);
    }
  }

  return {
    getInfo: () => ({ id: 'gemini', name: 'Gemini', defaultModel, supportsEmbeddings: true }),
    chat,
    chatStream,
    complete: (prompt, options, signal) => chat({ ...options, messages: [{ role: 'user', content: prompt }] }, signal),
    async embed(input, model = defaultEmbeddingModel, signal) {
      try {
        const client = await loadClient();
        const response = await client.models.embedContent({ model, contents: input, config: { abortSignal: signal } });
        return { provider: 'gemini', model, embeddings: (response.embeddings ?? []).map((embedding) => embedding.values ?? []) };
      } catch (error) {
        throw await toProviderError(error);
      }
    },
    async listModels(signal) {
      try {
        const models: ModelInfo[] = [];
        const client = await loadClient();
        for await (const model of await client.models.list({ config: { abortSignal: signal } })) {
          if (model.name) models.push({ id: model.name.replace(/^models\//, '') });
        }
        return models;
      } catch (error) {
        throw await toProviderError(error);
      }
    },
    countTokens: estimateTokens,
  };
}

// Thinking tokens are billed as output, so they count with the answer's own.
function toTokenUsage(usage: GenerateContentResponseUsageMetadata): TokenUsage {
  return {
    inputTokens: usage.promptTokenCount ?? 0,
    outputTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
  };
}

const googleErrorBody = z.object({
  error: z.object({
    message: z.string(),
    details: z.array(z.object({ reason: z.string().optional() })).optional(),
  }),
});

// ApiError's message is the API's JSON error body (after "got status: ..." for errors inside a stream).
function readErrorBody(error: ApiError): z.infer<typeof googleErrorBody>['error'] | undefined {
  try {
    const parsed = googleErrorBody.safeParse(JSON.parse(error.message.slice(error.message.indexOf('{'))));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

// providerError decides what the client sees; it gets the API's own message, not the SDK's raw JSON.
// ApiError comes from the SDK the call has already loaded.
async function toProviderError(error: unknown): Promise<unknown> {
  // Node's fetch reports an unreachable host this way; the SDK passes it on as is.
  if (error instanceof TypeError && error.message === 'fetch failed') return providerError('Gemini', undefined);
  const { ApiError } = await import('@google/genai');
  if (!(error instanceof ApiError)) return error;
  const body = readErrorBody(error);
  // Google answers a wrong key with 400 INVALID_ARGUMENT; the reason tells it apart from a bad request.
  if (body?.details?.some((detail) => detail.reason === 'API_KEY_INVALID')) return providerError('Gemini', 401);
  // 503 UNAVAILABLE is how Gemini says the model is overloaded: temporary and not this app's fault.
  if (error.status === 503) return new HttpError(503, 'Gemini is overloaded right now. Try again in a little while.');
  return providerError('Gemini', error.status, body?.message);
}
