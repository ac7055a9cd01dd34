import { randomUUID } from 'node:crypto';
import type { SharedRedis } from '../../lib/redis.js';

// A slot in Redis is a lease: its holder renews it while the stream lasts, and an instance that
// dies without giving its slots back loses them when they expire.
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 20_000;
const KEY = 'deepgram:live-streams';

/** How many live streams may run at once: in this process, or across every instance with Redis. */
export interface StreamSlots {
  /** Takes a slot; undefined when all are taken. Call the returned function when the stream ends. */
  take(): Promise<(() => void) | undefined>;
}

/** Slots counted in this process only: one instance, or no REDIS_URL. */
export function createMemoryStreamSlots(max: number): StreamSlots {
  let taken = 0;
  return {
    async take() {
      if (taken >= max) return undefined;
      taken += 1;
      let released = false;
      return () => {
        if (!released) taken -= 1;
        released = true;
      };
    },
  };
}

/**
 * Slots shared by every instance: a sorted set of stream ids scored by when their lease ends. A
 * stream adds itself, then counts the set; above `max` it takes itself out again. Two instances
 * racing for the last slot may both be refused, never both admitted. While Redis is out of reach,
 * `take` fails with its 503: live transcription spends the Deepgram account, so it stays closed.
 */
export function createRedisStreamSlots(redis: SharedRedis, max: number): StreamSlots {
  return {
    async take() {
      const id = randomUUID();
      const now = Date.now();
      await redis.command(['ZREMRANGEBYSCORE', KEY, '-inf', String(now)]);
      await redis.command(['ZADD', KEY, String(now + LEASE_MS), id]);
      if (Number(await redis.command(['ZCARD', KEY])) > max) {
        await redis.command(['ZREM', KEY, id]);
        return undefined;
      }
      // The whole set expires too, should every instance stop at once.
      await redis.command(['PEXPIRE', KEY, String(LEASE_MS)]);
      const renew = setInterval(() => {
        const until = Date.now() + LEASE_MS;
        redis
          .command(['ZADD', KEY, String(until), id])
          .then(() => redis.command(['PEXPIRE', KEY, String(LEASE_MS)]))
          .catch(() => undefined);
      }, RENEW_EVERY_MS);
      renew.unref();
      return () => {
        clearInterval(renew);
        // Out of reach now, the lease ends by itself within a minute.
        redis.command(['ZREM', KEY, id]).catch(() => undefined);
      };
    },
  };
}
