import * as z from 'zod';

/** The plugin's environment variables; none is required, so the plugin is always configured. */
export const lmstudioEnv = z.object({
  // Their defaults live in createLMStudioService, next to the calls that use them.
  LMSTUDIO_ENDPOINT: z.string().url('must be a URL such as http://localhost:1234').optional(),
  LMSTUDIO_MODEL: z.string().optional(),
});

/** Validated settings of the LM Studio plugin. */
export type LMStudioConfig = z.infer<typeof lmstudioEnv>;

/** Body of `POST /chat`, the chat route every AI plugin shares. */
export { chatBodySchema } from '../../ai/ai-schemas.js';
