import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LayerId } from '../../generators/define-plugin.js';
import { registry } from '../../generators/index.js';
import { layers } from '../../generators/layers.js';
import { type PlannedFile, planProject, STATUS_PAGE_LAYER, sha256 } from '../../src/plan/plan-project.js';
import { selectPlugins } from '../../src/plan/select-plugins.js';
import { loadTemplates } from '../../src/plan/templates.js';
import { readTree } from '../helpers/cli.js';

// Reviewed copies of what the generator composes live in tests/snapshots/<case>/ (`vitest -u`
// refreshes them): the shared files it merges and the templates with Handlebars tags, as rendered.
// A file copied from a template unchanged is not stored again: files.txt lists every file of a
// case with its hash, so a change to any of them still shows up here.
const snapshotRoot = fileURLToPath(new URL('../snapshots', import.meta.url));
const shared = ['package.json', '.env.example', 'README.md', 'src/plugins.ts', 'provider-app.json'];

// As --no-install renders them: the README lists every step (create.test.ts covers the other case).
function plan(ids: string[]): PlannedFile[] {
  const { plugins } = selectPlugins(ids, registry);
  return planProject({
    name: 'snapshot-app',
    plugins,
    registry,
    pm: 'npm',
    generator: 'create-provider-app@test',
    installDependencies: false,
  }).files;
}

const all = plan(registry.map((plugin) => plugin.id));
const targets = (folder: string) => new Set(loadTemplates(folder).map((template) => template.target));
const templatedFolders = [
  'base',
  STATUS_PAGE_LAYER,
  ...(Object.keys(layers) as LayerId[]).map((layer) => `layers/${layer}`),
  ...registry.map((plugin) => plugin.id),
];
const templated = new Set(
  templatedFolders.flatMap((folder) =>
    loadTemplates(folder)
      .filter((template) => template.templated)
      .map((template) => template.target),
  ),
);
const composed = (file: PlannedFile) => shared.includes(file.path) || templated.has(file.path);
const layerFiles = new Set((Object.keys(layers) as LayerId[]).flatMap((layer) => [...targets(`layers/${layer}`)]));

/**
 * Each file is stored once: the base project, the shared layers (as rendered with every plugin),
 * each plugin's own files with the shared files it changes, and the shared files with all plugins.
 */
const cases: [string, PlannedFile[]][] = [
  ['base', plan([])],
  ['layers', all.filter((file) => layerFiles.has(file.path))],
  ...registry.map((plugin): [string, PlannedFile[]] => {
    const own = targets(plugin.id);
    return [plugin.id, plan([plugin.id]).filter((file) => own.has(file.path) || shared.includes(file.path))];
  }),
  ['all', all.filter((file) => shared.includes(file.path))],
];

describe.each(cases)('generated files: %s', (name, files) => {
  it.each(files.filter(composed).map((file) => [file.path, file] as const))('%s', async (_path, file) => {
    await expect(file.content).toMatchFileSnapshot(path.join(snapshotRoot, name, file.path));
  });

  it('lists every file with its hash (files.txt)', async () => {
    const listing = files
      .map((file) => `${sha256(file.content).slice(0, 16)}  ${file.path}`)
      .sort((a, b) => a.slice(18).localeCompare(b.slice(18)));
    await expect(`${listing.join('\n')}\n`).toMatchFileSnapshot(path.join(snapshotRoot, name, 'files.txt'));
  });

  it('has no obsolete snapshot files', () => {
    const dir = path.join(snapshotRoot, name);
    const stored = existsSync(dir) ? Object.keys(readTree(dir)).sort() : [];
    expect(stored).toEqual([...files.filter(composed).map((file) => file.path), 'files.txt'].sort());
  });
});
