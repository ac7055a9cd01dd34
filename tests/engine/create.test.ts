import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { type CreateOptions, commitProject, stageProject } from '../../src/create.js';
import { MANIFEST_FILE } from '../../src/plan/base-project.js';
import { sha256 } from '../../src/plan/plan-project.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'cpa-create-'));
});

const options = (overrides: Partial<CreateOptions> = {}): CreateOptions => ({
  directory: 'my-api',
  cwd,
  plugins: ['openai', 's3'],
  pm: 'npm',
  force: false,
  ...overrides,
});

describe('stageProject', () => {
  it('plans the whole project in memory without touching the target', () => {
    const project = stageProject(options());
    expect(project.changes.map((change) => change.path)).toContain('src/ai/openai/openai.service.ts');
    expect(existsSync(path.join(cwd, 'my-api'))).toBe(false);
  });

  it('gives byte-identical output for the same input, whatever the order of the ids', () => {
    const first = stageProject(options({ plugins: ['s3', 'openai'] })).changes;
    const second = stageProject(options({ directory: path.join(mkdtempSync(path.join(tmpdir(), 'other-')), 'my-api') })).changes;
    expect(second).toEqual(first);
  });

  it('records the hash of every generated file in the manifest', () => {
    const { changes } = stageProject(options());
    const manifest = JSON.parse(changes.find((change) => change.path === MANIFEST_FILE)?.content ?? '{}') as {
      plugins: string[];
      files: Record<string, string>;
    };
    expect(manifest.plugins).toEqual(['openai', 's3']);
    for (const change of changes.filter((entry) => entry.path !== MANIFEST_FILE)) {
      expect(manifest.files[change.path]).toBe(sha256(change.content));
    }
  });

  it('writes nothing machine-specific: no absolute paths, no dates', () => {
    const { changes } = stageProject(options());
    for (const change of changes) {
      expect(change.content).not.toContain(cwd);
      expect(change.content).not.toMatch(/20\d\d-\d\d-\d\dT/);
    }
  });

  it.each([
    ['MyApi', /"MyApi" cannot be the project name: .*capital letters.*Try "myapi"/],
    ['my api', /"my api" cannot be the project name: .*URL-friendly.*Try "my-api"/],
    ['node_modules', /"node_modules" cannot be the project name/],
    ['.hidden', /"\.hidden" cannot be the project name/],
  ])('rejects the invalid name %j', (directory, message) => {
    expect(() => stageProject(options({ directory }))).toThrow(message);
  });

  it('refuses a non-empty target unless forced, and then updates only same-named files', () => {
    mkdirSync(path.join(cwd, 'my-api'));
    writeFileSync(path.join(cwd, 'my-api', 'notes.txt'), 'mine');
    writeFileSync(path.join(cwd, 'my-api', 'README.md'), 'old readme');
    expect(() => stageProject(options())).toThrow('my-api is not empty. Choose a new directory, or pass --force');

    const project = stageProject(options({ force: true }));
    expect(project.changes.find((change) => change.path === 'README.md')?.type).toBe('update');
    commitProject(project);
    expect(existsSync(path.join(cwd, 'my-api', 'notes.txt'))).toBe(true);
  });

  it.each([
    [
      true,
      'pnpm',
      'cp .env.example .env   # then fill in the keys of the providers you use\npnpm dev',
      'In a fresh clone, or if\nthat install did not finish, run `pnpm install` first.',
    ],
    [false, 'pnpm', 'pnpm install\ncp .env.example .env', undefined],
    [false, 'bun', 'bun install\ncp .env.example .env', undefined],
  ] as const)('README "Run it" when dependencies are installed: %s (%s)', (installDependencies, pm, steps, afterSteps) => {
    const readme = stageProject(options({ installDependencies, pm })).changes.find((change) => change.path === 'README.md')?.content ?? '';
    const runIt = readme.slice(readme.indexOf('## Run it'), readme.indexOf('| command |'));
    expect(runIt).toContain(`\`\`\`sh\n${steps}`);
    if (afterSteps) expect(runIt).toContain(afterSteps);
    else expect(runIt).not.toContain('fresh clone');
    expect(runIt).not.toMatch(/\n{3}/);
  });

  it('refuses a target that is a file', () => {
    writeFileSync(path.join(cwd, 'my-api'), '');
    expect(() => stageProject(options())).toThrow('my-api already exists and is a file');
  });
});
