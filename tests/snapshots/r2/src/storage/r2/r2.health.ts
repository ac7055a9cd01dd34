import type { StorageProvider } from '../storage-provider.js';

/** Live check for `GET /health?probe=1`: HeadBucket proves the R2 token can reach the bucket. */
export function probeR2(service: StorageProvider): (signal: AbortSignal) => Promise<void> {
  return (signal) => service.checkBucket(signal);
}
