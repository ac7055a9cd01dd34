import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'grok',
  name: 'Grok',
  category: 'ai',
  description: 'xAI Grok chat through its OpenAI-compatible API, with SSE streaming',
  docsUrl: 'https://docs.x.ai/docs/api-reference',
  env: [
    { name: 'XAI_API_KEY', required: true, secret: true, description: 'API key from https://console.x.ai' },
    { name: 'XAI_MODEL', required: false, example: 'grok-4', description: 'Model used when a request names none' },
    { name: 'XAI_BASE_URL', required: false, example: 'https://api.x.ai/v1', description: 'API base URL, for a proxy or gateway' },
    {
      name: 'XAI_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call xAI answers with 429 or 5xx or that finds no connection, with back-off (default 2)',
    },
  ],
  mountPath: '/api/ai/grok',
  endpoints: [
    {
      method: 'POST',
      path: '/chat',
      description: 'Chat completion; `"stream": true` answers with Server-Sent Events',
      input: { body: 'chatBodySchema' },
    },
  ],
  layers: ['ai', 'openai-compatible'],
});
