import type { OpenAIService } from './openai.service.js';

/** Live check for `GET /health?probe=1`: listing models is free and proves the key works. */
export function probeOpenAI(service: OpenAIService): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await service.listModels(signal);
  };
}
