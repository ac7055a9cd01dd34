import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'claude',
  name: 'Claude',
  category: 'ai',
  description: 'Anthropic Claude messages, with SSE streaming',
  docsUrl: 'https://docs.anthropic.com/en/api/messages',
  dependencies: { '@anthropic-ai/sdk': '^1.12.0' },
  env: [
    { name: 'ANTHROPIC_API_KEY', required: true, secret: true, description: 'API key from https://console.anthropic.com/settings/keys' },
    { name: 'ANTHROPIC_MODEL', required: false, example: 'claude-sonnet-4-5', description: 'Model used when a request names none' },
    { name: 'ANTHROPIC_BASE_URL', required: false, example: 'https://api.anthropic.com', description: 'API base URL, for a proxy or gateway' },
  ],
  mountPath: '/api/ai/claude',
  endpoints: [
    { method: 'POST', path: '/api/ai/claude/messages', description: 'Create a message' },
    { method: 'POST', path: '/api/ai/claude/stream', description: 'Create a message, streamed as Server-Sent Events' },
  ],
  layers: ['ai'],
});
