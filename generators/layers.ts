import type { LayerDefinition, LayerId } from './define-plugin.js';
import { storageEndpoints } from './storage-endpoints.js';

/** Shared layers, in the order they are rendered; templates live in templates/layers/<id>/. */
export const layers: Record<LayerId, LayerDefinition> = {
  ai: {
    name: 'AI chat',
    env: [
      {
        name: 'AI_PROVIDERS',
        required: false,
        example: 'openai,claude',
        description:
          'Order in which POST /api/ai/chat tries the installed AI providers; the first is the primary (default: all configured, in install order)',
      },
    ],
    requires: ['rate-limit'],
    entry: { exportName: 'aiChatPlugin', module: 'ai/ai-chat.plugin' },
    endpoints: [
      {
        method: 'POST',
        path: '/api/ai/chat',
        description: 'Chat with the first AI provider that answers (AI_PROVIDERS order); `"stream": true` for SSE',
        input: { body: 'chatBody' },
      },
      { method: 'GET', path: '/api/ai/providers', description: 'The installed AI providers, primary first' },
    ],
  },
  // Shared by the plugins that speak the OpenAI API (openai, grok, openrouter, lmstudio); apart
  // from `ai` so that a Claude-only project does not install the openai package.
  'openai-compatible': {
    name: 'OpenAI-compatible client',
    // openai 7 (current major, 2026-12) needs Node 22, like the generated project.
    dependencies: { openai: '^7.59.0' },
    requires: ['ai'],
  },
  // The request shapes every email plugin (mailgun, sendgrid) takes the same way.
  email: {
    name: 'Email',
  },
  'rate-limit': {
    name: 'Rate limit',
    // express-rate-limit and rate-limit-redis are base dependencies: the app's own limits use them too.
    env: [
      {
        name: 'RATE_LIMIT_PER_MINUTE',
        required: false,
        example: '60',
        description: 'Requests per minute per client IP on AI, voice and email routes (default 60)',
      },
      {
        name: 'RATE_LIMIT_FAIL_OPEN',
        required: false,
        example: 'false',
        description:
          'With REDIS_URL, while Redis is out of reach: true lets AI, voice and email requests through uncounted; false answers them 503 (default false; the app-wide limits always let requests through)',
      },
    ],
  },
  storage: {
    name: 'Storage',
    // content-disposition stays on 2 (same `create` and `parse`, its own types): 3 is ESM-only, and
    // `add` brings this layer to CommonJS apps, which TypeScript does not let `require` an ES module.
    dependencies: { 'content-disposition': '^2.0.1', multer: '^2.0.2' },
    devDependencies: { '@types/multer': '^2.0.0' },
    env: [
      {
        name: 'STORAGE_DEFAULT',
        required: false,
        example: 's3',
        description: 'Storage plugin (s3 or r2) that serves the /api/storage routes (default: the first configured, in install order)',
      },
      {
        name: 'STORAGE_PRESIGN_MAX_SECONDS',
        required: false,
        example: '3600',
        description: 'Longest lifetime in seconds a presigned URL may be asked for (default 3600, at most 604800: seven days)',
      },
    ],
    entry: { exportName: 'defaultStoragePlugin', module: 'storage/default-storage.plugin' },
    endpoints: storageEndpoints('/api/storage'),
  },
  database: {
    name: 'Database',
    // PGlite 0.5.16 (PostgreSQL 18 in WebAssembly) verified on Node 20.20; pg 8.x for a real server.
    dependencies: { '@electric-sql/pglite': '^0.5.16', pg: '^8.23.1' },
    devDependencies: { '@types/pg': '^8.23.1' },
    env: [
      {
        name: 'DATABASE_URL',
        required: false,
        example: 'postgres://user:password@localhost:5432/app',
        description: 'PostgreSQL connection string; without it an embedded database (PGlite) is used',
      },
      {
        name: 'PGLITE_DATA_DIR',
        required: false,
        example: './data/pglite',
        description: 'Folder of the embedded database, one process at a time (default ./data/pglite; `memory://` keeps it in memory)',
      },
      {
        name: 'DATABASE_READY_TIMEOUT_SECONDS',
        required: false,
        example: '10',
        description:
          'The database opens in the background at start-up; seconds a request that needs it waits for it before a 503 with Retry-After (default 10)',
      },
    ],
  },
};
