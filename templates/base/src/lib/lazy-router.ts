import { Router } from 'express';
import { loadOnce } from './load-once.js';

/**
 * A router whose routes are built by the first request that reaches it. Plugins hand theirs over
 * this way so that their route modules, and what only those import (upload parsing, an SDK), cost
 * nothing at start-up: the server answers its first request sooner, and `tsx watch` restarts faster.
 */
export function routerOnFirstUse(build: () => Promise<Router>): Router {
  const routes = loadOnce(build);
  const router = Router();
  router.use((req, res, next) => {
    routes().then((built) => built(req, res, next), next);
  });
  return router;
}
