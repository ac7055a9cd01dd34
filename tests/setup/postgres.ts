import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../helpers/net.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A throwaway PostgreSQL for the generated projects' database tests; empty when none could start. */
    databaseUrl: string;
  }
}

/**
 * Starts a throwaway PostgreSQL (Debian's packages, as .ci/system-packages.sh installs them) for
 * the end-to-end tests, and stops it afterwards. TEST_DATABASE_URL points at an existing server instead.
 */
export default async function startPostgres(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env['TEST_DATABASE_URL'];
  const bin = postgresBin();
  if (given || !bin) {
    project.provide('databaseUrl', given ?? '');
    return undefined;
  }
  const data = mkdtempSync(path.join(tmpdir(), 'cpa-postgres-'));
  const port = await freePort();
  // initdb and postgres refuse to run as root.
  const asPostgres = (command: string, args: string[]) =>
    process.getuid?.() === 0
      ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore' })
      : execFileSync(command, args, { stdio: 'ignore' });
  if (process.getuid?.() === 0)
    chownSync(data, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres']);
  asPostgres(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${data} -c listen_addresses=127.0.0.1`,
    '-l',
    path.join(data, 'log'),
    '-w',
    'start',
  ]);
  project.provide('databaseUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  return () => {
    asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    rmSync(data, { recursive: true, force: true });
  };
}

function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => path.join(root, version, 'bin')).find((bin) => existsSync(path.join(bin, 'postgres')));
}
