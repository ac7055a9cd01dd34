import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'cloudinary',
  name: 'Cloudinary',
  category: 'storage',
  description: 'Image and video upload, on-the-fly transformation URLs and deletion',
  docsUrl: 'https://cloudinary.com/documentation/node_integration',
  dependencies: { cloudinary: '^2.11.0', multer: '^2.0.2' },
  devDependencies: { '@types/multer': '^2.0.0' },
  env: [
    {
      name: 'CLOUDINARY_CLOUD_NAME',
      required: true,
      example: 'demo',
      description: 'Cloud name from https://console.cloudinary.com (Dashboard)',
    },
    { name: 'CLOUDINARY_API_KEY', required: true, secret: true, description: 'API key from the same page' },
    { name: 'CLOUDINARY_API_SECRET', required: true, secret: true, description: 'API secret from the same page' },
    {
      name: 'CLOUDINARY_UPLOAD_PREFIX',
      required: false,
      example: 'https://api.cloudinary.com',
      description: 'Upload and Admin API base URL, for a proxy (http or https)',
    },
    {
      name: 'CLOUDINARY_MAX_UPLOAD_BYTES',
      required: false,
      example: '10485760',
      description: 'Largest accepted upload in bytes (default 10 MiB)',
    },
  ],
  mountPath: '/api/media',
  endpoints: [
    {
      method: 'POST',
      path: '/upload',
      description: 'Upload an image or video (multipart field `file`, optional `folder`, `publicId`)',
      input: { body: 'uploadFields', file: 'file' },
    },
    {
      method: 'GET',
      path: '/:id/transform',
      description: 'URL of a transformed version (`width`, `height`, `crop`, `format`, `quality`, `resourceType`); ids may contain `/`',
      input: { query: 'transformQuery' },
    },
    {
      method: 'DELETE',
      path: '/:id',
      description: 'Delete an asset (`resourceType=video` for videos); 404 when there is none',
      access: 'admin',
      input: { query: 'deleteQuery' },
    },
  ],
});
