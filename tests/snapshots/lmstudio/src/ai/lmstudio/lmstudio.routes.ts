import express, { Router, type RequestHandler } from 'express';
import { sendEventStream } from '../../lib/sse.js';
import { validate } from '../../lib/validate.js';
import type { LMStudioService } from './lmstudio.service.js';
import { chatBody } from './lmstudio.types.js';

/** The plugin's HTTP API, mounted at /api/ai/local/lmstudio; every route is rate limited. */
export function createLMStudioRouter(service: LMStudioService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post('/chat', async (req, res) => {
    const { stream, ...request } = validate(chatBody, req.body);
    if (stream) {
      await sendEventStream(res, (signal) => service.chatStream(request, signal));
      return;
    }
    res.json(await service.chat(request));
  });

  router.get('/models', async (_req, res) => {
    res.json({ models: await service.listModels() });
  });

  return router;
}
