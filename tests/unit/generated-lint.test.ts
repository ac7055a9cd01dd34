import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { type PlannedFile, planProject } from '../../src/plan/plan-project.js';
import { selectPlugins } from '../../src/plan/select-plugins.js';

// A generated project runs `biome check .` as its `npm run lint`, with the biome.jsonc it is
// generated with: what we generate must pass it. Rendered files are only seen here, never by the
// repository's own lint (it skips .hbs sources).
const biome = path.resolve(import.meta.dirname, '../../node_modules/.bin/biome');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function plan(ids: string[]): PlannedFile[] {
  const { plugins } = selectPlugins(ids, registry);
  return planProject({ name: 'lint-app', plugins, registry, pm: 'npm', generator: 'create-provider-app@test' }).files;
}

function write(files: PlannedFile[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cpa-lint-'));
  made.push(root);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
    writeFileSync(path.join(root, file.path), file.content);
  }
  return root;
}

/** `biome check .` in the project: its exit code and one `path:line category` per diagnostic. */
function lint(root: string): { status: number | null; diagnostics: string[] } {
  const result = spawnSync(biome, ['check', '.', '--reporter=json', '--max-diagnostics=none'], { cwd: root, encoding: 'utf8' });
  const report = JSON.parse(result.stdout) as { diagnostics: { category: string; location: { path: string; start?: { line: number } } }[] };
  const diagnostics = report.diagnostics.map(({ category, location }) => `${location.path}:${location.start?.line ?? ''} ${category}`);
  return { status: result.status, diagnostics };
}

describe('generated projects pass their own lint', () => {
  it.each([
    ['all 20 plugins', registry.map((plugin) => plugin.id)],
    ['no plugin', []],
  ])('%s', (_name, ids) => {
    const files = plan(ids);
    expect(files.map((file) => file.path)).toContain('biome.jsonc');
    expect(lint(write(files))).toEqual({ status: 0, diagnostics: [] });
  });

  it('fails on a problem in a generated file', () => {
    const files = plan([]).map((file) => (file.path === 'src/app.ts' ? { ...file, content: `${file.content}\ndebugger;\n` } : file));
    const { status, diagnostics } = lint(write(files));
    expect(status).not.toBe(0);
    expect(diagnostics).toContainEqual(expect.stringMatching(/^src\/app\.ts:\d+ lint\/suspicious\/noDebugger$/));
  });
});
