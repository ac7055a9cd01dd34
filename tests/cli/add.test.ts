import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, runCli } from '../helpers/cli.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');

/** A fresh copy of a fixture in a temp folder. */
function copyFixture(name: string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cpa-add-')), name);
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

/** A project made by create, with the given plugins. */
function createdProject(plugins: string): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'cpa-created-'));
  expect(runCli(['app', '--plugins', plugins, '--no-install', '--no-git'], parent).exitCode).toBe(0);
  return path.join(parent, 'app');
}

const add = (dir: string, ...args: string[]) => runCli(['add', ...args, '--no-install'], dir);

describe('add into a project made by create', () => {
  it('adds one import and one entry to src/plugins.ts and writes the plugin files', () => {
    const dir = createdProject('none');
    const before = readTree(dir);
    const result = add(dir, 's3');
    expect(result.exitCode).toBe(0);
    const after = readTree(dir);
    expect(after['src/plugins.ts']).toContain("import { s3Plugin } from './storage/s3/index.js';");
    expect(after['src/plugins.ts']).toMatch(/\[\n {2}\/\/ .*\n {2}s3Plugin,\n/);
    expect(Object.keys(after)).toContain('src/storage/s3/s3.service.ts');
    expect(Object.keys(after)).toContain('tests/s3.test.ts');
    expect(after['src/app.ts']).toBe(before['src/app.ts']);
    expect(JSON.parse(after['provider-app.json'] ?? '{}').plugins).toEqual(['s3']);
  });

  it('gives the same files as creating with all the plugins at once', () => {
    const grown = createdProject('jwt-service');
    expect(add(grown, 'openai').exitCode).toBe(0);
    const direct = createdProject('jwt-service,openai');
    const { ['provider-app.json']: _grownManifest, ...grownFiles } = readTree(grown);
    const { ['provider-app.json']: _directManifest, ...directFiles } = readTree(direct);
    expect(grownFiles).toEqual(directFiles);
  });

  it('changes nothing the second time and says the plugin is installed', () => {
    const dir = createdProject('openai');
    const before = readTree(dir);
    const result = add(dir, 'openai');
    expect(result).toMatchObject({ exitCode: 0, stdout: 'openai is already installed. Nothing to do.\n' });
    expect(readTree(dir)).toEqual(before);
  });

  it('leaves a file the user edited alone when the generated content did not change', () => {
    const dir = createdProject('none');
    writeFileSync(path.join(dir, 'src/app.ts'), '// mine\n');
    writeFileSync(path.join(dir, 'README.md'), '# my readme\n');
    expect(add(dir, 'jwt-service').exitCode).toBe(0);
    const after = readTree(dir);
    expect(after['src/app.ts']).toBe('// mine\n');
    expect(after['README.md']).toBe('# my readme\n');
  });

  it('refuses to replace an edited generated file without a policy, and follows --on-conflict', () => {
    const dir = createdProject('none');
    mkdirSync(path.join(dir, 'src/storage/s3'), { recursive: true });
    writeFileSync(path.join(dir, 'src/storage/s3/s3.service.ts'), '// a file in the way\n');
    const before = readTree(dir);
    const refused = add(dir, 's3');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('src/storage/s3/s3.service.ts was edited since create-provider-app wrote it');
    expect(readTree(dir)).toEqual(before);

    expect(add(dir, 's3', '--on-conflict', 'skip').exitCode).toBe(0);
    expect(readTree(dir)['src/storage/s3/s3.service.ts']).toBe('// a file in the way\n');
  });

  it('leaves the status page out once src/app.ts no longer mounts it', () => {
    const dir = createdProject('none');
    const app = readTree(dir)['src/app.ts'] ?? '';
    writeFileSync(path.join(dir, 'src/app.ts'), app.replace(/^.*healthUi.*\n/gm, ''));
    for (const file of ['src/health-ui.ts', 'tests/health-ui.test.ts', 'public']) rmSync(path.join(dir, file), { recursive: true });
    expect(add(dir, 's3').exitCode).toBe(0);
    expect(Object.keys(readTree(dir)).filter((file) => file.includes('health-ui'))).toEqual([]);
  });

  it('--dry-run --json lists the changes and writes nothing', () => {
    const dir = createdProject('none');
    const before = readTree(dir);
    const result = add(dir, 'openai', '--dry-run', '--json');
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout) as { added: string[]; changes: { path: string; action: string }[] };
    expect(json.added).toEqual(['openai']);
    expect(json.changes).toContainEqual(expect.objectContaining({ path: 'src/plugins.ts', action: 'update' }));
    expect(readTree(dir)).toEqual(before);
  });

  it('--diff prints unified diffs of the edits', () => {
    const dir = createdProject('none');
    const { stdout } = add(dir, 'jwt-service', '--dry-run', '--diff');
    expect(stdout).toContain('+++ src/plugins.ts');
    expect(stdout).toContain("+import { jwtServicePlugin } from './auth/jwt-service/index.js';");
  });
});

describe('add into a hand-written app', () => {
  it('mounts the routes in the app file and changes no other byte of it', () => {
    const dir = copyFixture('esm-express5');
    const before = readTree(dir);
    expect(add(dir, 'jwt-service').exitCode).toBe(0);
    const app = readTree(dir)['src/app.ts'] ?? '';
    const withoutInsertions = app
      .split('\n')
      .filter((line) => !line.includes('providerRoutes') && !line.includes('// Provider plugins:'))
      .join('\n');
    expect(withoutInsertions).toBe(before['src/app.ts']);
    expect(readTree(dir)['src/server.ts']).toBe(before['src/server.ts']);
  });

  it('adds no status page: the app serves its own files', () => {
    const dir = copyFixture('esm-express5');
    expect(add(dir, 'openai').exitCode).toBe(0);
    expect(Object.keys(readTree(dir)).filter((file) => file.includes('health-ui'))).toEqual([]);
  });

  it('keeps the app on Express 4 with its own types, and package.json formatting', () => {
    const dir = copyFixture('cjs-express4');
    const before = readTree(dir);
    const result = add(dir, 'jwt-service');
    expect(result.exitCode).toBe(0);
    const pkg = readTree(dir)['package.json'] ?? '';
    expect(JSON.parse(pkg)).toMatchObject({ dependencies: { express: '^4.21.2' }, devDependencies: { '@types/express': '^4.17.21' } });
    // Only lines were added (a comma aside): the indentation and order of what was there are kept.
    const withoutCommas = (text: string) => text.split('\n').map((line) => line.replace(/,$/, ''));
    const lines = withoutCommas(pkg);
    expect(withoutCommas(before['package.json'] ?? '').every((line) => lines.includes(line))).toBe(true);
  });

  it('extends the env template the project keeps and names the file its scripts load', () => {
    const dir = copyFixture('esm-express5');
    writeFileSync(path.join(dir, '.env.sample'), 'NODE_ENV=development\n');
    const pkg = JSON.parse(readTree(dir)['package.json'] ?? '{}') as { scripts?: Record<string, string> };
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, dev: 'tsx watch --env-file=.env.local src/server.ts' } }, null, 2),
    );
    const result = add(dir, 'openai');
    expect(result.exitCode).toBe(0);
    const after = readTree(dir);
    expect(after['.env.example']).toBeUndefined();
    expect(after['.env.sample']).toMatch(/^NODE_ENV=development\n\n#[\s\S]*\nOPENAI_API_KEY=\n/);
    expect(result.stdout).toContain('Set in .env.local: API_TOKEN, OPENAI_API_KEY (documented in .env.sample)');
    // The 503 and health messages name the file the app loads.
    expect(after['src/providers/env.ts']).toContain("export const ENV_FILE = '.env.local';");
  });

  it('says who may call the new routes, and adds API_TOKEN to the env template while no auth plugin is installed', () => {
    const dir = copyFixture('esm-express5');
    const result = add(dir, 'openai', 'stripe');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Who may call the new routes:');
    expect(result.stdout).toContain('Set in the environment: API_TOKEN, OPENAI_API_KEY');
    expect(result.stdout).toMatch(/Need Authorization: Bearer <API_TOKEN>: POST \/api\/ai\/openai\/chat, .*POST \/api\/ai\/chat/);
    expect(result.stdout).toMatch(
      /Admin routes, also API_TOKEN: POST \/api\/payments\/create-subscription, GET \/api\/payments\/invoices\n/,
    );
    expect(result.stdout).toContain('Public: POST /api/payments/webhooks');
    expect(readTree(dir)['.env.example']).toMatch(/\nAPI_TOKEN=\n/);

    const withAuth = copyFixture('esm-express5');
    const json = JSON.parse(runCli(['add', 'jwt-service', 'openai', '--no-install', '--json'], withAuth).stdout) as {
      routes: { path: string; access: string }[];
    };
    expect(json.routes).toContainEqual({ method: 'POST', path: '/api/ai/openai/chat', access: 'user' });
    expect(readTree(withAuth)['.env.example']).not.toContain('API_TOKEN');
  });

  it('writes the import of the routes with the .js suffix the app file uses for its own imports', () => {
    const dir = copyFixture('cjs-express4');
    const appFile = path.join(dir, 'src/app.ts');
    writeFileSync(appFile, (readTree(dir)['src/app.ts'] ?? '').replace("from './routes/health'", "from './routes/health.js'"));
    expect(add(dir, 'jwt-service').exitCode).toBe(0);
    expect(readTree(dir)['src/app.ts']).toContain("import { providerRoutes } from './providers/index.js';");
  });

  it('attaches WebSocket upgrades to the server the app keeps, or says how in one line', () => {
    const kept = copyFixture('esm-express5');
    writeFileSync(
      path.join(kept, 'src/server.ts'),
      "import { app } from './app.js';\n\nconst server = app.listen(3000);\nexport default server;\n",
    );
    const attached = add(kept, 'deepgram');
    expect(attached.exitCode).toBe(0);
    expect(readTree(kept)['src/server.ts']).toBe(
      "import { app } from './app.js';\nimport { attachProviderUpgrades } from './providers/index.js';\n\nconst server = app.listen(3000);\nattachProviderUpgrades(server);\nexport default server;\n",
    );
    const unkept = copyFixture('esm-express5');
    const hinted = add(unkept, 'deepgram');
    expect(hinted.exitCode).toBe(0);
    expect(hinted.stderr).toContain(
      'WebSocket endpoints (live transcription) need your HTTP server: add `import { attachProviderUpgrades }',
    );
  });

  it('skips the install with the exact command when the project’s package manager is missing', () => {
    const dir = copyFixture('esm-express5');
    writeFileSync(path.join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    const emptyPath = mkdtempSync(path.join(tmpdir(), 'cpa-path-'));
    const result = runCli(['add', 'jwt-service'], dir, { PATH: emptyPath });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      'This project uses pnpm (pnpm-lock.yaml), which is not installed here, so nothing was installed (to get it: corepack enable pnpm).',
    );
    expect(result.stdout).toContain('Then run: pnpm install');
    expect(`${result.stdout}${result.stderr}`.split('pnpm install')).toHaveLength(2);
    expect(readTree(dir)['node_modules/.package-lock.json']).toBeUndefined();
  });
});

describe('add with a conflict', () => {
  it('--dry-run --diff shows what overwriting would change, names the conflict and writes nothing', () => {
    const dir = createdProject('none');
    mkdirSync(path.join(dir, 'src/storage/s3'), { recursive: true });
    writeFileSync(path.join(dir, 'src/storage/s3/s3.service.ts'), '// a file in the way\n');
    const before = readTree(dir);
    const result = add(dir, 's3', '--dry-run', '--diff');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('+++ src/storage/s3/s3.service.ts');
    expect(result.stdout).toContain('-// a file in the way');
    expect(result.stderr).toContain('src/storage/s3/s3.service.ts was edited since create-provider-app wrote it');
    expect(readTree(dir)).toEqual(before);
  });
});

describe('add: bad input gives one message, exit 1 and no writes', () => {
  const cases: [string, () => string, string[], RegExp][] = [
    ['no package.json', () => mkdtempSync(path.join(tmpdir(), 'cpa-empty-')), ['openai'], /No package\.json in .*pass --cwd/],
    [
      'a malformed package.json',
      () => {
        const dir = copyFixture('esm-express5');
        writeFileSync(path.join(dir, 'package.json'), '{ "name": "x", }');
        return dir;
      },
      ['openai'],
      /package\.json is not valid JSON \(\w+ on line 1\)/,
    ],
    ['an unknown plugin', () => copyFixture('esm-express5'), ['opnai'], /Unknown plugin "opnai" \(did you mean "openai"\?\)/],
    [
      'not an Express project',
      () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'cpa-noexpress-'));
        writeFileSync(path.join(dir, 'package.json'), '{ "name": "lib" }\n');
        return dir;
      },
      ['openai'],
      /does not depend on express/,
    ],
    ['no recognisable Express app', () => copyFixture('no-express-app'), ['openai'], /No Express app found \(looked for `express\(\)`/],
    [
      'an Express older than 4.17',
      () => {
        const dir = copyFixture('cjs-express4');
        const pkg = readTree(dir)['package.json'] ?? '';
        writeFileSync(path.join(dir, 'package.json'), pkg.replace('"express": "^4.21.2"', '"express": "~4.16.0"'));
        return dir;
      },
      ['openai'],
      /uses express ~4\.16\.0; the plugins need Express 4\.17\.0 or later/,
    ],
    [
      'a workspace root',
      () => copyFixture('workspace'),
      ['openai'],
      /workspace root\. Run add inside one of its packages, or pass --cwd: packages\/api, packages\/web/,
    ],
    ['no plugin named', () => copyFixture('esm-express5'), [], /missing required argument|Name at least one plugin/],
  ];

  it.each(cases)('%s', (_name, arrange, ids, message) => {
    const dir = arrange();
    const before = readTree(dir);
    const result = add(dir, ...ids);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(dir)).toEqual(before);
  });
});
