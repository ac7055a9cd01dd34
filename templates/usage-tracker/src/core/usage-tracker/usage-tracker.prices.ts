import type { UsageEvent } from '../../lib/usage.js';

/** How a model is billed, in US dollars. */
export type Price =
  | { per: 'token'; inputPerMillion: number; outputPerMillion: number }
  | { per: 'audioMinute'; usd: number }
  | { per: 'thousandCharacters'; usd: number }
  | { per: 'nothing' };

function tokens(inputPerMillion: number, outputPerMillion: number): Price {
  return { per: 'token', inputPerMillion, outputPerMillion };
}

/**
 * The one price table: provider id → model id → price; `'*'` stands for every model of the
 * provider. Costs are estimates at list price (standard tier, no batch, cache or volume discounts),
 * stored with each call when it is recorded, so later price changes do not rewrite history.
 * Add the models you use; calls to a model missing here are counted with an unknown (null) cost.
 *
 * Prices as published on 2026-11-22; the pages to check them against:
 * openai.com/api/pricing, docs.anthropic.com/en/docs/about-claude/pricing,
 * ai.google.dev/gemini-api/docs/pricing, docs.x.ai/docs/models (grok-4 is the July 2025 grok-4-0709),
 * openrouter.ai/models (OpenRouter charges the provider's price), deepgram.com/pricing
 * (pre-recorded, pay as you go; streaming costs more), elevenlabs.io/pricing/api.
 */
export const prices: Record<string, Record<string, Price>> = {
  openai: { 'gpt-5-mini': tokens(0.25, 2), 'text-embedding-3-small': tokens(0.02, 0) },
  claude: { 'claude-sonnet-4-5': tokens(3, 15) },
  gemini: { 'gemini-2.5-flash': tokens(0.3, 2.5) },
  grok: { 'grok-4': tokens(3, 15), 'grok-4-0709': tokens(3, 15) },
  openrouter: { 'openai/gpt-5-mini': tokens(0.25, 2) },
  // Models running on your own machine cost nothing per call.
  lmstudio: { '*': { per: 'nothing' } },
  ollama: { '*': { per: 'nothing' } },
  deepgram: { 'nova-3': { per: 'audioMinute', usd: 0.0043 } },
  elevenlabs: {
    eleven_multilingual_v2: { per: 'thousandCharacters', usd: 0.1 },
    eleven_flash_v2_5: { per: 'thousandCharacters', usd: 0.05 },
  },
};

// Providers answer with a dated snapshot of the model asked for (gpt-5-mini-2025-08-07,
// claude-sonnet-4-5-20250929), billed like the model itself.
const SNAPSHOT_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/** The estimated cost of one call in USD; null when the model has no price or the call lacks the quantity it is billed by. */
export function estimateCost(event: UsageEvent): number | null {
  const price = findPrice(event.provider, event.model);
  if (!price) return null;
  switch (price.per) {
    case 'nothing':
      return 0;
    case 'token':
      if (event.inputTokens === undefined && event.outputTokens === undefined) return null;
      return ((event.inputTokens ?? 0) * price.inputPerMillion + (event.outputTokens ?? 0) * price.outputPerMillion) / 1_000_000;
    case 'audioMinute':
      return event.seconds === undefined ? null : (event.seconds / 60) * price.usd;
    case 'thousandCharacters':
      return event.characters === undefined ? null : (event.characters / 1_000) * price.usd;
  }
}

function findPrice(provider: string, model: string | undefined): Price | undefined {
  const models = own(prices, provider);
  if (!models) return undefined;
  const anyModel = own(models, '*');
  if (anyModel || model === undefined) return anyModel;
  return (
    own(models, model) ?? Object.entries(models).find(([id]) => model.startsWith(id) && SNAPSHOT_SUFFIX.test(model.slice(id.length)))?.[1]
  );
}

// Ids come from plugins and providers: an id like `constructor` must not find Object.prototype's.
function own<T>(record: Record<string, T>, key: string): T | undefined {
  // biome-ignore lint/suspicious/noPrototypeBuiltins: Object.hasOwn needs the ES2022 lib, which apps this plugin is added to may not have.
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
