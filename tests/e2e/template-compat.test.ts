import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { APP_FILES } from '../../src/add/layout.js';
import { withoutJsExtensions } from '../../src/add.js';
import { baseDevDependencies } from '../../src/plan/base-project.js';
import type { PlannedFile } from '../../src/plan/plan-project.js';
import { planProject } from '../../src/plan/plan-project.js';
import { selectPlugins } from '../../src/plan/select-plugins.js';
import { loadTemplates } from '../../src/plan/templates.js';
import { runOrThrow } from '../helpers/generated-project.js';
import { freePort } from '../helpers/net.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { adminAuthorization, JWT_SECRET } from '../helpers/tokens.js';

// The plugin code `add` writes into existing apps, all 20 plugins at once, must compile and run on
// what those apps have: Express 4 or 5 and their types, TypeScript from 4.7 (the oldest that parses
// the plugins' own type declarations) without strict mode or with it, zod 3.25 or 4, `lib: es2017`
// or the default lib with the DOM. The files are rendered here as `add` lays them out, so this test
// does not depend on how `add` edits the app.
const fixture = path.resolve(import.meta.dirname, '../../fixtures/express4-old-ts');

/** How an app differs from the fixture: package versions and compiler options. */
interface Variant {
  packages: Record<string, string>;
  compilerOptions: Record<string, unknown>;
}

const variants: Record<'express4' | 'express5', Variant> = {
  express4: { packages: {}, compilerOptions: {} },
  express5: {
    packages: { express: '^5.1.0', zod: '^4.0.0', '@types/express': '^5.0.3', '@types/node': '^20.19.0', typescript: '~5.9.3' },
    // No `lib`: the default one includes the DOM, whose declarations replace some of Node's.
    compilerOptions: { target: 'es2022', lib: undefined, strict: true, noUncheckedIndexedAccess: true },
  },
};

let root: string;
const dirs = { express4: '', express5: '' };

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cpa-compat-'));
  const plan = planProject({
    name: 'express4-old-ts',
    plugins: selectPlugins(
      registry.map((plugin) => plugin.id),
      registry,
    ).plugins,
    registry,
    pm: 'npm',
    generator: 'create-provider-app@test',
    // As `add` plans for an existing app: the status page is the generated app's, not the plugins'.
    statusPage: false,
  });
  const adapter = loadTemplates('adapter').map((template) => ({ path: template.target, content: template.render({}) }));
  const providers = { files: [...plan.files, ...adapter], dependencies: plan.pluginDependencies, devDependencies: plan.devDependencies };
  for (const name of ['express4', 'express5'] as const) dirs[name] = installApp(path.join(root, name), variants[name], providers);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the plugin code of all 20 plugins in an existing app', () => {
  it('typechecks on Express 4, TypeScript 4.7 without strict mode, lib es2017 and zod 3.25', () => {
    expect(installedVersion(dirs.express4, 'express')).toMatch(/^4\.17\./);
    expect(installedVersion(dirs.express4, 'typescript')).toMatch(/^4\.7\./);
    expect(installedVersion(dirs.express4, 'zod')).toMatch(/^3\.25\./);
    runOrThrow('npx', ['tsc', '--noEmit', '-p', '.'], dirs.express4);
  });

  it('typechecks on Express 5, TypeScript 5.9 in strict mode, the DOM lib and zod 4', () => {
    expect(installedVersion(dirs.express5, 'express')).toMatch(/^5\./);
    expect(installedVersion(dirs.express5, 'typescript')).toMatch(/^5\.9\./);
    expect(installedVersion(dirs.express5, 'zod')).toMatch(/^4\./);
    runOrThrow('npx', ['tsc', '--noEmit', '-p', '.'], dirs.express5);
  });

  describe('running on Express 4', () => {
    let server: ServerProcess;
    let url: string;

    beforeAll(async () => {
      runOrThrow('npm', ['run', 'build'], dirs.express4);
      // Nothing listens on `closed`: each provider call fails as if the provider were down.
      const closed = `http://127.0.0.1:${await freePort()}`;
      const env = {
        ...process.env,
        JWT_SECRET,
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `${closed}/v1`,
        STRIPE_SECRET_KEY: 'sk_test_123',
        STRIPE_PUBLISHABLE_KEY: 'pk_test_123',
        STRIPE_WEBHOOK_SECRET: 'whsec_123',
        STRIPE_API_BASE: closed,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_S3_BUCKET: 'uploads',
        AWS_ENDPOINT_URL_S3: closed,
      };
      server = await startServerProcess(process.execPath, ['dist/app.js'], { cwd: dirs.express4, env });
      url = server.url;
    });

    afterAll(() => {
      server?.stop();
    });

    // As an admin: jwt-service is among the plugins, so private routes take its tokens.
    const call = (route: string, init: RequestInit = {}) =>
      fetch(`${url}${route}`, { ...init, headers: { authorization: adminAuthorization(), ...init.headers } });
    const post = (route: string, body: string) => call(route, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

    it('applies the access policy on Express 4: private routes need the token, webhooks do not', async () => {
      const response = await fetch(`${url}/api/ai/openai/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(response.status, server.stderr()).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect((await fetch(`${url}/api/payments/webhooks`, { method: 'POST', body: '{}' })).status).toBe(400);
    });

    it.each([
      ['invalid JSON', '/api/ai/openai/completions', '{"prompt":', 400],
      ['a body that fails validation', '/api/ai/openai/completions', '{"prompt":""}', 400],
      ['a provider that cannot be reached', '/api/ai/openai/completions', '{"prompt":"Hello"}', 503],
      ['invalid JSON', '/api/payments/create-payment-intent', '{', 400],
      ['a body that fails validation', '/api/payments/create-payment-intent', '{"amount":-1}', 400],
      ['a provider that cannot be reached', '/api/payments/create-payment-intent', '{"amount":1000,"currency":"usd"}', 503],
      ['a webhook without a signature', '/api/payments/webhooks', '{}', 400],
      ['invalid JSON', '/api/storage/s3/presigned-url', '{"key"', 400],
      ['a body that fails validation', '/api/storage/s3/presigned-url', '{"key":"../secret"}', 400],
      ['a provider that cannot be reached', '/api/storage/s3/multipart/init', '{"key":"reports/2025.csv"}', 503],
    ])('answers %s at %s with its status and keeps running', async (_case, route, body, status) => {
      const response = await post(route, body);
      expect(response.status, server.stderr()).toBe(status);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBeTruthy();
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect(server.ended(), server.stderr()).toBeUndefined();
    });

    it('leaves errors raised by the app before the plugins to the app’s own error handler', async () => {
      const response = await fetch(`${url}/app-failure`);
      expect(response.status, server.stderr()).toBe(418);
      expect(await response.text()).toBe('the app answered: raised by the app');
    });

    it('reads the nested query objects of Express 4 as invalid input', async () => {
      expect((await call('/api/payments/invoices?customerId[id]=cus_1')).status).toBe(400);
      expect((await call('/api/payments/invoices?customerId=cus_1&limit=1&limit=2')).status).toBe(400);
    });

    it('answers a webhook without a body, which Express 4 parses to {}, with 400', async () => {
      // fetch always sends a Content-Length; curl -X POST without data does not, and neither does this.
      const response = await rawRequest(url, [
        'POST /api/payments/webhooks HTTP/1.1',
        'Host: localhost',
        'Stripe-Signature: t=1,v1=0',
        'Connection: close',
      ]);
      expect(response).toMatch(/^HTTP\/1\.1 400 [\s\S]*The webhook request has no body\./);
    });

    it('serves object keys with slashes on both methods', async () => {
      // The route matched (no 404): the key reached S3, which is down.
      expect((await call('/api/storage/s3/users/42/avatar.png')).status).toBe(503);
      expect((await call('/api/storage/s3/users/42/avatar.png', { method: 'DELETE' })).status).toBe(503);
      expect((await call('/api/storage/s3/users%2F..%2Favatar.png')).status).toBe(400);
      expect(server.ended(), server.stderr()).toBeUndefined();
    });
  });
});

/** A copy of the fixture with the plugins' files and packages as `add` writes them, installed. */
function installApp(
  dir: string,
  variant: Variant,
  providers: { files: PlannedFile[]; dependencies: Record<string, string>; devDependencies: Record<string, string> },
): string {
  cpSync(fixture, dir, { recursive: true });
  for (const file of providers.files) {
    if (!file.path.startsWith('src/') || APP_FILES.includes(file.path)) continue;
    const target = path.join(dir, 'src/providers', file.path.slice('src/'.length));
    mkdirSync(path.dirname(target), { recursive: true });
    // As `add` writes them for a project whose imports have no extension (CommonJS here).
    writeFileSync(target, withoutJsExtensions(file.content, target));
  }
  // The two lines `add` inserts into the app, between a middleware and an error handler of the app's own.
  const appFile = path.join(dir, 'src/app.ts');
  const app = readFileSync(appFile, 'utf8').replace(
    'const app = express();\n',
    `const app = express();\n${APP_MIDDLEWARE}app.use(providerRoutes());\n`,
  );
  writeFileSync(appFile, `import { providerRoutes } from './providers';\n${app}${APP_ERROR_HANDLER}`);

  // The app keeps its own validator and toolchain; the plugins bring the rest.
  const own = new Set(['zod', ...Object.keys(baseDevDependencies)]);
  const theirs = (packages: Record<string, string>) => Object.fromEntries(Object.entries(packages).filter(([name]) => !own.has(name)));
  const pkg = readJson<Record<'dependencies' | 'devDependencies', Record<string, string>>>(path.join(dir, 'package.json'));
  pkg.dependencies = { ...theirs(providers.dependencies), ...pkg.dependencies, ...pick(variant.packages, pkg.dependencies) };
  pkg.devDependencies = { ...theirs(providers.devDependencies), ...pkg.devDependencies, ...pick(variant.packages, pkg.devDependencies) };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const tsconfig = readJson<{ compilerOptions: object }>(path.join(dir, 'tsconfig.json'));
  tsconfig.compilerOptions = { ...tsconfig.compilerOptions, ...variant.compilerOptions };
  writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);

  runOrThrow('npm', ['install', '--no-audit', '--no-fund'], dir);
  return dir;
}

// An app's own middleware ahead of the plugins that fails one path, and its own error handler after them.
const APP_MIDDLEWARE =
  "app.use(function (req, _res, next) {\n  next(req.path === '/app-failure' ? new Error('raised by the app') : undefined);\n});\n";
const APP_ERROR_HANDLER =
  "app.use(function (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) {\n  res.status(418).send('the app answered: ' + error.message);\n});\n";

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Sends a request head exactly as given and resolves with the whole answer. */
function rawRequest(url: string, head: string[]): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(`${head.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

// The entries of `versions` for the packages `section` lists.
function pick(versions: Record<string, string>, section: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(versions).filter(([name]) => name in section));
}

function installedVersion(dir: string, name: string): string {
  return readJson<{ version: string }>(path.join(dir, 'node_modules', name, 'package.json')).version;
}
