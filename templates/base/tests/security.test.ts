import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EnvSource } from '../src/env.js';
import type { RunningServer } from './helpers/http.js';
import { startApp } from './helpers/http.js';

let app: RunningServer | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  vi.restoreAllMocks();
});

// The layers in front of every route are the same whatever the plugins behind them: none are loaded.
async function start(env: EnvSource, logDestination?: RequestLog): Promise<string> {
  app = await startApp(env, { plugins: [], logDestination });
  return app.url;
}

/** A request log that keeps its lines; `written` resolves with the first one. */
interface RequestLog {
  lines: string[];
  written: Promise<string>;
  write(line: string): void;
}

function requestLog(): RequestLog {
  const lines: string[] = [];
  let first: (line: string) => void = () => undefined;
  const written = new Promise<string>((resolve) => {
    first = resolve;
  });
  return {
    lines,
    written,
    write(line) {
      lines.push(line);
      first(line);
    },
  };
}

function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
}

/** The statuses of `count` GET requests to `url`, one after another. */
async function statuses(url: string, count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const answers: number[] = [];
  for (let i = 0; i < count; i++) answers.push((await fetch(url, { headers })).status);
  return answers;
}

describe('security headers', () => {
  it('are on every response, found or not, without X-Powered-By', async () => {
    const url = await start({});
    for (const path of ['/health', '/no-such-route']) {
      const response = await fetch(`${url}${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.has('x-powered-by')).toBe(false);
    }
  });
});

describe('CORS', () => {
  const allowed = 'https://app.example.com';

  it('sends no CORS header without CORS_ORIGINS', async () => {
    const url = await start({});
    const response = await fetch(`${url}/health`, { headers: { Origin: allowed } });
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('allows the listed origins and no other', async () => {
    const url = await start({ CORS_ORIGINS: `${allowed}, https://admin.example.com` });
    const fromApp = await fetch(`${url}/health`, { headers: { Origin: allowed } });
    expect(fromApp.headers.get('access-control-allow-origin')).toBe(allowed);
    const fromElsewhere = await fetch(`${url}/health`, { headers: { Origin: 'https://evil.example' } });
    expect(fromElsewhere.headers.has('access-control-allow-origin')).toBe(false);
    expect((await preflight(`${url}/health`, allowed)).headers.get('access-control-allow-origin')).toBe(allowed);
    expect((await preflight(`${url}/health`, 'https://evil.example')).headers.has('access-control-allow-origin')).toBe(false);
  });

  it('allows any origin only when CORS_ORIGINS is *', async () => {
    const url = await start({ CORS_ORIGINS: '*' });
    expect((await fetch(`${url}/health`, { headers: { Origin: 'https://any.example' } })).headers.get('access-control-allow-origin')).toBe(
      '*',
    );
  });

  it('answers preflights before the rate limit, which they do not count against', async () => {
    const url = await start({ CORS_ORIGINS: allowed, RATE_LIMIT_GLOBAL_PER_MINUTE: '2' });
    for (let i = 0; i < 4; i++) expect((await preflight(`${url}/health`, allowed)).status).toBe(204);
    expect(await statuses(`${url}/health`, 3)).toEqual([200, 200, 429]);
  });
});

describe('rate limits', () => {
  it('answer 429 once a client has made RATE_LIMIT_GLOBAL_PER_MINUTE requests, on any route', async () => {
    const url = await start({ RATE_LIMIT_GLOBAL_PER_MINUTE: '3' });
    expect(await statuses(`${url}/no-such-route`, 2)).toEqual([404, 404]);
    expect(await statuses(`${url}/health`, 1)).toEqual([200]);
    const limited = await fetch(`${url}/health`);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toBe(
      'Too many requests: the limit is 3 a minute per client. Retry later.',
    );
  });

  it('allow RATE_LIMIT_PROBES_PER_MINUTE live checks, and leave the cheap /health alone', async () => {
    const url = await start({ RATE_LIMIT_PROBES_PER_MINUTE: '1' });
    expect(await statuses(`${url}/health?probe=1`, 2)).toEqual([200, 429]);
    expect(await statuses(`${url}/health`, 2)).toEqual([200, 200]);
  });

  it('count clients behind a trusted proxy apart, by the address it forwards', async () => {
    const url = await start({ TRUST_PROXY: 'loopback', RATE_LIMIT_GLOBAL_PER_MINUTE: '1' });
    expect(await statuses(`${url}/health`, 2, { 'X-Forwarded-For': '203.0.113.1' })).toEqual([200, 429]);
    expect(await statuses(`${url}/health`, 1, { 'X-Forwarded-For': '203.0.113.2' })).toEqual([200]);
  });

  it('ignore X-Forwarded-For unless TRUST_PROXY says to believe it, so a client cannot pick its own IP', async () => {
    // express-rate-limit warns once about the header it is told to ignore.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const url = await start({ RATE_LIMIT_GLOBAL_PER_MINUTE: '1' });
    expect(await statuses(`${url}/health`, 1, { 'X-Forwarded-For': '203.0.113.1' })).toEqual([200]);
    expect(await statuses(`${url}/health`, 1, { 'X-Forwarded-For': '203.0.113.2' })).toEqual([429]);
  });
});

describe('request log', () => {
  it('writes one line per request, with credentials in headers and query redacted', async () => {
    const log = requestLog();
    const url = await start({ LOG_LEVEL: 'info', TRUST_PROXY: 'loopback' }, log);
    const headers = {
      Authorization: 'Bearer secret-bearer',
      Cookie: 'session=secret-cookie',
      'X-Api-Key': 'secret-key',
      'X-Forwarded-For': '203.0.113.7',
    };
    expect((await fetch(`${url}/health?access_token=secret-token&page=2`, { headers })).status).toBe(200);
    // The line is written once the response has finished, which may be after the client has it.
    const line = await log.written;
    expect(log.lines).toHaveLength(1);
    expect(line).not.toMatch(/secret-/);
    const entry = JSON.parse(line) as {
      req: { method: string; url: string; headers: Record<string, string> };
      res: { statusCode: number };
      responseTime: number;
      ip: string;
    };
    expect(entry.req.method).toBe('GET');
    expect(entry.req.url).toBe('/health?access_token=[Redacted]&page=2');
    expect(entry.req.headers['authorization']).toBe('[Redacted]');
    expect(entry.req.headers['x-api-key']).toBe('[Redacted]');
    expect(entry.res.statusCode).toBe(200);
    expect(entry.responseTime).toBeTypeOf('number');
    expect(entry.ip).toBe('203.0.113.7');
  });
});
