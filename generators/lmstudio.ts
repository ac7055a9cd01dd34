import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'lmstudio',
  name: 'LM Studio',
  category: 'ai',
  description: 'Local models served by LM Studio through its OpenAI-compatible server, no key needed',
  docsUrl: 'https://lmstudio.ai/docs/app/api/endpoints/openai',
  env: [
    {
      name: 'LMSTUDIO_ENDPOINT',
      required: false,
      example: 'http://localhost:1234',
      description: 'Address of the LM Studio server (default http://localhost:1234)',
    },
    {
      name: 'LMSTUDIO_MODEL',
      required: false,
      example: 'qwen/qwen3-4b',
      description: 'Model used when a request names none (default: the first loaded model)',
    },
  ],
  mountPath: '/api/ai/local/lmstudio',
  endpoints: [
    {
      method: 'POST',
      path: '/chat',
      description: 'Chat completion; `"stream": true` answers with Server-Sent Events',
      input: { body: 'chatBodySchema' },
    },
    { method: 'GET', path: '/models', description: 'Models LM Studio has available' },
  ],
  layers: ['ai', 'openai-compatible'],
});
