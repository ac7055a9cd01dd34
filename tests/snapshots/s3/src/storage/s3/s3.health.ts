import type { StorageProvider } from '../storage-provider.js';

/** Live check for `GET /health?probe=1`: HeadBucket proves the credentials can reach the bucket. */
export function probeS3(service: StorageProvider): (signal: AbortSignal) => Promise<void> {
  return (signal) => service.checkBucket(signal);
}
