import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { cloudinaryEnv } from './cloudinary.schema.js';
import { createCloudinaryService } from './cloudinary.service.js';

/** Cloudinary: image and video upload, transformation URLs and deletion under /api/media. */
export const cloudinaryPlugin = definePlugin({
  id: 'cloudinary',
  name: 'Cloudinary',
  mountPath: '/api/media',
  routes: [
    {
      method: 'POST',
      path: '/api/media/upload',
      access: 'user',
      summary: 'Upload an image or video (multipart field `file`, optional `folder`, `publicId`)',
      input: { body: 'uploadFields', file: 'file' },
    },
    {
      method: 'GET',
      path: '/api/media/:id/transform',
      access: 'user',
      summary: 'URL of a transformed version (`width`, `height`, `crop`, `format`, `quality`, `resourceType`); ids may contain `/`',
      input: { query: 'transformQuery' },
    },
    {
      method: 'DELETE',
      path: '/api/media/:id',
      access: 'admin',
      summary: 'Delete an asset (`resourceType=video` for videos); 404 when there is none',
      input: { query: 'deleteQuery' },
    },
  ],
  demo: { widget: 'media' },
  env: cloudinaryEnv,
  schemas: () => import('./cloudinary.schema.js'),
  setup(config) {
    const service = createCloudinaryService(config);
    return {
      router: routerOnFirstUse(async () => (await import('./cloudinary.routes.js')).createCloudinaryRouter(service, config)),
      // The Admin API's ping proves the cloud name and key pair work.
      probe: (signal) => service.ping(signal),
    };
  },
});
