import { aiChatPlugin } from './ai/ai-chat.plugin.js';
import { claudePlugin } from './ai/claude/index.js';
import { geminiPlugin } from './ai/gemini/index.js';
import { grokPlugin } from './ai/grok/index.js';
import { lmstudioPlugin } from './ai/lmstudio/index.js';
import { ollamaPlugin } from './ai/ollama/index.js';
import { openaiPlugin } from './ai/openai/index.js';
import { openrouterPlugin } from './ai/openrouter/index.js';
import { googleAuthPlugin } from './auth/google-auth/index.js';
import { jwtServicePlugin } from './auth/jwt-service/index.js';
import { apiKeyManagerPlugin } from './core/api-key-manager/index.js';
import { usageTrackerPlugin } from './core/usage-tracker/index.js';
import { mailgunPlugin } from './email/mailgun/index.js';
import { sendgridPlugin } from './email/sendgrid/index.js';
import type { ProviderPlugin } from './lib/plugin.js';
import { paypalPlugin } from './payments/paypal/index.js';
import { stripePlugin } from './payments/stripe/index.js';
import { cloudinaryPlugin } from './storage/cloudinary/index.js';
import { defaultStoragePlugin } from './storage/default-storage.plugin.js';
import { r2Plugin } from './storage/r2/index.js';
import { s3Plugin } from './storage/s3/index.js';
import { deepgramPlugin } from './voice/deepgram/index.js';
import { elevenlabsPlugin } from './voice/elevenlabs/index.js';

/** The installed plugins, in mount order. */
export const plugins: ProviderPlugin<unknown>[] = [
  // One per line: `create-provider-app add` appends to this list.
  jwtServicePlugin,
  googleAuthPlugin,
  apiKeyManagerPlugin,
  usageTrackerPlugin,
  openaiPlugin,
  claudePlugin,
  geminiPlugin,
  grokPlugin,
  openrouterPlugin,
  lmstudioPlugin,
  ollamaPlugin,
  deepgramPlugin,
  elevenlabsPlugin,
  s3Plugin,
  r2Plugin,
  cloudinaryPlugin,
  stripePlugin,
  paypalPlugin,
  sendgridPlugin,
  mailgunPlugin,
  aiChatPlugin,
  defaultStoragePlugin,
];
