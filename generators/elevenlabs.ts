import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'elevenlabs',
  name: 'ElevenLabs',
  category: 'voice',
  description: 'Text to speech streamed to the client, voices, instant voice cloning and history',
  docsUrl: 'https://elevenlabs.io/docs/api-reference/text-to-speech/convert',
  dependencies: { '@elevenlabs/elevenlabs-js': '^2.73.0', multer: '^2.0.2' },
  devDependencies: { '@types/multer': '^2.0.0' },
  env: [
    { name: 'ELEVENLABS_API_KEY', required: true, secret: true, description: 'API key from https://elevenlabs.io/app/settings/api-keys' },
    {
      name: 'ELEVENLABS_VOICE_ID',
      required: false,
      example: 'JBFqnCBsd6RMkjVDRZzb',
      description: 'Voice used when a request names none (default JBFqnCBsd6RMkjVDRZzb, the premade voice George)',
    },
    {
      name: 'ELEVENLABS_MODEL',
      required: false,
      example: 'eleven_multilingual_v2',
      description: 'Speech model used when a request names none (default eleven_multilingual_v2)',
    },
    {
      name: 'ELEVENLABS_BASE_URL',
      required: false,
      example: 'https://api.elevenlabs.io',
      description: 'API base URL, for a proxy or gateway',
    },
    {
      name: 'ELEVENLABS_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call ElevenLabs answers with 429 or 5xx, with back-off (default 2)',
    },
  ],
  mountPath: '/api/voice/elevenlabs',
  endpoints: [
    {
      method: 'POST',
      path: '/synthesize',
      description: 'Text to speech (`text`, optional `voiceId`, `modelId`, `outputFormat`), streamed as audio/mpeg by default',
      input: { body: 'synthesizeBody' },
    },
    {
      method: 'GET',
      path: '/voices',
      description: 'Voices of the account (optional `search`, `pageSize`, `nextPageToken`)',
      input: { query: 'voicesQuery' },
    },
    {
      method: 'POST',
      path: '/clone',
      description: 'Instant voice clone from 1 to 5 audio samples (multipart field `files`, plus `name`, optional `description`)',
      input: { body: 'cloneFields', files: 'files' },
    },
    {
      method: 'GET',
      path: '/history',
      description: 'Recent generations (optional `pageSize`, `startAfter`)',
      access: 'admin',
      input: { query: 'historyQuery' },
    },
  ],
  layers: ['rate-limit'],
});
