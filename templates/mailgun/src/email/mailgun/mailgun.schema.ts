import { z } from 'zod';

const MAX_RECIPIENTS = 50;

/** The plugin's environment variables; the key and the sending domain are required. */
export const mailgunEnv = z.object({
  MAILGUN_API_KEY: z.string().min(1),
  MAILGUN_DOMAIN: z.string().regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a domain name such as mg.example.com'),
  MAILGUN_FROM_EMAIL: z.string().email('must be an email address such as hello@mg.example.com').optional(),
  MAILGUN_URL: z.string().url('must be a URL such as https://api.mailgun.net').optional(),
});

/** Validated settings of the Mailgun plugin. */
export type MailgunConfig = z.infer<typeof mailgunEnv>;

const email = z.string().email('must be an email address');

/** Body of `POST /send`: `text`, `html` or both; up to 50 recipients, each sent a copy of their own. */
export const sendBody = z
  .object({
    to: z.union([
      email,
      z
        .array(email)
        .min(1, 'must list at least one address')
        .max(MAX_RECIPIENTS, `must list at most ${MAX_RECIPIENTS} addresses`)
        .refine((list) => new Set(list.map((address) => address.toLowerCase())).size === list.length, 'must not list an address twice'),
    ]),
    subject: z.string().min(1).max(998),
    text: z.string().min(1).optional(),
    html: z.string().min(1).optional(),
    from: email.optional(),
    replyTo: email.optional(),
  })
  .refine((body) => body.text !== undefined || body.html !== undefined, { message: 'text or html is required', path: ['text'] });

/** A validated `POST /send` body. */
export type SendBody = z.infer<typeof sendBody>;

/** Body of `POST /validate`; malformed addresses are refused here, before a paid validation call. */
export const validateBody = z.object({
  address: email.max(512),
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
