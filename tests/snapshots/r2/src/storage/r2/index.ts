import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { storageProviders } from '../storage-provider.js';
import { r2Env } from './r2.schema.js';
import { createR2Service } from './r2.service.js';

/**
 * Cloudflare R2: the storage routes of the s3 plugin on an R2 bucket, under /api/storage/r2,
 * and under /api/storage when R2 is the default storage provider.
 */
export const r2Plugin = definePlugin({
  id: 'r2',
  name: 'Cloudflare R2',
  mountPath: '/api/storage/r2',
  routes: [
    {
      method: 'POST',
      path: '/api/storage/r2/upload',
      access: 'user',
      summary: 'Upload one file (multipart/form-data field `file`, optional `key`)',
      input: { body: 'uploadFields', file: 'file' },
    },
    {
      method: 'GET',
      path: '/api/storage/r2/:key',
      access: 'user',
      summary: 'Download an object, streamed; honours `Range`; a download unless it is an image (not SVG), audio, video or PDF',
    },
    { method: 'DELETE', path: '/api/storage/r2/:key', access: 'admin', summary: 'Delete an object' },
    {
      method: 'POST',
      path: '/api/storage/r2/presigned-url',
      access: 'user',
      summary: 'Presigned GET or PUT URL for direct browser access',
    },
    {
      method: 'POST',
      path: '/api/storage/r2/multipart/init',
      access: 'user',
      summary: 'Start a multipart upload',
      input: { body: 'multipartInitBody' },
    },
    {
      method: 'PUT',
      path: '/api/storage/r2/multipart/part',
      access: 'user',
      summary: 'Upload one part (raw body; `key`, `uploadId`, `partNumber` in the query)',
      input: { query: 'multipartPartQuery' },
    },
    {
      method: 'POST',
      path: '/api/storage/r2/multipart/complete',
      access: 'user',
      summary: 'Assemble the uploaded parts',
      input: { body: 'multipartCompleteBody' },
    },
    {
      method: 'POST',
      path: '/api/storage/r2/multipart/abort',
      access: 'user',
      summary: 'Abandon a multipart upload and free its parts',
      input: { body: 'multipartAbortBody' },
    },
  ],
  demo: { widget: 'storage' },
  env: r2Env,
  // The storage layer's routes validate with the schemas of their own module.
  schemas: () => import('../storage.routes.js'),
  setup(config, { services }) {
    const service = createR2Service(config);
    services.provide(storageProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./r2.routes.js')).createR2Router(service)),
      // HeadBucket proves the R2 token can reach the bucket.
      probe: (signal) => service.checkBucket(signal),
    };
  },
});
