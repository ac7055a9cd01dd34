import { setTimeout } from 'node:timers';

// AbortSignal.timeout and AbortSignal.any in a few lines: the DOM types of older TypeScript
// versions, which replace Node's whenever a project's `lib` includes the DOM, lack both.

/** A signal that aborts after `ms` milliseconds; the timer does not keep the process alive. */
export function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms).unref();
  return controller.signal;
}

/** A signal that aborts as soon as one of `signals` does. */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  for (const signal of signals) {
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  }
  return controller.signal;
}
