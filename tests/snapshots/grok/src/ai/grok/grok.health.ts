import type { GrokService } from './grok.service.js';

/** Live check for `GET /health?probe=1`: listing models is free and proves the key works. */
export function probeGrok(service: GrokService): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await service.listModels(signal);
  };
}
