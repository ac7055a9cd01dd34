import * as z from 'zod';
import { emailAddress } from '../email-schemas.js';

// `POST /send` takes the same body on every email plugin.
export { type SendBody, sendBody } from '../email-schemas.js';

/** The plugin's environment variables; the key and the sending domain are required. */
export const mailgunEnv = z.object({
  MAILGUN_API_KEY: z.string().min(1),
  MAILGUN_DOMAIN: z.string().regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a domain name such as mg.example.com'),
  MAILGUN_FROM_EMAIL: z.string().email('must be an email address such as hello@mg.example.com').optional(),
  MAILGUN_URL: z.string().url('must be a URL such as https://api.mailgun.net').optional(),
});

/** Validated settings of the Mailgun plugin. */
export type MailgunConfig = z.infer<typeof mailgunEnv>;

/** Body of `POST /validate`; malformed addresses are refused here, before a paid validation call. */
export const validateBody = z.object({
  address: emailAddress.max(512),
});

/** What `POST /send` answers: Mailgun queued the message. */
export interface SendResult {
  /** Mailgun's message id, e.g. `<20260301120000.1.ABC@mg.example.com>`. */
  id: string;
  /** Mailgun's own words, e.g. `Queued. Thank you.` */
  message?: string;
}

/** What `POST /validate` answers. */
export interface AddressValidation {
  address: string;
  /** True only when Mailgun rates the address deliverable. */
  isValid: boolean;
  /** Mailgun's verdict: deliverable, undeliverable, do_not_send, catch_all or unknown. */
  result: string;
  /** low, medium, high or unknown. */
  risk: string;
  /** Why the address is not deliverable, e.g. `mailbox_does_not_exist`. */
  reason: string[];
  isDisposable: boolean;
  isRoleAddress: boolean;
}
