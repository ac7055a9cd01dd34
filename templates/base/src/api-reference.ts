import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { HttpError } from './lib/errors.js';
import { OPENAPI_PATH } from './openapi.js';

/** Where the API reference page is served in development. */
export const API_REFERENCE_PATH = '/docs';

// Swagger UI reads its settings from this script, which its own index.html loads: served in place
// of the demo one the package ships. No validator badge: it would send the document to swagger.io.
const initializer = `window.onload = () => {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

/**
 * The API reference page (`GET /docs/`): Swagger UI, a development dependency, served from
 * node_modules (no CDN, so helmet's Content-Security-Policy holds) and reading /openapi.json.
 * src/app.ts mounts it outside production only.
 */
export function createApiReferenceRouter(): Router {
  const router = Router();
  const swaggerUi = swaggerUiFolder();
  if (swaggerUi === undefined) {
    router.use((_req, _res, next) =>
      next(
        new HttpError(404, 'The API reference needs the development dependencies: run npm install. /openapi.json is served without them.'),
      ),
    );
    return router;
  }
  router.get('/swagger-initializer.js', (_req, res) => {
    res.type('text/javascript').send(initializer);
  });
  router.use(express.static(swaggerUi));
  return router;
}

// An install without development dependencies (`npm ci --omit=dev`) has no swagger-ui-dist.
function swaggerUiFolder(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return undefined;
  }
}
