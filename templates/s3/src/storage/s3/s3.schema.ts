import * as z from 'zod';
import { maxRetriesSetting } from '../../env.js';
import { sharedStorageEnv } from '../storage-provider.js';

const TEN_MIB = 10 * 1024 * 1024;

/** The plugin's environment variables, and the storage layer's; the four AWS_* credentials and bucket are required. */
export const s3Env = sharedStorageEnv.extend({
  AWS_ACCESS_KEY_ID: z.string().min(1),
  AWS_SECRET_ACCESS_KEY: z.string().min(1),
  AWS_REGION: z.string().min(1),
  AWS_S3_BUCKET: z.string().min(1),
  AWS_ENDPOINT_URL_S3: z.string().url('must be a URL such as http://localhost:9000').optional(),
  S3_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int('must be a whole number of bytes')
    .positive('must be a positive number of bytes')
    .default(TEN_MIB),
  S3_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the Amazon S3 plugin. */
export type S3Config = z.infer<typeof s3Env>;
