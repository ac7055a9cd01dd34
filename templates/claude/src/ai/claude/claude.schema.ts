import * as z from 'zod';
import { chatRequestSchema } from '../../ai/ai-schemas.js';
import { maxRetriesSetting } from '../../env.js';

/** The plugin's environment variables; only the key is required. */
export const claudeEnv = z.object({
  ANTHROPIC_API_KEY: z.string().min(1),
  // Its default lives in createClaudeService, next to the calls that use it.
  ANTHROPIC_MODEL: z.string().optional(),
  ANTHROPIC_BASE_URL: z.string().url('must be a URL such as https://api.anthropic.com').optional(),
  ANTHROPIC_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the Claude plugin. */
export type ClaudeConfig = z.infer<typeof claudeEnv>;

/**
 * Body of `POST /messages` and `POST /stream`. The Messages API has no temperature since
 * API version 2026-10-21, so the field is not offered; `system` is the system prompt.
 */
export const messagesBody = chatRequestSchema.omit({ temperature: true }).extend({
  system: z.string().min(1).optional(),
  stream: z.boolean().optional(),
});

/** A validated `POST /messages` body. */
export type MessagesBody = z.infer<typeof messagesBody>;
