import type { AIProvider } from '../../ai/ai-provider.js';
import { createOpenAICompatibleProvider } from '../../ai/openai-compatible.js';
import { HttpError, providerError } from '../../lib/errors.js';
import type { OpenRouterConfig, OpenRouterLimits } from './openrouter.schema.js';
import { keyInfoResponse } from './openrouter.schema.js';

const DEFAULT_MODEL = 'openai/gpt-5-mini';
const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

/** Chat and models over every model OpenRouter routes to, plus the key's credit limits. */
export interface OpenRouterService extends AIProvider {
  getLimits(signal?: AbortSignal): Promise<OpenRouterLimits>;
}

/** OpenRouter's OpenAI-compatible API through the OpenAI SDK; its key endpoint with fetch. */
export function createOpenRouterService(config: OpenRouterConfig): OpenRouterService {
  const apiKey = config.OPENROUTER_API_KEY;
  const baseURL = config.OPENROUTER_BASE_URL ?? DEFAULT_BASE_URL;
  const provider = createOpenAICompatibleProvider({
    id: 'openrouter',
    name: 'OpenRouter',
    // Concrete values only: an undefined option makes the SDK read OPENAI_* from process.env itself.
    clientOptions: { apiKey, baseURL, defaultHeaders: attributionHeaders(config), maxRetries: config.OPENROUTER_MAX_RETRIES },
    defaultModel: config.OPENROUTER_MODEL ?? DEFAULT_MODEL,
    maxTokensField: 'max_tokens',
  });

  return {
    ...provider,
    async getLimits(signal) {
      let response: Response;
      try {
        response = await fetch(`${baseURL}/key`, { headers: { Authorization: `Bearer ${apiKey}` }, signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw providerError('OpenRouter', undefined);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw providerError('OpenRouter', response.status);
      }
      const parsed = keyInfoResponse.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) throw new HttpError(502, 'OpenRouter answered GET /key with an unexpected body.');
      return parsed.data;
    },
  };
}

// Optional app attribution: OpenRouter shows the app on its rankings when these are sent.
function attributionHeaders(config: OpenRouterConfig): Record<string, string> {
  return {
    ...(config.OPENROUTER_SITE_URL && { 'HTTP-Referer': config.OPENROUTER_SITE_URL }),
    ...(config.OPENROUTER_APP_NAME && { 'X-Title': config.OPENROUTER_APP_NAME }),
  };
}
