import type { MailgunMessageData } from 'mailgun.js/definitions';
import { HttpError, providerError } from '../../lib/errors.js';
import { loadOnce } from '../../lib/load-once.js';
import type { AddressValidation, MailgunConfig, SendBody, SendResult } from './mailgun.schema.js';

const PROVIDER = 'Mailgun';
const DEFAULT_URL = 'https://api.mailgun.net';
const REQUEST_TIMEOUT_MS = 30_000;
// mailgun.js reports a request that got no answer as status 400, with the network error code as its message.
const NETWORK_ERROR_CODE = /^(E[A-Z_]+|ERR_[A-Z_]+)$/;

/** The Mailgun calls the routes make; failures come out as `HttpError`s. */
export interface MailgunService {
  /** Sends to each recipient separately; `from` defaults to MAILGUN_FROM_EMAIL, else postmaster@MAILGUN_DOMAIN. */
  send(email: SendBody): Promise<SendResult>;
  /** Mailgun's deliverability verdict on one address (a paid Mailgun feature). */
  validate(address: string): Promise<AddressValidation>;
  /** Reads the sending domain: proves the key works and the domain belongs to it. */
  checkDomain(signal: AbortSignal): Promise<void>;
}

/** Wraps mailgun.js around one key, domain and API base URL. */
export function createMailgunService(config: MailgunConfig): MailgunService {
  // The SDK is imported on the first call, not at start-up.
  const loadClient = loadOnce(async () => {
    const { default: Mailgun } = await import('mailgun.js');
    // Node's own FormData builds the multipart bodies.
    return new Mailgun(FormData).client({
      username: 'api',
      key: config.MAILGUN_API_KEY,
      url: config.MAILGUN_URL ?? DEFAULT_URL,
      timeout: REQUEST_TIMEOUT_MS,
    });
  });
  const domain = config.MAILGUN_DOMAIN;
  const defaultFrom = config.MAILGUN_FROM_EMAIL ?? `postmaster@${domain}`;

  return {
    async send(email) {
      const to = typeof email.to === 'string' ? [email.to] : email.to;
      const message: MailgunMessageData = {
        from: email.from ?? defaultFrom,
        to,
        subject: email.subject,
        ...messageContent(email),
        ...(email.replyTo ? { 'h:Reply-To': email.replyTo } : {}),
        // Batch sending: with recipient variables Mailgun sends each address its own copy, so
        // nobody sees the other addresses.
        ...(to.length > 1 ? { 'recipient-variables': JSON.stringify(Object.fromEntries(to.map((address) => [address, {}]))) } : {}),
      };
      const client = await loadClient();
      const result = await call(() => client.messages.create(domain, message));
      if (!result.id) throw new HttpError(502, `${PROVIDER} did not return a message id.`);
      return { id: result.id, message: result.message };
    },

    async validate(address) {
      const client = await loadClient();
      const result = await call(() => client.validate.get(address));
      return {
        address: result.address,
        isValid: result.result === 'deliverable',
        result: result.result,
        risk: result.risk,
        reason: result.reason,
        isDisposable: result.is_disposable_address,
        isRoleAddress: result.is_role_address,
      };
    },

    async checkDomain(signal) {
      const client = await loadClient();
      const check = call(() => client.domains.get(domain)).catch((error: unknown) => {
        if (error instanceof HttpError && error.status === 404)
          throw new HttpError(404, `${PROVIDER} has no domain named ${domain} for this key.`);
        throw error;
      });
      await Promise.race([check, rejectOnAbort(signal)]);
    },
  };
}

// Validation guarantees text or html for requests; this also guards code that calls the service directly.
function messageContent({ text, html }: SendBody): { text: string; html?: string } | { html: string } {
  if (text !== undefined) return { text, html };
  if (html !== undefined) return { html };
  throw new HttpError(400, 'An email needs text or html content.');
}

// The client takes no AbortSignal, so the probe stops waiting instead (the request itself ends at its timeout).
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

// One place where SDK failures become HTTP errors. mailgun.js throws an APIError with the HTTP
// status in `status` (its class is not exported, hence the duck typing); its messages never contain the key.
async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const { status, details } = error as { status?: unknown; details?: unknown };
    if (typeof status !== 'number') throw error;
    if (NETWORK_ERROR_CODE.test(error.message)) throw providerError(PROVIDER, undefined);
    throw providerError(PROVIDER, status, (typeof details === 'string' && details) || error.message);
  }
}
