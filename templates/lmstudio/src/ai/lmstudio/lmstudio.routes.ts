import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import { chatHandler, modelsHandler } from '../../ai/ai-routes.js';
import type { LMStudioService } from './lmstudio.service.js';

/** The plugin's HTTP API, mounted at /api/ai/local/lmstudio; every route is rate limited. */
export function createLMStudioRouter(service: LMStudioService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post('/chat', chatHandler(service));

  router.get('/models', modelsHandler(service));

  return router;
}
