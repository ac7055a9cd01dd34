import * as z from 'zod';
import { maxRetriesSetting } from '../../env.js';

/** The plugin's environment variables; only the key is required. */
export const openrouterEnv = z.object({
  OPENROUTER_API_KEY: z.string().min(1),
  // Its default lives in createOpenRouterService, next to the calls that use it.
  OPENROUTER_MODEL: z.string().optional(),
  OPENROUTER_SITE_URL: z.string().url('must be a URL such as https://example.com').optional(),
  OPENROUTER_APP_NAME: z.string().optional(),
  OPENROUTER_BASE_URL: z.string().url('must be a URL such as https://openrouter.ai/api/v1').optional(),
  OPENROUTER_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the OpenRouter plugin. */
export type OpenRouterConfig = z.infer<typeof openrouterEnv>;

/** OpenRouter's `GET /key` answer, turned into what `GET /limits` returns. Amounts are in US dollars of credit. */
export const keyInfoResponse = z
  .object({
    data: z.object({
      label: z.string(),
      limit: z.number().nullable(),
      limit_remaining: z.number().nullable(),
      limit_reset: z.string().nullable(),
      usage: z.number(),
      usage_daily: z.number(),
      usage_monthly: z.number(),
      is_free_tier: z.boolean(),
    }),
  })
  .transform(({ data }) => ({
    label: data.label,
    /** Credit limit of the key; null when it has none. */
    limit: data.limit,
    limitRemaining: data.limit_remaining,
    /** When the limit starts over ('daily', 'weekly', 'monthly'); null when it never does. */
    limitReset: data.limit_reset,
    usage: data.usage,
    usageDaily: data.usage_daily,
    usageMonthly: data.usage_monthly,
    isFreeTier: data.is_free_tier,
  }));

/** Body of `GET /limits`: the key's credit limit and what it has used (UTC days and months). */
export type OpenRouterLimits = z.infer<typeof keyInfoResponse>;

/** Body of `POST /chat`, the chat route every AI plugin shares. */
export { chatBodySchema } from '../../ai/ai-schemas.js';
