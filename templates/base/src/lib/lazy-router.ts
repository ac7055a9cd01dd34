import { Router } from 'express';
import { loadOnce } from './load-once.js';

/**
 * A router whose routes are built by the first request that reaches it. Plugins hand theirs over
 * this way so that their route modules, and what only those import (upload parsing, an SDK), cost
 * nothing at start-up: the server answers its first request sooner, and `tsx watch` restarts faster.
 * Once built, the routes are mounted on this router, where Express (and a test listing routes) sees them.
 */
export function routerOnFirstUse(build: () => Promise<Router>): Router {
  const router = Router();
  const mounted = loadOnce(async () => {
    router.use(await build());
  });
  router.use((_req, _res, next) => {
    mounted().then(() => next(), next);
  });
  return router;
}
