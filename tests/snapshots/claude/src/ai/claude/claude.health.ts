import type { ClaudeService } from './claude.service.js';

/** Live check for `GET /health?probe=1`: listing models is free and proves the key works. */
export function probeClaude(service: ClaudeService): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await service.listModels(signal);
  };
}
