import type { ProviderPlugin } from './lib/plugin.js';
import { usageTrackerPlugin } from './core/usage-tracker/index.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  usageTrackerPlugin,
];
