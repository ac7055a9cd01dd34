import type { JwtService } from './jwt-service.service.js';

/** Signs a throwaway token and verifies it: proves the secret and lifetime settings work, with no network. */
export function probeJwtService(service: JwtService): (signal: AbortSignal) => Promise<void> {
  return async () => {
    service.verifyToken(service.signToken({ sub: 'health-probe' }));
  };
}
