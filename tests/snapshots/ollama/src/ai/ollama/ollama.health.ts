import type { OllamaService } from './ollama.service.js';

/** Live check for `GET /health?probe=1`: listing the pulled models proves the server answers. */
export function probeOllama(service: OllamaService): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await service.listModels(signal);
  };
}
