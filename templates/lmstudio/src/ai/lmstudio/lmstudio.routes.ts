import express, { Router } from 'express';
import type { RequestHandler } from 'express';
import { chatHandler } from '../../ai/ai-routes.js';
import { asyncHandler } from '../../lib/async-handler.js';
import type { LMStudioService } from './lmstudio.service.js';

/** The plugin's HTTP API, mounted at /api/ai/local/lmstudio; every route is rate limited. */
export function createLMStudioRouter(service: LMStudioService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post('/chat', chatHandler(service));

  router.get('/models', asyncHandler(async (_req, res) => {
    res.json({ models: await service.listModels() });
  }));

  return router;
}
