import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProject, projectEnv, projectNode, runOrThrow } from '../helpers/generated-project.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import type { RedisServer } from '../setup/redis.js';
import { startRedisServer } from '../setup/redis.js';

// Two instances of one generated project behind no load balancer but this test, sharing one Redis
// (tests/setup/redis.ts) and one PostgreSQL (tests/setup/postgres.ts): what one instance counts,
// the other sees. The project holds the plugins with state to share: a paid route's rate limit
// (openai), a live-stream cap (deepgram), webhook events handled once (stripe, in the database),
// and the usage tracker, which opens the database at start-up.
const redisUrl = inject('redisUrl');
const databaseUrl = inject('databaseUrl');

const API_TOKEN = 'several-instances-token-0123456789abcdef';
const DEEPGRAM_KEY = 'dg-test-0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_several_instances';
const PER_MINUTE = 4;
const STREAM_KEY = 'deepgram:live-streams';

interface Health {
  status: string;
  sharedState: string;
  resources: Record<string, string>;
}

interface StreamClient {
  socket: { close(): void };
  messages: unknown[];
  closed: Promise<number>;
}

/** What this test uses of a `ws` client. */
interface WsClient {
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number) => void): void;
  once(event: 'open', listener: () => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}
type WsClientClass = new (url: string, options: { headers: Record<string, string> }) => WsClient;

interface DeepgramMock {
  url: string;
  streamsOpened(count: number): Promise<unknown[]>;
  close(): Promise<void>;
}

describe.skipIf(!redisUrl || !databaseUrl)('two instances sharing one Redis and one PostgreSQL', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cpa-instances-'));
  let project: string;
  let deepgram: DeepgramMock;
  const servers: ServerProcess[] = [];
  let first: string;
  let second: string;

  beforeAll(async () => {
    project = createProject(root, 'instances', ['openai', 'deepgram', 'stripe', 'usage-tracker']);
    runOrThrow('npm', ['run', 'build'], project);
    // The project's own stand-in for Deepgram, run here: it takes its `ws` from the project.
    const { startDeepgramMock } = (await import(path.join(project, 'tests/mocks/deepgram.mock.ts'))) as {
      startDeepgramMock(key: string): Promise<DeepgramMock>;
    };
    deepgram = await startDeepgramMock(DEEPGRAM_KEY);
    // Counters left by an earlier run against the same TEST_REDIS_URL would skew the limits.
    redisCli(redisUrl, 'FLUSHALL');
    [first, second] = await Promise.all([start(redisUrl), start(redisUrl)]);
    await Promise.all([untilRedisIsNot('opening', first), untilRedisIsNot('opening', second)]);
  }, 600_000);

  afterAll(async () => {
    for (const server of servers) server.stop();
    await deepgram?.close();
    rmSync(root, { recursive: true, force: true });
  });

  // The project's `ws` client: it can send the Authorization header, which a browser's WebSocket cannot.
  function openStream(url: string): Promise<StreamClient> {
    const WebSocket = createRequire(path.join(project, 'package.json'))('ws') as WsClientClass;
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/voice/deepgram/stream`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve({ socket, messages, closed }));
      socket.once('error', reject);
    });
  }

  /** Starts `node dist/server.js` on a free port with Redis at `redis` and `settings`; resolves with its URL once it answers. */
  async function start(redis: string, settings: Record<string, string> = {}): Promise<string> {
    const env = {
      ...projectEnv,
      ...settings,
      API_TOKEN,
      REDIS_URL: redis,
      DATABASE_URL: databaseUrl,
      RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      // Nothing listens there: the paid route answers 503, after its limit has counted the call.
      OPENAI_API_KEY: 'sk-test-0123456789abcdef',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_MAX_RETRIES: '0',
      DEEPGRAM_API_KEY: DEEPGRAM_KEY,
      DEEPGRAM_BASE_URL: deepgram.url,
      DEEPGRAM_MAX_STREAMS: '1',
      STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_0123456789abcdef',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: 'http://127.0.0.1:9',
    };
    const server = await startServerProcess(projectNode, ['dist/server.js'], { cwd: project, env });
    servers.push(server);
    return server.url;
  }

  it('both report Redis as where shared state lives, and the database as ready', async () => {
    for (const url of [first, second]) {
      await untilDatabaseIsNot('opening', url);
      expect(await health(url)).toMatchObject({ status: 'ok', sharedState: 'redis', resources: { redis: 'ready', database: 'ready' } });
    }
  });

  it("spreads a client's requests over both instances against one limit", async () => {
    const statuses: number[] = [];
    for (let call = 0; call <= PER_MINUTE; call++) statuses.push(await chat(call % 2 === 0 ? first : second));
    // Each instance alone saw at most three calls: under the limit, were it counted per process.
    expect(statuses.slice(0, PER_MINUTE)).not.toContain(429);
    expect(statuses[PER_MINUTE]).toBe(429);
  });

  it('handles a webhook event delivered to both instances once', async () => {
    const payload = JSON.stringify({
      id: 'evt_several_instances',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_several_instances', object: 'payment_intent', amount_received: 100, currency: 'usd' } },
    });
    const answers = await Promise.all([first, second].map((url) => deliver(url, payload)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const bodies = answers.map((answer) => answer.body);
    expect(bodies).toHaveLength(2);
    expect(bodies).toEqual(expect.arrayContaining([{ received: true }, { received: true, duplicate: true }]));
  });

  it('holds the live-stream cap across both instances', async () => {
    const held = await openStream(first);
    await deepgram.streamsOpened(1);

    const refused = await openStream(second);
    expect(await refused.closed).toBe(1013);
    expect(refused.messages).toEqual([{ type: 'error', message: 'Too many live streams: at most 1 run at once. Try again later.' }]);

    held.socket.close();
    await held.closed;
    // The slot is given back in Redis just after the close: wait for that, not for a guess of how long it takes.
    await until(() => redisCli(redisUrl, 'ZCARD', STREAM_KEY) === '0', 'the first stream to give its slot back');
    const admitted = await openStream(second);
    await deepgram.streamsOpened(2);
    admitted.socket.close();
    await admitted.closed;
  });

  describe('while Redis is out of reach', () => {
    let redis: RedisServer;
    let url: string;
    let failingOpen: string;
    beforeAll(async () => {
      redis = await startRedisServer();
      [url, failingOpen] = await Promise.all([start(redis.url), start(redis.url, { RATE_LIMIT_FAIL_OPEN: 'true' })]);
      await Promise.all([untilRedisIsNot('opening', url), untilRedisIsNot('opening', failingOpen)]);
      await redis.stop();
      await Promise.all([untilRedisIsNot('ready', url), untilRedisIsNot('ready', failingOpen)]);
    }, 120_000);
    afterAll(() => redis.stop());

    it('keeps serving, and /health says Redis failed', async () => {
      expect(await health(url)).toMatchObject({ status: 'degraded', sharedState: 'redis', resources: { redis: 'failed' } });
    });

    it('closes the paid routes with a 503 that names Redis, and goes on handling webhooks, which the database records', async () => {
      const response = await fetch(`${url}/api/ai/openai/chat`, chatRequest());
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain('Redis');
      const webhook = await deliver(
        url,
        JSON.stringify({ id: 'evt_while_down', object: 'event', type: 'invoice.paid', data: { object: {} } }),
      );
      expect(webhook).toEqual({ status: 200, body: { received: true } });
    });

    it('lets paid routes through uncounted with RATE_LIMIT_FAIL_OPEN=true', async () => {
      const response = await fetch(`${failingOpen}/api/ai/openai/chat`, chatRequest());
      // Through to OpenAI, which nothing answers for here.
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^OpenAI /);
    });

    it('recovers once Redis is back on its address', async () => {
      redis = await startRedisServer(redis.port);
      await untilRedisIsNot('failed', url);
      expect(await health(url)).toMatchObject({ resources: { redis: 'ready' } });
      expect(await chat(url)).not.toBe(429);
    });
  });
});

function chatRequest(): RequestInit {
  return {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }] }),
  };
}

async function chat(url: string): Promise<number> {
  const response = await fetch(`${url}/api/ai/openai/chat`, chatRequest());
  await response.arrayBuffer();
  return response.status;
}

// Signed as Stripe signs: HMAC-SHA256 of `<timestamp>.<payload>` with the endpoint's secret.
async function deliver(url: string, payload: string): Promise<{ status: number; body: unknown }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${payload}`).digest('hex');
  const response = await fetch(`${url}/api/payments/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${timestamp},v1=${signature}` },
    body: payload,
  });
  return { status: response.status, body: await response.json() };
}

async function health(url: string): Promise<Health> {
  return (await (await fetch(`${url}/health`)).json()) as Health;
}

// Redis connects, and the database opens, in the background: /health tells when.
async function untilRedisIsNot(state: string, url: string): Promise<void> {
  await until(async () => (await health(url)).resources['redis'] !== state, `Redis to leave "${state}" on ${url}`);
}

async function untilDatabaseIsNot(state: string, url: string): Promise<void> {
  await until(async () => (await health(url)).resources['database'] !== state, `the database to leave "${state}" on ${url}`);
}

/** Checks `condition` every 50 ms until it holds; fails after 20 seconds naming what never happened. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Gave up waiting for ${what}.`);
}

function redisCli(url: string, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-u', url, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}
