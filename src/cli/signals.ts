import { InterruptedError } from '../errors.js';

/**
 * Runs a synchronous commit with SIGINT/SIGTERM held back, so it always finishes (or rolls
 * back). A signal that arrived meanwhile then throws InterruptedError, so the command ends with
 * 130/143 before any further task (install, git) runs.
 */
export async function runWhileSignalsWait(commit: () => void): Promise<void> {
  const received: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => received.push(signal);
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    commit();
    // Node reads a signal from its signal pipe in the event loop's poll phase. An immediate
    // queued from another immediate runs one loop turn later, so a poll phase has run between.
    await nextImmediate();
    await nextImmediate();
  } finally {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  }
  if (received[0]) throw new InterruptedError(received[0]);
}

function nextImmediate(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
