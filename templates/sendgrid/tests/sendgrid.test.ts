import { describe, expect, it, vi } from 'vitest';
import { sendgridPlugin } from '../src/email/sendgrid/index.js';
import { postJson, useAppWithMock } from './helpers/app-with-mock.js';
import { itSendsLikeEveryEmailPlugin } from './helpers/email-send-contract.js';
import { startApp, startMock } from './helpers/http.js';
import { BASE_METRICS, MESSAGE_ID, startSendGridMock } from './mocks/sendgrid.mock.js';

const API_KEY = 'SG.mock-key-0123456789abcdef';
const FROM_EMAIL = 'hello@example.com';
const OTHER_SENDER = 'team@example.com';

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

// The mock answers BASE_METRICS times the day's position in the range.
function metricsTimes(factor: number) {
  return {
    requests: BASE_METRICS.requests * factor,
    delivered: BASE_METRICS.delivered * factor,
    opens: BASE_METRICS.opens * factor,
    uniqueOpens: BASE_METRICS.unique_opens * factor,
    clicks: BASE_METRICS.clicks * factor,
    uniqueClicks: BASE_METRICS.unique_clicks * factor,
    bounces: BASE_METRICS.bounces * factor,
    blocks: BASE_METRICS.blocks * factor,
    spamReports: BASE_METRICS.spam_reports * factor,
    unsubscribes: BASE_METRICS.unsubscribes * factor,
  };
}

const settings = (root: string) => ({ SENDGRID_API_KEY: API_KEY, SENDGRID_FROM_EMAIL: FROM_EMAIL, SENDGRID_BASE_URL: root });

describe('SendGrid plugin', () => {
  const running = useAppWithMock(
    () => startSendGridMock(API_KEY, [FROM_EMAIL, OTHER_SENDER]),
    (mock) => startApp(settings(mock.url), { plugins: [sendgridPlugin] }),
  );

  const post = (path: string, body: unknown) => postJson(`${running.app.url}/api/email${path}`, body);

  it('sends an email from SENDGRID_FROM_EMAIL and answers 202 with the message id', async () => {
    const response = await post('/send', {
      to: 'ada@example.org',
      subject: 'Welcome',
      text: 'Hello Ada',
      html: '<p>Hello Ada</p>',
      replyTo: 'support@example.com',
    });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, messageId: MESSAGE_ID });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
    expect(`${request?.method} ${request?.path}`).toBe('POST /v3/mail/send');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toEqual({
      from: { email: FROM_EMAIL },
      subject: 'Welcome',
      personalizations: [{ to: [{ email: 'ada@example.org' }] }],
      content: [
        { type: 'text/plain', value: 'Hello Ada' },
        { type: 'text/html', value: '<p>Hello Ada</p>' },
      ],
      reply_to: { email: 'support@example.com' },
    });
  });

  it('gives each recipient of a list a copy of their own, from the sender asked for', async () => {
    const response = await post('/send', {
      to: ['ada@example.org', 'alan@example.org'],
      subject: 'News',
      html: '<b>News</b>',
      from: OTHER_SENDER,
    });

    expect(response.status).toBe(202);
    expect(running.mock.requests[0]?.body).toMatchObject({
      from: { email: OTHER_SENDER },
      personalizations: [{ to: [{ email: 'ada@example.org' }] }, { to: [{ email: 'alan@example.org' }] }],
      content: [{ type: 'text/html', value: '<b>News</b>' }],
    });
  });

  it('sends a dynamic template with its data for every recipient', async () => {
    const templateId = 'd-0123456789abcdef0123456789abcdef';
    const dynamicTemplateData = { firstName: 'Ada', items: [{ name: 'Book', price: 12 }] };
    const response = await post('/send-template', { to: ['ada@example.org', 'alan@example.org'], templateId, dynamicTemplateData });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, messageId: MESSAGE_ID });
    const body = running.mock.requests[0]?.body;
    expect(body).toEqual({
      from: { email: FROM_EMAIL },
      template_id: templateId,
      personalizations: [
        { to: [{ email: 'ada@example.org' }], dynamic_template_data: dynamicTemplateData },
        { to: [{ email: 'alan@example.org' }], dynamic_template_data: dynamicTemplateData },
      ],
    });
  });

  it('answers per-day totals for a date range', async () => {
    const response = await fetch(`${running.app.url}/api/email/stats?startDate=2026-03-01&endDate=2026-03-02`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      startDate: '2026-03-01',
      endDate: '2026-03-02',
      days: [
        { date: '2026-03-01', ...metricsTimes(1) },
        { date: '2026-03-02', ...metricsTimes(2) },
      ],
      totals: metricsTimes(3),
    });
    const [request] = running.mock.requests;
    expect(`${request?.method} ${request?.path}`).toBe('GET /v3/stats');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ start_date: '2026-03-01', end_date: '2026-03-02', aggregated_by: 'day' });
  });

  it('asks for the last 7 days when no dates are given', async () => {
    // A fixed today: the answer would otherwise depend on whether the test ran across midnight UTC.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-10T12:00:00Z') });
    try {
      const response = await fetch(`${running.app.url}/api/email/stats`);

      expect(response.status).toBe(200);
      const body = (await response.json()) as { startDate: string; endDate: string; days: unknown[] };
      expect(body).toMatchObject({ startDate: '2026-03-04', endDate: '2026-03-10' });
      expect(body.days).toHaveLength(7);
      expect(running.mock.requests[0]?.query.get('start_date')).toBe('2026-03-04');
    } finally {
      vi.useRealTimers();
    }
  });

  itSendsLikeEveryEmailPlugin({ name: 'SendGrid', running, send: (body) => post('/send', body), apiKey: API_KEY });

  it('answers 400 for a template id that is not a dynamic one without calling SendGrid', async () => {
    const response = await post('/send-template', { to: 'ada@example.org', templateId: 'welcome' });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.details?.map((issue) => issue.path)).toContain('templateId');
    expect(running.mock.requests).toHaveLength(0);
  });

  it('answers 400 for impossible or reversed dates without calling SendGrid', async () => {
    for (const query of ['startDate=2026-02-30', 'startDate=03/01/2026', 'startDate=2026-03-05&endDate=2026-03-01']) {
      const response = await fetch(`${running.app.url}/api/email/stats?${query}`);
      expect(response.status).toBe(400);
    }
    expect(running.mock.requests).toHaveLength(0);
  });

  it('explains a sender that SendGrid has not verified with 400', async () => {
    const response = await post('/send', { to: 'ada@example.org', subject: 'Hi', text: 'Hello', from: 'stranger@example.net' });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.message).toContain('refused the sender stranger@example.net');
  });

  it('passes on what SendGrid says about a rejected request', async () => {
    running.mock.failNext(400);
    const response = await fetch(`${running.app.url}/api/email/stats?startDate=2026-03-01`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toContain('SendGrid rejected the request.');
  });

  it('maps a rejected key to 401 without leaking it, and leaves other apps in the process alone', async () => {
    const wrongKey = 'SG.wrong-key-fedcba9876543210';
    const misconfigured = await startApp({ ...settings(running.mock.url), SENDGRID_API_KEY: wrongKey }, { plugins: [sendgridPlugin] });
    try {
      const response = await fetch(`${misconfigured.url}/api/email/stats`);
      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('SendGrid rejected the credentials');
      expect(text).not.toContain(wrongKey);

      const stillWorking = await post('/send', { to: 'ada@example.org', subject: 'Hi', text: 'Hello' });
      expect(stillWorking.status).toBe(202);
      expect(running.mock.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    } finally {
      await misconfigured.close();
    }
  });

  it('probes by listing the key scopes on GET /health?probe=1', async () => {
    const probe = async () => {
      const response = await fetch(`${running.app.url}/health?probe=1`);
      const body = (await response.json()) as { plugins: { id: string; status: string; message?: string }[] };
      return body.plugins.find((plugin) => plugin.id === 'sendgrid');
    };

    expect(await probe()).toMatchObject({ status: 'ok' });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v3/scopes']);

    running.mock.failNext(401);
    expect(await probe()).toMatchObject({ status: 'failing', message: 'SendGrid rejected the credentials. Check the API key.' });
  });

  it('limits each client to RATE_LIMIT_PER_MINUTE requests', async () => {
    const limited = await startApp({ ...settings(running.mock.url), RATE_LIMIT_PER_MINUTE: '2' }, { plugins: [sendgridPlugin] });
    try {
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await fetch(`${limited.url}/api/email/stats`)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('SendGrid plugin out of reach', () => {
  it('answers 503 when SendGrid cannot be reached', async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp(
      { SENDGRID_API_KEY: API_KEY, SENDGRID_FROM_EMAIL: FROM_EMAIL, SENDGRID_BASE_URL: closed.url },
      { plugins: [sendgridPlugin] },
    );
    try {
      const response = await fetch(`${app.url}/api/email/stats`);

      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toBe('SendGrid could not be reached. Try again later.');
    } finally {
      await app.close();
    }
  });
});
