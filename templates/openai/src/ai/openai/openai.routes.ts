import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import { chatHandler, embeddingsHandler, modelsHandler } from '../../ai/ai-routes.js';
import { asyncHandler } from '../../lib/async-handler.js';
import { validate } from '../../lib/validate.js';
import { completionBody, embeddingsBody } from './openai.schema.js';
import type { OpenAIService } from './openai.service.js';

/** The plugin's HTTP API, mounted at /api/ai/openai; every route is rate limited. */
export function createOpenAIRouter(service: OpenAIService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post('/chat', chatHandler(service));

  router.post(
    '/completions',
    asyncHandler(async (req, res) => {
      const { prompt, ...options } = validate(completionBody, req.body);
      res.json(await service.complete(prompt, options));
    }),
  );

  router.post('/embeddings', embeddingsHandler(service, embeddingsBody));

  router.get('/models', modelsHandler(service));

  return router;
}
