import type { RequestHandler } from 'express';
import { asyncHandler } from '../lib/async-handler.js';
import { sendEventStream } from '../lib/sse.js';
import { validate } from '../lib/validate.js';
import type { AIProvider } from './ai-provider.js';
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
