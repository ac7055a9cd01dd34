import * as z from 'zod';
import { maxRetriesSetting } from '../../env.js';

/** The plugin's environment variables; only the key is required. */
export const grokEnv = z.object({
  XAI_API_KEY: z.string().min(1),
  // Their defaults live in createGrokService, next to the calls that use them.
  XAI_MODEL: z.string().optional(),
  XAI_BASE_URL: z.string().url('must be a URL such as https://api.x.ai/v1').optional(),
  XAI_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the Grok plugin. */
export type GrokConfig = z.infer<typeof grokEnv>;

/** Body of `POST /chat`, the chat route every AI plugin shares. */
export { chatBodySchema } from '../../ai/ai-schemas.js';
