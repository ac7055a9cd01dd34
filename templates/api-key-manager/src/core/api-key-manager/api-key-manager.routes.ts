import express, { Router } from 'express';
import { requireCaller } from '../../lib/access.js';
import { asyncHandler } from '../../lib/async-handler.js';
import { validate } from '../../lib/validate.js';
import { createKeyBody, keyParams, listQuery, updateKeyBody } from './api-key-manager.schema.js';
import type { ApiKeyService } from './api-key-manager.service.js';

/** The plugin's HTTP API, mounted at /api/keys; every answer depends on who asks (see ApiKeyService). */
export function createApiKeyManagerRouter(service: ApiKeyService): Router {
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const { provider } = validate(listQuery, req.query);
      res.json({ keys: await service.list(requireCaller(), provider) });
    }),
  );

  router.post(
    '/',
    asyncHandler(async (req, res) => {
      const created = await service.create(requireCaller(), validate(createKeyBody, req.body));
      // The one response with the key in full: no cache may keep it.
      res.status(201).set('Cache-Control', 'no-store').location(`${req.baseUrl}/${created.id}`).json(created);
    }),
  );

  router.get(
    '/:id',
    asyncHandler(async (req, res) => {
      const { id } = validate(keyParams, req.params);
      res.json(await service.get(requireCaller(), id));
    }),
  );

  router.patch(
    '/:id',
    asyncHandler(async (req, res) => {
      const { id } = validate(keyParams, req.params);
      res.json(await service.update(requireCaller(), id, validate(updateKeyBody, req.body)));
    }),
  );

  router.delete(
    '/:id',
    asyncHandler(async (req, res) => {
      const { id } = validate(keyParams, req.params);
      await service.remove(requireCaller(), id);
      res.status(204).end();
    }),
  );

  return router;
}
