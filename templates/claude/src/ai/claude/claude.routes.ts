import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import type { ChatRequest } from '../../ai/ai-provider.js';
import { modelsHandler } from '../../ai/ai-routes.js';
import { asyncHandler } from '../../lib/async-handler.js';
import { sendEventStream } from '../../lib/sse.js';
import { validate } from '../../lib/validate.js';
import type { MessagesBody } from './claude.schema.js';
import { messagesBody } from './claude.schema.js';
import type { ClaudeService } from './claude.service.js';

/** The plugin's HTTP API, mounted at /api/ai/claude; every route is rate limited. */
export function createClaudeRouter(service: ClaudeService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post(
    '/messages',
    asyncHandler(async (req, res) => {
      const body = validate(messagesBody, req.body);
      if (body.stream) {
        await sendEventStream(res, (signal) => service.chatStream(toChatRequest(body), signal));
        return;
      }
      res.json(await service.chat(toChatRequest(body)));
    }),
  );

  router.post(
    '/stream',
    asyncHandler(async (req, res) => {
      const body = validate(messagesBody, req.body);
      await sendEventStream(res, (signal) => service.chatStream(toChatRequest(body), signal));
    }),
  );

  router.get('/models', modelsHandler(service));

  return router;
}

// The service turns system messages into the system prompt, so `system` joins them, first.
function toChatRequest({ system, messages, model, maxTokens }: MessagesBody): ChatRequest {
  return { model, maxTokens, messages: system ? [{ role: 'system', content: system }, ...messages] : messages };
}
