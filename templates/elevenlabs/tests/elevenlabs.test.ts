import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceRegistry } from '../src/lib/services.js';
import type { UsageEvent } from '../src/lib/usage.js';
import { usageRecorders } from '../src/lib/usage.js';
import { elevenlabsEnv } from '../src/voice/elevenlabs/elevenlabs.schema.js';
import { createElevenLabsService } from '../src/voice/elevenlabs/elevenlabs.service.js';
import { elevenlabsPlugin } from '../src/voice/elevenlabs/index.js';
import { useAppWithMock } from './helpers/app-with-mock.js';
import { startApp, startMock } from './helpers/http.js';
import { serveMock } from './helpers/provider-mock.js';
import {
  CLONED_VOICE_ID,
  createElevenLabsMock,
  DEFAULT_VOICE_ID,
  HISTORY,
  KNOWN_VOICE_ID,
  MP3_BYTES,
  VOICES,
} from './mocks/elevenlabs.mock.js';

const API_KEY = 'sk_test_elevenlabs_0123456789abcdef';

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

describe('ElevenLabs plugin', () => {
  const running = useAppWithMock(
    () => serveMock(createElevenLabsMock(API_KEY)),
    (mock) =>
      startApp(
        { ELEVENLABS_API_KEY: API_KEY, ELEVENLABS_BASE_URL: mock.url, ELEVENLABS_MAX_RETRIES: '0' },
        { plugins: [elevenlabsPlugin] },
      ),
  );
  const api = () => `${running.app.url}/api/voice/elevenlabs`;
  afterEach(() => {
    running.mock.failure = undefined;
  });

  const synthesize = (body: unknown, init: RequestInit = {}) =>
    fetch(`${api()}/synthesize`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), ...init });

  function clone(fields: Record<string, string>, files: { bytes: Uint8Array; name: string; type: string }[]): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) form.append('files', new Blob([file.bytes], { type: file.type }), file.name);
    return fetch(`${api()}/clone`, { method: 'POST', body: form });
  }

  it('streams the synthesized MP3 to the client with the default voice, model and format', async () => {
    const response = await synthesize({ text: 'Hello from the test.' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(MP3_BYTES);

    const [request] = running.mock.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/v1/text-to-speech/${DEFAULT_VOICE_ID}/stream`);
    expect(request?.query.get('output_format')).toBe('mp3_44100_128');
    expect(request?.headers['xi-api-key']).toBe(API_KEY);
    expect(request?.json).toEqual({ text: 'Hello from the test.', model_id: 'eleven_multilingual_v2' });
  });

  it('passes the requested voice, model and PCM format on, answering with the PCM type', async () => {
    const response = await synthesize({
      text: 'Raw samples.',
      voiceId: KNOWN_VOICE_ID,
      modelId: 'eleven_flash_v2_5',
      outputFormat: 'pcm_24000',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/pcm;rate=24000');
    await response.arrayBuffer();
    expect(running.mock.requests[0]?.path).toBe(`/v1/text-to-speech/${KNOWN_VOICE_ID}/stream`);
    expect(running.mock.requests[0]?.query.get('output_format')).toBe('pcm_24000');
    expect(running.mock.requests[0]?.json).toEqual({ text: 'Raw samples.', model_id: 'eleven_flash_v2_5' });
  });

  it('uses ELEVENLABS_VOICE_ID and ELEVENLABS_MODEL when the request names none', async () => {
    const configured = await startApp(
      {
        ELEVENLABS_API_KEY: API_KEY,
        ELEVENLABS_BASE_URL: running.mock.url,
        ELEVENLABS_MAX_RETRIES: '0',
        ELEVENLABS_VOICE_ID: KNOWN_VOICE_ID,
        ELEVENLABS_MODEL: 'eleven_v3',
      },
      { plugins: [elevenlabsPlugin] },
    );
    try {
      const response = await fetch(`${configured.url}/api/voice/elevenlabs/synthesize`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'Configured defaults.' }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      expect(running.mock.requests[0]?.path).toBe(`/v1/text-to-speech/${KNOWN_VOICE_ID}/stream`);
      expect(running.mock.requests[0]?.json).toMatchObject({ model_id: 'eleven_v3' });
    } finally {
      await configured.close();
    }
  });

  it('closes the upstream request when the client stops listening', async () => {
    const upstreamClosed = running.mock.streamUntilClosed();
    const client = new AbortController();
    const response = await synthesize({ text: 'A very long story.' }, { signal: client.signal });
    const first = await response.body?.getReader().read();
    expect(
      Buffer.from(first?.value ?? [])
        .subarray(0, 3)
        .toString('latin1'),
    ).toBe('ID3');

    client.abort();
    await expect(upstreamClosed).resolves.toBeUndefined();
  });

  it('stops waiting for ElevenLabs when the client leaves before the audio starts', async () => {
    const held = running.mock.holdNextSpeech();
    const client = new AbortController();
    const response = synthesize({ text: 'A slow start.' }, { signal: client.signal }).catch(() => 'aborted');
    await held.received;

    client.abort();
    await expect(held.closed).resolves.toBeUndefined();
    expect(await response).toBe('aborted');
  });

  it.each([
    ['no text', {}, 'text'],
    ['empty text', { text: '' }, 'text'],
    ['blank text', { text: '   ' }, 'text'],
    ['text over 5000 characters', { text: 'a'.repeat(5001) }, 'text'],
    ['an unknown output format', { text: 'Hi', outputFormat: 'wav_44100' }, 'outputFormat'],
  ])('answers 400 for %s without calling ElevenLabs', async (_, body, path) => {
    const response = await synthesize(body);

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.details?.map((issue) => issue.path)).toEqual([path]);
    expect(running.mock.requests).toEqual([]);
  });

  it('answers 404 with the API message for an unknown voice', async () => {
    const response = await synthesize({ text: 'Hi', voiceId: 'noSuchVoice000000000' });

    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      'ElevenLabs could not find what was asked for. A voice with the voice_id noSuchVoice000000000 was not found.',
    );
  });

  it('lists voices in a clean shape, 100 a page by default', async () => {
    const response = await fetch(`${api()}/voices`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      voices: VOICES.map((voice) => ({ id: voice.voice_id, name: voice.name, category: voice.category, previewUrl: voice.preview_url })),
      hasMore: false,
    });
    expect(running.mock.requests[0]?.path).toBe('/v2/voices');
    expect(running.mock.requests[0]?.query.get('page_size')).toBe('100');
  });

  it('passes the voice search and paging on', async () => {
    const response = await fetch(`${api()}/voices?search=george&pageSize=1`);

    expect(await response.json()).toMatchObject({ voices: [{ id: DEFAULT_VOICE_ID }], hasMore: true, nextPageToken: 'page-2' });
    expect(running.mock.requests[0]?.query.get('search')).toBe('george');
    expect(running.mock.requests[0]?.query.get('page_size')).toBe('1');
  });

  it('answers 400 for a page size over 100', async () => {
    const response = await fetch(`${api()}/voices?pageSize=101`);

    expect(response.status).toBe(400);
    expect(running.mock.requests).toEqual([]);
  });

  it('clones a voice from uploaded samples, sending each file as it came', async () => {
    const first = Uint8Array.from(MP3_BYTES);
    const second = Uint8Array.from({ length: 2048 }, (_, index) => index % 256);
    const response = await clone({ name: ' Narrator ', description: 'Warm and calm', removeBackgroundNoise: 'true' }, [
      { bytes: first, name: 'take-1.mp3', type: 'audio/mpeg' },
      { bytes: second, name: 'take-2.wav', type: 'audio/wav' },
    ]);

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ voiceId: CLONED_VOICE_ID, requiresVerification: false });
    const [request] = running.mock.requests;
    expect(request?.path).toBe('/v1/voices/add');
    expect(request?.headers['xi-api-key']).toBe(API_KEY);
    expect(request?.form?.fields).toEqual({ name: 'Narrator', description: 'Warm and calm', remove_background_noise: 'true' });
    expect(request?.form?.files).toEqual([
      { filename: 'take-1.mp3', contentType: 'audio/mpeg', bytes: Buffer.from(first) },
      { filename: 'take-2.wav', contentType: 'audio/wav', bytes: Buffer.from(second) },
    ]);
  });

  it('answers 413 for a sample over 10 MiB without calling ElevenLabs', async () => {
    const response = await clone({ name: 'Big' }, [{ bytes: new Uint8Array(10 * 1024 * 1024 + 1), name: 'big.mp3', type: 'audio/mpeg' }]);

    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.message).toBe('Each voice sample must be at most 10485760 bytes.');
    expect(running.mock.requests).toEqual([]);
  });

  it('answers 415 for a sample that is not audio', async () => {
    const response = await clone({ name: 'Text' }, [
      { bytes: new TextEncoder().encode('not audio'), name: 'notes.txt', type: 'text/plain' },
    ]);

    expect(response.status).toBe(415);
    expect(((await response.json()) as ErrorBody).error.message).toContain('`notes.txt` is text/plain');
    expect(running.mock.requests).toEqual([]);
  });

  it('answers 400 for a clone without a name, without samples or with more than 5', async () => {
    const sample = { bytes: Uint8Array.from(MP3_BYTES), name: 'take.mp3', type: 'audio/mpeg' };

    const noName = await clone({}, [sample]);
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as ErrorBody).error.details?.map((issue) => issue.path)).toEqual(['name']);
    expect((await clone({ name: 'Nothing' }, [])).status).toBe(400);
    expect(
      (
        await clone(
          { name: 'Crowd' },
          Array.from({ length: 6 }, () => sample),
        )
      ).status,
    ).toBe(400);
    expect(running.mock.requests).toEqual([]);
  });

  it('lists the history in a clean shape', async () => {
    const response = await fetch(`${api()}/history?pageSize=5&startAfter=hist0000`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [
        {
          id: 'hist0001',
          voiceId: DEFAULT_VOICE_ID,
          voiceName: 'George',
          modelId: 'eleven_multilingual_v2',
          text: HISTORY[0]?.text,
          characters: 12,
          contentType: 'audio/mpeg',
          createdAt: '2026-01-01T00:00:00.000Z',
          source: 'TTS',
        },
      ],
      hasMore: true,
      lastItemId: 'hist0001',
    });
    expect(running.mock.requests[0]?.path).toBe('/v1/history');
    expect(running.mock.requests[0]?.query.get('page_size')).toBe('5');
    expect(running.mock.requests[0]?.query.get('start_after_history_item_id')).toBe('hist0000');
  });

  it('answers 400 for a history page size that is not a number', async () => {
    const response = await fetch(`${api()}/history?pageSize=many`);

    expect(response.status).toBe(400);
    expect(running.mock.requests).toEqual([]);
  });

  it('maps a rejected key to 502 without leaking it', async () => {
    const wrongKey = 'sk_wrong_key_fedcba9876543210';
    const misconfigured = await startApp(
      { ELEVENLABS_API_KEY: wrongKey, ELEVENLABS_BASE_URL: running.mock.url, ELEVENLABS_MAX_RETRIES: '0' },
      { plugins: [elevenlabsPlugin] },
    );
    try {
      const response = await fetch(`${misconfigured.url}/api/voice/elevenlabs/voices`);

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('ElevenLabs rejected the credentials');
      expect(text).not.toContain(wrongKey);
    } finally {
      await misconfigured.close();
    }
  });

  // Retries are off here (ELEVENLABS_MAX_RETRIES=0): the first 429 is the answer.
  it('maps a rate limit to 429 without leaking the key', async () => {
    running.mock.failure = 429;
    const response = await synthesize({ text: 'Too many.' });

    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(text).toContain('ElevenLabs is rate limiting this app');
    expect(text).not.toContain(API_KEY);
  });

  it('probes with a one-voice page on GET /health?probe=1', async () => {
    const probe = async () => {
      const response = await fetch(`${running.app.url}/health?probe=1`);
      const { plugins } = (await response.json()) as { plugins: { id: string; status: string; message?: string }[] };
      return plugins.find((plugin) => plugin.id === 'elevenlabs');
    };

    expect(await probe()).toMatchObject({ status: 'ok' });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual([
      'GET /v2/voices?page_size=1',
    ]);

    running.mock.failure = 401;
    expect(await probe()).toMatchObject({ status: 'failing', message: 'ElevenLabs rejected the credentials. Check the API key.' });
  });

  it('limits each client to RATE_LIMIT_PER_MINUTE requests', async () => {
    const limited = await startApp(
      { ELEVENLABS_API_KEY: API_KEY, ELEVENLABS_BASE_URL: running.mock.url, ELEVENLABS_MAX_RETRIES: '0', RATE_LIMIT_PER_MINUTE: '2' },
      { plugins: [elevenlabsPlugin] },
    );
    try {
      const statuses: number[] = [];
      for (let call = 0; call < 3; call += 1) statuses.push((await fetch(`${limited.url}/api/voice/elevenlabs/voices`)).status);

      expect(statuses).toEqual([200, 200, 429]);
      expect(running.mock.requests).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });

  it('reports the characters of each synthesis to the usage recorders', async () => {
    const events: UsageEvent[] = [];
    const services = new ServiceRegistry();
    services.provide(usageRecorders, { record: (event) => events.push(event) });
    const service = createElevenLabsService(
      elevenlabsEnv.parse({ ELEVENLABS_API_KEY: API_KEY, ELEVENLABS_BASE_URL: running.mock.url, ELEVENLABS_MAX_RETRIES: '0' }),
      services,
    );

    const { audio } = await service.synthesize({ text: 'Count these.' }, new AbortController().signal);
    const closed = once(audio, 'close');
    audio.resume();
    await closed;

    expect(events).toEqual([{ provider: 'elevenlabs', model: 'eleven_multilingual_v2', characters: 12, latencyMs: expect.any(Number) }]);
  });
});

describe('ElevenLabs plugin out of reach', () => {
  it('answers 503 when ElevenLabs cannot be reached', async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp(
      { ELEVENLABS_API_KEY: API_KEY, ELEVENLABS_BASE_URL: closed.url, ELEVENLABS_MAX_RETRIES: '0' },
      { plugins: [elevenlabsPlugin] },
    );
    try {
      const response = await fetch(`${app.url}/api/voice/elevenlabs/synthesize`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'Anyone there?' }),
      });

      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toBe('ElevenLabs could not be reached. Try again later.');
    } finally {
      await app.close();
    }
  });
});
