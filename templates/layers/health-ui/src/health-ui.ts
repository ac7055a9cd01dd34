import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

// public/ sits beside src/ and dist/ alike, so this path holds under tsx and after a build.
const PAGE_DIR = fileURLToPath(new URL('../public/health-ui/', import.meta.url));

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

// Revalidated on every load (the ETag answers), so an edited page shows up at once.
const PAGE_HEADERS = {
  'Cache-Control': 'no-cache',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * `GET /health/ui`: the status page, the files of public/health-ui/ as they are. The page reads
 * what it shows from `GET /health`. The README says how to go without it.
 */
export function healthUi(): Router {
  const router = Router();
  router.get('/', (req, res, next) => {
    // The page links its files relative to /health/ui, which /health/ui/ would break.
    if (req.originalUrl.split('?')[0]?.endsWith('/')) {
      res.redirect(301, '../ui');
      return;
    }
    // Express calls back once the file is sent as well: only a failure goes on, to the error handler.
    res.sendFile('index.html', { root: PAGE_DIR, cacheControl: false, headers: PAGE_HEADERS }, (error) => {
      if (error) next(error);
    });
  });
  router.use(express.static(PAGE_DIR, { index: false, redirect: false, cacheControl: false, setHeaders: (res) => res.set(PAGE_HEADERS) }));
  return router;
}
