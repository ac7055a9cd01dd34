import * as z from 'zod';
import { maxRetriesSetting } from '../../env.js';

const TWENTY_FIVE_MIB = 25 * 1024 * 1024;

/** The plugin's environment variables; only the key is required. */
export const deepgramEnv = z.object({
  DEEPGRAM_API_KEY: z.string().min(1),
  // Its default lives in createDeepgramService, next to the calls that use it.
  DEEPGRAM_MODEL: z.string().optional(),
  DEEPGRAM_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int('must be a whole number of bytes')
    .positive('must be a positive number of bytes')
    .default(TWENTY_FIVE_MIB),
  DEEPGRAM_MAX_STREAMS: z.coerce.number().int('must be a whole number').positive('must be positive').default(20),
  DEEPGRAM_ALLOWED_ORIGINS: z.string().optional(),
  DEEPGRAM_BASE_URL: z.string().url('must be a URL such as https://api.deepgram.com').optional(),
  DEEPGRAM_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the Deepgram plugin. */
export type DeepgramConfig = z.infer<typeof deepgramEnv>;

// Deepgram's query flags are the strings "true" and "false".
const flag = z.enum(['true', 'false']);

/** Text fields of `POST /transcribe`, sent next to the `audio` file. */
export const transcribeFields = z.object({
  model: z.string().min(1).optional(),
  /** A BCP-47 tag such as `en` or `pt-BR`, or `multi`; without it the model's default language. */
  language: z.string().min(2).max(35).optional(),
  smart_format: flag.optional(),
});

/** Options of one prerecorded transcription. */
export interface TranscribeOptions {
  model?: string;
  language?: string;
  smartFormat: boolean;
}

/** One recognised word, with its time span in seconds. */
export interface TranscribedWord {
  word?: string;
  start?: number;
  end?: number;
  confidence?: number;
}

/** The answer of `POST /transcribe` (first channel, best alternative). */
export interface Transcription {
  transcript: string;
  confidence: number;
  durationSeconds: number;
  words?: TranscribedWord[];
}

/** A speech-to-text model, as `GET /models` lists it. */
export interface SpeechModel {
  name?: string;
  canonicalName?: string;
  architecture?: string;
  languages?: string[];
  version?: string;
  /** Usable on `WS /stream`. */
  streaming?: boolean;
  /** Usable on `POST /transcribe`. */
  batch?: boolean;
}

/** Encodings of raw audio; containers (WAV, WebM, Ogg ...) need none, Deepgram reads their header. */
const encodings = ['linear16', 'linear32', 'flac', 'alaw', 'mulaw', 'amr-nb', 'amr-wb', 'opus', 'ogg-opus', 'speex', 'g729'] as const;

/** Query of `WS /stream`. Deepgram needs `sample_rate` with raw `encoding`. */
export const streamQuery = z
  .object({
    model: z.string().min(1).optional(),
    language: z.string().min(2).max(35).optional(),
    interim_results: flag.optional(),
    punctuate: flag.optional(),
    encoding: z.enum(encodings).optional(),
    sample_rate: z.coerce.number().int().min(8000).max(192000).optional(),
  })
  .refine((query) => query.encoding === undefined || query.sample_rate !== undefined, {
    message: 'is required when encoding is set',
    path: ['sample_rate'],
  });

/** Settings of one live transcription, from the `WS /stream` query. */
export type StreamOptions = z.infer<typeof streamQuery>;

/** Text messages a `WS /stream` client may send between audio frames, passed on to Deepgram. */
export const streamControl = z.object({
  type: z.enum(['CloseStream', 'Finalize', 'KeepAlive']),
});

/** `CloseStream` flushes the last results and ends the stream; `Finalize` flushes only; `KeepAlive` covers silences. */
export type StreamControl = z.infer<typeof streamControl>['type'];

/** A transcript of live audio; interim ones are revised until one with `isFinal` arrives. */
export interface LiveTranscript {
  text: string;
  isFinal: boolean;
}
