import { expect, it } from 'vitest';
import type { AppWithMock } from './app-with-mock.js';
import type { ProviderMock } from './provider-mock.js';

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

/** One email plugin as the send contract drives it. */
export interface EmailSenderUnderTest {
  /** The plugin's name, as its messages give it: `Mailgun`. */
  name: string;
  /** The app and provider mock of the describe block the contract is called in. */
  running: AppWithMock<ProviderMock<unknown>>;
  /** POSTs a body to the plugin's `POST /send`. */
  send(body: unknown): Promise<Response>;
  /** The key the plugin is given: no answer may show it. */
  apiKey: string;
}

/**
 * The tests of `POST /send` that hold for every email plugin: they all validate the same body
 * (src/email/email-schemas.ts) and map a provider's rate limit alike. Call it inside a plugin's
 * describe block, next to the tests of what only that plugin does.
 */
export function itSendsLikeEveryEmailPlugin({ name, running, send, apiKey }: EmailSenderUnderTest): void {
  it.each([
    ['an invalid recipient', { to: 'ada@', subject: 'Hi', text: 'Hello' }, 'to'],
    ['a recipient that is no address at all', { to: 'not-an-email', subject: 'Hi', text: 'Hello' }, 'to'],
    ['an invalid recipient in a list', { to: ['ada@example.org', 'nope'], subject: 'Hi', text: 'Hello' }, 'to.1'],
    ['an invalid sender', { to: 'ada@example.org', from: 'me', subject: 'Hi', text: 'Hello' }, 'from'],
    ['neither text nor html', { to: 'ada@example.org', subject: 'Hi' }, 'text'],
    ['no subject', { to: 'ada@example.org', text: 'Hello' }, 'subject'],
    ['an address listed twice', { to: ['ada@example.org', 'ADA@example.org'], subject: 'Hi', text: 'Hello' }, 'to'],
    ['more than 50 recipients', { to: Array.from({ length: 51 }, (_, i) => `user${i}@example.org`), subject: 'Hi', text: 'Hello' }, 'to'],
  ])(`answers 400 for %s without calling ${name}`, async (_, body, field) => {
    const response = await send(body);

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.details?.map((issue) => issue.path)).toContain(field);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('maps a rate limit to 429 without leaking the key', async () => {
    running.mock.failNext(429);
    const response = await send({ to: 'ada@example.org', subject: 'Hi', text: 'Hello' });

    expect(response.status).toBe(429);
    expect(await response.text()).not.toContain(apiKey);
  });
}
