import type { ProviderPlugin } from './lib/plugin.js';
import { defaultStoragePlugin } from './storage/default-storage.plugin.js';
import { s3Plugin } from './storage/s3/index.js';

/** The installed plugins, in mount order. */
export const plugins: ProviderPlugin<unknown>[] = [
  // One per line: `create-provider-app add` appends to this list.
  s3Plugin,
  defaultStoragePlugin,
];
