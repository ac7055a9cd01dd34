import { performance } from 'node:perf_hooks';
import type { DeepgramEnvironmentUrls } from '@deepgram/sdk';
import { HttpError, providerError } from '../../lib/errors.js';
import { loadOnce } from '../../lib/load-once.js';
import type { ServiceRegistry } from '../../lib/services.js';
import { reportUsage } from '../../lib/usage.js';
import type {
  DeepgramConfig,
  LiveTranscript,
  SpeechModel,
  StreamControl,
  StreamOptions,
  TranscribeOptions,
  Transcription,
} from './deepgram.schema.js';

const PROVIDER = 'Deepgram';
const DEFAULT_MODEL = 'nova-3';
const NORMAL_CLOSURE = 1000;

/** Receives what a live session produces. */
export interface LiveHandlers {
  transcript(transcript: LiveTranscript): void;
  /** Called once when the session is over; `error` says why when it did not end normally. */
  closed(error?: HttpError): void;
}

/** An open live session with Deepgram. */
export interface LiveSession {
  /** Dropped once the session is closing: audio that arrives then has no one to transcribe it. */
  sendAudio(frame: Buffer): void;
  control(type: StreamControl): void;
  close(): void;
}

/** Speech to text with Deepgram: prerecorded files, live sessions and the model list. */
export interface DeepgramService {
  transcribe(audio: Buffer, contentType: string, options: TranscribeOptions): Promise<Transcription>;
  /** Resolves once Deepgram accepted the session, rejects with an `HttpError` when it refused it. */
  openLive(options: StreamOptions, handlers: LiveHandlers): Promise<LiveSession>;
  listModels(signal?: AbortSignal): Promise<SpeechModel[]>;
}

/** Wraps the official SDK; every transcription reports its audio seconds to the usage recorders. */
export function createDeepgramService(config: DeepgramConfig, services: ServiceRegistry): DeepgramService {
  // The SDK is imported on the first call, not at start-up.
  const loadClient = loadOnce(async () => {
    const { DeepgramClient } = await import('@deepgram/sdk');
    return new DeepgramClient({
      apiKey: config.DEEPGRAM_API_KEY,
      maxRetries: config.DEEPGRAM_MAX_RETRIES,
      ...(config.DEEPGRAM_BASE_URL && { environment: environmentFor(config.DEEPGRAM_BASE_URL) }),
    });
  });
  const defaultModel = config.DEEPGRAM_MODEL ?? DEFAULT_MODEL;

  async function transcribe(audio: Buffer, contentType: string, options: TranscribeOptions): Promise<Transcription> {
    const model = options.model ?? defaultModel;
    const started = performance.now();
    const client = await loadClient();
    const response = await call(() =>
      client.listen.v1.media.transcribeFile(
        { data: audio, contentType },
        { model, language: options.language, smart_format: options.smartFormat },
      ),
    );
    // Only requests with a callback URL are answered with a receipt instead of results; this service sends none.
    if (!('results' in response)) throw new HttpError(502, `${PROVIDER} answered without a transcript.`);
    const durationSeconds = response.metadata.duration;
    reportUsage(services, { provider: 'deepgram', model, seconds: durationSeconds, latencyMs: Math.round(performance.now() - started) });

    const best = response.results.channels[0]?.alternatives?.[0];
    return {
      transcript: best?.transcript ?? '',
      confidence: best?.confidence ?? 0,
      durationSeconds,
      ...(best?.words && { words: best.words.map(({ word, start, end, confidence }) => ({ word, start, end, confidence })) }),
    };
  }

  async function openLive(options: StreamOptions, handlers: LiveHandlers): Promise<LiveSession> {
    const model = options.model ?? defaultModel;
    const started = performance.now();
    const client = await loadClient();
    const connection = await client.listen.v1.connect({
      model,
      language: options.language,
      encoding: options.encoding,
      sample_rate: options.sample_rate,
      interim_results: options.interim_results ?? 'true',
      punctuate: options.punctuate ?? 'true',
      // A dropped session ends the client's stream too: the client decides whether to start another.
      reconnectAttempts: 0,
    });

    let audioSeconds = 0;
    connection.on('message', (message) => {
      if (message.type !== 'Results') return;
      // Results cover consecutive windows of audio, so the furthest end is the audio heard so far.
      audioSeconds = Math.max(audioSeconds, message.start + message.duration);
      const text = message.channel.alternatives[0]?.transcript ?? '';
      // Silence gives empty results: nothing to show.
      if (text) handlers.transcript({ text, isFinal: message.is_final === true });
    });

    connection.connect();
    try {
      await connection.waitForOpen();
    } catch (event) {
      connection.close();
      throw handshakeError(event);
    }
    const latencyMs = Math.round(performance.now() - started);

    let ended = false;
    let failure: HttpError | undefined;
    connection.on('error', () => {
      failure = new HttpError(502, `The connection to ${PROVIDER} failed.`);
    });
    // After a transport error the SDK emits 'close' (as a normal closure) before 'error', so the
    // outcome is settled a microtask later, once both have been seen.
    connection.on('close', (event) => {
      queueMicrotask(() => {
        if (ended) return;
        ended = true;
        reportUsage(services, { provider: 'deepgram', model, seconds: audioSeconds, latencyMs });
        handlers.closed(failure ?? closeError(event.code, event.reason));
      });
    });

    const isOpen = () => connection.readyState === connection.socket.OPEN;
    return {
      sendAudio(frame) {
        if (isOpen()) connection.sendMedia(frame);
      },
      control(type) {
        if (!isOpen()) return;
        if (type === 'CloseStream') connection.sendCloseStream({ type });
        else if (type === 'Finalize') connection.sendFinalize({ type });
        else connection.sendKeepAlive({ type });
      },
      close: () => connection.close(),
    };
  }

  return {
    transcribe,
    openLive,
    async listModels(signal) {
      const client = await loadClient();
      const { stt = [] } = await call(() => client.manage.v1.models.list({}, { abortSignal: signal }));
      return stt.map((model) => ({
        name: model.name,
        canonicalName: model.canonical_name,
        architecture: model.architecture,
        languages: model.languages,
        version: model.version,
        streaming: model.streaming,
        batch: model.batch,
      }));
    },
  };
}

// One base URL serves both kinds of call: REST over http(s), live sessions over ws(s) on the same host.
function environmentFor(baseUrl: string): DeepgramEnvironmentUrls {
  const rest = baseUrl.replace(/\/+$/, '');
  const live = rest.replace(/^http/, 'ws');
  return { base: rest, production: live, agent: live, agentRest: rest };
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw await toHttpError(error);
  }
}

// providerError decides what the client sees; it gets Deepgram's own err_msg, never the SDK's message.
// The error classes come from the SDK the call has already loaded.
async function toHttpError(error: unknown): Promise<unknown> {
  const { DeepgramError, DeepgramTimeoutError } = await import('@deepgram/sdk');
  if (error instanceof DeepgramTimeoutError) return new HttpError(504, `${PROVIDER} did not answer in time. Try again later.`);
  if (error instanceof DeepgramError) return providerError(PROVIDER, error.statusCode, apiMessage(error.body));
  return error;
}

function apiMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { err_msg: message } = body as { err_msg?: unknown };
  return typeof message === 'string' ? message : undefined;
}

// A refused handshake only shows as the ws message "Unexpected server response: <status>";
// anything else (refused connection, timeout) means Deepgram was not reached.
function handshakeError(event: unknown): HttpError {
  const message = typeof event === 'object' && event !== null ? String((event as { message?: unknown }).message ?? '') : '';
  const status = /Unexpected server response: (\d{3})/.exec(message)?.[1];
  return providerError(PROVIDER, status === undefined ? undefined : Number(status));
}

function closeError(code: number, reason: string | undefined): HttpError | undefined {
  if (code === NORMAL_CLOSURE) return undefined;
  return new HttpError(502, `${PROVIDER} ended the stream (code ${code}${reason ? `: ${reason}` : ''}).`);
}
