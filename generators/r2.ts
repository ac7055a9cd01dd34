import { definePlugin } from './define-plugin.js';
import { storageEndpoints } from './storage-endpoints.js';

export default definePlugin({
  id: 'r2',
  name: 'Cloudflare R2',
  category: 'storage',
  description:
    'The storage routes of s3 on a Cloudflare R2 bucket (S3-compatible, no egress fees); the same routes under `/api/storage` use the default storage plugin (`STORAGE_DEFAULT`, else the first configured one)',
  docsUrl: 'https://developers.cloudflare.com/r2/api/s3/api/',
  dependencies: { '@aws-sdk/client-s3': '^3.1169.0', '@aws-sdk/s3-request-presigner': '^3.1162.0' },
  env: [
    {
      name: 'CF_ACCOUNT_ID',
      required: true,
      example: '0123456789abcdef0123456789abcdef',
      description: 'Cloudflare account id (dashboard > R2 > Overview)',
    },
    { name: 'R2_ACCESS_KEY_ID', required: true, secret: true, description: 'R2 API token access key id (R2 > Manage API tokens)' },
    { name: 'R2_SECRET_ACCESS_KEY', required: true, secret: true, description: 'R2 API token secret' },
    { name: 'R2_BUCKET', required: true, example: 'my-app-uploads', description: 'Bucket name' },
    {
      name: 'R2_ENDPOINT',
      required: false,
      example: 'https://<account>.eu.r2.cloudflarestorage.com',
      description: 'Endpoint override, e.g. the EU jurisdiction one (default https://<CF_ACCOUNT_ID>.r2.cloudflarestorage.com)',
    },
    { name: 'R2_MAX_UPLOAD_BYTES', required: false, example: '10485760', description: 'Largest accepted upload in bytes (default 10 MiB)' },
    {
      name: 'R2_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call R2 throttles or answers with 5xx, or that finds no connection, with back-off (default 2)',
    },
  ],
  mountPath: '/api/storage/r2',
  endpoints: storageEndpoints(),
  layers: ['storage'],
});
