import type { ProviderPlugin } from './lib/plugin.js';
import { cloudinaryPlugin } from './storage/cloudinary/index.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  cloudinaryPlugin,
];
