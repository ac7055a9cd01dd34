import * as z from 'zod';
import { emailAddress, recipients } from '../email-schemas.js';

// `POST /send` takes the same body on every email plugin.
export { type SendBody, sendBody } from '../email-schemas.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The plugin's environment variables; the key and a verified sender are required. */
export const sendgridEnv = z.object({
  SENDGRID_API_KEY: z.string().min(1),
  SENDGRID_FROM_EMAIL: z.string().email('must be an email address such as hello@example.com'),
  SENDGRID_BASE_URL: z.string().url('must be a URL such as https://api.sendgrid.com').optional(),
});

/** Validated settings of the SendGrid plugin. */
export type SendGridConfig = z.infer<typeof sendgridEnv>;

/** Body of `POST /send-template`: the subject and content come from the dynamic template. */
export const sendTemplateBody = z.object({
  to: recipients,
  templateId: z.string().regex(/^d-\w+$/, 'must be a dynamic template id such as d-1234abcd...'),
  dynamicTemplateData: z.record(z.string(), z.unknown()).optional(),
  from: emailAddress.optional(),
  replyTo: emailAddress.optional(),
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
