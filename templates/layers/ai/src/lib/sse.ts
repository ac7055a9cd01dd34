import type { Response } from 'express';
import { HttpError } from './errors.js';

/**
 * Streams `events` to the client as Server-Sent Events. When the client goes away the
 * signal given to `produce` aborts, which the caller passes to the provider to stop the
 * upstream call.
 */
export async function sendEventStream<T>(res: Response, produce: (signal: AbortSignal) => AsyncIterable<T>): Promise<void> {
  const upstream = new AbortController();
  res.on('close', () => upstream.abort());
  const events = produce(upstream.signal)[Symbol.asyncIterator]();

  // The 200 is only sent once the first event is in, so a refused request (bad key, rate
  // limit) still reaches the error handler and gets its own status.
  let next: IteratorResult<T>;
  try {
    next = await events.next();
  } catch (error) {
    if (upstream.signal.aborted) return;
    throw error;
  }

  res.status(200).set({
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
  });
  res.flushHeaders();

  try {
    for (; !next.done; next = await events.next()) {
      res.write(`data: ${JSON.stringify(next.value)}\n\n`);
    }
    res.write('event: done\ndata: {}\n\n');
  } catch (error) {
    // Headers are gone, so the error travels as an event; an abort means nobody is listening.
    if (!upstream.signal.aborted) res.write(`event: error\ndata: ${JSON.stringify({ message: publicMessage(error) })}\n\n`);
  } finally {
    res.end();
  }
}

// Known errors carry a message safe for the client; anything else is a bug worth a log line.
function publicMessage(error: unknown): string {
  if (error instanceof HttpError) return error.message;
  console.error(`Event stream failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  return 'The stream failed.';
}
