import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { sharedRedis } from '../../lib/redis.js';
import { deepgramEnv } from './deepgram.schema.js';
import { createDeepgramService } from './deepgram.service.js';
import { createDeepgramStreamHandler } from './deepgram.stream.js';

/** Deepgram speech to text: file transcription, live transcription over a WebSocket and models under /api/voice/deepgram. */
export const deepgramPlugin = definePlugin({
  id: 'deepgram',
  name: 'Deepgram',
  mountPath: '/api/voice/deepgram',
  routes: [
    {
      method: 'POST',
      path: '/api/voice/deepgram/transcribe',
      access: 'user',
      summary: 'Transcribe an uploaded audio or video file (multipart field `audio`; fields `model`, `language`, `smart_format`)',
      input: { body: 'transcribeFields', file: 'audio' },
    },
    {
      method: 'WS',
      path: '/api/voice/deepgram/stream',
      access: 'user',
      summary:
        'Binary audio frames in, JSON transcripts out; send `{"type":"CloseStream"}` to finish (query: model, language, encoding, sample_rate, interim_results, punctuate)',
    },
    { method: 'GET', path: '/api/voice/deepgram/models', access: 'user', summary: 'Speech-to-text models' },
  ],
  demo: { widget: 'transcribe', endpoint: '/transcribe' },
  env: deepgramEnv,
  schemas: () => import('./deepgram.schema.js'),
  setup(config, { env, services }) {
    const service = createDeepgramService(config, services);
    return {
      router: routerOnFirstUse(async () =>
        (await import('./deepgram.routes.js')).createDeepgramRouter(service, {
          rateLimit: createRateLimit(env),
          maxUploadBytes: config.DEEPGRAM_MAX_UPLOAD_BYTES,
        }),
      ),
      upgrades: {
        '/stream': createDeepgramStreamHandler(service, {
          maxStreams: config.DEEPGRAM_MAX_STREAMS,
          allowedOrigins: (config.DEEPGRAM_ALLOWED_ORIGINS ?? '')
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean),
          redis: sharedRedis(env['REDIS_URL']),
        }),
      },
      // Listing models is free and proves the key works.
      probe: async (signal) => {
        await service.listModels(signal);
      },
    };
  },
});
