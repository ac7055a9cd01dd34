import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { elevenlabsEnv } from './elevenlabs.schema.js';
import { createElevenLabsService } from './elevenlabs.service.js';

/** ElevenLabs text to speech (streamed), voices, instant voice cloning and history under /api/voice/elevenlabs. */
export const elevenlabsPlugin = definePlugin({
  id: 'elevenlabs',
  name: 'ElevenLabs',
  mountPath: '/api/voice/elevenlabs',
  routes: [
    {
      method: 'POST',
      path: '/api/voice/elevenlabs/synthesize',
      access: 'user',
      summary: 'Text to speech (`text`, optional `voiceId`, `modelId`, `outputFormat`), streamed as audio/mpeg by default',
      input: { body: 'synthesizeBody' },
    },
    {
      method: 'GET',
      path: '/api/voice/elevenlabs/voices',
      access: 'user',
      summary: 'Voices of the account (optional `search`, `pageSize`, `nextPageToken`)',
      input: { query: 'voicesQuery' },
    },
    {
      method: 'POST',
      path: '/api/voice/elevenlabs/clone',
      access: 'user',
      summary: 'Instant voice clone from 1 to 5 audio samples (multipart field `files`, plus `name`, optional `description`)',
      input: { body: 'cloneFields', files: 'files' },
    },
    {
      method: 'GET',
      path: '/api/voice/elevenlabs/history',
      access: 'admin',
      summary: 'Recent generations (optional `pageSize`, `startAfter`)',
      input: { query: 'historyQuery' },
    },
  ],
  demo: { widget: 'speech', endpoint: '/synthesize' },
  env: elevenlabsEnv,
  schemas: () => import('./elevenlabs.schema.js'),
  setup(config, { env, services }) {
    const service = createElevenLabsService(config, services);
    return {
      router: routerOnFirstUse(async () => (await import('./elevenlabs.routes.js')).createElevenLabsRouter(service, createRateLimit(env))),
      // One voice from the voice list proves the key works, at no cost.
      probe: async (signal) => {
        await service.listVoices({ pageSize: 1 }, signal);
      },
    };
  },
});
