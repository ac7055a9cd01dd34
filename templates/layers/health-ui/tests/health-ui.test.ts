import { createContext, Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plugins } from '../src/plugins.js';
import type { RunningServer } from './helpers/http.js';
import { startApp } from './helpers/http.js';

describe('GET /health/ui', () => {
  let app: RunningServer;
  beforeAll(async () => {
    // The page and its assets are the same whatever the plugins: none are loaded.
    app = await startApp({}, { plugins: [] });
  });
  afterAll(() => app.close());

  async function get(path: string): Promise<{ response: Response; body: string }> {
    const response = await fetch(`${app.url}${path}`, { redirect: 'manual' });
    return { response, body: await response.text() };
  }

  it('serves the page with a policy that only allows its own scripts and requests', async () => {
    const { response, body } = await get('/health/ui');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    // Its own policy, not the app's: it may show provider images, and works over plain http locally.
    expect(policy).toContain("img-src 'self' data: blob: https:");
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toContain('<script src="ui/app.js" defer></script>');
    expect(body).toContain('<link rel="stylesheet" href="ui/styles.css">');
  });

  it('serves every asset the page links, with its content type', async () => {
    const page = (await get('/health/ui')).body;
    const assets = [...page.matchAll(/(?:src|href)="(ui\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.sort()).toEqual(['ui/app.js', 'ui/styles.css']);
    const script = await get('/health/ui/app.js');
    expect(script.response.status).toBe(200);
    expect(script.response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const styles = await get('/health/ui/styles.css');
    expect(styles.response.status).toBe(200);
    expect(styles.response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(styles.body).toContain('prefers-color-scheme: dark');
  });

  it('serves a script that parses, and a widget for the demo of every installed plugin', async () => {
    const { body: script } = await get('/health/ui/app.js');
    // Compiles without running: a syntax error here would leave the page blank.
    expect(() => new Script(script)).not.toThrow();
    // The script's `widgets`, read from a run of it (a top-level const is no property of the global object).
    const context = createContext({
      document: { body: { dataset: {} }, addEventListener: () => undefined },
      location: { pathname: '/health/ui' },
    });
    new Script(script).runInContext(context);
    const widgets = new Script('Object.keys(widgets)').runInContext(context) as string[];
    const { body: page } = await get('/health/ui');
    const markup = [...page.matchAll(/<template id="widget-([^"]+)">/g)].map((match) => match[1]);
    expect(markup.sort()).toEqual([...widgets].sort());
    for (const plugin of plugins) {
      if (plugin.demo) expect(widgets, `the demo widget of ${plugin.id}`).toContain(plugin.demo.widget);
    }
  });

  it('redirects /health/ui/ to /health/ui, where the relative asset links resolve', async () => {
    const { response } = await get('/health/ui/');
    expect(response.status).toBe(301);
    expect(new URL(response.headers.get('location') ?? '', `${app.url}/health/ui/`).pathname).toBe('/health/ui');
  });

  it('has browsers revalidate the page on each load, so an edited page shows at once', async () => {
    const { response } = await get('/health/ui');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toMatch(/^W\/".+"$/);
  });
});

// The guard of /health (src/lib/plugin-router.ts) stands in front of the page: src/app.ts mounts it after the plugins' router.
describe('who may open the status page', () => {
  it('anyone on this machine outside production, where the demos are for', async () => {
    const app = await startApp({}, { plugins: [], as: 'anonymous' });
    try {
      expect((await fetch(`${app.url}/health/ui`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('an admin in production, even from this machine', async () => {
    const production = { NODE_ENV: 'production' };
    const [stranger, operator] = await Promise.all([
      startApp(production, { plugins: [], as: 'anonymous' }),
      startApp(production, { plugins: [] }),
    ]);
    try {
      expect((await fetch(`${stranger.url}/health/ui`)).status).toBe(401);
      expect((await fetch(`${stranger.url}/health/ui/app.js`)).status).toBe(401);
      expect((await fetch(`${operator.url}/health/ui`)).status).toBe(200);
    } finally {
      await Promise.all([stranger.close(), operator.close()]);
    }
  });
});

// The page's verdicts without a browser: the script runs against a stand-in document that only
// keeps what it is told (badges and counts). tests/e2e drives the whole page in Chromium.
describe('the verdicts of the health page script', () => {
  interface Shown {
    tone: string;
    label: string;
    detail: unknown[];
  }
  interface PageScript {
    describeStatus(plugin: object, probed: boolean): Shown;
    summarize(plugins: object[]): void;
  }

  let app: RunningServer;
  let page: PageScript;
  const elements = new Map<string, { className: string; textContent: string }>();
  beforeAll(async () => {
    app = await startApp({}, { plugins: [] });
    const script = await (await fetch(`${app.url}/health/ui/app.js`)).text();
    const document = {
      body: { dataset: {} },
      addEventListener: () => undefined,
      getElementById(id: string) {
        if (!elements.has(id)) elements.set(id, { className: '', textContent: '' });
        return elements.get(id);
      },
    };
    const context = createContext({ document, location: { pathname: '/health/ui' } });
    new Script(script).runInContext(context);
    page = context as PageScript;
  });
  afterAll(() => app.close());

  it('shows a local server that is not running as such, in a neutral tone, and keeps the app healthy', () => {
    const ollama = { status: 'not_running', message: 'Ollama is not running. Start it.', latencyMs: 2, missing: [], invalid: [] };
    expect(page.describeStatus(ollama, true)).toEqual({
      tone: 'neutral',
      label: 'Not running',
      detail: ['Ollama is not running. Start it. (2 ms)'],
    });

    page.summarize([{ status: 'ok' }, ollama]);

    expect(elements.get('overall')).toEqual({ className: 'badge ok', textContent: 'Healthy' });
    expect(elements.get('counts')?.textContent).toBe('2 plugins · 1 ready · 1 not running');
  });

  it('says why a plugin that serves through others is not configured', () => {
    const chat = {
      status: 'not_configured',
      message: 'No AI provider is configured. Set the API key of one in .env and restart.',
      missing: [],
      invalid: [],
    };
    expect(page.describeStatus(chat, false)).toEqual({ tone: 'warn', label: 'Not configured', detail: [chat.message] });
  });
});
