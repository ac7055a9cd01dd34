import type { GoogleAuthService } from './google-auth.service.js';

/**
 * Live check for `GET /health?probe=1`: sign-in needs a user, so the probe sends a made-up code to
 * Google's token endpoint instead. Google checks the client first: `invalid_grant` means the client
 * id and secret are right (only the code is not), `invalid_client` means they are wrong.
 */
export function probeGoogleAuth(service: GoogleAuthService): (signal: AbortSignal) => Promise<void> {
  return (signal) => service.checkClient(signal);
}
