import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import { chatHandler } from '../../ai/ai-routes.js';
import type { GrokService } from './grok.service.js';

/** The plugin's HTTP API, mounted at /api/ai/grok; every route is rate limited. */
export function createGrokRouter(service: GrokService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post('/chat', chatHandler(service));

  return router;
}
