import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'openai',
  name: 'OpenAI',
  category: 'ai',
  description: 'GPT chat (with SSE streaming), completions, embeddings and model list',
  docsUrl: 'https://platform.openai.com/docs/api-reference',
  env: [
    { name: 'OPENAI_API_KEY', required: true, secret: true, description: 'API key from https://platform.openai.com/api-keys' },
    {
      name: 'OPENAI_ORG_ID',
      required: false,
      example: 'org-...',
      description: 'Organization id, only if your key belongs to several organizations',
    },
    {
      name: 'OPENAI_MODEL',
      required: false,
      example: 'gpt-5-mini',
      description: 'Chat model used when a request names none (default gpt-5-mini)',
    },
    {
      name: 'OPENAI_EMBEDDING_MODEL',
      required: false,
      example: 'text-embedding-3-small',
      description: 'Embedding model used when a request names none',
    },
    { name: 'OPENAI_BASE_URL', required: false, example: 'https://api.openai.com/v1', description: 'API base URL, for a proxy or gateway' },
    {
      name: 'OPENAI_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call OpenAI answers with 429 or 5xx or that finds no connection, with back-off (default 2)',
    },
  ],
  mountPath: '/api/ai/openai',
  endpoints: [
    {
      method: 'POST',
      path: '/chat',
      description: 'Chat completion; `"stream": true` answers with Server-Sent Events',
      input: { body: 'chatBodySchema' },
    },
    { method: 'POST', path: '/completions', description: 'Single-prompt completion', input: { body: 'completionBody' } },
    { method: 'POST', path: '/embeddings', description: 'Embedding vectors for one or more inputs', input: { body: 'embeddingsBody' } },
    { method: 'GET', path: '/models', description: 'Models available to the key' },
  ],
  layers: ['ai', 'openai-compatible'],
});
