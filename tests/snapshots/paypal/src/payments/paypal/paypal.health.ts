import type { PayPalService } from './paypal.service.js';

/** Live check for `GET /health?probe=1`: a fresh access token proves the client id and secret work. */
export function probePayPal(service: PayPalService): (signal: AbortSignal) => Promise<void> {
  return (signal) => service.checkCredentials(signal);
}
