import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'ollama',
  name: 'Ollama',
  category: 'ai',
  description: 'Local models served by Ollama: generate, chat (with SSE streaming), embeddings, model list and pull',
  docsUrl: 'https://github.com/ollama/ollama/blob/main/docs/api.md',
  dependencies: { ollama: '^0.6.4' },
  env: [
    {
      name: 'OLLAMA_ENDPOINT',
      required: false,
      example: 'http://localhost:11434',
      description: 'Address of the Ollama server (default http://localhost:11434)',
    },
    { name: 'OLLAMA_MODEL', required: false, example: 'llama3.2', description: 'Model used when a request names none (default llama3.2)' },
    {
      name: 'OLLAMA_EMBEDDING_MODEL',
      required: false,
      example: 'nomic-embed-text',
      description: 'Embedding model used when a request names none (default nomic-embed-text)',
    },
  ],
  mountPath: '/api/ai/local/ollama',
  endpoints: [
    {
      method: 'POST',
      path: '/generate',
      description: 'Generate from a prompt (optional `system`); `"stream": true` for SSE',
      input: { body: 'generateBody' },
    },
    { method: 'POST', path: '/chat', description: 'Chat; `"stream": true` for SSE', input: { body: 'chatBodySchema' } },
    { method: 'POST', path: '/embeddings', description: 'Embedding vectors for one or more inputs', input: { body: 'embeddingsBody' } },
    { method: 'GET', path: '/models', description: 'Models pulled on the server' },
    { method: 'POST', path: '/pull', description: 'Pull a model; streams progress as SSE', access: 'admin', input: { body: 'pullBody' } },
  ],
  layers: ['ai'],
});
