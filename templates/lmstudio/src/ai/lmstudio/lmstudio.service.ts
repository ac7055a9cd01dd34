import type { AIProvider, ChatRequest } from '../../ai/ai-provider.js';
import { createOpenAICompatibleProvider } from '../../ai/openai-compatible.js';
import { HttpError } from '../../lib/errors.js';
import type { LMStudioConfig } from './lmstudio.schema.js';

const DEFAULT_ENDPOINT = 'http://localhost:1234';
/** What `getInfo()` shows as the default model until the first call has asked LM Studio. */
const FIRST_LOADED_MODEL = 'the first model loaded in LM Studio';

/** LM Studio chats and lists models; embeddings need a separate embedding model loaded, so they are left out. */
export type LMStudioService = AIProvider;

/** LM Studio's OpenAI-compatible server through the OpenAI SDK. */
export function createLMStudioService(config: LMStudioConfig): LMStudioService {
  // Accept the address with or without /v1, as LM Studio's own screen shows either.
  const endpoint = (config.LMSTUDIO_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, '').replace(/\/v1$/, '');
  const provider = createOpenAICompatibleProvider({
    id: 'lmstudio',
    name: 'LM Studio',
    clientOptions: {
      // LM Studio ignores the key, but the SDK refuses to start without one (and would read OPENAI_API_KEY).
      apiKey: 'lm-studio',
      baseURL: `${endpoint}/v1`,
      // A refused connection means the server is not running: retrying only delays the answer.
      maxRetries: 0,
    },
    defaultModel: config.LMSTUDIO_MODEL ?? FIRST_LOADED_MODEL,
    maxTokensField: 'max_tokens',
    unreachableMessage: `LM Studio is not reachable at ${endpoint}. Start its local server (Developer tab, or \`lms server start\`).`,
  });
  return config.LMSTUDIO_MODEL ? provider : withFirstLoadedModel(provider);
}

/** Gives requests that name no model the first model LM Studio lists, looked up once and remembered. */
function withFirstLoadedModel(provider: AIProvider): AIProvider {
  let loadedModel: string | undefined;

  async function withModel(request: ChatRequest, signal?: AbortSignal): Promise<ChatRequest> {
    if (request.model) return request;
    if (!loadedModel) {
      const [first] = await provider.listModels(signal);
      if (!first)
        throw new HttpError(503, 'LM Studio has no model loaded. Load one in LM Studio (or `lms load <model>`), or set LMSTUDIO_MODEL.');
      loadedModel = first.id;
    }
    return { ...request, model: loadedModel };
  }

  // A failure may mean the remembered model was unloaded: look it up again next time.
  function forgetLoadedModel(error: unknown): never {
    loadedModel = undefined;
    throw error;
  }

  const service: AIProvider = {
    ...provider,
    getInfo: () => ({ ...provider.getInfo(), defaultModel: loadedModel ?? FIRST_LOADED_MODEL }),
    async chat(request, signal) {
      return provider.chat(await withModel(request, signal), signal).catch(forgetLoadedModel);
    },
    async *chatStream(request, signal) {
      try {
        yield* provider.chatStream(await withModel(request, signal), signal);
      } catch (error) {
        forgetLoadedModel(error);
      }
    },
    complete: (prompt, options, signal) => service.chat({ ...options, messages: [{ role: 'user', content: prompt }] }, signal),
  };
  return service;
}
