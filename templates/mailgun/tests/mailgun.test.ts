import { describe, expect, it } from 'vitest';
import { mailgunPlugin } from '../src/email/mailgun/index.js';
import { postJson, probeOf, useAppWithMock } from './helpers/app-with-mock.js';
import { itSendsLikeEveryEmailPlugin } from './helpers/email-send-contract.js';
import { startApp, startMock } from './helpers/http.js';
import { MESSAGE_ID, startMailgunMock, UNDELIVERABLE } from './mocks/mailgun.mock.js';

const API_KEY = 'mock-mailgun-key-0123456789abcdef';
const DOMAIN = 'mg.example.com';

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

const settings = (root: string) => ({ MAILGUN_API_KEY: API_KEY, MAILGUN_DOMAIN: DOMAIN, MAILGUN_URL: root });

describe('Mailgun plugin', () => {
  const running = useAppWithMock(
    () => startMailgunMock(API_KEY, DOMAIN),
    (mock) => startApp(settings(mock.url), { plugins: [mailgunPlugin] }),
  );

  const post = (path: string, body: unknown, server = running.app) => postJson(`${server.url}/api/email/mailgun${path}`, body);

  it('sends an email from postmaster@MAILGUN_DOMAIN and answers 202 with the message id', async () => {
    const response = await post('/send', {
      to: 'ada@example.org',
      subject: 'Welcome',
      text: 'Hello Ada',
      html: '<p>Hello Ada</p>',
      replyTo: 'support@example.com',
    });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ id: MESSAGE_ID, message: 'Queued. Thank you.' });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
    expect(`${request?.method} ${request?.path}`).toBe(`POST /v3/${DOMAIN}/messages`);
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}`);
    expect(request?.fields).toEqual({
      from: [`postmaster@${DOMAIN}`],
      to: ['ada@example.org'],
      subject: ['Welcome'],
      text: ['Hello Ada'],
      html: ['<p>Hello Ada</p>'],
      'h:Reply-To': ['support@example.com'],
    });
  });

  it('sends a list as a batch, so each recipient gets a copy of their own', async () => {
    const response = await post('/send', {
      to: ['ada@example.org', 'alan@example.org'],
      subject: 'News',
      html: '<b>News</b>',
      from: 'news@mg.example.com',
    });

    expect(response.status).toBe(202);
    const fields = running.mock.requests[0]?.fields;
    expect(fields).toMatchObject({ from: ['news@mg.example.com'], to: ['ada@example.org', 'alan@example.org'], html: ['<b>News</b>'] });
    expect(fields?.['text']).toBeUndefined();
    expect(JSON.parse(fields?.['recipient-variables']?.[0] ?? 'null')).toEqual({ 'ada@example.org': {}, 'alan@example.org': {} });
  });

  it('sends from MAILGUN_FROM_EMAIL when it is set', async () => {
    const withSender = await startApp(
      { ...settings(running.mock.url), MAILGUN_FROM_EMAIL: 'hello@mg.example.com' },
      { plugins: [mailgunPlugin] },
    );
    try {
      const response = await post('/send', { to: 'ada@example.org', subject: 'Hi', text: 'Hello' }, withSender);
      expect(response.status).toBe(202);
      expect(running.mock.requests[0]?.fields['from']).toEqual(['hello@mg.example.com']);
    } finally {
      await withSender.close();
    }
  });

  it('validates an address through the validation API', async () => {
    const good = await post('/validate', { address: 'info@example.org' });
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({
      address: 'info@example.org',
      isValid: true,
      result: 'deliverable',
      risk: 'low',
      reason: [],
      isDisposable: false,
      isRoleAddress: true,
    });
    expect(`${running.mock.requests[0]?.method} ${running.mock.requests[0]?.path}`).toBe('GET /v4/address/validate');
    expect(running.mock.requests[0]?.query.get('address')).toBe('info@example.org');

    const bad = await post('/validate', { address: UNDELIVERABLE });
    expect(await bad.json()).toMatchObject({ isValid: false, result: 'undeliverable', risk: 'high', reason: ['mailbox_does_not_exist'] });
  });

  itSendsLikeEveryEmailPlugin({ name: 'Mailgun', running, send: (body) => post('/send', body), apiKey: API_KEY });

  it('answers 400 for a malformed address to validate without calling Mailgun', async () => {
    const response = await post('/validate', { address: 'not an address' });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.details?.map((issue) => issue.path)).toContain('address');
    expect(running.mock.requests).toHaveLength(0);
  });

  it('passes on what Mailgun says about a rejected message', async () => {
    running.mock.failNext(400);
    const response = await post('/send', { to: 'ada@example.org', subject: 'Hi', text: 'Hello' });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.message).toContain('Mailgun rejected the request.');
  });

  it('maps a rejected key to 502 without leaking it', async () => {
    const wrongKey = 'wrong-mailgun-key-fedcba9876543210';
    const misconfigured = await startApp({ ...settings(running.mock.url), MAILGUN_API_KEY: wrongKey }, { plugins: [mailgunPlugin] });
    try {
      const response = await post('/validate', { address: 'ada@example.org' }, misconfigured);
      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('Mailgun rejected the credentials');
      expect(text).not.toContain(wrongKey);
    } finally {
      await misconfigured.close();
    }
  });

  it('probes by reading the sending domain on GET /health?probe=1', async () => {
    expect(await probeOf(running.app, 'mailgun')).toMatchObject({ status: 'ok' });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /v4/domains/${DOMAIN}`]);

    const elsewhere = await startApp({ ...settings(running.mock.url), MAILGUN_DOMAIN: 'mg.other.example' }, { plugins: [mailgunPlugin] });
    try {
      expect(await probeOf(elsewhere, 'mailgun')).toMatchObject({
        status: 'failing',
        message: 'Mailgun has no domain named mg.other.example for this key.',
      });
    } finally {
      await elsewhere.close();
    }
  });
});

describe('Mailgun plugin with invalid settings or out of reach', () => {
  it('names a domain that is not a domain name', async () => {
    const app = await startApp({ MAILGUN_API_KEY: API_KEY, MAILGUN_DOMAIN: 'https://mg.example.com' }, { plugins: [mailgunPlugin] });
    try {
      const response = await fetch(`${app.url}/api/email/mailgun/send`, { method: 'POST' });

      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toContain('MAILGUN_DOMAIN must be a domain name such as mg.example.com');
    } finally {
      await app.close();
    }
  });

  it('answers 503 when Mailgun cannot be reached', async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp({ MAILGUN_API_KEY: API_KEY, MAILGUN_DOMAIN: DOMAIN, MAILGUN_URL: closed.url }, { plugins: [mailgunPlugin] });
    try {
      const response = await fetch(`${app.url}/api/email/mailgun/validate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ address: 'ada@example.org' }),
      });

      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toBe('Mailgun could not be reached. Try again later.');
    } finally {
      await app.close();
    }
  });
});
