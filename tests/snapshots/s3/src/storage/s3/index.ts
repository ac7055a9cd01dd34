import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { storageProviders } from '../storage-provider.js';
import { createS3Service } from './s3.service.js';
import { s3Env } from './s3.schema.js';

/**
 * Amazon S3: upload, streamed download, delete, presigned URLs and multipart uploads under
 * /api/storage/s3, and under /api/storage when S3 is the default storage provider.
 */
export const s3Plugin = definePlugin({
  id: 's3',
  name: 'Amazon S3',
  mountPath: '/api/storage/s3',
  routes: [
    { method: 'POST', path: '/api/storage/s3/upload', access: 'user' },
    { method: 'GET', path: '/api/storage/s3/:key', access: 'user' },
    { method: 'DELETE', path: '/api/storage/s3/:key', access: 'admin' },
    { method: 'POST', path: '/api/storage/s3/presigned-url', access: 'user' },
    { method: 'POST', path: '/api/storage/s3/multipart/init', access: 'user' },
    { method: 'PUT', path: '/api/storage/s3/multipart/part', access: 'user' },
    { method: 'POST', path: '/api/storage/s3/multipart/complete', access: 'user' },
    { method: 'POST', path: '/api/storage/s3/multipart/abort', access: 'user' },
  ],
  demo: { widget: 'storage' },
  env: s3Env,
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
