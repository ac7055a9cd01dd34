import { aiChatPlugin } from './ai/ai-chat.plugin.js';
import { openrouterPlugin } from './ai/openrouter/index.js';
import type { ProviderPlugin } from './lib/plugin.js';

/** The installed plugins, in mount order. */
export const plugins: ProviderPlugin<unknown>[] = [
  // One per line: `create-provider-app add` appends to this list.
  openrouterPlugin,
  aiChatPlugin,
];
