import type { ClientRateLimitInfo, IncrementResponse, Logger, Options, Store } from 'express-rate-limit';
import type { RedisReply, RedisStore } from 'rate-limit-redis';
import { describeError, HttpError } from './errors.js';
import type { SharedRedis } from './redis.js';

const RETRY_AFTER_SECONDS = 5;

/**
 * Where a rate limit counts: in Redis when there is one, so that every instance behind a load
 * balancer counts against the same limit; else in this process (express-rate-limit's memory
 * store, the `undefined` here). `prefix` keeps each limit's counters apart.
 */
export function rateLimitStore(redis: SharedRedis | undefined, prefix: string): Store | undefined {
  return redis && new SharedRateLimitStore(redis, `rate-limit:${prefix}:`);
}

/**
 * express-rate-limit's logger, less the line it writes for each request that a limit failing open
 * lets through while Redis is out of reach: lib/redis.ts logs the outage once, and the store below
 * logs any other failure.
 */
export const rateLimitLogger: Logger = {
  warn: (error, message) => console.warn(...(message ? [message, error] : [error])),
  error: (error, message) => {
    if (!(error instanceof HttpError)) console.error(...(message ? [message, error] : [error]));
  },
};

/**
 * rate-limit-redis over the app's Redis connection, imported with the first request that counts.
 * A failure is a 503 that the limit's fail-open setting lets through or not. The store is built
 * again after one: rate-limit-redis loads its scripts in `init`, and a store whose scripts failed
 * to load stays broken, so one made while Redis was down would never recover.
 */
class SharedRateLimitStore implements Store {
  readonly localKeys = false;
  private options: Options | undefined;
  private loading: Promise<RedisStore> | undefined;

  constructor(
    private readonly redis: SharedRedis,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.options = options;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.run((store) => store.get(key));
  }

  async increment(key: string): Promise<IncrementResponse> {
    return this.run((store) => store.increment(key));
  }

  async decrement(key: string): Promise<void> {
    await this.run((store) => store.decrement(key));
  }

  async resetKey(key: string): Promise<void> {
    await this.run((store) => store.resetKey(key));
  }

  private async run<T>(operation: (store: RedisStore) => Promise<T>): Promise<T> {
    try {
      return await operation(await this.store());
    } catch (error) {
      // Redis out of reach is logged once per outage (lib/redis.ts); anything else is worth a line each time.
      if (!(error instanceof HttpError)) console.error(`Rate limit: could not count in Redis: ${describeError(error)}`);
      throw new HttpError(
        503,
        `Rate limits cannot be counted while shared state (Redis) is out of reach. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
        undefined,
        {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        },
      );
    }
  }

  private store(): Promise<RedisStore> {
    if (!this.loading) {
      this.loading = this.load();
      this.loading.catch(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async load(): Promise<RedisStore> {
    const { RedisStore } = await import('rate-limit-redis');
    const store = new RedisStore({
      prefix: this.prefix,
      sendCommand: (...args: string[]) => this.redis.command(args) as Promise<RedisReply>,
    });
    if (this.options) await store.init(this.options);
    return store;
  }
}
