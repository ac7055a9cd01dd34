import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { RunningServer } from './http.js';

/** A provider's stand-in as a plugin's tests use it: where it listens and what it was sent. */
export interface RecordingMock extends RunningServer {
  /** What the mock received, oldest first. */
  requests: unknown[];
}

/** The provider mock and the app using it that the tests of one describe block share. */
export interface AppWithMock<Mock extends RecordingMock> {
  readonly mock: Mock;
  readonly app: RunningServer;
}

/**
 * Before the tests of the describe block it is called in, starts a provider's mock, then the app
 * that talks to it (`startApp(mock)`); closes both after them. Before each test the mock forgets
 * what it was sent, so a test sees only the requests it caused. Read `mock` and `app` inside tests:
 * they exist once the block's tests run.
 */
export function useAppWithMock<Mock extends RecordingMock>(
  startMock: () => Promise<Mock>,
  startApp: (mock: Mock) => Promise<RunningServer>,
): AppWithMock<Mock> {
  let mock: Mock | undefined;
  let app: RunningServer | undefined;
  beforeAll(async () => {
    mock = await startMock();
    app = await startApp(mock);
  });
  afterAll(async () => {
    await app?.close();
    await mock?.close();
  });
  beforeEach(() => {
    if (mock) mock.requests.length = 0;
  });
  return {
    get mock() {
      return started(mock);
    },
    get app() {
      return started(app);
    },
  };
}

/** What `GET /health?probe=1` says of one plugin: its status (`absent` when not listed), and its message when it has one. */
export async function probeOf(app: RunningServer, pluginId: string): Promise<{ status: string; message?: string }> {
  const response = await fetch(`${app.url}/health?probe=1`);
  const { plugins } = (await response.json()) as { plugins: { id: string; status: string; message?: string }[] };
  const entry = plugins.find((plugin) => plugin.id === pluginId);
  return { status: entry?.status ?? 'absent', ...(entry?.message === undefined ? {} : { message: entry.message }) };
}

/** POSTs `body` as JSON to `url`. */
export function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), ...init });
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('The app and its mock start before the tests: read them inside a test, not while declaring it.');
  return value;
}
