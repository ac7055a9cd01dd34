import { describeError, HttpError } from './errors.js';

// How long a client turned away while Redis is out of reach should wait before it asks again.
const RETRY_AFTER_SECONDS = 5;

/**
 * Redis as the app's instances share it: rate-limit counters, live-stream slots, used OAuth
 * nonces, handled webhook events. Durable records (usage, keys) stay in the database.
 */
export interface SharedRedis {
  /** Runs one command, e.g. `['SET', key, '1', 'NX']`; a 503 at once, rather than a wait, while Redis is out of reach. */
  command(args: string[]): Promise<unknown>;
  /** Read as it is, for /health: `failed` while the connection is down (it keeps reconnecting). */
  state(): 'opening' | 'ready' | 'failed';
}

// One connection per URL for the whole process: apps built twice in one process (tests build many) share it.
const connections = new Map<string, SharedRedis>();

/**
 * The Redis at `url` (REDIS_URL), or undefined without one: then each process keeps that state in its own
 * memory, which is right for one instance and wrong for several behind a load balancer. The first
 * call starts connecting in the background; nothing waits for it, and the client library is only
 * imported then, so an app without REDIS_URL never loads it.
 */
export function sharedRedis(url: string | undefined): SharedRedis | undefined {
  if (!url?.trim()) return undefined;
  let redis = connections.get(url);
  if (!redis) {
    redis = connectInBackground(url);
    connections.set(url, redis);
  }
  return redis;
}

function connectInBackground(url: string): SharedRedis {
  const location = describeLocation(url);
  let state: 'opening' | 'ready' | 'failed' = 'opening';
  const fail = (error: unknown) => {
    // One line per outage, not one per reconnection attempt.
    if (state !== 'failed') console.error(`Redis: ${location} is out of reach: ${describeError(error)}`);
    state = 'failed';
  };
  const connecting = import('@redis/client').then(({ createClient }) => {
    const client = createClient({
      url,
      // Commands fail at once while the connection is down: requests get a 503 (or pass, for the
      // limits that fail open) instead of hanging until Redis is back.
      disableOfflineQueue: true,
      // Keeps reconnecting, at most every 5 seconds, for as long as the app runs.
      socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
    });
    client.on('error', fail);
    client.on('ready', () => {
      if (state === 'failed') console.info(`Redis: ${location} is back.`);
      state = 'ready';
    });
    // Failures arrive through 'error' above; the client goes on reconnecting by itself.
    client.connect().catch(fail);
    return client;
  });
  connecting.catch(fail);

  return {
    state: () => state,
    async command(args) {
      const client = await connecting;
      if (!client.isReady) {
        throw new HttpError(503, `Shared state (Redis) is out of reach. Try again in ${RETRY_AFTER_SECONDS} seconds.`, undefined, {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        });
      }
      return client.sendCommand(args);
    },
  };
}

// For log lines: where Redis is, without the password of the URL.
function describeLocation(url: string): string {
  try {
    const { protocol, host, pathname } = new URL(url);
    return `${protocol}//${host}${pathname}`;
  } catch {
    return 'the server of REDIS_URL';
  }
}
