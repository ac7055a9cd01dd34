import * as z from 'zod';
import { maxRetriesSetting } from '../../env.js';

/** The plugin's environment variables; only the key is required. */
export const elevenlabsEnv = z.object({
  ELEVENLABS_API_KEY: z.string().min(1),
  // Their defaults live in createElevenLabsService, next to the calls that use them.
  ELEVENLABS_VOICE_ID: z.string().optional(),
  ELEVENLABS_MODEL: z.string().optional(),
  ELEVENLABS_BASE_URL: z.string().url('must be a URL such as https://api.elevenlabs.io').optional(),
  ELEVENLABS_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the ElevenLabs plugin. */
export type ElevenLabsConfig = z.infer<typeof elevenlabsEnv>;

/**
 * Audio encodings `POST /synthesize` offers: MP3 to play, raw PCM (16-bit little-endian mono)
 * to process, μ-law for telephony. Higher MP3 bitrates and PCM 44.1 kHz need a paid plan.
 */
export const outputFormats = [
  'mp3_22050_32',
  'mp3_44100_64',
  'mp3_44100_128',
  'mp3_44100_192',
  'pcm_16000',
  'pcm_22050',
  'pcm_24000',
  'pcm_44100',
  'ulaw_8000',
] as const;

export type OutputFormat = (typeof outputFormats)[number];

/** The API's limit per request for its current models. */
export const MAX_TEXT_LENGTH = 5000;

/** Body of `POST /synthesize`. */
export const synthesizeBody = z.object({
  text: z
    .string()
    .max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`)
    .refine((text) => text.trim() !== '', 'must not be empty or blank'),
  voiceId: z.string().min(1).max(100).optional(),
  modelId: z.string().min(1).max(100).optional(),
  outputFormat: z.enum(outputFormats).optional(),
});

export type SynthesizeRequest = z.infer<typeof synthesizeBody>;

/** Query of `GET /voices`: `nextPageToken` comes from the previous page. */
export const voicesQuery = z.object({
  search: z.string().min(1).max(200).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
  nextPageToken: z.string().min(1).optional(),
});

export type VoicesQuery = z.infer<typeof voicesQuery>;

/** Text fields of `POST /clone` (the samples travel as files in the field `files`). */
export const cloneFields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.string().max(1000, 'must be at most 1000 characters').optional(),
  removeBackgroundNoise: z.enum(['true', 'false']).optional(),
});

/** Query of `GET /history`: `startAfter` is the `lastItemId` of the previous page. */
export const historyQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(1000).optional(),
  startAfter: z.string().min(1).optional(),
});

export type HistoryQuery = z.infer<typeof historyQuery>;

/** One voice as `GET /voices` lists it. */
export interface VoiceSummary {
  id: string;
  name?: string;
  /** premade, cloned, generated, professional ... */
  category?: string;
  /** A short sample to play before choosing. */
  previewUrl?: string;
}

export interface VoicesPage {
  voices: VoiceSummary[];
  hasMore: boolean;
  nextPageToken?: string;
}

/** An audio sample for cloning, as received from the client. */
export interface VoiceSample {
  data: Buffer;
  filename: string;
  contentType: string;
}

export interface CloneRequest {
  name: string;
  description?: string;
  removeBackgroundNoise?: boolean;
  samples: VoiceSample[];
}

/** A voice made by instant voice cloning; some need the owner's verification before use. */
export interface ClonedVoice {
  voiceId: string;
  requiresVerification: boolean;
}

/** One past generation. */
export interface HistoryItem {
  id: string;
  voiceId?: string;
  voiceName?: string;
  modelId?: string;
  text?: string;
  /** Characters this generation took from the quota. */
  characters: number;
  contentType: string;
  /** ISO 8601. */
  createdAt: string;
  /** TTS, STS, Projects, Dubbing ... */
  source?: string;
}

export interface HistoryPage {
  items: HistoryItem[];
  hasMore: boolean;
  lastItemId?: string;
}
