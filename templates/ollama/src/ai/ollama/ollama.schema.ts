import * as z from 'zod';
import { chatOptionsSchema, embeddingsBodySchema } from '../../ai/ai-schemas.js';

/** The plugin's environment variables; none is required, since a local Ollama needs no key. */
export const ollamaEnv = z.object({
  // Their defaults live in createOllamaService, next to the calls that use them.
  OLLAMA_ENDPOINT: z.string().url('must be a URL such as http://localhost:11434').optional(),
  OLLAMA_MODEL: z.string().optional(),
  OLLAMA_EMBEDDING_MODEL: z.string().optional(),
});

/** Validated settings of the Ollama plugin. */
export type OllamaConfig = z.infer<typeof ollamaEnv>;

/** Body of `POST /generate`: one prompt, with an optional system prompt; `stream: true` answers with Server-Sent Events. */
export const generateBody = chatOptionsSchema.extend({
  prompt: z.string().min(1),
  system: z.string().min(1).optional(),
  stream: z.boolean().optional(),
});

/** A prompt for Ollama's generate API. */
export type GenerateRequest = Omit<z.infer<typeof generateBody>, 'stream'>;

/** Body of `POST /embeddings`: one text or a batch. */
export const embeddingsBody = embeddingsBodySchema(512);

/** Body of `POST /pull`: a model name as on https://ollama.com/library, e.g. `llama3.2` or `qwen3:8b`. */
export const pullBody = z.object({
  model: z.string().min(1),
});

/** One progress report of a model pull; `completed` and `total` count the bytes of the layer being downloaded. */
export interface PullProgress {
  status: string;
  completed?: number;
  total?: number;
}

/** Body of `POST /chat`, the chat route every AI plugin shares. */
export { chatBodySchema } from '../../ai/ai-schemas.js';
