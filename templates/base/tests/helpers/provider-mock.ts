import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { RunningServer } from './http.js';
import { readBody, startMock } from './http.js';

/** A provider's stand-in as tests drive it: where it listens, what it was sent, a failure on demand. */
export interface ProviderMock<Request> extends RunningServer {
  /** What the mock received, oldest first. */
  requests: Request[];
  /** Answers the next request with this status and the provider's own error body. */
  failNext(status: number): void;
}

/**
 * Starts a mock made of a request handler and the state tests set on it (a failure to give, the
 * objects it holds ...): the same object, now with the `url` and `close` of its server too.
 */
export async function serveMock<Mock extends { handler: RequestListener }>(mock: Mock): Promise<Mock & RunningServer> {
  return Object.assign(mock, await startMock(mock.handler));
}

/** What a mock received in one JSON request. */
export interface JsonRequest {
  method: string;
  /** The path with its query, e.g. `/v1/models?limit=2`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed body; undefined when there was none. */
  body: unknown;
}

/** Reads a whole JSON request as a mock records it. */
export async function readJsonRequest(req: IncomingMessage): Promise<JsonRequest> {
  const raw = (await readBody(req)).toString('utf8');
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw ? (JSON.parse(raw) as unknown) : undefined };
}

/** A started mock of a JSON API, with every request it received. */
export interface JsonMockServer extends RunningServer {
  requests: JsonRequest[];
}

/** Starts a mock of a JSON API: each request is read and recorded in `requests`, then `handle` answers it. */
export async function startJsonMock(handle: (request: JsonRequest, res: ServerResponse) => void): Promise<JsonMockServer> {
  const requests: JsonRequest[] = [];
  const server = await startMock(async (req, res) => {
    const request = await readJsonRequest(req);
    requests.push(request);
    handle(request, res);
  });
  return { ...server, requests };
}

/** Something a test asks of a mock for the next request only, such as a failure: taking it clears it. */
export interface ForNextRequest<T> {
  set(value: T): void;
  take(): T | undefined;
}

/** Holds what a test asks of the next request until the mock takes it. */
export function forNextRequest<T>(): ForNextRequest<T> {
  let next: T | undefined;
  return {
    set: (value) => {
      next = value;
    },
    take: () => {
      const value = next;
      next = undefined;
      return value;
    },
  };
}

/**
 * Keeps a response going with `writeMore()` every 20 ms, as an answer that never ends, and calls
 * `onClosed` once the client hangs up: the mock side of a test that a client leaving a stream
 * closes the request to the provider.
 */
export function writeUntilClosed(res: ServerResponse, writeMore: () => void, onClosed: () => void): void {
  const timer = setInterval(writeMore, 20);
  // The response never ends on its own, so 'close' means the client hung up.
  res.once('close', () => {
    clearInterval(timer);
    onClosed();
  });
}
