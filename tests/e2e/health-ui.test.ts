/// <reference lib="dom" />
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { hasChromium, launchChromium } from '../helpers/chromium.js';
import { createProject, projectEnv, projectNode, runOrThrow } from '../helpers/generated-project.js';
import type { DemoServer } from '../helpers/health-ui-server.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';

// The health page of a generated project with every plugin, driven in headless Chromium against
// the providers' mocks the project ships. HEALTH_UI_PROJECT names an installed all-plugins project
// to use instead of creating one (a minute of npm install); HEALTH_UI_SCREENSHOTS, a folder where
// the page is saved as PNGs, light and dark, desktop and phone.
const driver = fileURLToPath(new URL('../helpers/health-ui-server.ts', import.meta.url));
const screenshots = process.env['HEALTH_UI_SCREENSHOTS'];

/** A tiny PNG (2 × 2): what the stand-in CDN serves for Cloudinary previews. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVQImWP8z8Dwn4GBgYGJgYGBAQAdBgIBjMT4GAAAAABJRU5ErkJggg==',
  'base64',
);

/** A short WAV (16-bit mono, 8 kHz, 0.1 s of silence): an audio file the transcription demo uploads. */
function wav(): Buffer {
  const samples = Buffer.alloc(1600);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

describe.skipIf(!hasChromium)('the health page of a project with every plugin', () => {
  let project: string;
  let demo: DemoServer;
  let stopDemo: () => Promise<void>;
  let browser: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  // Created here unless HEALTH_UI_PROJECT names one, and then removed at the end.
  let createdIn: string | undefined;

  beforeAll(async () => {
    const given = process.env['HEALTH_UI_PROJECT'];
    if (given) {
      project = given;
    } else {
      createdIn = mkdtempSync(path.join(tmpdir(), 'cpa-health-ui-'));
      project = createProject(
        createdIn,
        'health-ui',
        registry.map((plugin) => plugin.id),
      );
    }
    ({ server: demo, stop: stopDemo } = await startDemoServer(project));
    browser = await launchChromium({ fakeMedia: true });
    // Cloudinary delivers previews from its CDN: a stand-in keeps the test offline.
    await browser.route('https://res.cloudinary.com/**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
    page = await openPage(browser, `${demo.url}/health/ui`, { width: 1280, height: 900 }, consoleErrors);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stopDemo?.();
    if (createdIn) rmSync(createdIn, { recursive: true, force: true });
  });

  const card = (pluginId: string) => page.locator(`[data-plugin="${pluginId}"]`);

  it('loads with no console errors, and lists every plugin with the result of its live check', async () => {
    expect(consoleErrors).toEqual([]);
    const listed = await page.locator('#plugins [data-id]').allTextContents();
    for (const plugin of registry) expect(listed).toContain(plugin.id);
    await expect.poll(() => page.locator('#overall').textContent()).toBe('Healthy');
    const badges = await page.locator('#plugins [data-badge]').allTextContents();
    expect(badges.filter((badge) => !/^(Live · \d+ ms|Configured)$/.test(badge))).toEqual([]);
    // Every plugin with a live check ran it (usage-tracker has none on the embedded database).
    expect(badges.filter((badge) => badge.startsWith('Live')).length).toBeGreaterThanOrEqual(registry.length - 1);
  });

  it('shows a working demo for every plugin that declares one', async () => {
    const health = (await (await fetch(`${demo.url}/health`)).json()) as { plugins: { id: string; demo?: { widget: string } }[] };
    const withDemo = health.plugins.filter((plugin) => plugin.demo);
    expect(withDemo.map((plugin) => plugin.id).sort()).toEqual(
      [
        'ai-chat',
        'api-key-manager',
        'cloudinary',
        'deepgram',
        'elevenlabs',
        'google-auth',
        'mailgun',
        'paypal',
        'r2',
        's3',
        'sendgrid',
        'stripe',
        'usage-tracker',
      ].sort(),
    );
    for (const plugin of withDemo) {
      await expect.poll(() => card(plugin.id).count()).toBe(1);
      expect(await card(plugin.id).getAttribute('class')).not.toContain('unavailable');
    }
  });

  it('says where an admin token comes from until one is entered, and keeps it for the tab', async () => {
    const ai = card('ai-chat');
    const stripe = card('stripe');
    const advice =
      'This demo needs an access token. Paste an admin token above; mint one with npx tsx --env-file=.env src/auth/jwt-service/mint-token.ts you@example.com --admin';
    // Demos that load on their own wait for a token; the others ask, and get the app's 401.
    expect(await message(ai)).toBe(advice);
    const refused = page.waitForResponse((response) => response.url().endsWith('/api/payments/create-payment-intent'));
    await stripe.getByRole('button', { name: 'Create payment intent' }).click();
    expect((await refused).status()).toBe(401);
    await expect.poll(() => message(stripe)).toBe(advice);

    await enterToken(page, demo.token);
    await expect.poll(() => ai.locator('select[name=provider] option').count()).toBeGreaterThan(0);
    expect(await message(ai)).toBe('');
    await page.reload();
    await page.locator('#overall:not(.busy)').waitFor();
    expect(await page.getByLabel('Access token').inputValue()).toBe(demo.token);
    await expect.poll(() => ai.locator('select[name=provider] option').count()).toBeGreaterThan(0);
  });

  it('streams an AI answer with its token counts, time and cost', async () => {
    const ai = card('ai-chat');
    const providers = await ai
      .locator('select[name=provider] option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(providers).toEqual(expect.arrayContaining(['openai', 'claude', 'gemini', 'grok', 'openrouter', 'lmstudio', 'ollama']));
    await ai.locator('select[name=provider]').selectOption('openai');
    await ai.locator('textarea[name=prompt]').fill('Say hello.');
    const streamed = page.waitForResponse((response) => response.url().endsWith('/api/ai/chat'));
    await ai.getByRole('button', { name: 'Send' }).click();
    expect((await streamed).headers()['content-type']).toMatch(/^text\/event-stream/);

    await expect.poll(() => ai.locator('[data-answer]').textContent()).toBe('Hello from the mock');
    await expect.poll(() => stats(ai)).toMatchObject({ Provider: 'OpenAI', 'Tokens in': '12', 'Tokens out': '3', Cost: '$0.000009' });
    expect((await stats(ai))['Time']).toMatch(/^\d+ ms$/);
  });

  it('sends the prompt with Ctrl+Enter, to the provider chosen', async () => {
    const ai = card('ai-chat');
    await ai.locator('select[name=provider]').selectOption('claude');
    await ai.locator('textarea[name=prompt]').focus();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => stats(ai)).toMatchObject({ Provider: 'Claude', 'Tokens in': '12', 'Tokens out': '3' });
    expect(await ai.locator('[data-answer]').textContent()).toBe('Hello from the mock');
  });

  it('transcribes an uploaded audio file', async () => {
    const deepgram = card('deepgram');
    await deepgram.locator('input[type=file]').setInputFiles({ name: 'hello.wav', mimeType: 'audio/wav', buffer: wav() });
    await deepgram.getByRole('button', { name: 'Transcribe' }).click();
    await expect.poll(() => deepgram.locator('[data-transcript]').textContent()).toBe('Hello from the mock.');
    expect(await stats(deepgram)).toMatchObject({ Audio: '3.3 s', Confidence: expect.stringMatching(/^\d+%$/) });
  });

  it('records from the microphone with MediaRecorder and transcribes the recording', async () => {
    const deepgram = card('deepgram');
    await deepgram.locator('[data-transcript]').evaluate((element) => {
      element.textContent = '';
    });
    await deepgram.getByRole('button', { name: 'Record' }).click();
    await page.waitForTimeout(700);
    await deepgram.getByRole('button', { name: 'Stop recording' }).click();
    await expect.poll(() => deepgram.locator('[data-preview]').getAttribute('src')).toMatch(/^blob:/);
    await deepgram.getByRole('button', { name: 'Transcribe' }).click();
    await expect.poll(() => deepgram.locator('[data-transcript]').textContent()).toBe('Hello from the mock.');
  });

  it('speaks typed text into an audio element that can play it', async () => {
    const speech = card('elevenlabs');
    await speech.locator('textarea[name=text]').fill('Hello from the health page.');
    await speech.getByRole('button', { name: 'Speak' }).click();
    const player = speech.locator('audio[data-audio]');
    await expect.poll(() => player.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => player.evaluate((audio: HTMLAudioElement) => audio.readyState)).toBeGreaterThanOrEqual(1);
    expect(await player.evaluate((audio: HTMLAudioElement) => audio.duration)).toBeGreaterThan(0);
  });

  it.each(['s3', 'r2'])('round-trips a file through %s: upload, download the same bytes, delete', async (id) => {
    const storage = card(id);
    await storage
      .locator('input[type=file]')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(`stored through ${id}\n`) });
    await storage.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => message(storage)).toBe('Uploaded.');
    expect((await stats(storage))['Key']).toMatch(/notes\.txt$/);
    await storage.getByRole('button', { name: 'Download' }).click();
    await expect.poll(() => message(storage)).toMatch(/identical to the file sent\.$/);
    await storage.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => message(storage)).toMatch(/^Deleted .*notes\.txt\.$/);
  });

  it('uploads an image to Cloudinary, previews its transformation, and deletes it', async () => {
    const media = card('cloudinary');
    await media.locator('input[type=file]').setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: PNG });
    await media.getByRole('button', { name: 'Upload' }).click();
    const preview = media.locator('img[data-preview]');
    await expect.poll(() => preview.getAttribute('src')).toMatch(/^https:\/\/res\.cloudinary\.com\/demo-cloud\/image\/upload\/.*w_640/);
    await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBeGreaterThan(0);
    await media.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => message(media)).toMatch(/^Deleted /);
  });

  it('creates a Stripe test payment intent and shows its id and status, not its secrets', async () => {
    const stripe = card('stripe');
    await stripe.getByRole('button', { name: 'Create payment intent' }).click();
    await expect
      .poll(() => stats(stripe))
      .toEqual({ 'Payment intent': 'pi_mock_1', Status: 'requires_payment_method', Amount: '1.00 USD' });
    expect(await stripe.textContent()).not.toContain('secret');
  });

  it('creates a PayPal order with a link to its approval page', async () => {
    const paypal = card('paypal');
    await paypal.getByRole('button', { name: 'Create order' }).click();
    await expect.poll(() => stats(paypal)).toMatchObject({ Status: 'CREATED' });
    const { Order: orderId } = await stats(paypal);
    expect(await paypal.getByRole('link', { name: 'Open the approval page' }).getAttribute('href')).toBe(
      `https://www.sandbox.paypal.com/checkoutnow?token=${orderId}`,
    );
  });

  it.each(['sendgrid', 'mailgun'])('sends a test email through %s to the address typed', async (id) => {
    const email = card(id);
    await email.getByLabel('Send a test email to').fill('ada@example.org');
    await email.getByRole('button', { name: 'Send test email' }).click();
    await expect.poll(() => message(email)).toMatch(/ accepted the message to ada@example\.org/);
  });

  it('links to the Google sign-in route', async () => {
    const href = await card('google-auth').getByRole('link', { name: 'Sign in with Google' }).getAttribute('href');
    expect(href).toBe('/auth/google');
  });

  it('shows the usage the demos recorded', async () => {
    const usage = card('usage-tracker');
    await usage.getByRole('button', { name: 'Refresh' }).click();
    await expect
      .poll(() => usage.locator('tbody tr td:first-child').allTextContents())
      .toEqual(expect.arrayContaining(['openai', 'claude', 'deepgram', 'elevenlabs']));
  });

  it('lists the stored API keys, masked', async () => {
    const keys = card('api-key-manager');
    await keys.getByRole('button', { name: 'List keys' }).click();
    await expect.poll(() => keys.locator('tbody tr').count()).toBe(1);
    const cells = await keys.locator('tbody td').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['Health page test', 'openai']);
    expect(cells[2]?.endsWith(demo.storedKey.slice(-4))).toBe(true);
    expect(cells[2]).not.toContain(demo.storedKey);
  });

  it('never puts a credential in the page', async () => {
    const html = await page.content();
    for (const secret of [...demo.secrets, demo.token]) expect(html).not.toContain(secret);
  });

  it('fits a 390 px wide phone without horizontal scrolling, in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const errors: string[] = [];
      const phone = await openPage(browser, `${demo.url}/health/ui`, { width: 390, height: 844 }, errors, colorScheme);
      // Session storage is the tab's own: a new tab asks for the token again.
      expect(await phone.getByLabel('Access token').inputValue()).toBe('');
      await enterToken(phone, demo.token);
      const ai = phone.locator('[data-plugin="ai-chat"]');
      await ai.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => ai.locator('[data-answer]').textContent()).toBe('Hello from the mock');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(errors).toEqual([]);
      await save(phone, `phone-${colorScheme}`);
      await phone.close();
    }
    await save(page, 'desktop-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await save(page, 'desktop-dark');
  });

  describe('built with tsc and started with node dist/server.js', () => {
    let server: ServerProcess;
    let url: string;

    beforeAll(async () => {
      runOrThrow('npm', ['run', 'build'], project);
      // No provider variables: every plugin is listed as not configured.
      server = await startServerProcess(projectNode, ['dist/server.js'], { cwd: project, env: projectEnv });
      url = server.url;
    }, 120_000);

    afterAll(() => server?.stop());

    it('serves the page, which names the variables each plugin is missing and does not call a fresh project failing', async () => {
      const errors: string[] = [];
      const built = await openPage(browser, `${url}/health/ui`, { width: 1280, height: 900 }, errors);
      const row = (id: string) => built.locator('#plugins li', { has: built.locator('[data-id]', { hasText: new RegExp(`^${id}$`) }) });
      const stripeRow = row('stripe');
      expect(await stripeRow.locator('[data-badge]').textContent()).toBe('Not configured');
      expect(await stripeRow.locator('[data-detail] code').allTextContents()).toEqual([
        'STRIPE_SECRET_KEY',
        'STRIPE_PUBLISHABLE_KEY',
        'STRIPE_WEBHOOK_SECRET',
      ]);
      // Nothing answers for Ollama and LM Studio here, as on a machine where they are not started:
      // they, and the AI chat that only they serve, are not running, which is no failure.
      for (const id of ['ollama', 'lmstudio', 'ai-chat']) expect(await row(id).locator('[data-badge]').textContent()).toBe('Not running');
      expect(await row('default-storage').locator('[data-detail]').textContent()).toMatch(/^No storage provider is configured/);
      expect(await built.locator('#overall').textContent()).toBe('Needs setup');
      expect(await built.locator('#counts').textContent()).toMatch(/ · 3 not running$/);
      const stripe = built.locator('[data-plugin="stripe"]');
      expect(await stripe.getAttribute('class')).toContain('unavailable');
      expect(await stripe.locator('code').allTextContents()).toEqual([
        'STRIPE_SECRET_KEY',
        'STRIPE_PUBLISHABLE_KEY',
        'STRIPE_WEBHOOK_SECRET',
      ]);
      expect(errors).toEqual([]);
      await save(built, 'not-configured');
      await built.close();
    });
  });
});

/** Starts tests/helpers/health-ui-server.ts with the project's own tsx; resolves once it has printed where the app listens. */
async function startDemoServer(project: string): Promise<{ server: DemoServer; stop: () => Promise<void> }> {
  const child = spawn(path.join(project, 'node_modules', '.bin', 'tsx'), [driver, project], {
    cwd: project,
    env: projectEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then(() => reject(new Error(`The demo server exited before it was ready:\n${stderr.slice(-4000)}`)));
  });
  const server = JSON.parse(await firstLine) as DemoServer;
  return {
    server,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function openPage(
  browser: BrowserContext,
  url: string,
  viewport: { width: number; height: number },
  errors: string[],
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme });
  await page.goto(url);
  // The live checks run on load; the page is settled once they have answered.
  await page.locator('#overall:not(.busy)').waitFor({ timeout: 30_000 });
  return page;
}

/** Types a token into the page's Access token field and enters it, as a person pasting one would. */
async function enterToken(page: Page, token: string): Promise<void> {
  const field = page.getByLabel('Access token');
  await field.fill(token);
  await field.press('Enter');
}

/** The label → value pairs of a demo's result. */
async function stats(demoCard: ReturnType<Page['locator']>): Promise<Record<string, string>> {
  const pairs = await demoCard
    .locator('[data-stats] > div')
    .evaluateAll((items) => items.map((item) => [item.children[0]?.textContent ?? '', item.children[1]?.textContent ?? '']));
  return Object.fromEntries(pairs);
}

function message(demoCard: ReturnType<Page['locator']>): Promise<string | null> {
  return demoCard.locator('[data-message]').textContent();
}

async function save(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `health-ui-${name}.png`), fullPage: true });
}
