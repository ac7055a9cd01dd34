import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import { chatHandler, modelsHandler } from '../../ai/ai-routes.js';
import { asyncHandler } from '../../lib/async-handler.js';
import type { OpenRouterService } from './openrouter.service.js';

/** The plugin's HTTP API, mounted at /api/ai/router; every route is rate limited. */
export function createOpenRouterRouter(service: OpenRouterService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post('/chat', chatHandler(service));

  router.get('/models', modelsHandler(service));

  router.get(
    '/limits',
    asyncHandler(async (_req, res) => {
      res.json(await service.getLimits());
    }),
  );

  return router;
}
