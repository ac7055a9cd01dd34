import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { readBody } from '../helpers/http.js';

/** What the mock received in one REST request. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One live session the mock accepted. */
export interface MockStream {
  /** Path and query of the handshake, e.g. `/v1/listen?model=nova-3&...`. */
  path: string;
  headers: IncomingHttpHeaders;
  frames: Buffer[];
  /** Text messages received (CloseStream, Finalize, KeepAlive), parsed. */
  controls: unknown[];
  /** Resolves with the close code once the connection is closed, from either side. */
  closed: Promise<number>;
  /** Ends the session from Deepgram's side. */
  end(code: number, reason: string): void;
}

/** A local stand-in for Deepgram: the REST calls the plugin makes and the live WebSocket on /v1/listen. */
export interface DeepgramMock {
  /** Base URL for DEEPGRAM_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  streams: MockStream[];
  /** Resolves with `streams` once they hold `count` live sessions. */
  streamsOpened(count: number): Promise<MockStream[]>;
  /** Answers the next REST request with this status and a Deepgram-style error body. */
  failNext(status: number, message: string): void;
  close(): Promise<void>;
}

/** The transcript of every prerecorded file. */
export const TRANSCRIPT = 'Hello from the mock.';
export const WORDS = [
  { word: 'hello', start: 0.08, end: 0.4, confidence: 0.99, punctuated_word: 'Hello' },
  { word: 'from', start: 0.4, end: 0.56, confidence: 0.98, punctuated_word: 'from' },
  { word: 'the', start: 0.56, end: 0.64, confidence: 0.97, punctuated_word: 'the' },
  { word: 'mock', start: 0.64, end: 1.02, confidence: 0.96, punctuated_word: 'mock.' },
];
export const DURATION_SECONDS = 3.25;
/** Each live audio frame stands for this many seconds. */
export const FRAME_SECONDS = 0.5;
/** What `GET /v1/models` lists. */
export const MODELS = {
  stt: [sttModel('general', 'nova-3', ['en', 'en-US'], true), sttModel('medical', 'nova-3-medical', ['en'], false)],
  // Text-to-speech voices are listed too; GET /models leaves them out.
  tts: [{ name: 'thalia', canonical_name: 'aura-2-thalia-en', architecture: 'aura-2', languages: ['en'], version: '2025-01-01.0' }],
};

function sttModel(name: string, canonicalName: string, languages: string[], streaming: boolean) {
  return {
    name,
    canonical_name: canonicalName,
    architecture: 'nova-3',
    languages,
    version: '2025-04-17.21547',
    uuid: `stt-${canonicalName}`,
    batch: true,
    streaming,
    formatted_output: true,
  };
}

/** Starts the mock; REST calls and live handshakes must carry `Authorization: Token <apiKey>`, as with the real API. */
export async function startDeepgramMock(apiKey: string): Promise<DeepgramMock> {
  const requests: RecordedRequest[] = [];
  const streams: MockStream[] = [];
  const opened = new EventEmitter();
  let nextFailure: { status: number; message: string } | undefined;

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    if (req.headers.authorization !== `Token ${apiKey}`) {
      // The real API does not echo keys, but a test should catch a plugin passing on whatever it gets.
      sendError(res, 401, 'INVALID_AUTH', `Invalid credentials: ${req.headers.authorization ?? 'none'}.`);
      return;
    }
    if (nextFailure) {
      const { status, message } = nextFailure;
      nextFailure = undefined;
      sendError(res, status, 'MOCK_FAILURE', message);
      return;
    }

    const { pathname } = new URL(path, 'http://localhost');
    if (req.method === 'POST' && pathname === '/v1/listen') sendJson(res, 200, prerecordedResult());
    else if (req.method === 'GET' && pathname === '/v1/models') sendJson(res, 200, MODELS);
    else sendError(res, 404, 'NOT_FOUND', `Unknown request ${req.method} ${pathname}.`);
  });

  const live = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/v1/listen') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    } else if (req.headers.authorization !== `Token ${apiKey}`) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    } else {
      live.handleUpgrade(req, socket, head, (ws) => {
        streams.push(acceptStream(ws, req.url ?? '/', req.headers));
        opened.emit('stream');
      });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    streams,
    streamsOpened: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (streams.length < count) return;
          opened.off('stream', check);
          resolve(streams);
        };
        opened.on('stream', check);
        check();
      }),
    failNext: (status, message) => {
      nextFailure = { status, message };
    },
    close: () => {
      for (const client of live.clients) client.terminate();
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

// Like Deepgram: one Results message per audio frame, and CloseStream answered with Metadata and a normal close.
function acceptStream(ws: WebSocket, path: string, headers: IncomingHttpHeaders): MockStream {
  const frames: Buffer[] = [];
  const controls: unknown[] = [];
  ws.on('message', (data, isBinary) => {
    const message = toBuffer(data);
    if (!isBinary) {
      const control = JSON.parse(message.toString('utf8')) as { type: string };
      controls.push(control);
      if (control.type === 'CloseStream') {
        ws.send(JSON.stringify({ type: 'Metadata', request_id: 'mock-request', duration: frames.length * FRAME_SECONDS, channels: 1 }));
        ws.close(1000);
      }
      return;
    }
    frames.push(message);
    const index = frames.length - 1;
    ws.send(JSON.stringify(liveResult(index, `frame ${index + 1} of ${message.length} bytes`)));
  });
  return {
    path,
    headers,
    frames,
    controls,
    closed: new Promise((resolve) => ws.once('close', (code) => resolve(code))),
    end: (code, reason) => ws.close(code, reason),
  };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

// Odd frames give interim results, even ones final results.
function liveResult(index: number, transcript: string) {
  return {
    type: 'Results',
    channel_index: [0, 1],
    duration: FRAME_SECONDS,
    start: index * FRAME_SECONDS,
    is_final: index % 2 === 1,
    speech_final: false,
    channel: { alternatives: [{ transcript, confidence: 0.97, words: [] }] },
    metadata: {
      request_id: 'mock-request',
      model_info: { name: 'general', version: '2025-04-17.21547', arch: 'nova-3' },
      model_uuid: 'mock-model',
    },
    from_finalize: false,
  };
}

function prerecordedResult() {
  return {
    metadata: {
      transaction_key: 'deprecated',
      request_id: 'mock-request',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      created: '2026-01-15T10:00:00.000Z',
      duration: DURATION_SECONDS,
      channels: 1,
      models: ['mock-model'],
      model_info: { 'mock-model': { name: 'general', version: '2025-04-17.21547', arch: 'nova-3' } },
    },
    results: { channels: [{ alternatives: [{ transcript: TRANSCRIPT, confidence: 0.98, words: WORDS }] }] },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { err_code: code, err_msg: message, request_id: 'mock-request' });
}
