import type { ProviderPlugin } from './lib/plugin.js';
import { openaiPlugin } from './ai/openai/index.js';
import { aiChatPlugin } from './ai/ai-chat.plugin.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  openaiPlugin,
  aiChatPlugin,
];
