import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { planProject, type PlannedFile } from '../../src/plan/plan-project.js';
import { selectPlugins } from '../../src/plan/select-plugins.js';
import { readTree } from '../helpers/cli.js';

// Reviewed copies of generated files live in tests/snapshots/<case>/; `vitest -u` refreshes them.
const snapshotRoot = fileURLToPath(new URL('../snapshots', import.meta.url));
const shared = ['package.json', '.env.example', 'README.md', 'src/plugins.ts', 'provider-app.json'];

function plan(ids: string[]): PlannedFile[] {
  const { plugins } = selectPlugins(ids, registry);
  return planProject({ name: 'snapshot-app', plugins, registry, pm: 'npm', generator: 'create-provider-app@test' }).files;
}

const base = plan([]);
const baseContent = new Map(base.map((file) => [file.path, file.content]));

/** Each case snapshots what it adds to or changes in the base project, so a diff shows one plugin's files. */
const cases: [string, PlannedFile[]][] = [
  ['base', base],
  ...registry.map((plugin): [string, PlannedFile[]] => [
    plugin.id,
    plan([plugin.id]).filter((file) => baseContent.get(file.path) !== file.content),
  ]),
  ['all', plan(registry.map((plugin) => plugin.id)).filter((file) => shared.includes(file.path))],
];

describe.each(cases)('generated files: %s', (name, files) => {
  it.each(files.map((file) => [file.path, file] as const))('%s', async (_path, file) => {
    await expect(file.content).toMatchFileSnapshot(path.join(snapshotRoot, name, file.path));
  });

  it('has no obsolete snapshot files', () => {
    const dir = path.join(snapshotRoot, name);
    const stored = existsSync(dir) ? Object.keys(readTree(dir)).sort() : [];
    expect(stored).toEqual(files.map((file) => file.path).sort());
  });
});
