import type { ProviderPlugin } from './lib/plugin.js';
import { defaultStoragePlugin } from './storage/default-storage.plugin.js';
import { r2Plugin } from './storage/r2/index.js';

/** The installed plugins, in mount order. */
export const plugins: ProviderPlugin<unknown>[] = [
  // One per line: `create-provider-app add` appends to this list.
  r2Plugin,
  defaultStoragePlugin,
];
