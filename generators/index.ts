import apiKeyManager from './api-key-manager.js';
import claude from './claude.js';
import cloudinary from './cloudinary.js';
import deepgram from './deepgram.js';
import type { PluginDefinition } from './define-plugin.js';
import elevenlabs from './elevenlabs.js';
import gemini from './gemini.js';
import googleAuth from './google-auth.js';
import grok from './grok.js';
import jwtService from './jwt-service.js';
import lmstudio from './lmstudio.js';
import mailgun from './mailgun.js';
import ollama from './ollama.js';
import openai from './openai.js';
import openrouter from './openrouter.js';
import paypal from './paypal.js';
import r2 from './r2.js';
import s3 from './s3.js';
import sendgrid from './sendgrid.js';
import stripe from './stripe.js';
import usageTracker from './usage-tracker.js';

/** Every plugin, in the order prompts, `list`, docs and generated files show them. */
export const registry: readonly PluginDefinition[] = [
  // Foundation
  jwtService,
  googleAuth,
  apiKeyManager,
  usageTracker,
  // AI / LLM
  openai,
  claude,
  gemini,
  grok,
  openrouter,
  lmstudio,
  ollama,
  // Voice
  deepgram,
  elevenlabs,
  // Storage
  s3,
  r2,
  cloudinary,
  // Payments
  stripe,
  paypal,
  // Email
  sendgrid,
  mailgun,
];

export type { PluginDefinition } from './define-plugin.js';
