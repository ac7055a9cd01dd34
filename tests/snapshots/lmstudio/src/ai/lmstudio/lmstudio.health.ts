import type { LMStudioService } from './lmstudio.service.js';

/** Live check for `GET /health?probe=1`: the plugin is always configured, so this is what tells whether LM Studio is running. */
export function probeLMStudio(service: LMStudioService): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await service.listModels(signal);
  };
}
