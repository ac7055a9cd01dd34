import type { EnvGroup } from '../edits/env-file.js';

/** What every generated project depends on, before any plugin. */
export const baseDependencies: Record<string, string> = {
  express: '^5.1.0',
  // The generated code uses the API common to both majors, so existing apps keep theirs.
  zod: '^3.25.0 || ^4.0.0',
};

export const baseDevDependencies: Record<string, string> = {
  '@types/express': '^5.0.3',
  '@types/node': '^20.19.0',
  tsx: '^4.20.0',
  typescript: '~5.9.3',
  vitest: '^4.0.0',
};

export const baseScripts: Record<string, string> = {
  dev: 'tsx watch src/server.ts',
  build: 'tsc -p tsconfig.build.json',
  start: 'node dist/server.js',
  test: 'vitest run',
  typecheck: 'tsc --noEmit',
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
      description: 'Token for every private route while no auth plugin is installed: `Authorization: Bearer <API_TOKEN>`; at least 32 characters (`openssl rand -base64 32`)',
    },
  ],
};

export const NODE_ENGINES = '>=20.19.0';

/** The file `add` reads to know what this tool generated. */
export const MANIFEST_FILE = 'provider-app.json';
