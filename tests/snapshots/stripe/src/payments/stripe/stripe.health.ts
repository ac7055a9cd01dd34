import type { StripeService } from './stripe.service.js';

/** Live check for `GET /health?probe=1`: retrieving the balance is free and proves the secret key works. */
export function probeStripe(service: StripeService): (signal: AbortSignal) => Promise<void> {
  return () => service.checkAccount();
}
