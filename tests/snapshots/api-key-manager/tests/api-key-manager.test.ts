import { createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../src/core/api-key-manager/api-key-manager.schema.js';
import { apiKeyManagerPlugin } from '../src/core/api-key-manager/index.js';
import type { Caller } from '../src/lib/access.js';
import { runAs } from '../src/lib/access.js';
import type { ActiveKey, ApiKeyStore } from '../src/lib/api-keys.js';
import { apiKeyStoreKey } from '../src/lib/api-keys.js';
import type { ServiceRegistry } from '../src/lib/services.js';
import type { TestDatabase } from './helpers/database.js';
import { callerHeaders, createTestDatabase, startPlugin, TEST_ADMIN } from './helpers/database.js';
import type { RunningServer } from './helpers/http.js';
import { startApp } from './helpers/http.js';

// PGlite takes a few seconds to start when test files run in parallel.
const STARTUP_TIMEOUT_MS = 60_000;

const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const OPENAI_KEY = 'sk-proj-test-0123456789abcdefWXYZ';
const alice: Caller = { id: 'alice', role: 'user' };
const bob: Caller = { id: 'bob', role: 'user' };

interface StoredKeyRow {
  key_ciphertext: Uint8Array;
  key_iv: Uint8Array;
  key_auth_tag: Uint8Array;
}

function storeOf(services: ServiceRegistry): ApiKeyStore {
  const [store] = services.all(apiKeyStoreKey);
  if (!store) throw new Error('api-key-manager provided no key store');
  return store;
}

/** The key the store gives a call to `provider` made by `caller` (or on a public route, without one). */
function activeKeyFor(store: ApiKeyStore, caller: Caller | undefined, provider = 'openai'): Promise<ActiveKey | undefined> {
  if (caller === undefined) return store.getActiveKey(provider);
  return new Promise((resolve, reject) => runAs(caller, () => void store.getActiveKey(provider).then(resolve, reject)));
}

describe('api-key-manager', () => {
  let testDatabase: TestDatabase;
  let services: ServiceRegistry;
  let app: RunningServer;
  const env = () => ({ ...testDatabase.config, API_KEY_ENCRYPTION_KEY: ENCRYPTION_KEY });
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    services = testDatabase.services();
    app = await startPlugin(apiKeyManagerPlugin, env(), services);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await app.close();
    await testDatabase.close();
  });
  beforeEach(() => testDatabase.truncate(), STARTUP_TIMEOUT_MS);

  function call(method: string, path = '', body?: unknown, server = app): Promise<Response> {
    return callAs(TEST_ADMIN, method, path, body, server);
  }

  function callAs(caller: Caller, method: string, path = '', body?: unknown, server = app): Promise<Response> {
    return fetch(`${server.url}/api/keys${path}`, {
      method,
      headers: { ...callerHeaders(caller), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function createKey(body: Record<string, unknown>, caller = TEST_ADMIN): Promise<ApiKey> {
    const response = await callAs(caller, 'POST', '', { provider: 'openai', key: OPENAI_KEY, ...body });
    expect(response.status).toBe(201);
    return (await response.json()) as ApiKey;
  }

  async function getKey(id: string): Promise<ApiKey> {
    const response = await call('GET', `/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ApiKey;
  }

  async function listAs(caller: Caller): Promise<ApiKey[]> {
    const response = await callAs(caller, 'GET');
    expect(response.status).toBe(200);
    return ((await response.json()) as { keys: ApiKey[] }).keys;
  }

  it('returns a new key in full once, then only masked', async () => {
    const response = await call('POST', '', {
      provider: 'openai',
      label: 'Production',
      key: OPENAI_KEY,
      limits: { monthlyCallLimit: 1_000 },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const created = (await response.json()) as ApiKey;
    expect(response.headers.get('location')).toBe(`/api/keys/${created.id}`);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      provider: 'openai',
      label: 'Production',
      owner: TEST_ADMIN.id,
      key: OPENAI_KEY,
      usage: { calls: 0, callsThisMonth: 0, lastUsedAt: null },
      limits: { monthlyCallLimit: 1_000 },
      enabled: true,
      createdAt: expect.any(String),
    });

    const list = await call('GET');
    const listText = await list.text();
    expect(listText).not.toContain(OPENAI_KEY);
    expect(JSON.parse(listText)).toEqual({ keys: [{ ...created, key: 'sk-…WXYZ' }] });
    expect(await getKey(created.id)).toEqual({ ...created, key: 'sk-…WXYZ' });
  });

  it('stores the key encrypted with AES-256-GCM, a fresh 12-byte IV each time, and decrypts it back', async () => {
    const first = await createKey({});
    const second = await createKey({});

    const rows = await testDatabase.database.query<StoredKeyRow & { id: string }>(
      'SELECT id, key_ciphertext, key_iv, key_auth_tag FROM api_keys WHERE id IN ($1, $2) ORDER BY id',
      [first.id, second.id],
    );
    const [a, b] = rows;
    if (!a || !b) throw new Error('keys not stored');
    expect(Buffer.from(a.key_ciphertext).toString('utf8')).not.toContain('0123456789abcdef');
    expect(Buffer.from(a.key_ciphertext).equals(Buffer.from(b.key_ciphertext))).toBe(false);
    expect(a.key_iv).toHaveLength(12);
    expect(Buffer.from(a.key_iv).equals(Buffer.from(b.key_iv))).toBe(false);
    expect(a.key_auth_tag).toHaveLength(16);

    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(ENCRYPTION_KEY, 'base64'), a.key_iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(a.id));
    decipher.setAuthTag(a.key_auth_tag);
    expect(Buffer.concat([decipher.update(a.key_ciphertext), decipher.final()]).toString('utf8')).toBe(OPENAI_KEY);
    expect(await activeKeyFor(storeOf(services), TEST_ADMIN)).toEqual({ id: second.id, key: OPENAI_KEY });
  });

  it('refuses, with a message naming API_KEY_ENCRYPTION_KEY, to decrypt under another encryption key', async () => {
    await createKey({});
    const otherServices = testDatabase.services();
    const config = { ...env(), API_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const { probe } = apiKeyManagerPlugin.setup(config, { env: config, services: otherServices, plugins: [] });

    const refusal = { status: 503, message: expect.stringContaining('API_KEY_ENCRYPTION_KEY is not the key it was stored with') };
    await expect(activeKeyFor(storeOf(otherServices), TEST_ADMIN)).rejects.toMatchObject(refusal);
    await expect(probe?.(new AbortController().signal)).rejects.toMatchObject(refusal);
  });

  it('lists keys newest first, optionally for one provider', async () => {
    const older = await createKey({ label: 'old' });
    const other = await createKey({ provider: 'claude', key: 'sk-ant-api03-secret-claude-key' });
    const newer = await createKey({ label: 'new' });

    const all = (await (await call('GET')).json()) as { keys: ApiKey[] };
    expect(all.keys.map((key) => key.id)).toEqual([newer.id, other.id, older.id]);
    const openai = (await (await call('GET', '?provider=openai')).json()) as { keys: ApiKey[] };
    expect(openai.keys.map((key) => key.id)).toEqual([newer.id, older.id]);
    expect(other.label).toBe('claude');
  });

  it('changes the label, limits and enabled flag; a null limit removes it', async () => {
    const { id } = await createKey({ label: 'before', limits: { monthlyCallLimit: 10 } });

    const renamed = await call('PATCH', `/${id}`, { label: 'after', enabled: false });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ label: 'after', enabled: false, limits: { monthlyCallLimit: 10 }, key: 'sk-…WXYZ' });

    const unlimited = await call('PATCH', `/${id}`, { limits: { monthlyCallLimit: null } });
    expect(await unlimited.json()).toMatchObject({ label: 'after', enabled: false, limits: { monthlyCallLimit: null } });
  });

  it('deletes a key with 204, after which it is gone', async () => {
    const { id } = await createKey({});

    expect((await call('DELETE', `/${id}`)).status).toBe(204);
    expect((await call('GET', `/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/${id}`)).status).toBe(404);
  });

  it('answers 404 for an unknown id and 400 for an id that is not a UUID', async () => {
    const unknown = randomUUID();
    for (const [method, body] of [['GET'], ['PATCH', { label: 'x' }], ['DELETE']] as const) {
      const missing = await call(method, `/${unknown}`, body);
      expect(missing.status, method).toBe(404);
      expect(await missing.json()).toEqual({ error: { message: `No API key with id ${unknown}.` } });
      const invalid = await call(method, '/not-a-uuid', body);
      expect(invalid.status, method).toBe(400);
    }
  });

  it('rejects invalid bodies with 400, naming the field', async () => {
    const { id } = await createKey({});
    const cases: [string, string, unknown, string[]][] = [
      ['POST', '', { provider: 'openai' }, ['key']],
      ['POST', '', { provider: 'openai', key: 'sk-with a space' }, ['key']],
      ['POST', '', { provider: 'Open AI', key: OPENAI_KEY }, ['provider']],
      ['POST', '', { provider: 'openai', key: OPENAI_KEY, limits: { monthlyCallLimit: 0 } }, ['limits.monthlyCallLimit']],
      ['PATCH', `/${id}`, {}, ['']],
      ['PATCH', `/${id}`, { enabled: 'no' }, ['enabled']],
    ];
    for (const [method, path, body, paths] of cases) {
      const response = await call(method, path, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = (await response.json()) as { error: { details: { path: string }[] } };
      expect(
        error.details.map((issue) => issue.path),
        JSON.stringify(body),
      ).toEqual(paths);
    }
  });

  it('gives provider plugins the newest enabled key under its monthly limit, and counts its uses', async () => {
    const store = storeOf(services);
    const limited = await createKey({ limits: { monthlyCallLimit: 2 } });
    const disabled = await createKey({ key: 'sk-proj-newer-but-disabled-key', enabled: false });
    expect(await activeKeyFor(store, TEST_ADMIN, 'claude')).toBeUndefined();
    expect(await activeKeyFor(store, TEST_ADMIN)).toEqual({ id: limited.id, key: OPENAI_KEY });

    await store.recordUse(limited.id);
    await store.recordUse(limited.id);

    expect(await activeKeyFor(store, TEST_ADMIN)).toBeUndefined();
    const used = await getKey(limited.id);
    expect(used.usage).toEqual({ calls: 2, callsThisMonth: 2, lastUsedAt: expect.any(String) });
    await call('PATCH', `/${disabled.id}`, { enabled: true });
    expect(await activeKeyFor(store, TEST_ADMIN)).toEqual({ id: disabled.id, key: 'sk-proj-newer-but-disabled-key' });
  });

  it("keeps a user's key to them: another user gets 403 and does not see it, an admin manages it", async () => {
    const key = await createKey({ label: "Alice's" }, alice);
    expect(key.owner).toBe('alice');

    for (const [method, body] of [['GET'], ['PATCH', { enabled: false }], ['DELETE']] as const) {
      const refused = await callAs(bob, method, `/${key.id}`, body);
      expect(refused.status, method).toBe(403);
      expect(await refused.json()).toEqual({ error: { message: `API key ${key.id} belongs to another user.` } });
    }
    expect(await listAs(bob)).toEqual([]);
    expect(await listAs(alice)).toEqual([{ ...key, key: 'sk-…WXYZ' }]);
    expect((await callAs(alice, 'GET', `/${key.id}`)).status).toBe(200);

    expect((await listAs(TEST_ADMIN)).map((listed) => listed.owner)).toEqual(['alice']);
    expect(await (await call('PATCH', `/${key.id}`, { enabled: false })).json()).toMatchObject({ owner: 'alice', enabled: false });
    expect((await call('DELETE', `/${key.id}`)).status).toBe(204);
  });

  it('lets only an admin store or manage a shared key, which users do not see', async () => {
    const refused = await callAs(alice, 'POST', '', { provider: 'openai', key: OPENAI_KEY, shared: true });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('Only an admin may store a shared key');
    expect(await listAs(TEST_ADMIN)).toEqual([]);

    const shared = await createKey({ shared: true });
    expect(shared.owner).toBeNull();
    expect(await listAs(alice)).toEqual([]);
    const patched = await callAs(alice, 'PATCH', `/${shared.id}`, { label: 'mine now' });
    expect(patched.status).toBe(403);
    expect(await patched.json()).toEqual({ error: { message: `API key ${shared.id} is shared: only an admin may manage it.` } });
    expect((await call('PATCH', `/${shared.id}`, { label: 'Team' })).status).toBe(200);
  });

  it("serves a call with the caller's own key, then a shared one, never another user's", async () => {
    const store = storeOf(services);
    // Each newer than the one before: only ownership, not age, puts Alice's first for her and keeps Bob's from others.
    const alices = await createKey({ key: 'sk-proj-alice-own-key' }, alice);
    const shared = await createKey({ key: 'sk-proj-shared-team-key', shared: true });
    const bobs = await createKey({ key: 'sk-proj-bob-own-key' }, bob);

    expect(await activeKeyFor(store, alice)).toEqual({ id: alices.id, key: 'sk-proj-alice-own-key' });
    expect(await activeKeyFor(store, bob)).toEqual({ id: bobs.id, key: 'sk-proj-bob-own-key' });
    expect(await activeKeyFor(store, { id: 'carol', role: 'user' })).toEqual({ id: shared.id, key: 'sk-proj-shared-team-key' });
    expect(await activeKeyFor(store, TEST_ADMIN)).toEqual({ id: shared.id, key: 'sk-proj-shared-team-key' });
    expect(await activeKeyFor(store, undefined)).toEqual({ id: shared.id, key: 'sk-proj-shared-team-key' });

    await callAs(alice, 'PATCH', `/${alices.id}`, { enabled: false });
    expect(await activeKeyFor(store, alice)).toEqual({ id: shared.id, key: 'sk-proj-shared-team-key' });
    await call('DELETE', `/${shared.id}`);
    expect(await activeKeyFor(store, alice)).toBeUndefined();
  });

  it('is set up by the app with the database from the environment', { timeout: STARTUP_TIMEOUT_MS }, async () => {
    const server = await startApp(env(), { plugins: [apiKeyManagerPlugin] });
    try {
      const health = (await (await fetch(`${server.url}/health?probe=1`)).json()) as { plugins: { id: string; status: string }[] };
      expect(health.plugins.find((plugin) => plugin.id === 'api-key-manager')).toMatchObject({ status: 'ok' });
      expect((await call('GET', '', undefined, server)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('api-key-manager without a valid API_KEY_ENCRYPTION_KEY', () => {
  async function keysResponse(env: Record<string, string>): Promise<{ status: number; message: string }> {
    const app = await startApp(env, { plugins: [apiKeyManagerPlugin] });
    try {
      const response = await fetch(`${app.url}/api/keys`);
      const body = (await response.json()) as { error: { message: string } };
      return { status: response.status, message: body.error.message };
    } finally {
      await app.close();
    }
  }

  it('answers 503 saying it must be 32 bytes when it has another length', async () => {
    expect(await keysResponse({ API_KEY_ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toEqual({
      status: 503,
      message: expect.stringContaining('API_KEY_ENCRYPTION_KEY must be 32 random bytes in base64'),
    });
  });
});
