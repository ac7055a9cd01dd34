import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import type { ChatRequest } from '../../ai/ai-provider.js';
import { embeddingsHandler, modelsHandler } from '../../ai/ai-routes.js';
import { asyncHandler } from '../../lib/async-handler.js';
import { HttpError } from '../../lib/errors.js';
import { sendEventStream } from '../../lib/sse.js';
import { validate } from '../../lib/validate.js';
import type { GenerateBody } from './gemini.schema.js';
import { embeddingsBody, generateBody, MAX_IMAGE_BYTES, visionBody } from './gemini.schema.js';
import type { GeminiService } from './gemini.service.js';

// Base64 is a third larger than the bytes it carries; the rest is room for the prompt.
const VISION_BODY_LIMIT = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 1024 * 1024;

/** The plugin's HTTP API, mounted at /api/ai/gemini; every route is rate limited. */
export function createGeminiRouter(service: GeminiService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit);

  // Registered before the 1 MB body parser below, so images get their own limit.
  router.post(
    '/vision',
    express.json({ limit: VISION_BODY_LIMIT }),
    asyncHandler(async (req, res) => {
      const { prompt, image, ...options } = validate(visionBody, req.body);
      if (Buffer.byteLength(image.data, 'base64') > MAX_IMAGE_BYTES) {
        throw new HttpError(413, `The image is larger than ${MAX_IMAGE_BYTES / (1024 * 1024)} MB.`);
      }
      res.json(await service.chat({ ...options, messages: [{ role: 'user', content: prompt }], images: [image] }));
    }),
  );

  router.use(express.json({ limit: '1mb' }));

  router.post(
    '/generate',
    asyncHandler(async (req, res) => {
      const body = validate(generateBody, req.body);
      if (body.stream) {
        await sendEventStream(res, (signal) => service.chatStream(toChatRequest(body), signal));
        return;
      }
      res.json(await service.chat(toChatRequest(body)));
    }),
  );

  router.post('/embeddings', embeddingsHandler(service, embeddingsBody));

  router.get('/models', modelsHandler(service));

  return router;
}

// A prompt sent along with messages is the user's next turn.
function toChatRequest({ prompt, messages = [], model, maxTokens, temperature }: GenerateBody): ChatRequest {
  return { model, maxTokens, temperature, messages: prompt === undefined ? messages : [...messages, { role: 'user', content: prompt }] };
}
