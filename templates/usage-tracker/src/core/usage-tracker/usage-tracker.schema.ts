import * as z from 'zod';
import { databaseEnv } from '../../database/database.js';

/** Nothing of its own to set: only where the shared database lives (DATABASE_URL, PGLITE_DATA_DIR). */
export const usageTrackerEnv = databaseEnv;

export type UsageTrackerConfig = z.infer<typeof usageTrackerEnv>;

const calendarDay = z.string().refine(isCalendarDay, 'must be a date as YYYY-MM-DD');

/** Query of `GET /api/usage`; days are UTC and both ends are included. `user` (a caller id) is for admins. */
export const usageQuery = z.object({
  from: calendarDay.optional(),
  to: calendarDay.optional(),
  provider: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a plugin id such as openai')
    .optional(),
  user: z.string().min(1).max(200).optional(),
});

export type UsageQuery = z.infer<typeof usageQuery>;

/** The days, provider and caller a summary covers, defaults filled in. */
export interface UsageRange {
  from: string;
  to: string;
  provider?: string;
  /** Whose calls: a caller's id (a token's subject), or null for everyone's, calls on public routes included. */
  user: string | null;
}

/** What calls consumed, summed over a period. */
export interface UsageMeasures {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Audio seconds transcribed. */
  seconds: number;
  /** Characters synthesized. */
  characters: number;
  /** Estimated cost of the calls whose model has a price; null when none has. */
  costUsd: number | null;
  /** Calls left out of `costUsd` because their model is not in the price table. */
  unpricedCalls: number;
  averageLatencyMs: number;
}

export interface ProviderUsage extends UsageMeasures {
  provider: string;
}

export interface DailyUsage extends ProviderUsage {
  /** YYYY-MM-DD, UTC. */
  day: string;
}

/** Body of `GET /api/usage`. */
export interface UsageSummary extends UsageRange {
  totals: ProviderUsage[];
  byDay: DailyUsage[];
}

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  // Date rolls 2026-02-30 over to March 2; only a real day survives the round trip.
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
