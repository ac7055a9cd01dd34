import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import { chatHandler, embeddingsHandler, modelsHandler } from '../../ai/ai-routes.js';
import { asyncHandler } from '../../lib/async-handler.js';
import { sendEventStream } from '../../lib/sse.js';
import { validate } from '../../lib/validate.js';
import { embeddingsBody, generateBody, pullBody } from './ollama.schema.js';
import type { OllamaService } from './ollama.service.js';

/** The plugin's HTTP API, mounted at /api/ai/local/ollama; every route is rate limited. */
export function createOllamaRouter(service: OllamaService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post(
    '/generate',
    asyncHandler(async (req, res) => {
      const { stream, ...request } = validate(generateBody, req.body);
      if (stream) {
        await sendEventStream(res, (signal) => service.generateStream(request, signal));
        return;
      }
      res.json(await service.generate(request));
    }),
  );

  router.post('/chat', chatHandler(service));

  router.post('/embeddings', embeddingsHandler(service, embeddingsBody));

  router.get('/models', modelsHandler(service));

  // Pulls take minutes for large models, so progress is streamed; leaving the stream cancels the pull.
  router.post(
    '/pull',
    asyncHandler(async (req, res) => {
      const { model } = validate(pullBody, req.body);
      await sendEventStream(res, (signal) => service.pull(model, signal));
    }),
  );

  return router;
}
