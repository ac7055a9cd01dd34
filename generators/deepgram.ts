import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'deepgram',
  name: 'Deepgram',
  category: 'voice',
  description: 'Speech to text: transcribe uploaded audio, or stream live audio over a WebSocket',
  docsUrl: 'https://developers.deepgram.com/reference/speech-to-text-api/listen',
  dependencies: { '@deepgram/sdk': '^5.13.0', multer: '^2.0.2', ws: '^8.20.0' },
  devDependencies: { '@types/multer': '^2.0.0', '@types/ws': '^8.18.1' },
  env: [
    { name: 'DEEPGRAM_API_KEY', required: true, secret: true, description: 'API key from https://console.deepgram.com' },
    { name: 'DEEPGRAM_MODEL', required: false, example: 'nova-3', description: 'Speech model (default nova-3)' },
    {
      name: 'DEEPGRAM_MAX_UPLOAD_BYTES',
      required: false,
      example: '26214400',
      description: 'Largest accepted audio upload in bytes (default 25 MiB)',
    },
    {
      name: 'DEEPGRAM_MAX_STREAMS',
      required: false,
      example: '20',
      description: 'Live streams relayed at once: by this process, or by all instances together with REDIS_URL (default 20)',
    },
    {
      name: 'DEEPGRAM_ALLOWED_ORIGINS',
      required: false,
      example: 'https://app.example.com',
      description: 'Other web origins whose pages may open the live stream, comma-separated (default: only pages of this server)',
    },
    {
      name: 'DEEPGRAM_BASE_URL',
      required: false,
      example: 'https://api.deepgram.com',
      description: 'API base URL, for a proxy (the live WebSocket uses the same host)',
    },
    {
      name: 'DEEPGRAM_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call Deepgram answers with 408, 429 or 5xx, with back-off (default 2)',
    },
  ],
  mountPath: '/api/voice/deepgram',
  endpoints: [
    {
      method: 'POST',
      path: '/transcribe',
      description: 'Transcribe an uploaded audio or video file (multipart field `audio`; fields `model`, `language`, `smart_format`)',
      input: { body: 'transcribeFields', file: 'audio' },
    },
    {
      method: 'WS',
      path: '/stream',
      description:
        'Binary audio frames in, JSON transcripts out; send `{"type":"CloseStream"}` to finish (query: model, language, encoding, sample_rate, interim_results, punctuate)',
    },
    { method: 'GET', path: '/models', description: 'Speech-to-text models' },
  ],
  layers: ['rate-limit'],
});
