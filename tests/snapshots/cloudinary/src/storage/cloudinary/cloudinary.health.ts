import type { CloudinaryService } from './cloudinary.service.js';

/** Live check for `GET /health?probe=1`: the Admin API's ping proves the cloud name and key pair work. */
export function probeCloudinary(service: CloudinaryService): (signal: AbortSignal) => Promise<void> {
  return (signal) => service.ping(signal);
}
