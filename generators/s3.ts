import { definePlugin } from './define-plugin.js';
import { storageEndpoints } from './storage-endpoints.js';

export default definePlugin({
  id: 's3',
  name: 'Amazon S3',
  category: 'storage',
  description:
    'Upload, streamed download, delete, presigned URLs and multipart uploads on an S3 bucket; the same routes under `/api/storage` use the default storage plugin (`STORAGE_DEFAULT`, else the first configured one)',
  docsUrl: 'https://docs.aws.amazon.com/AmazonS3/latest/API/Welcome.html',
  dependencies: { '@aws-sdk/client-s3': '^3.1169.0', '@aws-sdk/s3-request-presigner': '^3.1162.0' },
  env: [
    {
      name: 'AWS_ACCESS_KEY_ID',
      required: true,
      secret: true,
      description: 'Access key of an IAM user with access to the bucket (IAM console > Security credentials)',
    },
    { name: 'AWS_SECRET_ACCESS_KEY', required: true, secret: true, description: 'Secret key shown once when the access key is created' },
    { name: 'AWS_REGION', required: true, example: 'us-east-1', description: 'Region of the bucket' },
    { name: 'AWS_S3_BUCKET', required: true, example: 'my-app-uploads', description: 'Bucket name' },
    {
      name: 'AWS_ENDPOINT_URL_S3',
      required: false,
      example: 'http://localhost:9000',
      description: 'S3-compatible endpoint (MinIO, LocalStack); path-style addressing is used when set',
    },
    { name: 'S3_MAX_UPLOAD_BYTES', required: false, example: '10485760', description: 'Largest accepted upload in bytes (default 10 MiB)' },
    {
      name: 'S3_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call S3 throttles or answers with 5xx, or that finds no connection, with back-off (default 2)',
    },
  ],
  mountPath: '/api/storage/s3',
  endpoints: storageEndpoints(),
  layers: ['storage'],
});
