/**
 * Runs a synchronous commit with SIGINT/SIGTERM held back. Node delivers a signal to a
 * listener only between event-loop turns, so the commit always finishes (or rolls back) first;
 * the process then exits as the signal asked, before any further task runs.
 */
export function runWhileSignalsWait(commit: () => void): void {
  const received: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => received.push(signal);
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    commit();
  } finally {
    setImmediate(() => {
      process.off('SIGINT', hold);
      process.off('SIGTERM', hold);
      const signal = received[0];
      if (signal) process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
