import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { storageProviders } from '../storage-provider.js';
import { createR2Service } from './r2.service.js';
import { r2Env } from './r2.schema.js';

/**
 * Cloudflare R2: the storage routes of the s3 plugin on an R2 bucket, under /api/storage/r2,
 * and under /api/storage when R2 is the default storage provider.
 */
export const r2Plugin = definePlugin({
  id: 'r2',
  name: 'Cloudflare R2',
  mountPath: '/api/storage/r2',
  routes: [
    { method: 'POST', path: '/api/storage/r2/upload', access: 'user' },
    { method: 'GET', path: '/api/storage/r2/:key', access: 'user' },
    { method: 'DELETE', path: '/api/storage/r2/:key', access: 'admin' },
    { method: 'POST', path: '/api/storage/r2/presigned-url', access: 'user' },
    { method: 'POST', path: '/api/storage/r2/multipart/init', access: 'user' },
    { method: 'PUT', path: '/api/storage/r2/multipart/part', access: 'user' },
    { method: 'POST', path: '/api/storage/r2/multipart/complete', access: 'user' },
    { method: 'POST', path: '/api/storage/r2/multipart/abort', access: 'user' },
  ],
  demo: { widget: 'storage' },
  env: r2Env,
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
