import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { providerError } from '../../lib/errors.js';
import { loadOnce } from '../../lib/load-once.js';
import type { ServiceRegistry } from '../../lib/services.js';
import { reportUsage } from '../../lib/usage.js';
import type {
  ClonedVoice,
  CloneRequest,
  ElevenLabsConfig,
  HistoryPage,
  HistoryQuery,
  OutputFormat,
  SynthesizeRequest,
  VoicesPage,
  VoicesQuery,
} from './elevenlabs.schema.js';

const PROVIDER = 'ElevenLabs';
// "George", one of the premade voices every account has.
const DEFAULT_VOICE_ID = 'JBFqnCBsd6RMkjVDRZzb';
const DEFAULT_MODEL = 'eleven_multilingual_v2';
const DEFAULT_OUTPUT_FORMAT: OutputFormat = 'mp3_44100_128';
const DEFAULT_VOICES_PAGE_SIZE = 100;
const DEFAULT_HISTORY_PAGE_SIZE = 20;

/** Speech being generated: the audio streams from ElevenLabs as the client reads it. */
export interface Speech {
  audio: Readable;
  contentType: string;
}

/** The ElevenLabs calls the routes make; failures come out as `HttpError`s. */
export interface ElevenLabsService {
  /** Starts text to speech; aborting `signal` stops the generation upstream. */
  synthesize(request: SynthesizeRequest, signal: AbortSignal): Promise<Speech>;
  listVoices(query: VoicesQuery, signal?: AbortSignal): Promise<VoicesPage>;
  cloneVoice(request: CloneRequest): Promise<ClonedVoice>;
  listHistory(query: HistoryQuery): Promise<HistoryPage>;
}

/**
 * Wraps the official SDK. Each synthesis reports its characters to the usage recorders
 * (usage-tracker, when installed).
 */
export function createElevenLabsService(config: ElevenLabsConfig, services: ServiceRegistry): ElevenLabsService {
  // The SDK is imported on the first call, not at start-up. Without baseUrl it uses its production
  // URL; it retries 429 and 5xx ELEVENLABS_MAX_RETRIES times.
  const loadClient = loadOnce(async () => {
    const { ElevenLabsClient } = await import('@elevenlabs/elevenlabs-js');
    return new ElevenLabsClient({
      apiKey: config.ELEVENLABS_API_KEY,
      baseUrl: config.ELEVENLABS_BASE_URL,
      maxRetries: config.ELEVENLABS_MAX_RETRIES,
    });
  });
  const defaultVoiceId = config.ELEVENLABS_VOICE_ID ?? DEFAULT_VOICE_ID;
  const defaultModel = config.ELEVENLABS_MODEL ?? DEFAULT_MODEL;

  return {
    async synthesize({ text, voiceId = defaultVoiceId, modelId = defaultModel, outputFormat = DEFAULT_OUTPUT_FORMAT }, signal) {
      const started = performance.now();
      try {
        const client = await loadClient();
        const stream = await client.textToSpeech.stream(voiceId, { text, modelId, outputFormat }, { abortSignal: signal });
        // The SDK types its stream as the global ReadableStream, which is the DOM's when a project's `lib` includes it.
        const audio = Readable.fromWeb(stream as NodeReadableStream<Uint8Array>);
        // ElevenLabs bills the characters once it accepts the request, so a client leaving early still counts.
        audio.once('close', () =>
          reportUsage(services, {
            provider: 'elevenlabs',
            model: modelId,
            characters: text.length,
            latencyMs: Math.round(performance.now() - started),
          }),
        );
        return { audio, contentType: contentTypeOf(outputFormat) };
      } catch (error) {
        throw await toProviderError(error);
      }
    },

    async listVoices({ search, pageSize = DEFAULT_VOICES_PAGE_SIZE, nextPageToken }, signal) {
      try {
        const client = await loadClient();
        const page = await client.voices.search({ search, pageSize, nextPageToken }, { abortSignal: signal });
        return {
          voices: page.voices.map((voice) => ({
            id: voice.voiceId,
            name: voice.name,
            category: voice.category,
            previewUrl: voice.previewUrl,
          })),
          hasMore: page.hasMore,
          nextPageToken: page.nextPageToken,
        };
      } catch (error) {
        throw await toProviderError(error);
      }
    },

    async cloneVoice({ name, description, removeBackgroundNoise, samples }) {
      try {
        const client = await loadClient();
        const voice = await client.voices.ivc.create({ name, description, removeBackgroundNoise, files: samples });
        return { voiceId: voice.voiceId, requiresVerification: voice.requiresVerification };
      } catch (error) {
        throw await toProviderError(error);
      }
    },

    async listHistory({ pageSize = DEFAULT_HISTORY_PAGE_SIZE, startAfter }) {
      try {
        const client = await loadClient();
        const page = await client.history.list({ pageSize, startAfterHistoryItemId: startAfter });
        return {
          items: page.history.map((item) => ({
            id: item.historyItemId,
            voiceId: item.voiceId,
            voiceName: item.voiceName,
            modelId: item.modelId,
            text: item.text,
            characters: item.characterCountChangeTo - item.characterCountChangeFrom,
            contentType: item.contentType,
            createdAt: new Date(item.dateUnix * 1000).toISOString(),
            source: item.source,
          })),
          hasMore: page.hasMore,
          lastItemId: page.lastHistoryItemId,
        };
      } catch (error) {
        throw await toProviderError(error);
      }
    },
  };
}

// `audio/basic` is the registered type of 8 kHz μ-law; PCM has no registered type, so the rate travels as a parameter.
function contentTypeOf(format: OutputFormat): string {
  const [codec, sampleRate] = format.split('_');
  if (codec === 'mp3') return 'audio/mpeg';
  if (codec === 'ulaw') return 'audio/basic';
  return `audio/pcm;rate=${sampleRate}`;
}

// providerError decides what the client sees; it gets the API's own message, not the SDK's summary of the body.
// Errors without a status (refused connection, timeout, abort) come out as "could not be reached".
// ElevenLabsError comes from the SDK the call has already loaded.
async function toProviderError(error: unknown): Promise<unknown> {
  const { ElevenLabsError } = await import('@elevenlabs/elevenlabs-js');
  if (!(error instanceof ElevenLabsError)) return error;
  return providerError(PROVIDER, error.statusCode, apiMessage(error.body));
}

// The API words errors as { detail: { message } }, { detail: '...' } or, for invalid fields, { detail: [{ msg }] }.
function apiMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const { detail } = body;
  if (typeof detail === 'string') return detail;
  if (isRecord(detail) && typeof detail['message'] === 'string') return detail['message'];
  if (Array.isArray(detail)) {
    const messages = detail.map((issue: unknown) => (isRecord(issue) && typeof issue['msg'] === 'string' ? issue['msg'] : undefined));
    return messages.filter((message) => message !== undefined).join('; ') || undefined;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
