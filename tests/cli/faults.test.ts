import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, recoverInterruptedCommit } from '../../src/tree/journal.js';
import { LOCK_FILE } from '../../src/tree/project-lock.js';
import { cliPath, readTree } from '../helpers/cli.js';
import { copyFixture, offlineEnv, runCliWith } from '../helpers/faults.js';

const addOpenai = ['add', 'openai', '--no-install'];

/** The tree `add openai` gives the fixture when nothing goes wrong. */
function completeAdd(): Record<string, string> {
  const dir = copyFixture('esm-express5');
  expect(runCliWith(addOpenai, dir).exitCode).toBe(0);
  return readTree(dir);
}

describe('add killed at any step of its commit', () => {
  it('is undone by the next run, which then completes it; no temporary file survives', () => {
    const pristine = readTree(copyFixture('esm-express5'));
    const complete = completeAdd();
    const files = (
      JSON.parse(runCliWith([...addOpenai, '--dry-run', '--json'], copyFixture('esm-express5')).stdout) as { changes: unknown[] }
    ).changes.length;
    // The commit's steps: the journal, a temporary file per file, then a rename per file. Every
    // rename is a different state on disk; the temporary files are all alike, so a few will do.
    const renames = Array.from({ length: files }, (_, index) => files + 2 + index);
    const steps = [1, 2, Math.ceil(files / 2), files + 1, ...renames];
    for (const step of steps) {
      const dir = copyFixture('esm-express5');
      const killed = runCliWith(addOpenai, dir, { CPA_TEST_SIGNAL_AFTER_STEP: `${step}:SIGKILL` });
      expect(killed.signal).toBe('SIGKILL');
      if (step % 8 === 1 || step >= files * 2) {
        // The way users recover: run add again.
        const rerun = runCliWith(addOpenai, dir);
        expect(rerun.exitCode).toBe(0);
        expect(rerun.stderr).toMatch(
          /An earlier run \(create-provider-app add openai --no-install\) was interrupted while writing .*: (undid it \(\d+ files? restored\)|it had not changed any file yet)\./,
        );
        expect(readTree(dir)).toEqual(complete);
      } else {
        // Cheaper, same code: undo it here, and find the project exactly as it was.
        expect(recoverInterruptedCommit(dir)).toMatch(/was interrupted/);
        rmSync(path.join(dir, LOCK_FILE));
        expect(readTree(dir)).toEqual(pristine);
      }
    }
    // One step further is past the last rename: the run finishes.
    const finished = runCliWith(addOpenai, copyFixture('esm-express5'), { CPA_TEST_SIGNAL_AFTER_STEP: `${2 * files + 2}:SIGKILL` });
    expect(finished.exitCode).toBe(0);
  }, 600_000);
});

// A real full disk: a small tmpfs. Mounting needs root (CAP_SYS_ADMIN); without it the test is skipped.
const disk = mkdtempSync(path.join(tmpdir(), 'cpa-full-disk-'));
const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk], { encoding: 'utf8' });
const mountSkip = mount.status === 0 ? '' : ` (skipped: cannot mount a tmpfs here: ${(mount.stderr || mount.error?.message || '').trim()})`;
afterAll(() => {
  if (mount.status === 0) spawnSync('umount', [disk]);
});

describe('add on a full disk', () => {
  it.skipIf(mountSkip !== '')(`says the disk is full, claims no restore, and leaves every byte as it was${mountSkip}`, () => {
    const dir = path.join(disk, 'esm-express5');
    spawnSync('cp', ['-r', copyFixture('esm-express5'), dir]);
    const before = readTree(dir);
    // Fill the disk, then free 48 KiB: room for the lock, the journal and a few temporary files.
    const filler = path.join(disk, 'filler');
    const block = Buffer.alloc(64 * 1024);
    writeFileSync(filler, '');
    try {
      for (;;) writeFileSync(filler, block, { flag: 'a' });
    } catch {
      // ENOSPC: the disk is full.
    }
    truncateSync(filler, Math.max(0, statSync(filler).size - 48 * 1024));

    const result = runCliWith(addOpenai, dir);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`Could not write ${dir}: the disk is full. No file was changed.`);
    expect(result.stderr).not.toContain('restored');
    expect(readTree(dir)).toEqual(before);
  });
});

describe('two adds on one project', () => {
  it('lets one finish and stops the other with the lock message, writing nothing', async () => {
    const dir = copyFixture('esm-express5');
    // The first run pauses itself (SIGSTOP) mid-commit, holding the lock, until the test resumes it.
    const first = spawn(process.execPath, [cliPath, ...addOpenai], {
      cwd: dir,
      env: offlineEnv({ CPA_TEST_SIGNAL_AFTER_STEP: '40:SIGSTOP' }),
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => first.on('exit', resolve));
    while (processState(first.pid!) !== 'T') await sleep(20);
    const during = readTree(dir);

    const second = runCliWith(['add', 'stripe', '--no-install'], dir);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(
      `Another create-provider-app add is running in ${dir} (pid ${first.pid}); wait for it, or remove ${path.join(dir, LOCK_FILE)} if it crashed.`,
    );
    expect(readTree(dir)).toEqual(during);

    first.kill('SIGCONT');
    expect(await exited).toBe(0);
    expect(readTree(dir)).toEqual(completeAdd());
    expect(JSON.parse(readFileSync(path.join(dir, 'provider-app.json'), 'utf8')).plugins).toContain('openai');
  }, 60_000);

  it('takes over the lock of a run that was killed', () => {
    const dir = copyFixture('esm-express5');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(path.join(dir, LOCK_FILE), `${dead} add\n`);
    expect(runCliWith(addOpenai, dir).exitCode).toBe(0);
    expect(readTree(dir)).toEqual(completeAdd());
  });
});

/** The state letter of a process from /proc: R running, S sleeping, T stopped, Z zombie. */
function processState(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] ?? '';
  } catch {
    return '';
  }
}

describe('create into awkward targets', () => {
  const create = (args: string[], cwd: string) => runCliWith([...args, '--plugins', 'none', '--no-install', '--no-git'], cwd);

  it('refuses an empty directory name and touches nothing', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cpa-empty-name-'));
    const inode = statSync(cwd).ino;
    const result = create([''], cwd);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('The project directory is empty.');
    expect(readdirSync(cwd)).toEqual([]);
    expect(statSync(cwd).ino).toBe(inode);
  });

  it('writes "." into the current folder itself, which keeps its inode', () => {
    const cwd = path.join(mkdtempSync(path.join(tmpdir(), 'cpa-dot-')), 'my-api');
    mkdirSync(cwd);
    const inode = statSync(cwd).ino;
    expect(create(['.'], cwd).exitCode).toBe(0);
    expect(statSync(cwd).ino).toBe(inode);
    expect(JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')).name).toBe('my-api');
    expect(readdirSync(path.dirname(cwd))).toEqual(['my-api']);
    expect(readdirSync(cwd).filter((entry) => entry.startsWith('.my-api-'))).toEqual([]);
  });

  it('--force into a folder with files: undoes a killed run first, and unlocks before git runs', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cpa-force-'));
    const target = path.join(cwd, 'my-api');
    mkdirSync(target);
    writeFileSync(path.join(target, 'notes.txt'), 'mine\n');
    const force = ['my-api', '--force', '--plugins', 'none', '--no-install'];
    // Killed right after the first rename: the journal, one temporary file per file, then the renames.
    const planned = (JSON.parse(runCliWith([...force, '--dry-run', '--json'], cwd).stdout) as { files: unknown[] }).files.length;
    expect(runCliWith(force, cwd, { CPA_TEST_SIGNAL_AFTER_STEP: `${planned + 2}:SIGKILL` }).signal).toBe('SIGKILL');

    const rerun = runCliWith(force, cwd);
    expect(rerun.exitCode).toBe(0);
    expect(rerun.stderr).toMatch(
      /An earlier run \(create-provider-app my-api --force .*\) was interrupted while writing .*my-api: undid it/,
    );
    const files = readdirSync(target);
    expect(files).toContain('notes.txt');
    expect(files.filter((file) => file.endsWith('.tmp') || file === LOCK_FILE || file === JOURNAL_FILE)).toEqual([]);
    // The fake git listed the folder as it found it.
    expect(readFileSync(path.join(target, 'GIT-RAN'), 'utf8')).not.toContain(LOCK_FILE);
  });

  it('gives the new project the mode the umask allows', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'cpa-umask-'));
    const result = spawnSync(
      '/bin/sh',
      ['-c', `umask 027 && exec "${process.execPath}" "${cliPath}" my-api --plugins none --no-install --no-git`],
      { cwd, env: offlineEnv(), encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(statSync(path.join(cwd, 'my-api')).mode & 0o777).toBe(0o750);
    expect(statSync(path.join(cwd, 'my-api', 'src')).mode & 0o777).toBe(0o750);
  });
});

describe('errors in plain words', () => {
  it('names a folder that stands where add must write a file', () => {
    const dir = copyFixture('esm-express5');
    mkdirSync(path.join(dir, 'src', 'providers', 'plugins.ts'), { recursive: true });
    const result = runCliWith(addOpenai, dir);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('src/providers/plugins.ts is a folder, but a file must be written there.');
    expect(readdirSync(dir).sort()).toEqual(['package.json', 'src', 'tsconfig.json']);
  });

  it('turns EISDIR into a clear line, with the stack when --debug comes before or after the subcommand', () => {
    const dir = copyFixture('esm-express5');
    rmSync(path.join(dir, 'package.json'));
    mkdirSync(path.join(dir, 'package.json'));
    const plain = runCliWith(addOpenai, dir);
    expect(plain.exitCode).toBe(1);
    expect(plain.stderr).toMatch(/^✖ Stopped: a folder was found where a file is needed/);
    expect(plain.stderr).not.toContain('Unexpected error');
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    for (const args of [
      [...addOpenai, '--debug'],
      ['--debug', ...addOpenai],
    ]) {
      const debug = runCliWith(args, dir);
      expect(debug.exitCode).toBe(1);
      expect(debug.stderr).toMatch(/^\s+at /m);
    }
  });
});
