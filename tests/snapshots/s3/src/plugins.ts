import type { ProviderPlugin } from './lib/plugin.js';
import { s3Plugin } from './storage/s3/index.js';
import { defaultStoragePlugin } from './storage/default-storage.plugin.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  s3Plugin,
  defaultStoragePlugin,
];
