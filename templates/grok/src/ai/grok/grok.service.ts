import type { AIProvider } from '../../ai/ai-provider.js';
import { createOpenAICompatibleProvider } from '../../ai/openai-compatible.js';
import type { StoredKey } from '../../lib/api-keys.js';
import type { GrokConfig } from './grok.schema.js';

const DEFAULT_MODEL = 'grok-4';
const DEFAULT_BASE_URL = 'https://api.x.ai/v1';

/** Grok chats and lists models; xAI has no embeddings API. */
export type GrokService = AIProvider;

/**
 * xAI's OpenAI-compatible API through the official OpenAI SDK, as xAI recommends. `storedKey`
 * supplies a key kept by api-key-manager, which wins over XAI_API_KEY when present.
 */
export function createGrokService(config: GrokConfig, storedKey?: () => Promise<StoredKey | undefined>): GrokService {
  return createOpenAICompatibleProvider({
    id: 'grok',
    name: 'Grok',
    // Concrete values only: an undefined option makes the SDK read OPENAI_* from process.env itself.
    clientOptions: { apiKey: config.XAI_API_KEY, baseURL: config.XAI_BASE_URL ?? DEFAULT_BASE_URL, maxRetries: config.XAI_MAX_RETRIES },
    defaultModel: config.XAI_MODEL ?? DEFAULT_MODEL,
    maxTokensField: 'max_completion_tokens',
    storedKey,
  });
}
