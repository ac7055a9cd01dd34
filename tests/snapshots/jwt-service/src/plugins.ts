import type { ProviderPlugin } from './lib/plugin.js';
import { jwtServicePlugin } from './auth/jwt-service/index.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  jwtServicePlugin,
];
