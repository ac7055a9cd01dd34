import * as z from 'zod';

const MAX_RECIPIENTS = 50;

/** One email address. */
export const emailAddress = z.string().email('must be an email address');

/** One address, or up to 50; each recipient gets their own copy and does not see the others. */
export const recipients = z.union([
  emailAddress,
  z
    .array(emailAddress)
    .min(1, 'must list at least one address')
    .max(MAX_RECIPIENTS, `must list at most ${MAX_RECIPIENTS} addresses`)
    .refine((list) => new Set(list.map((address) => address.toLowerCase())).size === list.length, 'must not list an address twice'),
]);

/** Body of every email plugin's `POST /send`: `text`, `html` or both. */
export const sendBody = z
  .object({
    to: recipients,
    subject: z.string().min(1).max(998),
    text: z.string().min(1).optional(),
    html: z.string().min(1).optional(),
    from: emailAddress.optional(),
    replyTo: emailAddress.optional(),
  })
  .refine((body) => body.text !== undefined || body.html !== undefined, { message: 'text or html is required', path: ['text'] });

/** A validated `POST /send` body. */
export type SendBody = z.infer<typeof sendBody>;
