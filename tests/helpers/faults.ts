import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ciEnv, cliPath } from './cli.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');

/** A fresh copy of a fixture, in a temp folder of its own. */
export function copyFixture(name: string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cpa-fault-')), name);
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

/**
 * Runs the built CLI to completion, offline (see markingTasksPath), with extra environment such
 * as the CPA_TEST_SIGNAL_AFTER_STEP hook.
 */
export function runCliWith(args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    env: offlineEnv(env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { exitCode: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A PATH whose `npm install` and `git` only leave a marker file (INSTALL-RAN, GIT-RAN) in the
 * folder they run in, listing what the folder held then, so a test sees whether a task started,
 * without a network or a real repository. Every other npm command fails, as offline.
 */
export function markingTasksPath(): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'cpa-fake-bin-'));
  for (const [command, marker] of [
    ['npm install', 'INSTALL-RAN'],
    ['git', 'GIT-RAN'],
  ] as const) {
    const [name, subcommand] = command.split(' ');
    const file = path.join(bin, name!);
    writeFileSync(file, `#!/bin/sh\n${subcommand ? `[ "$1" = ${subcommand} ] && ` : ''}ls -A > "${marker}"\nexit 1\n`);
    chmodSync(file, 0o755);
  }
  return `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`;
}

let offlinePath: string | undefined;

/** The CI environment with `env` added, and a PATH whose npm and git only leave markers. */
export function offlineEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  offlinePath ??= markingTasksPath();
  return { ...ciEnv, PATH: offlinePath, ...env };
}
