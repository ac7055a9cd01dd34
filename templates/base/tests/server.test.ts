import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createServer } from '../src/app.js';
import { readServerEnv, SettingsError } from '../src/env.js';
import { testEnv } from './helpers/http.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs src/server.ts as `npm run dev` would, and resolves with how it exited. */
async function startServer(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

// Each start compiles the whole app with tsx: seconds on a busy machine with every plugin installed.
describe('server start-up', () => {
  it('exits 1 with one line naming an invalid PORT, not a stack trace', { timeout: 60_000 }, async () => {
    for (const port of ['abc', '70000']) {
      const { code, stderr } = await startServer({ PORT: port });
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`Invalid server settings: PORT must be a port number from 0 to 65535 (it is "${port}").`);
    }
  });

  it('exits 1 with one line naming every invalid HTTP setting', { timeout: 60_000 }, async () => {
    const { code, stderr } = await startServer({
      TRUST_PROXY: 'yes',
      CORS_ORIGINS: '*,https://app.example.com',
      RATE_LIMIT_GLOBAL_PER_MINUTE: 'many',
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'Invalid server settings: ' +
        'TRUST_PROXY must be true, false, a number of proxies, or comma-separated addresses and subnets (e.g. loopback,10.0.0.0/8) (it is "yes"); ' +
        'CORS_ORIGINS must be * alone, or comma-separated origins such as https://app.example.com (it is "*,https://app.example.com"); ' +
        'RATE_LIMIT_GLOBAL_PER_MINUTE must be a whole number above 0 (it is "many").',
    );
  });
});

describe('the HTTP server', () => {
  it('keeps an idle connection for 65 s, longer than load balancers keep theirs', () => {
    expect(createServer([], testEnv({})).keepAliveTimeout).toBe(65_000);
  });
});

describe('readServerEnv', () => {
  it('listens on this machine only outside production, and on every interface in production', () => {
    expect(readServerEnv({})).toMatchObject({ PORT: 3000, HOST: '127.0.0.1' });
    expect(readServerEnv({ NODE_ENV: 'production' })).toMatchObject({ PORT: 3000, HOST: '0.0.0.0' });
  });

  it('reads PORT and HOST', () => {
    expect(readServerEnv({ PORT: '8080', HOST: '::', NODE_ENV: 'production' })).toMatchObject({ PORT: 8080, HOST: '::' });
  });

  it('trusts no proxy, allows no other origin, and logs requests outside tests, by default', () => {
    expect(readServerEnv({})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      TRUST_PROXY: false,
      CORS_ORIGINS: [],
      RATE_LIMIT_GLOBAL_PER_MINUTE: 300,
      RATE_LIMIT_PROBES_PER_MINUTE: 6,
      LOG_LEVEL: 'info',
    });
    expect(readServerEnv({ NODE_ENV: 'test' }).LOG_LEVEL).toBe('silent');
    expect(readServerEnv({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('debug');
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    [
      'loopback, 10.0.0.0/8,fd00::/8, 192.168.1.1, 172.16.0.0/255.240.0.0',
      ['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.1', '172.16.0.0/255.240.0.0'],
    ],
  ])('reads TRUST_PROXY=%s as Express takes it', (value, expected) => {
    expect(readServerEnv({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it('reads CORS_ORIGINS as a list, or * alone', () => {
    expect(readServerEnv({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(readServerEnv({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toBe('*');
  });

  it.each([
    ['TRUST_PROXY', 'yes'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '10.0.0.0/255.0.255.0'],
    ['TRUST_PROXY', 'loopback,proxy.internal'],
    ['CORS_ORIGINS', 'https://app.example.com/'],
    ['CORS_ORIGINS', '*,https://app.example.com'],
    ['CORS_ORIGINS', 'app.example.com'],
    ['RATE_LIMIT_GLOBAL_PER_MINUTE', '0'],
    ['RATE_LIMIT_PROBES_PER_MINUTE', '1.5'],
    ['LOG_LEVEL', 'verbose'],
    ['REDIS_URL', 'localhost:6379'],
  ])('refuses %s=%s with a settings error naming it', (name, value) => {
    const attempt = () => readServerEnv({ [name]: value });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(`Invalid server settings: ${name} `);
    expect(attempt).toThrow(`(it is "${value}").`);
  });
});
