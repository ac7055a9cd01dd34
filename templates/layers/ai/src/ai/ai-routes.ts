import type { RequestHandler } from 'express';
import { asyncHandler } from '../lib/async-handler.js';
import { sendEventStream } from '../lib/sse.js';
import { validate } from '../lib/validate.js';
import type { AIProvider, EmbedResult } from './ai-provider.js';
import type { embeddingsBodySchema } from './ai-schemas.js';
import { chatBodySchema } from './ai-schemas.js';

/**
 * The `POST /chat` of an AI plugin: a JSON answer, or with `"stream": true` Server-Sent Events
 * whose upstream request stops when the client goes away. The same for every provider.
 */
export function chatHandler(provider: Pick<AIProvider, 'chat' | 'chatStream'>): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { stream, ...request } = validate(chatBodySchema, req.body);
    if (stream) {
      await sendEventStream(res, (signal) => provider.chatStream(request, signal));
      return;
    }
    res.json(await provider.chat(request));
  });
}

/** The `GET /models` of an AI plugin: the models the provider offers. */
export function modelsHandler(provider: Pick<AIProvider, 'listModels'>): RequestHandler {
  return asyncHandler(async (_req, res) => {
    res.json({ models: await provider.listModels() });
  });
}

/**
 * The `POST /embeddings` of an AI plugin: one text or a list, one vector each. `body` is the
 * plugin's own schema, which caps the list at what its provider takes in one call.
 */
export function embeddingsHandler(
  provider: { embed(input: string[], model?: string): Promise<EmbedResult> },
  body: ReturnType<typeof embeddingsBodySchema>,
): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { input, model } = validate(body, req.body);
    res.json(await provider.embed(typeof input === 'string' ? [input] : input, model));
  });
}
