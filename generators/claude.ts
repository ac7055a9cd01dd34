import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'claude',
  name: 'Claude',
  category: 'ai',
  description: 'Anthropic Claude messages, with SSE streaming, and model list',
  docsUrl: 'https://docs.anthropic.com/en/api/messages',
  dependencies: { '@anthropic-ai/sdk': '^1.12.0' },
  env: [
    { name: 'ANTHROPIC_API_KEY', required: true, secret: true, description: 'API key from https://console.anthropic.com/settings/keys' },
    {
      name: 'ANTHROPIC_MODEL',
      required: false,
      example: 'claude-sonnet-5-5',
      description: 'Model used when a request names none (default claude-sonnet-5-5)',
    },
    {
      name: 'ANTHROPIC_BASE_URL',
      required: false,
      example: 'https://api.anthropic.com',
      description: 'API base URL, for a proxy or gateway',
    },
    {
      name: 'ANTHROPIC_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call Anthropic answers with 429 or 5xx or that finds no connection, with back-off (default 2)',
    },
  ],
  mountPath: '/api/ai/claude',
  endpoints: [
    {
      method: 'POST',
      path: '/messages',
      description: 'Create a message (`system` sets the system prompt); `"stream": true` answers with Server-Sent Events',
      input: { body: 'messagesBody' },
    },
    { method: 'POST', path: '/stream', description: 'Create a message, streamed as Server-Sent Events', input: { body: 'messagesBody' } },
    { method: 'GET', path: '/models', description: 'Models available to the key' },
  ],
  layers: ['ai'],
});
