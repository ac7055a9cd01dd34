import { authenticatorKey } from '../../lib/access.js';
import { loadOnce } from '../../lib/load-once.js';
import { definePlugin } from '../../lib/plugin.js';
import { jwtServiceEnv } from './jwt-service.schema.js';

/**
 * No routes of its own: it checks the tokens of every private route (the access policy finds it
 * under `authenticatorKey`); plugins that issue tokens read the same settings with
 * `readPluginEnv(jwtServiceEnv, env)` and build their own `createJwtService(config)`.
 */
export const jwtServicePlugin = definePlugin({
  id: 'jwt-service',
  name: 'JWT',
  providesAuth: true,
  env: jwtServiceEnv,
  setup(config, { services }) {
    // The service brings jsonwebtoken (a sixth of start-up): both load with the first token to check.
    const service = loadOnce(async () => (await import('./jwt-service.service.js')).createJwtService(config));
    services.provide(authenticatorKey, async (req) => (await service()).authenticate(req));
    // Signing a throwaway token and verifying it proves the secret and lifetime settings, with no network.
    return {
      probe: async () => {
        const jwt = await service();
        jwt.verifyToken(jwt.signToken({ sub: 'health-probe' }));
      },
    };
  },
});
