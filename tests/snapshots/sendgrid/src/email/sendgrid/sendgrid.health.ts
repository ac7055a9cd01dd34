import type { SendGridService } from './sendgrid.service.js';

/** Live check for `GET /health?probe=1`: listing the key's scopes is free and proves the key works. */
export function probeSendGrid(service: SendGridService): (signal: AbortSignal) => Promise<void> {
  return (signal) => service.checkKey(signal);
}
