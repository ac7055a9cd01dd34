import sgClient from '@sendgrid/client';
import sgMail from '@sendgrid/mail';
import * as z from 'zod';
import { HttpError, providerError } from '../../lib/errors.js';
import type { DailyStats, SendBody, SendGridConfig, SendResult, SendTemplateBody, StatsResult } from './sendgrid.schema.js';

const PROVIDER = 'SendGrid';
const DEFAULT_BASE_URL = 'https://api.sendgrid.com';
const REQUEST_TIMEOUT_MS = 30_000;

type MailService = typeof sgMail;
type Client = typeof sgClient;

// Both packages export one shared, ready-made instance. Each service builds its own from that
// instance's class, so two apps in one process (the tests start several) never share a key or
// base URL. The classes are not imported by name: TypeScript 7 rejects that with these typings.
const MailServiceClass = sgMail.constructor as new () => MailService;
const ClientClass = sgClient.constructor as new () => Client;

type Metrics = Omit<DailyStats, 'date'>;

/** The API's name for each metric this plugin reports. */
const API_METRICS: Record<keyof Metrics, string> = {
  requests: 'requests',
  delivered: 'delivered',
  opens: 'opens',
  uniqueOpens: 'unique_opens',
  clicks: 'clicks',
  uniqueClicks: 'unique_clicks',
  bounces: 'bounces',
  blocks: 'blocks',
  spamReports: 'spam_reports',
  unsubscribes: 'unsubscribes',
};

const statsResponse = z.array(
  z.object({
    date: z.string(),
    stats: z.array(z.object({ metrics: z.record(z.string(), z.number()) })),
  }),
);

const errorResponse = z.object({
  errors: z.array(z.object({ message: z.string(), field: z.string().nullish() })).min(1),
});

type Content =
  | { subject: string; text: string; html?: string }
  | { subject: string; html: string }
  | { templateId: string; dynamicTemplateData: Record<string, unknown> };

/** The SendGrid calls the routes make; failures come out as `HttpError`s. */
export interface SendGridService {
  /** Sends to each recipient separately; `from` defaults to SENDGRID_FROM_EMAIL. */
  send(email: SendBody): Promise<SendResult>;
  sendTemplate(email: SendTemplateBody): Promise<SendResult>;
  /** Per-day totals for a range of YYYY-MM-DD dates, both included. */
  stats(startDate: string, endDate: string): Promise<StatsResult>;
  /** Lists the key's scopes: a free call that proves the key works. */
  checkKey(signal: AbortSignal): Promise<void>;
}

/** Wraps @sendgrid/mail (sending) and @sendgrid/client (stats, probe) around one key and base URL. */
export function createSendGridService(config: SendGridConfig): SendGridService {
  const client = new ClientClass();
  client.setApiKey(config.SENDGRID_API_KEY);
  // After setApiKey, which resets the base URL to SendGrid's global host.
  client.setDefaultRequest('baseUrl', config.SENDGRID_BASE_URL ?? DEFAULT_BASE_URL);
  const mail = new MailServiceClass();
  mail.setClient(client);
  mail.setTimeout(REQUEST_TIMEOUT_MS);

  async function deliver(email: SendBody | SendTemplateBody, content: Content): Promise<SendResult> {
    const from = email.from ?? config.SENDGRID_FROM_EMAIL;
    const to = typeof email.to === 'string' ? [email.to] : email.to;
    // `true` gives each recipient a personalization of their own, so nobody sees the other addresses.
    const [response] = await call(() => mail.send({ to, from, replyTo: email.replyTo, ...content }, true), from);
    const messageId: unknown = response.headers['x-message-id'];
    return { accepted: true, ...(typeof messageId === 'string' ? { messageId } : {}) };
  }

  return {
    send: (email) => deliver(email, messageContent(email)),

    sendTemplate: (email) => deliver(email, { templateId: email.templateId, dynamicTemplateData: email.dynamicTemplateData ?? {} }),

    async stats(startDate, endDate) {
      const [, body] = await call(() =>
        client.request({ method: 'GET', url: '/v3/stats', qs: { start_date: startDate, end_date: endDate, aggregated_by: 'day' } }),
      );
      const parsed = statsResponse.safeParse(body);
      if (!parsed.success) throw new HttpError(502, `${PROVIDER} sent statistics in an unexpected shape.`);
      const days = parsed.data.map(({ date, stats }) => ({
        date,
        ...sumMetrics(stats, (entry, metric) => entry.metrics[API_METRICS[metric]] ?? 0),
      }));
      return { startDate, endDate, days, totals: sumMetrics(days, (day, metric) => day[metric]) };
    },

    async checkKey(signal) {
      await Promise.race([call(() => client.request({ method: 'GET', url: '/v3/scopes' })), rejectOnAbort(signal)]);
    },
  };
}

// Validation guarantees text or html for requests; this also guards code that calls the service directly.
function messageContent({ subject, text, html }: SendBody): Content {
  if (text !== undefined) return { subject, text, html };
  if (html !== undefined) return { subject, html };
  throw new HttpError(400, 'An email needs text or html content.');
}

function sumMetrics<T>(entries: T[], read: (entry: T, metric: keyof Metrics) => number): Metrics {
  const total = (metric: keyof Metrics) => entries.reduce((sum, entry) => sum + read(entry, metric), 0);
  return {
    requests: total('requests'),
    delivered: total('delivered'),
    opens: total('opens'),
    uniqueOpens: total('uniqueOpens'),
    clicks: total('clicks'),
    uniqueClicks: total('uniqueClicks'),
    bounces: total('bounces'),
    blocks: total('blocks'),
    spamReports: total('spamReports'),
    unsubscribes: total('unsubscribes'),
  };
}

// The client takes no AbortSignal, so the probe stops waiting instead (the request itself ends at its timeout).
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

// One place where SDK failures become HTTP errors. `from` names the sender when SendGrid refuses it.
async function call<T>(operation: () => Promise<T>, from?: string): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toProviderError(error, from);
  }
}

// SendGrid's ResponseError carries the HTTP status in `code`; an axios error without one means no
// answer came. The API's messages never contain the key.
function toProviderError(error: unknown, from: string | undefined): unknown {
  if (!(error instanceof Error)) return error;
  const { code, response, isAxiosError } = error as { code?: unknown; response?: unknown; isAxiosError?: unknown };
  if (typeof code === 'number' && response !== undefined) {
    const problems = errorResponse.safeParse(responseBody(response));
    const errors = problems.success ? problems.data.errors : [];
    // SendGrid answers 403 when the sender is not verified: a fixable request problem, not a bad key.
    if (code === 403 && from !== undefined && errors.some((problem) => problem.field === 'from')) {
      return new HttpError(
        400,
        `${PROVIDER} refused the sender ${from}: it is not a verified Sender Identity (https://app.sendgrid.com/settings/sender_auth).`,
      );
    }
    const message = errors.map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message)).join(' ');
    return providerError(PROVIDER, code, message || undefined);
  }
  if (isAxiosError === true) return providerError(PROVIDER, undefined);
  return error;
}

function responseBody(response: unknown): unknown {
  return typeof response === 'object' && response !== null ? (response as { body?: unknown }).body : undefined;
}
