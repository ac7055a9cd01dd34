import type { ProviderPlugin } from './lib/plugin.js';
import { openrouterPlugin } from './ai/openrouter/index.js';
import { aiChatPlugin } from './ai/ai-chat.plugin.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  openrouterPlugin,
  aiChatPlugin,
];
