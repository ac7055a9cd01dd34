import * as z from 'zod';
import { chatOptionsSchema, embeddingsBodySchema } from '../../ai/ai-schemas.js';
import { maxRetriesSetting } from '../../env.js';

/** The plugin's environment variables; only the key is required. */
export const openaiEnv = z.object({
  OPENAI_API_KEY: z.string().min(1),
  OPENAI_ORG_ID: z.string().optional(),
  // Their defaults live in createOpenAIService, next to the calls that use them.
  OPENAI_MODEL: z.string().optional(),
  OPENAI_EMBEDDING_MODEL: z.string().optional(),
  OPENAI_BASE_URL: z.string().url('must be a URL such as https://api.openai.com/v1').optional(),
  OPENAI_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the OpenAI plugin. */
export type OpenAIConfig = z.infer<typeof openaiEnv>;

/** Body of `POST /completions`. */
export const completionBody = chatOptionsSchema.extend({
  prompt: z.string().min(1),
});

/** Body of `POST /embeddings`: one text or a batch (the API takes at most 2048 per call). */
export const embeddingsBody = embeddingsBodySchema(2048);

/** Body of `POST /chat`, the chat route every AI plugin shares. */
export { chatBodySchema } from '../../ai/ai-schemas.js';
