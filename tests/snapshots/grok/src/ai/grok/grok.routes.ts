import express, { Router, type RequestHandler } from 'express';
import { sendEventStream } from '../../lib/sse.js';
import { validate } from '../../lib/validate.js';
import type { GrokService } from './grok.service.js';
import { chatBody } from './grok.types.js';

/** The plugin's HTTP API, mounted at /api/ai/grok; every route is rate limited. */
export function createGrokRouter(service: GrokService, rateLimit: RequestHandler): Router {
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

  return router;
}
