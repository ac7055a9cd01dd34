import type { ElevenLabsService } from './elevenlabs.service.js';

/** Live check for `GET /health?probe=1`: one voice from the voice list proves the key works, at no cost. */
export function probeElevenLabs(service: ElevenLabsService): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await service.listVoices({ pageSize: 1 }, signal);
  };
}
