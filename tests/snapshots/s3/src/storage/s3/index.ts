import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { storageProviders } from '../storage-provider.js';
import { s3Env } from './s3.schema.js';
import { createS3Service } from './s3.service.js';

/**
 * Amazon S3: upload, streamed download, delete, presigned URLs and multipart uploads under
 * /api/storage/s3, and under /api/storage when S3 is the default storage provider.
 */
export const s3Plugin = definePlugin({
  id: 's3',
  name: 'Amazon S3',
  mountPath: '/api/storage/s3',
  routes: [
    {
      method: 'POST',
      path: '/api/storage/s3/upload',
      access: 'user',
      summary: 'Upload one file (multipart/form-data field `file`, optional `key`)',
      input: { body: 'uploadFields', file: 'file' },
    },
    {
      method: 'GET',
      path: '/api/storage/s3/:key',
      access: 'user',
      summary: 'Download an object, streamed; honours `Range`; a download unless it is an image (not SVG), audio, video or PDF',
    },
    { method: 'DELETE', path: '/api/storage/s3/:key', access: 'admin', summary: 'Delete an object' },
    {
      method: 'POST',
      path: '/api/storage/s3/presigned-url',
      access: 'user',
      summary: 'Presigned GET or PUT URL for direct browser access',
    },
    {
      method: 'POST',
      path: '/api/storage/s3/multipart/init',
      access: 'user',
      summary: 'Start a multipart upload',
      input: { body: 'multipartInitBody' },
    },
    {
      method: 'PUT',
      path: '/api/storage/s3/multipart/part',
      access: 'user',
      summary: 'Upload one part (raw body; `key`, `uploadId`, `partNumber` in the query)',
      input: { query: 'multipartPartQuery' },
    },
    {
      method: 'POST',
      path: '/api/storage/s3/multipart/complete',
      access: 'user',
      summary: 'Assemble the uploaded parts',
      input: { body: 'multipartCompleteBody' },
    },
    {
      method: 'POST',
      path: '/api/storage/s3/multipart/abort',
      access: 'user',
      summary: 'Abandon a multipart upload and free its parts',
      input: { body: 'multipartAbortBody' },
    },
  ],
  demo: { widget: 'storage' },
  env: s3Env,
  // The storage layer's routes validate with the schemas of their own module.
  schemas: () => import('../storage.routes.js'),
  setup(config, { services }) {
    const service = createS3Service(config);
    services.provide(storageProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./s3.routes.js')).createS3Router(service)),
      // HeadBucket proves the credentials can reach the bucket.
      probe: (signal) => service.checkBucket(signal),
    };
  },
});
