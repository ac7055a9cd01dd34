import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { HttpError } from '../../lib/errors.js';
import { loadOnce } from '../../lib/load-once.js';
import type { UpgradeHandler } from '../../lib/plugin.js';
import type { SharedRedis } from '../../lib/redis.js';
import { validate } from '../../lib/validate.js';
import type { StreamOptions } from './deepgram.schema.js';
import { streamControl, streamQuery } from './deepgram.schema.js';
import type { DeepgramService, LiveSession } from './deepgram.service.js';
import { createMemoryStreamSlots, createRedisStreamSlots } from './deepgram.stream-slots.js';

/** Largest audio frame accepted; ws closes the stream with 1009 above it. A second of 48 kHz 16-bit stereo is 192 KB. */
const MAX_FRAME_BYTES = 256 * 1024;

// Close codes of RFC 6455 and the IANA registry.
const CLOSE_NORMAL = 1000;
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_INTERNAL_ERROR = 1011;
const CLOSE_TRY_AGAIN_LATER = 1013;
const CLOSE_BAD_GATEWAY = 1014;

/** Limits of the live stream endpoint. */
export interface StreamLimits {
  /** Live sessions relayed at once; more are refused with 1013 (try again later). */
  maxStreams: number;
  /** Origins, besides this server's own, whose pages may open a stream, e.g. `https://app.example.com`. */
  allowedOrigins: string[];
  /** With Redis, `maxStreams` holds across every instance; without, in this process. */
  redis?: SharedRedis;
}

/**
 * `WS /stream`: relays binary audio frames from the client to a Deepgram live session and
 * sends transcripts back as JSON `{ type: 'transcript', text, isFinal }`. Text messages
 * `{ "type": "CloseStream" | "Finalize" | "KeepAlive" }` go on to Deepgram. Either side closing
 * closes the other; a failure arrives as `{ type: 'error', message }` just before the close
 * (1008 bad request, 1013 try again later, 1014 Deepgram failed).
 */
export function createDeepgramStreamHandler(service: DeepgramService, { maxStreams, allowedOrigins, redis }: StreamLimits): UpgradeHandler {
  const slots = redis ? createRedisStreamSlots(redis, maxStreams) : createMemoryStreamSlots(maxStreams);
  // ws is imported by the first stream, not at start-up.
  const loadServer = loadOnce(async () => new (await import('ws')).WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES }));
  return (req, socket, head) => {
    // Browsers let any page open a WebSocket to any host, cookies and all: a page elsewhere
    // must not spend this server's Deepgram credit or read its transcripts.
    if (!originAllowed(req, allowedOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    loadServer().then(
      (server) => server.handleUpgrade(req, socket, head, (client) => void admit(client, req)),
      () => socket.destroy(),
    );
  };

  async function admit(client: WebSocket, req: IncomingMessage): Promise<void> {
    // ws answers protocol errors (such as an oversized frame) by closing, and 'close' cleans up.
    client.on('error', () => undefined);
    // Audio waits in the socket while a slot is sought: ws drops messages nobody listens to.
    client.pause();
    try {
      const options = streamOptions(req);
      const release = await slots.take();
      if (!release) throw new HttpError(503, `Too many live streams: at most ${maxStreams} run at once. Try again later.`);
      if (client.readyState !== client.OPEN) {
        release();
        return;
      }
      client.once('close', release);
      void relay(client, service, options);
    } catch (error) {
      fail(client, error);
    }
  }
}

// No Origin header means no browser (a server or a CLI client), which CORS-like rules do not concern.
function originAllowed(req: IncomingMessage, allowedOrigins: string[]): boolean {
  const { origin, host } = req.headers;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function streamOptions(req: IncomingMessage): StreamOptions {
  const { searchParams } = new URL(req.url ?? '/', 'http://localhost');
  return validate(streamQuery, Object.fromEntries(searchParams));
}

async function relay(client: WebSocket, service: DeepgramService, options: StreamOptions): Promise<void> {
  // Audio waits in the socket until Deepgram is ready for it.
  client.pause();
  let session: LiveSession;
  try {
    session = await service.openLive(options, {
      transcript: (transcript) => send(client, { type: 'transcript', ...transcript }),
      closed: (error) => (error ? fail(client, error) : client.close(CLOSE_NORMAL)),
    });
  } catch (error) {
    fail(client, error);
    return;
  }
  // The client may have gone while Deepgram was answering.
  if (client.readyState !== client.OPEN) {
    session.close();
    return;
  }

  client.on('message', (data, isBinary) => {
    if (isBinary) {
      session.sendAudio(toBuffer(data));
      return;
    }
    try {
      session.control(validate(streamControl, parseJson(toBuffer(data).toString('utf8'))).type);
    } catch (error) {
      fail(client, error);
    }
  });
  client.on('close', () => session.close());
  client.resume();
}

function send(client: WebSocket, message: Record<string, unknown>): void {
  if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
}

// Known errors carry a message safe for the client; anything else is a bug worth a log line.
function fail(client: WebSocket, error: unknown): void {
  if (!(error instanceof HttpError)) {
    console.error(`Deepgram live stream failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  const { status, message, details } = error instanceof HttpError ? error : new HttpError(500, 'The live stream failed.');
  send(client, { type: 'error', message, ...(details !== undefined && { details }) });
  // A paused socket (still waiting for Deepgram) would never read the client's half of the closing handshake.
  client.resume();
  client.close(closeCode(status));
}

function closeCode(status: number): number {
  if (status === 400) return CLOSE_POLICY_VIOLATION;
  if (status === 429 || status === 503) return CLOSE_TRY_AGAIN_LATER;
  if (status === 500) return CLOSE_INTERNAL_ERROR;
  return CLOSE_BAD_GATEWAY;
}

// With ws's default binaryType a message is one Buffer; the other forms only exist for other settings.
function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

// Invalid JSON fails validation like any other unexpected message.
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
