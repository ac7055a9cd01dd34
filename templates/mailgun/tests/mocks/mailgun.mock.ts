import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startMock } from '../helpers/http.js';
import type { ProviderMock } from '../helpers/provider-mock.js';
import { forNextRequest } from '../helpers/provider-mock.js';

/** What the mock received in one request; `fields` holds the form fields of a message, by name. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  fields: Record<string, string[]>;
}

/** A local stand-in for the Mailgun API (the calls the plugin makes), with Mailgun-style error bodies; its `url` is the base URL for MAILGUN_URL, like https://api.mailgun.net. */
export type MailgunMock = ProviderMock<RecordedRequest>;

/** The id every accepted message gets. */
export const MESSAGE_ID = '<20260301120000.1.MOCK@mg.example.com>';
/** An address the validation API rates undeliverable; every other one is deliverable. */
export const UNDELIVERABLE = 'nobody@bounces.example.org';

/** Starts the mock; requests must carry `Authorization: Basic base64(api:<apiKey>)`, and only `domain` exists. */
export async function startMailgunMock(apiKey: string, domain: string): Promise<MailgunMock> {
  const requests: RecordedRequest[] = [];
  const nextFailure = forNextRequest<number>();

  const server = await startMock(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      fields: await readFields(req),
    };
    requests.push(request);

    if (req.headers.authorization !== `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Forbidden');
      return;
    }
    const status = nextFailure.take();
    if (status !== undefined) {
      // The real API does not quote keys; this one does, so a test can tell if the plugin passes it on.
      sendJson(res, status, { message: `Mock failure with status ${status} for key ${apiKey}` });
      return;
    }

    const route = `${request.method} ${request.path}`;
    if (route === `POST /v3/${domain}/messages`) {
      const problem = messageProblem(request.fields);
      if (problem) sendJson(res, 400, { message: problem });
      else sendJson(res, 200, { id: MESSAGE_ID, message: 'Queued. Thank you.' });
    } else if (route === 'GET /v4/address/validate') {
      sendJson(res, 200, validation(url.searchParams.get('address') ?? ''));
    } else if (route === `GET /v4/domains/${domain}`) {
      const created = 'Sun, 01 Mar 2026 12:00:00 GMT';
      sendJson(res, 200, {
        domain: { name: domain, state: 'active', type: 'custom', created_at: created },
        receiving_dns_records: [],
        sending_dns_records: [],
      });
    } else if (request.path.startsWith('/v3/') || request.path.startsWith('/v4/domains/')) {
      sendJson(res, 404, { message: 'Domain not found' });
    } else {
      sendJson(res, 404, { message: `Unknown request ${route}` });
    }
  });

  return {
    url: server.url,
    requests,
    failNext: nextFailure.set,
    close: () => server.close(),
  };
}

// Messages arrive as multipart/form-data; a repeated field (several `to`) keeps every value.
async function readFields(req: IncomingMessage): Promise<Record<string, string[]>> {
  const body = await readBody(req);
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) return {};
  const form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData();
  const fields: Record<string, string[]> = {};
  for (const [name, value] of form.entries()) fields[name] = [...(fields[name] ?? []), String(value)];
  return fields;
}

// The checks Mailgun makes before it queues a message.
function messageProblem(fields: Record<string, string[]>): string | undefined {
  if (!fields['from']) return "'from' parameter is missing";
  if (!fields['to']) return "'to' parameter is missing";
  if (!fields['text'] && !fields['html']) return "Need at least one of 'text', 'html', 'amp-html' or 'template' parameters specified";
  return undefined;
}

function validation(address: string) {
  const undeliverable = address === UNDELIVERABLE;
  return {
    address,
    is_disposable_address: false,
    is_role_address: address.startsWith('info@'),
    reason: undeliverable ? ['mailbox_does_not_exist'] : [],
    result: undeliverable ? 'undeliverable' : 'deliverable',
    risk: undeliverable ? 'high' : 'low',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
