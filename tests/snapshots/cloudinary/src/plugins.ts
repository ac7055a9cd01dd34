import type { ProviderPlugin } from './lib/plugin.js';
import { cloudinaryPlugin } from './storage/cloudinary/index.js';

/** The installed plugins, in mount order. */
export const plugins: ProviderPlugin<unknown>[] = [
  // One per line: `create-provider-app add` appends to this list.
  cloudinaryPlugin,
];
