import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EnvSource } from '../src/env.js';
import { ServiceRegistry } from '../src/lib/services.js';
import type { UsageEvent } from '../src/lib/usage.js';
import { usageRecorders } from '../src/lib/usage.js';
import { deepgramEnv } from '../src/voice/deepgram/deepgram.schema.js';
import { createDeepgramService } from '../src/voice/deepgram/deepgram.service.js';
import { deepgramPlugin } from '../src/voice/deepgram/index.js';
import { useAppWithMock } from './helpers/app-with-mock.js';
import type { RunningServer } from './helpers/http.js';
import { startApp } from './helpers/http.js';
import type { DeepgramMock } from './mocks/deepgram.mock.js';
import { DURATION_SECONDS, FRAME_SECONDS, MODELS, startDeepgramMock, TRANSCRIPT, WORDS } from './mocks/deepgram.mock.js';

const API_KEY = 'dg-test-0123456789abcdef';
const MAX_UPLOAD_BYTES = 4096;

interface ErrorBody {
  error: { message: string; details?: { path: string }[] };
}

// Retries off: a failure the mock is told to give is then the answer, not a back-off to wait through.
function deepgramSettings(mock: DeepgramMock, overrides: EnvSource = {}): EnvSource {
  return {
    DEEPGRAM_API_KEY: API_KEY,
    DEEPGRAM_BASE_URL: mock.url,
    DEEPGRAM_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    DEEPGRAM_MAX_RETRIES: '0',
    ...overrides,
  };
}

function audioForm(bytes: Uint8Array, type = 'audio/wav', fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('audio', new Blob([bytes], { type }), 'clip.wav');
  return form;
}

describe('Deepgram transcription and models', () => {
  const running = useAppWithMock(
    () => startDeepgramMock(API_KEY),
    (mock) => startApp(deepgramSettings(mock), { plugins: [deepgramPlugin] }),
  );

  const transcribe = (form: FormData) => fetch(`${running.app.url}/api/voice/deepgram/transcribe`, { method: 'POST', body: form });

  it('transcribes an upload with the default model and smart formatting', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, index) => index % 251);
    const response = await transcribe(audioForm(bytes, 'audio/wav', { language: 'en' }));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      transcript: TRANSCRIPT,
      confidence: 0.98,
      durationSeconds: DURATION_SECONDS,
      words: WORDS.map(({ word, start, end, confidence }) => ({ word, start, end, confidence })),
    });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
    expect(request?.method).toBe('POST');
    const url = new URL(request?.path ?? '/', 'http://localhost');
    expect(url.pathname).toBe('/v1/listen');
    expect(Object.fromEntries(url.searchParams)).toEqual({ model: 'nova-3', language: 'en', smart_format: 'true' });
    expect(request?.headers.authorization).toBe(`Token ${API_KEY}`);
    expect(request?.headers['content-type']).toBe('audio/wav');
    expect(request?.body).toEqual(Buffer.from(bytes));
  });

  it('passes the model and smart_format=false on', async () => {
    const response = await transcribe(audioForm(new Uint8Array(10), 'video/webm', { model: 'nova-3-medical', smart_format: 'false' }));

    expect(response.status).toBe(200);
    const url = new URL(running.mock.requests[0]?.path ?? '/', 'http://localhost');
    expect(Object.fromEntries(url.searchParams)).toEqual({ model: 'nova-3-medical', smart_format: 'false' });
    expect(running.mock.requests[0]?.headers['content-type']).toBe('video/webm');
  });

  it('refuses audio over DEEPGRAM_MAX_UPLOAD_BYTES with 413 and sends nothing to Deepgram', async () => {
    const response = await transcribe(audioForm(new Uint8Array(MAX_UPLOAD_BYTES + 1)));

    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.message).toBe(`The audio is larger than the limit of ${MAX_UPLOAD_BYTES} bytes.`);
    expect(running.mock.requests).toEqual([]);
  });

  it('refuses a file that is not audio or video with 415', async () => {
    const response = await transcribe(audioForm(new TextEncoder().encode('not audio'), 'text/plain'));

    expect(response.status).toBe(415);
    expect(((await response.json()) as ErrorBody).error.message).toBe('Expected an audio or video file, got text/plain.');
    expect(running.mock.requests).toEqual([]);
  });

  it('answers 400 when the upload has no audio file', async () => {
    const form = new FormData();
    form.append('language', 'en');
    const response = await fetch(`${running.app.url}/api/voice/deepgram/transcribe`, { method: 'POST', body: form });

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toContain('field `audio`');
    expect(running.mock.requests).toEqual([]);
  });

  it('answers 400 for invalid fields, without calling Deepgram', async () => {
    const response = await transcribe(audioForm(new Uint8Array(10), 'audio/wav', { smart_format: 'yes' }));

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.details?.map((issue) => issue.path)).toEqual(['smart_format']);
    expect(running.mock.requests).toEqual([]);
  });

  it("passes Deepgram's reason on when it rejects the audio", async () => {
    running.mock.failNext(400, 'Bad Request: failed to process audio: corrupt or unsupported data');
    const response = await transcribe(audioForm(new Uint8Array(10)));

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      'Deepgram rejected the request. Bad Request: failed to process audio: corrupt or unsupported data',
    );
  });

  it('lists the speech-to-text models', async () => {
    const response = await fetch(`${running.app.url}/api/voice/deepgram/models`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      models: MODELS.stt.map((model) => ({
        name: model.name,
        canonicalName: model.canonical_name,
        architecture: model.architecture,
        languages: model.languages,
        version: model.version,
        streaming: model.streaming,
        batch: model.batch,
      })),
    });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models']);
  });

  it('probes by listing models on GET /health?probe=1', async () => {
    const response = await fetch(`${running.app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'deepgram')?.status).toBe('ok');
    expect(running.mock.requests[0]?.headers.authorization).toBe(`Token ${API_KEY}`);
  });

  it('maps a rejected key to 502 without leaking it, on routes and the probe', async () => {
    const wrongKey = 'dg-wrong-key-fedcba9876543210';
    const misconfigured = await startApp(deepgramSettings(running.mock, { DEEPGRAM_API_KEY: wrongKey }), { plugins: [deepgramPlugin] });
    try {
      const response = await fetch(`${misconfigured.url}/api/voice/deepgram/transcribe`, {
        method: 'POST',
        body: audioForm(new Uint8Array(10)),
      });
      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('Deepgram rejected the credentials');
      expect(text).not.toContain(wrongKey);

      const health = await fetch(`${misconfigured.url}/health?probe=1`);
      const body = (await health.json()) as { plugins: { id: string; status: string; message?: string }[] };
      expect(body.plugins.find((plugin) => plugin.id === 'deepgram')).toMatchObject({
        status: 'failing',
        message: 'Deepgram rejected the credentials. Check the API key.',
      });
    } finally {
      await misconfigured.close();
    }
  });

  it('reports the seconds of audio transcribed to usage recorders', async () => {
    const events: UsageEvent[] = [];
    const services = new ServiceRegistry();
    services.provide(usageRecorders, { record: (event) => events.push(event) });
    const service = createDeepgramService(deepgramEnv.parse(deepgramSettings(running.mock)), services);

    await service.transcribe(Buffer.from('audio'), 'audio/wav', { smartFormat: true });

    expect(events).toEqual([{ provider: 'deepgram', model: 'nova-3', seconds: DURATION_SECONDS, latencyMs: expect.any(Number) }]);
  });
});

/** A WebSocket client of the app's live stream, collecting what it receives. */
interface StreamClient {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  /** Resolves once `count` messages have arrived in all. */
  received(count: number): Promise<Record<string, unknown>[]>;
  closed: Promise<number>;
}

function openStream(app: RunningServer, query = '', origin?: string): Promise<StreamClient> {
  const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/api/voice/deepgram/stream${query}`, origin ? { origin } : {});
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  const received = (count: number) =>
    new Promise<Record<string, unknown>[]>((resolve) => {
      const check = () => {
        if (messages.length < count) return;
        socket.off('message', check);
        resolve(messages);
      };
      // Registered after the listener above, so `messages` already holds the new one.
      socket.on('message', check);
      check();
    });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages, received, closed }));
    socket.once('error', reject);
  });
}

describe('Deepgram live stream', () => {
  let mock: DeepgramMock;
  let app: RunningServer;
  beforeAll(async () => {
    mock = await startDeepgramMock(API_KEY);
    // A stream closed by one test may still count on the server while the next opens: the shared
    // app's limit is out of reach, and the test of the limit has an app of its own.
    app = await startApp(deepgramSettings(mock, { DEEPGRAM_MAX_STREAMS: '100' }), { plugins: [deepgramPlugin] });
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  afterEach(() => {
    mock.streams.length = 0;
  });

  // Own apps, so these streams never count against the shared app's stream limit.
  it('refuses a page of another origin, and accepts one of this server', async () => {
    const own = await startApp(deepgramSettings(mock), { plugins: [deepgramPlugin] });
    try {
      await expect(openStream(own, '', 'https://elsewhere.example')).rejects.toThrow('Unexpected server response: 403');
      const sameOrigin = await openStream(own, '', own.url);
      sameOrigin.socket.close();
      await sameOrigin.closed;
    } finally {
      await own.close();
    }
  });

  it('accepts an origin listed in DEEPGRAM_ALLOWED_ORIGINS', async () => {
    const allowing = await startApp(deepgramSettings(mock, { DEEPGRAM_ALLOWED_ORIGINS: 'https://app.example, https://admin.example' }), {
      plugins: [deepgramPlugin],
    });
    try {
      const client = await openStream(allowing, '', 'https://admin.example');
      client.socket.close();
      await client.closed;
    } finally {
      await allowing.close();
    }
  });

  it('relays audio frames to Deepgram and transcripts back, and closing the client closes Deepgram', async () => {
    const client = await openStream(app, '?encoding=linear16&sample_rate=16000&language=en');
    client.socket.send(new Uint8Array(3200));
    client.socket.send(new Uint8Array(1600));

    expect(await client.received(2)).toEqual([
      { type: 'transcript', text: 'frame 1 of 3200 bytes', isFinal: false },
      { type: 'transcript', text: 'frame 2 of 1600 bytes', isFinal: true },
    ]);
    const [upstream] = mock.streams;
    expect(upstream?.frames.map((frame) => frame.length)).toEqual([3200, 1600]);
    expect(upstream?.headers.authorization).toBe(`Token ${API_KEY}`);
    const url = new URL(upstream?.path ?? '/', 'http://localhost');
    expect(url.pathname).toBe('/v1/listen');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      model: 'nova-3',
      language: 'en',
      encoding: 'linear16',
      sample_rate: '16000',
      interim_results: 'true',
      punctuate: 'true',
    });

    client.socket.close();
    await expect(upstream?.closed).resolves.toBe(1000);
  });

  it('forwards CloseStream, and Deepgram ending the session closes the client normally', async () => {
    const client = await openStream(app, '?model=nova-3-general&interim_results=false');
    client.socket.send(new Uint8Array(100));
    await client.received(1);
    client.socket.send(JSON.stringify({ type: 'CloseStream' }));

    await expect(client.closed).resolves.toBe(1000);
    expect(mock.streams[0]?.controls).toEqual([{ type: 'CloseStream' }]);
    expect(mock.streams[0]?.path).toContain('model=nova-3-general&interim_results=false');
  });

  it('reports Deepgram ending the session abnormally, then closes with 1014', async () => {
    const client = await openStream(app);
    await mock.streamsOpened(1);
    mock.streams[0]?.end(1011, 'NET-0001');

    await expect(client.closed).resolves.toBe(1014);
    expect(client.messages).toEqual([{ type: 'error', message: 'Deepgram ended the stream (code 1011: NET-0001).' }]);
  });

  it('refuses an invalid query with an error message and 1008, without calling Deepgram', async () => {
    const client = await openStream(app, '?encoding=linear16');

    await expect(client.closed).resolves.toBe(1008);
    expect(client.messages).toEqual([
      { type: 'error', message: 'Invalid request.', details: [{ path: 'sample_rate', message: 'is required when encoding is set' }] },
    ]);
    expect(mock.streams).toEqual([]);
  });

  it('closes with 1008 on a text message that is not a control message', async () => {
    const client = await openStream(app);
    await mock.streamsOpened(1);
    client.socket.send('hello');

    await expect(client.closed).resolves.toBe(1008);
    expect(client.messages[0]).toMatchObject({ type: 'error', message: 'Invalid request.' });
    await expect(mock.streams[0]?.closed).resolves.toBe(1000);
  });

  it('closes with 1009 on a frame over the size limit, and closes Deepgram too', async () => {
    const client = await openStream(app);
    await mock.streamsOpened(1);
    client.socket.send(new Uint8Array(256 * 1024 + 1));

    await expect(client.closed).resolves.toBe(1009);
    await expect(mock.streams[0]?.closed).resolves.toBe(1000);
    expect(mock.streams[0]?.frames).toEqual([]);
  });

  it('refuses streams over DEEPGRAM_MAX_STREAMS with 1013', async () => {
    const limited = await startApp(deepgramSettings(mock, { DEEPGRAM_MAX_STREAMS: '2' }), { plugins: [deepgramPlugin] });
    try {
      const first = await openStream(limited);
      const second = await openStream(limited);
      const third = await openStream(limited);

      await expect(third.closed).resolves.toBe(1013);
      expect(third.messages).toEqual([{ type: 'error', message: 'Too many live streams: at most 2 run at once. Try again later.' }]);
      await mock.streamsOpened(2);
      first.socket.close();
      second.socket.close();
      await Promise.all([first.closed, second.closed]);
    } finally {
      await limited.close();
    }
  });

  it('maps a key Deepgram refuses to an error message without the key, then 1014', async () => {
    const wrongKey = 'dg-wrong-key-fedcba9876543210';
    const misconfigured = await startApp(deepgramSettings(mock, { DEEPGRAM_API_KEY: wrongKey }), { plugins: [deepgramPlugin] });
    try {
      const client = await openStream(misconfigured);

      await expect(client.closed).resolves.toBe(1014);
      expect(client.messages).toEqual([{ type: 'error', message: 'Deepgram rejected the credentials. Check the API key.' }]);
      expect(mock.streams).toEqual([]);
    } finally {
      await misconfigured.close();
    }
  });

  it('reports the seconds of live audio to usage recorders when the session ends', async () => {
    const events: UsageEvent[] = [];
    const services = new ServiceRegistry();
    services.provide(usageRecorders, { record: (event) => events.push(event) });
    const service = createDeepgramService(deepgramEnv.parse(deepgramSettings(mock)), services);
    let transcripts = 0;
    let thirdTranscript: () => void = () => undefined;
    const transcribed = new Promise<void>((resolve) => {
      thirdTranscript = resolve;
    });
    let closed: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      closed = resolve;
    });

    const transcript = () => {
      transcripts += 1;
      if (transcripts === 3) thirdTranscript();
    };
    const session = await service.openLive({}, { transcript, closed });
    session.sendAudio(Buffer.alloc(10));
    session.sendAudio(Buffer.alloc(10));
    session.sendAudio(Buffer.alloc(10));
    await transcribed;
    session.close();
    await ended;

    expect(events).toEqual([{ provider: 'deepgram', model: 'nova-3', seconds: 3 * FRAME_SECONDS, latencyMs: expect.any(Number) }]);
  });
});
