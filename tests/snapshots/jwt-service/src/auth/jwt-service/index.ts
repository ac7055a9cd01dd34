import { authenticatorKey } from '../../lib/access.js';
import { definePlugin } from '../../lib/plugin.js';
import { createJwtService } from './jwt-service.service.js';
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
    const service = createJwtService(config);
    services.provide(authenticatorKey, service.authenticate);
    // Signing a throwaway token and verifying it proves the secret and lifetime settings, with no network.
    return {
      probe: async () => {
        service.verifyToken(service.signToken({ sub: 'health-probe' }));
      },
    };
  },
});
