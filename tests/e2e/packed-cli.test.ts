import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciEnv, readTree } from '../helpers/cli.js';

const repo = path.resolve(import.meta.dirname, '../..');

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, env: ciEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stderr.slice(-3000)}`);
  return result.stdout;
}

describe('the packed package', () => {
  it('ships only what runs, and creates a project through npx from the tarball', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'cpa-pack-'));
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const topLevel = new Set(packed?.files.map((file) => file.path.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['README.md', 'bin', 'dist', 'package.json', 'templates']);
    // doctor runs its probe script with the project's tsx, from beside its own compiled code.
    expect(packed?.files.map((file) => file.path)).toContain('dist/src/doctor-probe.js');

    // What `npm create provider-app` runs once published: the package's bin, installed by npm exec.
    run(
      'npx',
      [
        '--yes',
        '--package',
        path.join(work, packed?.filename ?? ''),
        'create-provider-app',
        'my-api',
        '--plugins',
        'openai,s3',
        '--no-install',
        '--no-git',
      ],
      work,
    );
    const files = readTree(path.join(work, 'my-api'));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['src/storage/s3/s3.service.ts', 'public/health-ui/index.html', 'public/health-ui/app.js']),
    );
    expect(JSON.parse(files['provider-app.json'] ?? '{}').plugins).toEqual(['openai', 's3']);
    expect(readdirSync(work).filter((entry) => entry.startsWith('.'))).toEqual([]);
  });
});
