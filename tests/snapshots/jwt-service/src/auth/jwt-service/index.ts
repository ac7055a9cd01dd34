import { authenticatorKey } from '../../lib/access.js';
import { definePlugin } from '../../lib/plugin.js';
import { probeJwtService } from './jwt-service.health.js';
import { createJwtService } from './jwt-service.service.js';
import { jwtServiceEnv } from './jwt-service.types.js';

/**
 * No routes of its own: it checks the tokens of every private route (the access policy finds it
 * under `authenticatorKey`); plugins that issue tokens read the same settings with
 * `readPluginEnv(jwtServiceEnv, env)` and build their own `createJwtService(config)`.
 */
export const jwtServicePlugin = definePlugin({
  id: 'jwt-service',
  name: 'JWT',
  env: jwtServiceEnv,
  providesAuth: true,
  setup(config, { services }) {
    const service = createJwtService(config);
    services.provide(authenticatorKey, service.authenticate);
    return { probe: probeJwtService(service) };
  },
});
