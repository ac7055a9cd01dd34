import type { Router } from 'express';
import { createStorageRouter } from '../storage.routes.js';
import type { StorageProvider } from '../storage-provider.js';

/** The shared storage routes on the R2 bucket; the service carries the upload limit from R2_MAX_UPLOAD_BYTES. */
export function createR2Router(service: StorageProvider): Router {
  return createStorageRouter(service);
}
