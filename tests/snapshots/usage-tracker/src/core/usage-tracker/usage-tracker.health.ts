import type { UsageTracker } from './usage-tracker.service.js';

/** Live check for `GET /health?probe=1`: one round trip to the database the usage is stored in. */
export function probeUsageTracker(tracker: UsageTracker): (signal: AbortSignal) => Promise<void> {
  return async () => {
    await tracker.ping();
  };
}
