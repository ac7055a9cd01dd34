import { z } from 'zod';

const MAX_RECIPIENTS = 50;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The plugin's environment variables; the key and a verified sender are required. */
export const sendgridEnv = z.object({
  SENDGRID_API_KEY: z.string().min(1),
  SENDGRID_FROM_EMAIL: z.string().email('must be an email address such as hello@example.com'),
  SENDGRID_BASE_URL: z.string().url('must be a URL such as https://api.sendgrid.com').optional(),
});

/** Validated settings of the SendGrid plugin. */
export type SendGridConfig = z.infer<typeof sendgridEnv>;

const email = z.string().email('must be an email address');

/** One address, or up to 50; each recipient gets their own copy and does not see the others. */
const recipients = z.union([
  email,
  z
    .array(email)
    .min(1, 'must list at least one address')
    .max(MAX_RECIPIENTS, `must list at most ${MAX_RECIPIENTS} addresses`)
    .refine((list) => new Set(list.map((address) => address.toLowerCase())).size === list.length, 'must not list an address twice'),
]);

/** Body of `POST /send`: `text`, `html` or both. */
export const sendBody = z
  .object({
    to: recipients,
    subject: z.string().min(1).max(998),
    text: z.string().min(1).optional(),
    html: z.string().min(1).optional(),
    from: email.optional(),
    replyTo: email.optional(),
  })
  .refine((body) => body.text !== undefined || body.html !== undefined, { message: 'text or html is required', path: ['text'] });

/** A validated `POST /send` body. */
export type SendBody = z.infer<typeof sendBody>;

/** Body of `POST /send-template`: the subject and content come from the dynamic template. */
export const sendTemplateBody = z.object({
  to: recipients,
  templateId: z.string().regex(/^d-\w+$/, 'must be a dynamic template id such as d-1234abcd...'),
  dynamicTemplateData: z.record(z.string(), z.unknown()).optional(),
  from: email.optional(),
  replyTo: email.optional(),
});

/** A validated `POST /send-template` body. */
export type SendTemplateBody = z.infer<typeof sendTemplateBody>;

const isoDate = z
  .string()
  .regex(ISO_DATE, 'must be a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value), 'must be a real date');

/** Query of `GET /stats`; both dates default to the last 7 days (UTC). */
export const statsQuery = z
  .object({
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
  })
  .refine((query) => !query.startDate || !query.endDate || query.startDate <= query.endDate, {
    message: 'must not be before startDate',
    path: ['endDate'],
  });

/** What `POST /send` and `POST /send-template` answer: SendGrid queued the message. */
export interface SendResult {
  accepted: true;
  /** SendGrid's X-Message-Id, to find the message in the activity feed. */
  messageId?: string;
}

/** One day of delivery statistics. */
export interface DailyStats {
  date: string;
  requests: number;
  delivered: number;
  opens: number;
  uniqueOpens: number;
  clicks: number;
  uniqueClicks: number;
  bounces: number;
  blocks: number;
  spamReports: number;
  unsubscribes: number;
}

/** What `GET /stats` answers. */
export interface StatsResult {
  startDate: string;
  endDate: string;
  days: DailyStats[];
  totals: Omit<DailyStats, 'date'>;
}
