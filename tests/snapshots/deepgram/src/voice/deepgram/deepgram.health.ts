import type { DeepgramService } from './deepgram.service.js';

/** Live check for `GET /health?probe=1`: listing models is free and proves the key works. */
export function probeDeepgram(service: DeepgramService): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await service.listModels(signal);
  };
}
