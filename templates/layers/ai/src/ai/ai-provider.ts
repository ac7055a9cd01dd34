import type * as z from 'zod';
import { serviceKey } from '../lib/services.js';
import type { chatMessageSchema, chatRequestSchema } from './ai-schemas.js';

// Both are the types of what the chat routes validate, so a parsed body passes as a request.
// Interfaces would not take it in projects without strictNullChecks, where zod 3 types every parsed
// field as optional.

/** One message of a conversation, in the shape every provider accepts. */
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A conversation to continue, with optional generation settings; without `model` each provider uses its own default (set by env). */
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Tokens billed for one call, as the provider reported them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A complete answer. `model` is the one the provider actually used. */
export interface ChatResult {
  provider: string;
  model: string;
  text: string;
  usage?: TokenUsage;
}

/** A piece of a streamed answer; the last one carries the usage when the provider reports it. */
export interface ChatChunk {
  text: string;
  usage?: TokenUsage;
}

/** One vector per input, in input order. */
export interface EmbedResult {
  provider: string;
  model: string;
  embeddings: number[][];
  usage?: TokenUsage;
}

/** A model the provider offers to this key. */
export interface ModelInfo {
  id: string;
  ownedBy?: string;
}

/** What the app can know about a provider without calling it. */
export interface ProviderInfo {
  id: string;
  name: string;
  defaultModel: string;
  supportsEmbeddings: boolean;
}

/**
 * What every AI plugin implements, so application code can switch providers (or fall back
 * from one to another) without changes. `signal` aborts the upstream request.
 */
export interface AIProvider {
  getInfo(): ProviderInfo;
  chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult>;
  /** A refused request (bad key, rate limit) fails on the first `next()`, so routes can still answer with its status. */
  chatStream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatChunk>;
  complete(prompt: string, options?: Omit<ChatRequest, 'messages'>, signal?: AbortSignal): Promise<ChatResult>;
  /** Absent when the provider has no embeddings API. */
  embed?(input: string[], model?: string, signal?: AbortSignal): Promise<EmbedResult>;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** A rough estimate (about four characters per token), for budgeting before a call. */
  countTokens(text: string): number;
}

/** The estimate behind `countTokens`: about four characters per token for English text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Every configured AI plugin provides itself under this key; POST /api/ai/chat picks from them. */
export const aiProviders = serviceKey<AIProvider>('ai-provider');
