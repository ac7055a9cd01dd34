import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'openrouter',
  name: 'OpenRouter',
  category: 'ai',
  description: 'Hundreds of models behind one key through OpenRouter, with model list and key limits',
  docsUrl: 'https://openrouter.ai/docs/api-reference/overview',
  env: [
    { name: 'OPENROUTER_API_KEY', required: true, secret: true, description: 'API key from https://openrouter.ai/settings/keys' },
    { name: 'OPENROUTER_MODEL', required: false, example: 'openai/gpt-5-mini', description: 'Model used when a request names none' },
    {
      name: 'OPENROUTER_SITE_URL',
      required: false,
      example: 'https://example.com',
      description: 'Your site, sent as HTTP-Referer for OpenRouter rankings',
    },
    { name: 'OPENROUTER_APP_NAME', required: false, example: 'my-api', description: 'Your app name, sent as X-Title' },
    {
      name: 'OPENROUTER_BASE_URL',
      required: false,
      example: 'https://openrouter.ai/api/v1',
      description: 'API base URL, for a proxy or gateway',
    },
    {
      name: 'OPENROUTER_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call OpenRouter answers with 429 or 5xx or that finds no connection, with back-off (default 2)',
    },
  ],
  mountPath: '/api/ai/router',
  endpoints: [
    {
      method: 'POST',
      path: '/chat',
      description: 'Chat completion; `"stream": true` answers with Server-Sent Events',
      input: { body: 'chatBodySchema' },
    },
    { method: 'GET', path: '/models', description: 'Models available on OpenRouter' },
    { method: 'GET', path: '/limits', description: 'Credit limit, usage and remaining credit of the key', access: 'admin' },
  ],
  layers: ['ai', 'openai-compatible'],
});
