import type { MailgunService } from './mailgun.service.js';

/** Live check for `GET /health?probe=1`: reading the sending domain proves the key and MAILGUN_DOMAIN go together. */
export function probeMailgun(service: MailgunService): (signal: AbortSignal) => Promise<void> {
  return (signal) => service.checkDomain(signal);
}
