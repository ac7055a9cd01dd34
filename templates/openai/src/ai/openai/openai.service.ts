import type { AIProvider } from '../../ai/ai-provider.js';
import { createOpenAICompatibleProvider } from '../../ai/openai-compatible.js';
import type { StoredKey } from '../../lib/api-keys.js';
import type { OpenAIConfig } from './openai.schema.js';

const DEFAULT_MODEL = 'gpt-5-mini';
const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** OpenAI has every optional capability of `AIProvider`, embeddings included. */
export type OpenAIService = Required<AIProvider>;

/**
 * The official SDK behind `AIProvider`; API and connection errors come out as `HttpError`s.
 * `storedKey` supplies a key kept by api-key-manager, which wins over OPENAI_API_KEY when present.
 */
export function createOpenAIService(config: OpenAIConfig, storedKey?: () => Promise<StoredKey | undefined>): OpenAIService {
  return createOpenAICompatibleProvider({
    id: 'openai',
    name: 'OpenAI',
    // Concrete values only: an undefined option makes the SDK read OPENAI_* from process.env itself.
    clientOptions: {
      apiKey: config.OPENAI_API_KEY,
      organization: config.OPENAI_ORG_ID ?? null,
      baseURL: config.OPENAI_BASE_URL ?? DEFAULT_BASE_URL,
      maxRetries: config.OPENAI_MAX_RETRIES,
    },
    defaultModel: config.OPENAI_MODEL ?? DEFAULT_MODEL,
    defaultEmbeddingModel: config.OPENAI_EMBEDDING_MODEL ?? DEFAULT_EMBEDDING_MODEL,
    maxTokensField: 'max_completion_tokens',
    storedKey,
  });
}
