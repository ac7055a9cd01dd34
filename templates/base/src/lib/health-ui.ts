import { Router } from 'express';
import type { Response } from 'express';
import { healthPage } from './health-ui.page.js';
import { healthPageScript } from './health-ui.script.js';
import { healthPageStyles } from './health-ui.styles.js';

// The page runs only its own script and talks only to this app. Images are the exception:
// media plugins preview transformed images straight from their provider's CDN.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob: https:",
  "media-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `GET /health/ui`: the health page, its stylesheet and its script. They are kept in TypeScript
 * modules rather than files beside the code, so they ship with `tsc` output, bundles and apps
 * that took the plugins with `create-provider-app add`, with nothing to copy.
 */
export function createHealthPageRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    // The page links its assets relative to /health/ui, which /health/ui/ would break.
    if (req.originalUrl.split('?')[0]?.endsWith('/')) {
      res.redirect(301, '../ui');
      return;
    }
    send(res, 'text/html; charset=utf-8', healthPage);
  });
  router.get('/styles.css', (_req, res) => send(res, 'text/css; charset=utf-8', healthPageStyles));
  router.get('/app.js', (_req, res) => send(res, 'text/javascript; charset=utf-8', healthPageScript));
  return router;
}

// Revalidated on every load (Express adds an ETag), so an edited page shows up at once.
function send(res: Response, contentType: string, body: string): void {
  res
    .set({
      'Content-Type': contentType,
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    })
    .send(body);
}
