import type { ProviderPlugin } from './lib/plugin.js';
import { sendgridPlugin } from './email/sendgrid/index.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  sendgridPlugin,
];
