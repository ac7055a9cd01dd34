import type { ProviderPlugin } from './lib/plugin.js';
import { r2Plugin } from './storage/r2/index.js';
import { defaultStoragePlugin } from './storage/default-storage.plugin.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  r2Plugin,
  defaultStoragePlugin,
];
