import type { OpenRouterService } from './openrouter.service.js';

/** Live check for `GET /health?probe=1`: the model list is public, so this reads the key's limits, which proves the key. */
export function probeOpenRouter(service: OpenRouterService): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await service.getLimits(signal);
  };
}
