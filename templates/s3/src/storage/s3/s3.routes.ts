import type { Router } from 'express';
import { createStorageRouter } from '../storage.routes.js';
import type { StorageProvider } from '../storage-provider.js';

/** The shared storage routes on the S3 bucket; the service carries the upload limit from S3_MAX_UPLOAD_BYTES. */
export function createS3Router(service: StorageProvider): Router {
  return createStorageRouter(service);
}
