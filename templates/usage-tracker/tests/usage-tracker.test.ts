import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { usageTrackerPlugin } from '../src/core/usage-tracker/index.js';
import type { Price } from '../src/core/usage-tracker/usage-tracker.prices.js';
import { estimateCost, prices } from '../src/core/usage-tracker/usage-tracker.prices.js';
import type { UsageSummary } from '../src/core/usage-tracker/usage-tracker.schema.js';
import type { Caller } from '../src/lib/access.js';
import { runAs } from '../src/lib/access.js';
import type { ServiceRegistry } from '../src/lib/services.js';
import { reportUsage } from '../src/lib/usage.js';
import type { TestDatabase } from './helpers/database.js';
import { callerHeaders, createTestDatabase, startPlugin, TEST_ADMIN } from './helpers/database.js';
import type { RunningServer } from './helpers/http.js';
import { startApp } from './helpers/http.js';

// PGlite takes a few seconds to start when test files run in parallel.
const STARTUP_TIMEOUT_MS = 60_000;

// The tests run on a fixed day (a fake Date, timers untouched): calls recorded just before
// midnight UTC and summed just after would otherwise land on another day than the one expected.
const now = new Date('2026-03-10T12:00:00Z');
const today = '2026-03-10';
const fortyDaysAgo = '2026-01-29';

function priceOf(provider: string, model: string): Price {
  const price = prices[provider]?.[model];
  if (!price) throw new Error(`No price for ${provider} ${model}`);
  return price;
}

function perToken(provider: string, model: string) {
  const price = priceOf(provider, model);
  if (price.per !== 'token') throw new Error(`${provider} ${model} is not priced per token`);
  return price;
}

function perUnit(provider: string, model: string): number {
  const price = priceOf(provider, model);
  if (price.per !== 'audioMinute' && price.per !== 'thousandCharacters') throw new Error(`${provider} ${model} has no unit price`);
  return price.usd;
}

/** A provider's totals with nothing consumed yet; tests override what they expect. */
function usage(provider: string, measures: Partial<UsageSummary['totals'][number]>) {
  return { provider, calls: 1, inputTokens: 0, outputTokens: 0, seconds: 0, characters: 0, costUsd: 0, unpricedCalls: 0, ...measures };
}

describe('usage-tracker', () => {
  let testDatabase: TestDatabase;
  let services: ServiceRegistry;
  let app: RunningServer;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    services = testDatabase.services();
    app = await startPlugin(usageTrackerPlugin, testDatabase.config, services);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await app.close();
    await testDatabase.close();
  });
  beforeEach(async () => {
    await testDatabase.truncate();
    vi.useFakeTimers({ toFake: ['Date'], now });
  }, STARTUP_TIMEOUT_MS);
  afterEach(() => {
    vi.useRealTimers();
  });

  async function getUsage(query = '', caller = TEST_ADMIN): Promise<UsageSummary> {
    const response = await fetch(`${app.url}/api/usage${query}`, { headers: callerHeaders(caller) });
    expect(response.status).toBe(200);
    return (await response.json()) as UsageSummary;
  }

  function reportAs(caller: Caller, inputTokens: number): void {
    runAs(caller, () => reportUsage(services, { provider: 'openai', model: 'gpt-5-mini', inputTokens, outputTokens: 0, latencyMs: 100 }));
  }

  it('sums reported calls by provider and day, each with its cost from the price table', async () => {
    reportUsage(services, {
      provider: 'openai',
      model: 'gpt-5-mini-2025-08-07',
      inputTokens: 1_000_000,
      outputTokens: 500_000,
      latencyMs: 900,
    });
    reportUsage(services, { provider: 'openai', model: 'gpt-5-mini', inputTokens: 2_000, outputTokens: 1_000, latencyMs: 300 });
    reportUsage(services, { provider: 'deepgram', model: 'nova-3', seconds: 90, latencyMs: 1_200 });
    reportUsage(services, { provider: 'elevenlabs', model: 'eleven_multilingual_v2', characters: 2_500, latencyMs: 400 });
    reportUsage(services, { provider: 'ollama', model: 'llama3.2', inputTokens: 50, outputTokens: 20, latencyMs: 2_000 });

    const summary = await getUsage();

    const gpt = perToken('openai', 'gpt-5-mini');
    expect(summary.totals).toEqual([
      usage('deepgram', { seconds: 90, costUsd: expect.closeTo(1.5 * perUnit('deepgram', 'nova-3'), 12), averageLatencyMs: 1_200 }),
      usage('elevenlabs', {
        characters: 2_500,
        costUsd: expect.closeTo(2.5 * perUnit('elevenlabs', 'eleven_multilingual_v2'), 12),
        averageLatencyMs: 400,
      }),
      usage('ollama', { inputTokens: 50, outputTokens: 20, costUsd: 0, averageLatencyMs: 2_000 }),
      usage('openai', {
        calls: 2,
        inputTokens: 1_002_000,
        outputTokens: 501_000,
        costUsd: expect.closeTo((1_002_000 * gpt.inputPerMillion + 501_000 * gpt.outputPerMillion) / 1_000_000, 12),
        averageLatencyMs: 600,
      }),
    ]);
    expect(summary.byDay).toEqual(summary.totals.map((total) => ({ day: today, ...total })));
    expect(summary.to).toBe(today);
  });

  it('counts a call to a model without a price with an unknown cost, not a zero one', async () => {
    reportUsage(services, { provider: 'openai', model: 'gpt-99-experimental', inputTokens: 100, outputTokens: 10, latencyMs: 100 });

    expect((await getUsage()).totals).toEqual([
      usage('openai', { inputTokens: 100, outputTokens: 10, costUsd: null, unpricedCalls: 1, averageLatencyMs: 100 }),
    ]);

    reportUsage(services, { provider: 'openai', model: 'gpt-5-mini', inputTokens: 1_000_000, outputTokens: 0, latencyMs: 100 });

    expect((await getUsage()).totals[0]).toMatchObject({
      calls: 2,
      costUsd: expect.closeTo(perToken('openai', 'gpt-5-mini').inputPerMillion, 12),
      unpricedCalls: 1,
    });
  });

  it('covers the last 30 days by default and filters by days and provider', async () => {
    await testDatabase.database.query(
      "INSERT INTO usage_events (occurred_at, provider, model, input_tokens, latency_ms, cost_usd) VALUES ($1, 'claude', 'claude-sonnet-4-5', 10, 50, 0.00003)",
      [`${fortyDaysAgo}T12:00:00Z`],
    );
    reportUsage(services, { provider: 'openai', model: 'gpt-5-mini', inputTokens: 10, outputTokens: 10, latencyMs: 50 });

    const recent = await getUsage();
    expect(recent.from).toBe('2026-02-09');
    expect(recent.totals.map((total) => total.provider)).toEqual(['openai']);

    const all = await getUsage(`?from=${fortyDaysAgo}&to=${today}`);
    expect(all.byDay.map((day) => [day.day, day.provider])).toEqual([
      [fortyDaysAgo, 'claude'],
      [today, 'openai'],
    ]);

    const claudeOnly = await getUsage(`?from=${fortyDaysAgo}&provider=claude`);
    expect(claudeOnly.totals).toEqual([usage('claude', { inputTokens: 10, costUsd: 0.00003, averageLatencyMs: 50 })]);
  });

  it("records who made each call: a user sees their own usage, an admin everyone's or one user's", async () => {
    const alice: Caller = { id: 'alice', role: 'user' };
    reportAs(alice, 100);
    reportAs(alice, 10);
    reportAs({ id: 'bob', role: 'user' }, 2_000);
    // A call on a public route has no caller: it counts only in everyone's totals.
    reportUsage(services, { provider: 'openai', model: 'gpt-5-mini', inputTokens: 30_000, outputTokens: 0, latencyMs: 100 });

    const alices = await getUsage('', alice);
    expect(alices.user).toBe('alice');
    expect(alices.totals).toEqual([expect.objectContaining({ provider: 'openai', calls: 2, inputTokens: 110 })]);
    expect((await getUsage('?user=alice', alice)).totals).toEqual(alices.totals);
    const refused = await fetch(`${app.url}/api/usage?user=bob`, { headers: callerHeaders(alice) });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { message: "Only an admin may see another user's usage." } });

    const everyone = await getUsage();
    expect(everyone.user).toBeNull();
    expect(everyone.totals).toEqual([expect.objectContaining({ calls: 4, inputTokens: 32_110 })]);
    const bobs = await getUsage('?user=bob');
    expect(bobs.user).toBe('bob');
    expect(bobs.totals).toEqual([expect.objectContaining({ calls: 1, inputTokens: 2_000 })]);
    expect(await getUsage('?user=carol')).toMatchObject({ user: 'carol', totals: [], byDay: [] });
  });

  it('answers 400 for dates that are not calendar days or out of order, and an invalid provider', async () => {
    const cases: [string, string[]][] = [
      ['?from=2026-02-30', ['from']],
      ['?to=yesterday', ['to']],
      ['?from=2026-01-01&to=2025-12-31', ['from']],
      ['?provider=Open%20AI', ['provider']],
    ];
    for (const [query, paths] of cases) {
      const response = await fetch(`${app.url}/api/usage${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { details: { path: string }[] } };
      expect(
        body.error.details.map((issue) => issue.path),
        query,
      ).toEqual(paths);
    }
  });

  it('never fails the reporting call: a write the database refuses costs one log line', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // Beyond the integer column: the insert fails inside the database.
      expect(() => reportUsage(services, { provider: 'openai', model: 'gpt-5-mini', inputTokens: 2 ** 40, latencyMs: 10 })).not.toThrow();

      expect((await getUsage()).totals).toEqual([]);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0]?.[0])).toMatch(/^Usage tracker: could not record a openai call: /);
    } finally {
      logged.mockRestore();
    }
  });

  it(
    'serves GET /api/usage in the app, with the database from the environment',
    async () => {
      const server = await startApp({ ...testDatabase.config }, { plugins: [usageTrackerPlugin] });
      try {
        const response = await fetch(`${server.url}/api/usage?from=${today}`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ from: today, to: today, user: null, totals: [], byDay: [] });
      } finally {
        await server.close();
      }
    },
    STARTUP_TIMEOUT_MS,
  );

  it('answers 503 naming DATABASE_URL when it is not a PostgreSQL URL', async () => {
    const server = await startApp({ DATABASE_URL: 'mysql://app@localhost/app' }, { plugins: [usageTrackerPlugin] });
    try {
      const response = await fetch(`${server.url}/api/usage`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('DATABASE_URL must be a postgres:// or postgresql:// connection string');
    } finally {
      await server.close();
    }
  });
});

describe('estimateCost', () => {
  it('prices dated snapshots of a model like the model', () => {
    const claude = perToken('claude', 'claude-sonnet-4-5');
    expect(
      estimateCost({
        provider: 'claude',
        model: 'claude-sonnet-4-5-20250929',
        inputTokens: 1_000_000,
        outputTokens: 1_000_000,
        latencyMs: 1,
      }),
    ).toBeCloseTo(claude.inputPerMillion + claude.outputPerMillion, 12);
  });

  it('does not take another model of the same family for a priced one', () => {
    expect(estimateCost({ provider: 'openai', model: 'gpt-5-mini-pro', inputTokens: 10, latencyMs: 1 })).toBeNull();
  });

  it('is unknown for an unknown provider, a missing model or a missing quantity', () => {
    expect(estimateCost({ provider: 'constructor', model: 'toString', inputTokens: 10, latencyMs: 1 })).toBeNull();
    expect(estimateCost({ provider: 'openai', inputTokens: 10, latencyMs: 1 })).toBeNull();
    expect(estimateCost({ provider: 'deepgram', model: 'nova-3', latencyMs: 1 })).toBeNull();
  });

  it('is zero for local models, whichever model', () => {
    expect(estimateCost({ provider: 'lmstudio', model: 'qwen/qwen3-4b', inputTokens: 10, outputTokens: 10, latencyMs: 1 })).toBe(0);
  });
});
