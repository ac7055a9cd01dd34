import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciEnv, readTree, runCli } from '../helpers/cli.js';

// Each hand-written fixture: add → snapshot of what changed → install → typecheck → the app's own
// build → add again changes nothing → --dry-run on a fresh copy writes nothing.
const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const snapshots = path.resolve(import.meta.dirname, '../snapshots/add');

const cases: { fixture: string; plugins: string[]; flags: string[]; appFile: string }[] = [
  { fixture: 'esm-express5', plugins: ['openai', 's3'], flags: [], appFile: 'src/app.ts' },
  // Express 4 stays Express 4: the plugins' code runs on both majors.
  { fixture: 'cjs-express4', plugins: ['jwt-service'], flags: [], appFile: 'src/app.ts' },
  { fixture: 'crlf-bom-tabs', plugins: ['jwt-service'], flags: [], appFile: 'src/main.ts' },
];

function copy(fixture: string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cpa-fixture-')), fixture);
  cpSync(path.join(fixtures, fixture), dir, { recursive: true });
  return dir;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, env: ciEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`.slice(-4000));
}

describe.each(cases)('add $plugins to the $fixture fixture', ({ fixture, plugins, flags, appFile }) => {
  it('changes only what it must, then installs, typechecks and builds', async () => {
    const dir = copy(fixture);
    const original = readTree(dir);
    expect(runCli(['add', ...plugins, ...flags, '--no-install'], dir).exitCode).toBe(0);
    const added = readTree(dir);

    // Files the project already had: exact new contents, reviewed in tests/snapshots/add/.
    for (const file of Object.keys(original)) {
      if (added[file] !== original[file]) await expect(added[file]).toMatchFileSnapshot(path.join(snapshots, fixture, file));
    }
    // Files it did not have: only plugin code under src/providers, .env.example and the manifest.
    const created = Object.keys(added)
      .filter((file) => !(file in original))
      .sort();
    await expect(`${created.join('\n')}\n`).toMatchFileSnapshot(path.join(snapshots, fixture, 'created-files.txt'));
    for (const file of created) expect(file === '.env.example' || file === 'provider-app.json' || file.includes('/providers/')).toBe(true);

    const withoutInsertions = (added[appFile] ?? '')
      .split(/(?<=\n)/)
      .filter((line) => !line.includes('providerRoutes') && !line.includes('// Provider plugins:'))
      .join('');
    expect(withoutInsertions).toBe(original[appFile]);

    run('npm', ['install', '--no-audit', '--no-fund'], dir);
    run('npx', ['tsc', '--noEmit', '-p', '.'], dir);
    run('npm', ['run', 'build'], dir);

    const installed = readTree(dir);
    const again = runCli(['add', ...plugins, ...flags, '--no-install'], dir);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/already installed\. Nothing to do\./);
    expect(readTree(dir)).toEqual(installed);

    const fresh = copy(fixture);
    expect(runCli(['add', ...plugins, ...flags, '--dry-run'], fresh).exitCode).toBe(0);
    expect(readTree(fresh)).toEqual(original);
  }, 300_000);
});
