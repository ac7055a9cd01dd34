import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeFsError, UserError } from '../errors.js';
import { recoverInterruptedCommit } from './journal.js';

/** Exists while one run may change the project; holds that run's pid and command. */
export const LOCK_FILE = 'provider-app.lock';

/** This process's hold on a project. */
export interface ProjectClaim {
  /** One line saying what was undone of a commit that a crash interrupted, if there was one. */
  recovered?: string;
  /** Removes the lock before the process ends, e.g. before git sees the folder. */
  release(): void;
}

/**
 * Claims the project at `root` for this process: takes its lock, which goes when the process
 * exits (errors and signals included) if not released before, then undoes any commit that a
 * crash interrupted. A folder that does not exist has nothing to protect; the command itself
 * reports it.
 */
export function claimProject(root: string, command: string): ProjectClaim {
  if (!existsSync(root)) return { release: () => {} };
  const lock = path.join(root, LOCK_FILE);
  for (let attempt = 1; !tryLock(lock, command); attempt++) {
    const owner = readOwner(lock);
    if (attempt === 2 || (owner !== undefined && isRunning(owner.pid))) {
      throw new UserError(
        `Another create-provider-app ${owner?.command ?? command} is running in ${root} (pid ${owner?.pid ?? 'unknown'}); wait for it, or remove ${lock} if it crashed.`,
      );
    }
    // Its owner was killed before it could remove it (or has just finished): take it over.
    if (owner) rmSync(lock, { force: true });
  }
  const release = () => {
    process.off('exit', release);
    rmSync(lock, { force: true });
  };
  process.on('exit', release);
  const recovered = recoverInterruptedCommit(root);
  return recovered ? { recovered, release } : { release };
}

function tryLock(lock: string, command: string): boolean {
  try {
    writeFileSync(lock, `${process.pid} ${command}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new UserError(`Cannot write in ${path.dirname(lock)}: ${describeFsError(error) ?? String(error)}. Nothing was written.`, {
      cause: error,
    });
  }
}

/** Who holds the lock; undefined when it is gone. A lock being written has no pid yet, and counts as running. */
function readOwner(lock: string): { pid: number | undefined; command: string } | undefined {
  try {
    const [pid, command = 'run'] = readFileSync(lock, 'utf8').trim().split(' ');
    return { pid: pid ? Number(pid) : undefined, command };
  } catch {
    return undefined;
  }
}

function isRunning(pid: number | undefined): boolean {
  if (pid === undefined || !Number.isInteger(pid)) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
