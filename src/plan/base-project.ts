import type { EnvGroup } from '../edits/env-file.js';

/**
 * What the generated app itself runs on (src/app.ts, src/middleware.ts): an existing app that
 * `add`s plugins keeps its own framework and middleware, so it gets none of these.
 * Ranges start at the current release of each major (2026-12): helmet 8.3 (Node 18+), cors 2.8,
 * pino 10 and pino-http 11 (Node 20+).
 */
export const appDependencies: Record<string, string> = {
  cors: '^2.8.6',
  express: '^5.3.0',
  helmet: '^8.3.0',
  pino: '^10.4.0',
  'pino-http': '^11.0.0',
  // /openapi.json converts the routes' schemas with z.toJSONSchema, which zod 4 brings (zod 3
  // would need a converter); the plugins' own code still runs on either major in existing apps.
  zod: '^4.6.0',
};

/** What the plugins' shared code depends on, in a generated project and in an existing app alike. */
export const baseDependencies: Record<string, string> = {
  // Redis (REDIS_URL) shares rate-limit counters and other cross-request state between instances;
  // the core of node-redis 6 (no dependencies of its own), imported only when REDIS_URL is set.
  '@redis/client': '^6.3.1',
  // The app's global and probe limits and the paid routes' stricter one (src/lib/rate-limit-store.ts
  // serves all three), counted in Redis by rate-limit-redis 6, express-rate-limit's own store for it.
  'express-rate-limit': '^8.7.0',
  'rate-limit-redis': '^6.0.1',
  // The generated code uses the API common to both majors, so existing apps keep theirs.
  zod: '^3.25.0 || ^4.0.0',
};

export const baseDevDependencies: Record<string, string> = {
  // Lint and format (`npm run lint`, `npm run format`) with biome.jsonc, the config create-provider-app itself uses.
  '@biomejs/biome': '^2.6.8',
  '@types/cors': '^2.8.19',
  '@types/express': '^5.0.3',
  // The types of the oldest Node the project supports (engines), so code that needs a newer one fails typecheck.
  '@types/node': '^22.19.0',
  // Bundles the server for production (scripts/build.mjs); tsx runs on the same esbuild, so it is installed once.
  esbuild: '^0.28.2',
  // The test of /openapi.json validates it with ReadMe's parser (OpenAPI 3.1, Node 20+; Swagger's
  // own @apidevtools/swagger-parser 13 needs Node 22.19, above the project's engines).
  '@readme/openapi-parser': '^9.0.0',
  // The API reference page of development (src/api-reference.ts), served from node_modules.
  'swagger-ui-dist': '^5.35.0',
  tsx: '^4.23.0',
  // TypeScript 7 is the native compiler: the same checks, several times faster on this project.
  typescript: '^7.0.2',
  vitest: '^5.1.2',
};

export const baseScripts: Record<string, string> = {
  dev: 'tsx watch src/server.ts',
  build: 'tsc --noEmit && node scripts/build.mjs',
  start: 'node dist/server.js',
  test: 'vitest run',
  typecheck: 'tsc --noEmit',
  lint: 'biome check .',
  format: 'biome check --write .',
};

export const baseEnv: EnvGroup = {
  title: 'Server',
  vars: [
    { name: 'PORT', required: false, example: '3000', description: 'Port the server listens on (default 3000)' },
    {
      name: 'HOST',
      required: false,
      example: '127.0.0.1',
      description: 'Interface the server listens on (default 127.0.0.1, or 0.0.0.0 when NODE_ENV=production)',
    },
    {
      name: 'TRUST_PROXY',
      required: false,
      example: '1',
      description:
        "Behind a reverse proxy, which proxies to believe about the client's IP (X-Forwarded-For), for logs and rate limits: the number of proxies in front, or their addresses and subnets (e.g. loopback,10.0.0.0/8); true believes any, so clients could pick their IP (default false)",
    },
    {
      name: 'CORS_ORIGINS',
      required: false,
      example: 'https://app.example.com',
      description:
        'Comma-separated origins whose web pages may call this API, or * for any (default: none, the API is for same-origin pages and servers)',
    },
    {
      name: 'RATE_LIMIT_GLOBAL_PER_MINUTE',
      required: false,
      example: '300',
      description: 'Requests per minute per client IP on every route (default 300)',
    },
    {
      name: 'RATE_LIMIT_PROBES_PER_MINUTE',
      required: false,
      example: '6',
      description: 'Live checks (GET /health?probe=1, each calls every provider) per minute per client IP (default 6)',
    },
    {
      name: 'REDIS_URL',
      required: false,
      example: 'redis://localhost:6379',
      description:
        'Redis shared by all instances of this app for rate-limit counters, live-stream slots, OAuth sign-in nonces and handled webhook events (default: none, each process keeps its own, right for one instance only)',
    },
    {
      name: 'LOG_LEVEL',
      required: false,
      example: 'info',
      description:
        'Level of the request log, one JSON line per request on stdout: fatal, error, warn, info, debug, trace or silent (default info, silent when NODE_ENV=test)',
    },
  ],
};

/** The server token of private routes, needed while no auth plugin (jwt-service) is installed. */
export const accessEnv: EnvGroup = {
  title: 'Access',
  vars: [
    {
      name: 'API_TOKEN',
      required: true,
      secret: true,
      description:
        'Token for every private route while no auth plugin is installed: `Authorization: Bearer <API_TOKEN>`; at least 32 characters (`openssl rand -base64 32`)',
    },
  ],
};

/**
 * The Node a generated project runs on: 22.12 is the oldest line still supported (Node 20 left
 * support in April 2026), and what openai 7, @google/genai 3 and vitest 5 require.
 */
export const NODE_ENGINES = '>=22.12.0';

/** The file `add` reads to know what this tool generated. */
export const MANIFEST_FILE = 'provider-app.json';
