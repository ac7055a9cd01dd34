import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'gemini',
  name: 'Gemini',
  category: 'ai',
  description: 'Google Gemini text generation (with SSE streaming), image understanding, embeddings and model list',
  docsUrl: 'https://ai.google.dev/gemini-api/docs',
  // @google/genai 3 (current major, 2026-12) needs Node 22, like the generated project.
  dependencies: { '@google/genai': '^3.3.0' },
  env: [
    { name: 'GOOGLE_AI_API_KEY', required: true, secret: true, description: 'API key from https://aistudio.google.com/apikey' },
    {
      name: 'GEMINI_MODEL',
      required: false,
      example: 'gemini-2.5-flash',
      description: 'Model used when a request names none (default gemini-2.5-flash)',
    },
    {
      name: 'GEMINI_EMBEDDING_MODEL',
      required: false,
      example: 'gemini-embedding-001',
      description: 'Embedding model used when a request names none',
    },
    {
      name: 'GEMINI_BASE_URL',
      required: false,
      example: 'https://generativelanguage.googleapis.com',
      description: 'API base URL, for a proxy or gateway',
    },
  ],
  mountPath: '/api/ai/gemini',
  endpoints: [
    {
      method: 'POST',
      path: '/generate',
      description: 'Generate text from a prompt, messages or both; `"stream": true` answers with Server-Sent Events',
      input: { body: 'generateBody' },
    },
    {
      method: 'POST',
      path: '/vision',
      description: 'Answer a prompt about an image (base64 PNG, JPEG, WebP or GIF, up to 5 MB)',
      input: { body: 'visionBody' },
    },
    { method: 'POST', path: '/embeddings', description: 'Embedding vectors for one or more inputs', input: { body: 'embeddingsBody' } },
    { method: 'GET', path: '/models', description: 'Models available to the key' },
  ],
  layers: ['ai'],
});
