import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { packageVersion } from '../../src/package-root.js';
import { sha256 } from '../../src/plan/plan-project.js';
import { readTree, runCli } from '../helpers/cli.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'cpa-cli-'));
});

const offline = ['--no-install', '--no-git'];

describe('create-provider-app (built CLI, no TTY)', () => {
  it('prints help with every option and exits 0', () => {
    const { exitCode, stdout } = runCli(['--help'], cwd);
    expect(exitCode).toBe(0);
    for (const option of ['--plugins', '--yes', '--pm', '--no-install', '--no-git', '--dry-run', '--json', '--force', 'list']) {
      expect(stdout).toContain(option);
    }
  });

  it('prints its version', () => {
    expect(runCli(['--version'], cwd).stdout.trim()).toBe(packageVersion());
  });

  it('lists every plugin, as text and as JSON', () => {
    const text = runCli(['list'], cwd).stdout;
    for (const plugin of registry) expect(text).toContain(plugin.id);
    const json = JSON.parse(runCli(['list', '--json'], cwd).stdout) as { id: string; env: { name: string }[] }[];
    expect(json.map((plugin) => plugin.id)).toEqual(registry.map((plugin) => plugin.id));
    expect(json.find((plugin) => plugin.id === 'openai')?.env.map((variable) => variable.name)).toContain('OPENAI_API_KEY');
  });

  it('creates a project from flags alone and prints the next steps', () => {
    const { exitCode, stdout } = runCli(['my-api', '--plugins', 'openai,s3', ...offline], cwd);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Next steps:\n  cd my-api\n  npm install\n  cp .env.example .env\n  npm run dev');
    const files = readTree(path.join(cwd, 'my-api'));
    expect(Object.keys(files)).toContain('src/storage/s3/s3.service.ts');
    expect(JSON.parse(files['package.json'] ?? '{}').name).toBe('my-api');
  });

  it('says in one line when the Node it runs on cannot run the project it created', () => {
    const { exitCode, stderr, stdout } = runCli(['my-api', ...offline], cwd);
    expect(exitCode).toBe(0);
    const engines = JSON.parse(readTree(path.join(cwd, 'my-api'))['package.json'] ?? '{}').engines.node as string;
    expect(engines).toBe('>=22.12.0');
    const warnings = `${stdout}\n${stderr}`.split('\n').filter((line) => line.includes('needs Node'));
    expect(warnings).toEqual(
      semver.satisfies(process.version, engines) ? [] : [expect.stringContaining(`this is Node ${process.version.slice(1)}`)],
    );
  });

  it('uses my-api as the directory with --yes and no plugins by default', () => {
    expect(runCli(['--yes', ...offline], cwd).exitCode).toBe(0);
    expect(JSON.parse(readTree(path.join(cwd, 'my-api'))['provider-app.json'] ?? '{}').plugins).toEqual([]);
  });

  it('writes identical bytes on two runs', () => {
    runCli(['first/my-api', '--plugins', 'all', ...offline], cwd);
    runCli(['second/my-api', '--plugins', 'all', ...offline], cwd);
    expect(readTree(path.join(cwd, 'second/my-api'))).toEqual(readTree(path.join(cwd, 'first/my-api')));
  });

  it('--dry-run lists the files and writes nothing', () => {
    const { exitCode, stdout } = runCli(['my-api', '--plugins', 'openai', '--dry-run'], cwd);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('create src/ai/openai/openai.routes.ts');
    expect(stdout).toContain('Nothing was written.');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--json --dry-run prints only JSON: files with hashes, dependencies, env vars, next steps', () => {
    const { exitCode, stdout } = runCli(['my-api', '--plugins', 'jwt-service', '--dry-run', '--json'], cwd);
    expect(exitCode).toBe(0);
    const result = JSON.parse(stdout) as {
      dryRun: boolean;
      files: { path: string; action: string; sha256: string }[];
      dependencies: Record<string, string>;
      env: { name: string; required: boolean }[];
      nextSteps: string[];
    };
    expect(result.dryRun).toBe(true);
    expect(result.files.every((file) => file.action === 'create' && /^[0-9a-f]{64}$/.test(file.sha256))).toBe(true);
    expect(result.dependencies).toHaveProperty('jsonwebtoken');
    expect(result.env).toContainEqual({ group: 'JWT (jwt-service)', name: 'JWT_SECRET', required: true });
    expect(result.nextSteps).toContain('npm install');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--json after a real run reports hashes that match the files on disk', () => {
    const { stdout } = runCli(['my-api', '--plugins', 's3', '--json', ...offline], cwd);
    const result = JSON.parse(stdout) as { files: { path: string; sha256: string }[]; tasks: { install: string } };
    const files = readTree(path.join(cwd, 'my-api'));
    for (const file of result.files) expect(sha256(files[file.path] ?? '')).toBe(file.sha256);
    expect(result.tasks.install).toBe('skipped');
  });

  it('says why it made no git repository when the folder is inside one, and that the files are not committed', () => {
    const repository = path.join(cwd, 'repo');
    mkdirSync(repository);
    spawnSync('git', ['init', '--quiet'], { cwd: repository });
    const { exitCode, stderr } = runCli(['my-api', '--no-install'], repository);
    expect(exitCode).toBe(0);
    expect(stderr).toContain(
      `Git: skipped, the folder is inside the git repository ${realpathSync(repository)}, so nothing was committed.`,
    );
    expect(stderr).toContain('create the project outside it to give it a repository of its own.');
    expect(existsSync(path.join(repository, 'my-api', '.git'))).toBe(false);
  });

  it('takes the package manager from --pm into the README and next steps', () => {
    const { stdout } = runCli(['my-api', '--pm', 'pnpm', ...offline], cwd);
    expect(stdout).toContain('pnpm install');
    // --no-install: the README's first step is the install.
    expect(readTree(path.join(cwd, 'my-api'))['README.md']).toContain('```sh\npnpm install\ncp .env.example .env');
    expect(readTree(path.join(cwd, 'my-api'))['README.md']).toContain('pnpm dev');
  });
});

describe('bad input: one clear message, exit 1, no stack trace, nothing written', () => {
  const cases: [string, string[], RegExp, (dir: string) => void][] = [
    ['an invalid project name', ['My API', ...offline], /"My API" cannot be the project name/, () => {}],
    ['an unknown plugin', ['my-api', '--plugins', 'opnai', ...offline], /Unknown plugin "opnai" \(did you mean "openai"\?\)/, () => {}],
    ['an empty plugin list', ['my-api', '--plugins', '', ...offline], /--plugins list is empty/, () => {}],
    ['a malformed plugin list', ['my-api', '--plugins', 'openai,,s3', ...offline], /has an empty entry/, () => {}],
    ['an unknown package manager', ['my-api', '--pm', 'pip', ...offline], /--pm must be one of npm, pnpm, yarn, bun/, () => {}],
    ['no directory and no terminal', offline, /No project directory given/, () => {}],
    [
      'a non-empty target',
      ['taken', ...offline],
      /taken is not empty\. Choose a new directory, or pass --force/,
      (dir) => {
        mkdirSync(path.join(dir, 'taken'));
        writeFileSync(path.join(dir, 'taken', 'keep.txt'), 'mine');
      },
    ],
    [
      'a target that cannot be created',
      ['a-file/my-api', ...offline],
      /a-file is a file, not a folder/,
      (dir) => writeFileSync(path.join(dir, 'a-file'), ''),
    ],
  ];

  it.each(cases)('%s', (_name, args, message, arrange) => {
    arrange(cwd);
    const before = readTree(cwd);
    const { exitCode, stdout, stderr } = runCli(args, cwd);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(readTree(cwd)).toEqual(before);
    expect(existsSync(path.join(cwd, 'my-api'))).toBe(false);
  });
});
