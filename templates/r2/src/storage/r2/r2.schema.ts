import * as z from 'zod';
import { maxRetriesSetting } from '../../env.js';
import { sharedStorageEnv } from '../storage-provider.js';

const TEN_MIB = 10 * 1024 * 1024;

/** The plugin's environment variables, and the storage layer's; the account id, the R2 API token and the bucket are required. */
export const r2Env = sharedStorageEnv.extend({
  // It becomes part of the endpoint's host name, so only the real format is accepted.
  CF_ACCOUNT_ID: z.string().regex(/^[0-9a-f]{32}$/i, 'must be the 32-character account id shown in the dashboard'),
  R2_ACCESS_KEY_ID: z.string().min(1),
  R2_SECRET_ACCESS_KEY: z.string().min(1),
  R2_BUCKET: z.string().min(1),
  R2_ENDPOINT: z.string().url('must be a URL such as https://<account>.eu.r2.cloudflarestorage.com').optional(),
  R2_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int('must be a whole number of bytes')
    .positive('must be a positive number of bytes')
    .default(TEN_MIB),
  R2_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the Cloudflare R2 plugin. */
export type R2Config = z.infer<typeof r2Env>;
