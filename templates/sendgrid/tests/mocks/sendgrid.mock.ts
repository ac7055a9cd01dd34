import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { readBody, startMock } from '../helpers/http.js';
import type { ProviderMock } from '../helpers/provider-mock.js';
import { forNextRequest } from '../helpers/provider-mock.js';

/** What the mock received in one request. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A local stand-in for the SendGrid v3 API (the calls the plugin makes), with SendGrid-style error bodies; its `url` is the base URL for SENDGRID_BASE_URL, like https://api.sendgrid.com. */
export type SendGridMock = ProviderMock<RecordedRequest>;

/** The X-Message-Id every accepted send carries. */
export const MESSAGE_ID = 'mock-message-id-0001';

/** Metrics of one stats entry, as the API names them; each day of a range answers them times its position (1, 2 ...). */
export const BASE_METRICS = {
  blocks: 1,
  bounce_drops: 0,
  bounces: 2,
  clicks: 3,
  deferred: 0,
  delivered: 40,
  invalid_emails: 0,
  opens: 20,
  processed: 42,
  requests: 42,
  spam_report_drops: 0,
  spam_reports: 1,
  unique_clicks: 2,
  unique_opens: 10,
  unsubscribe_drops: 0,
  unsubscribes: 1,
};

/** Starts the mock; requests must carry `Authorization: Bearer <apiKey>`, and only `verifiedSenders` may send. */
export async function startSendGridMock(apiKey: string, verifiedSenders: string[]): Promise<SendGridMock> {
  const requests: RecordedRequest[] = [];
  const nextFailure = forNextRequest<number>();

  const server = await startMock(async (req, res) => {
    const raw = (await readBody(req)).toString('utf8');
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });

    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      sendErrors(res, 401, [{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked' }]);
      return;
    }
    const status = nextFailure.take();
    if (status !== undefined) {
      // The real API does not quote keys; this one does, so a test can tell if the plugin passes it on.
      sendErrors(res, status, [{ field: null, message: `Mock failure with status ${status} for key ${apiKey}` }]);
      return;
    }

    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /v3/mail/send') {
      const from = senderOf(body);
      if (from === undefined || !verifiedSenders.includes(from)) {
        sendErrors(res, 403, [
          {
            field: 'from',
            message: 'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.',
          },
        ]);
        return;
      }
      res.writeHead(202, { 'X-Message-Id': MESSAGE_ID }).end();
    } else if (route === 'GET /v3/stats') {
      const start = url.searchParams.get('start_date');
      if (start === null) sendErrors(res, 400, [{ field: 'start_date', message: 'is required' }]);
      else sendJson(res, 200, statsFor(start, url.searchParams.get('end_date') ?? start));
    } else if (route === 'GET /v3/scopes') {
      sendJson(res, 200, { scopes: ['mail.send', 'stats.read'] });
    } else {
      sendErrors(res, 404, [{ field: null, message: `Unknown request ${route}` }]);
    }
  });

  return {
    url: server.url,
    requests,
    failNext: nextFailure.set,
    close: () => server.close(),
  };
}

function senderOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('from' in body)) return undefined;
  const { from } = body;
  if (typeof from !== 'object' || from === null || !('email' in from)) return undefined;
  return typeof from.email === 'string' ? from.email : undefined;
}

// One entry per day of the range, each with BASE_METRICS times the day's position (1, 2, ...).
function statsFor(start: string, end: string) {
  const days = [];
  for (let time = Date.parse(start), index = 1; time <= Date.parse(end); time += 86_400_000, index += 1) {
    const metrics = Object.fromEntries(Object.entries(BASE_METRICS).map(([name, value]) => [name, value * index]));
    days.push({ date: new Date(time).toISOString().slice(0, 10), stats: [{ metrics }] });
  }
  return days;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendErrors(res: ServerResponse, status: number, errors: { field: string | null; message: string }[]): void {
  sendJson(res, status, { errors });
}
