import type { ProviderPlugin } from './lib/plugin.js';
import { geminiPlugin } from './ai/gemini/index.js';
import { aiChatPlugin } from './ai/ai-chat.plugin.js';

/** The installed plugins, in mount order. `create-provider-app add` appends to this list. */
export const plugins: ProviderPlugin<unknown>[] = [
  geminiPlugin,
  aiChatPlugin,
];
