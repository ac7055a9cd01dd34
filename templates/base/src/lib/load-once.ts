/**
 * Runs `load` on the first call only and gives every caller the same promise. Services import
 * their SDK through it, on the first call that needs it: most SDKs take a noticeable share of a
 * second to import, and the server would otherwise pay for all of them before it can answer.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}
