import { once } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { readBody } from '../helpers/http.js';

/** A file the mock received in a multipart body. */
export interface ReceivedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** What the mock saw of one request; `json` or `form` depending on the body's type. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  json?: unknown;
  form?: { fields: Record<string, string>; files: ReceivedFile[] };
}

/** A local stand-in for the ElevenLabs REST API (the calls the plugin makes); serve `handler` with startMock. */
export interface ElevenLabsMock {
  handler: RequestListener;
  requests: RecordedRequest[];
  /** When set, every request is refused with this status, as the API does for an exhausted quota or an outage. */
  failure?: number;
  /** Makes the next speech endless; resolves once the client closes that connection. */
  streamUntilClosed(): Promise<void>;
  /** Leaves the next speech unanswered: `received` resolves when it arrives, `closed` once the client gives up on it. */
  holdNextSpeech(): { received: Promise<void>; closed: Promise<void> };
}

/** Bytes of a real-looking MP3: an ID3v2 tag, then the header of an MPEG-1 Layer III frame. */
export const MP3_BYTES = Buffer.concat([
  Buffer.from('ID3', 'latin1'),
  Buffer.from([0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
  Buffer.from([0xff, 0xfb, 0x90, 0x64]),
  Buffer.alloc(413, 0x55),
]);

/** The plugin's default voice and another premade one; other voice ids are unknown to the mock. */
export const DEFAULT_VOICE_ID = 'JBFqnCBsd6RMkjVDRZzb';
export const KNOWN_VOICE_ID = '21m00Tcm4TlvDq8ikWAM';

/** What `GET /v2/voices` lists, as the API spells it. */
export const VOICES = [
  {
    voice_id: DEFAULT_VOICE_ID,
    name: 'George',
    category: 'premade',
    preview_url: 'https://storage.googleapis.com/eleven-public-prod/premade/voices/george.mp3',
    labels: { accent: 'British', gender: 'male' },
  },
  {
    voice_id: KNOWN_VOICE_ID,
    name: 'Rachel',
    category: 'premade',
    preview_url: 'https://storage.googleapis.com/eleven-public-prod/premade/voices/rachel.mp3',
    labels: {},
  },
];

/** What `GET /v1/history` lists, as the API spells it. */
export const HISTORY = [
  {
    history_item_id: 'hist0001',
    request_id: 'req0001',
    voice_id: DEFAULT_VOICE_ID,
    model_id: 'eleven_multilingual_v2',
    voice_name: 'George',
    voice_category: 'premade',
    text: 'Hello there.',
    date_unix: 1767225600,
    character_count_change_from: 1000,
    character_count_change_to: 1012,
    content_type: 'audio/mpeg',
    state: 'created',
    settings: { stability: 0.5 },
    feedback: null,
    share_link_id: null,
    source: 'TTS',
  },
];

export const CLONED_VOICE_ID = 'clonedVoice0000000001';

/** Creates the mock; requests must carry `xi-api-key: <apiKey>`, as with the real API. */
export function createElevenLabsMock(apiKey: string): ElevenLabsMock {
  let endlessStream: (() => void) | undefined;
  let heldSpeech: ((res: ServerResponse) => void) | undefined;
  const mock: ElevenLabsMock = {
    requests: [],
    streamUntilClosed: () =>
      new Promise((resolve) => {
        endlessStream = resolve;
      }),
    holdNextSpeech: () => {
      const held = new Promise<ServerResponse>((resolve) => {
        heldSpeech = resolve;
      });
      return {
        received: held.then(() => undefined),
        closed: held.then(async (res) => {
          await once(res, 'close');
        }),
      };
    },
    handler: (req, res) => {
      handle(req, res).catch((error: unknown) =>
        sendError(res, 500, 'mock_error', error instanceof Error ? error.message : 'Mock failure.'),
      );
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    mock.requests.push(await record(req, url));

    const key = req.headers['xi-api-key'];
    if (key !== apiKey) {
      // The real API does not quote the key; this mock does, to prove the plugin never passes it on.
      return sendError(res, 401, 'invalid_api_key', `Invalid API key: ${String(key)}`);
    }
    if (mock.failure !== undefined) return sendError(res, mock.failure, 'mock_failure', `Mock failure ${mock.failure} for ${apiKey}.`);

    const route = `${req.method} ${url.pathname}`;
    const speech = /^POST \/v1\/text-to-speech\/([^/]+)\/stream$/.exec(route);
    if (speech) {
      const voiceId = decodeURIComponent(speech[1] ?? '');
      if (!VOICES.some((voice) => voice.voice_id === voiceId)) {
        return sendError(res, 404, 'voice_not_found', `A voice with the voice_id ${voiceId} was not found.`);
      }
      if (heldSpeech) {
        heldSpeech(res);
        heldSpeech = undefined;
        return;
      }
      if (endlessStream) {
        streamEndlessly(res, endlessStream);
        endlessStream = undefined;
        return;
      }
      // Two writes, so the audio really streams through the plugin.
      res.writeHead(200, { 'Content-Type': 'audio/mpeg' });
      res.write(MP3_BYTES.subarray(0, 100));
      res.end(MP3_BYTES.subarray(100));
      return;
    }
    if (route === 'GET /v2/voices') {
      const pageSize = Number(url.searchParams.get('page_size') ?? '10');
      const hasMore = pageSize < VOICES.length;
      return sendJson(res, 200, {
        voices: VOICES.slice(0, pageSize),
        has_more: hasMore,
        total_count: VOICES.length,
        next_page_token: hasMore ? 'page-2' : null,
      });
    }
    if (route === 'POST /v1/voices/add') return sendJson(res, 200, { voice_id: CLONED_VOICE_ID, requires_verification: false });
    if (route === 'GET /v1/history') {
      return sendJson(res, 200, { history: HISTORY, last_history_item_id: 'hist0001', has_more: true, scanned_until: 1767225600 });
    }
    sendError(res, 404, 'not_found', `Unknown request ${route}.`);
  }

  return mock;
}

async function record(req: IncomingMessage, url: URL): Promise<RecordedRequest> {
  const body = await readBody(req);
  const contentType = req.headers['content-type'] ?? '';
  const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers };
  if (contentType.startsWith('application/json')) request.json = JSON.parse(body.toString('utf8'));
  if (contentType.startsWith('multipart/form-data')) request.form = await parseForm(body, contentType);
  return request;
}

async function parseForm(body: Buffer, contentType: string): Promise<RecordedRequest['form']> {
  const form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData();
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else files.push({ filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, files };
}

function streamEndlessly(res: ServerResponse, onClosed: () => void): void {
  res.writeHead(200, { 'Content-Type': 'audio/mpeg' });
  res.write(MP3_BYTES);
  const timer = setInterval(() => res.write(MP3_BYTES.subarray(10)), 20);
  // The response never ends on its own, so 'close' means the client hung up.
  res.once('close', () => {
    clearInterval(timer);
    onClosed();
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { detail: { status: code, message } });
}
