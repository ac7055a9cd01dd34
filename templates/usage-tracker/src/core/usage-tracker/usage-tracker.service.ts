import type { Database } from '../../database/database.js';
import type { UsageEvent, UsageRecorder } from '../../lib/usage.js';
import { estimateCost } from './usage-tracker.prices.js';
import type { DailyUsage, ProviderUsage, UsageRange } from './usage-tracker.schema.js';

/** Records provider calls and sums them up. */
export interface UsageTracker extends UsageRecorder {
  /** Totals by provider, and by day and provider, over the range (one caller's, or everyone's). Calls recorded just before are included. */
  summarize(range: UsageRange): Promise<{ totals: ProviderUsage[]; byDay: DailyUsage[] }>;
  /** One round trip to the database, for the health probe. */
  ping(): Promise<void>;
}

const INSERT_EVENT = `
  INSERT INTO usage_events (occurred_at, provider, model, input_tokens, output_tokens, seconds, characters, latency_ms, cost_usd, caller_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

// Casts to int and float8 because both drivers return those as numbers (bigint and numeric come back as strings).
const MEASURES = `
  count(*)::int AS calls,
  sum(input_tokens)::float8 AS "inputTokens",
  sum(output_tokens)::float8 AS "outputTokens",
  sum(seconds)::float8 AS seconds,
  sum(characters)::float8 AS characters,
  sum(cost_usd)::float8 AS "costUsd",
  (count(*) FILTER (WHERE cost_usd IS NULL))::int AS "unpricedCalls",
  round(avg(latency_ms))::int AS "averageLatencyMs"`;

const IN_RANGE = `occurred_at >= $1 AND occurred_at < $2 AND ($3::text IS NULL OR provider = $3) AND ($4::text IS NULL OR caller_id = $4)`;

const TOTALS = `SELECT provider, ${MEASURES} FROM usage_events WHERE ${IN_RANGE} GROUP BY provider ORDER BY provider`;

const BY_DAY = `
  SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, provider, ${MEASURES}
  FROM usage_events WHERE ${IN_RANGE} GROUP BY day, provider ORDER BY day, provider`;

/**
 * Stores every call reported through `reportUsage` with its estimated cost. Recording never makes
 * a request wait or fail: the insert runs in the background and a failure costs one log line.
 */
export function createUsageTracker(database: Database): UsageTracker {
  const writesInFlight = new Set<Promise<void>>();

  function record(event: UsageEvent): void {
    const write = database
      .query(INSERT_EVENT, [
        new Date().toISOString(),
        event.provider,
        event.model ?? null,
        event.inputTokens ?? 0,
        event.outputTokens ?? 0,
        event.seconds ?? 0,
        event.characters ?? 0,
        Math.round(event.latencyMs),
        estimateCost(event),
        event.callerId ?? null,
      ])
      .then(
        () => undefined,
        (error: unknown) => console.error(`Usage tracker: could not record a ${event.provider} call: ${describe(error)}`),
      )
      .finally(() => writesInFlight.delete(write));
    writesInFlight.add(write);
  }

  async function summarize({ from, to, provider, user }: UsageRange) {
    await Promise.all(writesInFlight);
    const params = [`${from}T00:00:00Z`, `${nextDay(to)}T00:00:00Z`, provider ?? null, user];
    const [totals, byDay] = await Promise.all([database.query<ProviderUsage>(TOTALS, params), database.query<DailyUsage>(BY_DAY, params)]);
    return { totals, byDay };
  }

  return {
    record,
    summarize,
    async ping() {
      await database.query('SELECT 1');
    },
  };
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
