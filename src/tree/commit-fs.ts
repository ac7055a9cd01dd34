import * as fs from 'node:fs';

/** The file-system calls that change a project during a commit; tests pass ones that fail. */
export type CommitFs = Pick<typeof fs, 'writeFileSync' | 'renameSync' | 'unlinkSync' | 'mkdirSync' | 'rmdirSync' | 'rmSync' | 'chmodSync'>;

/**
 * The real file system. Test hook: with CPA_TEST_SIGNAL_AFTER_STEP="<n>:<signal>" in the
 * environment, the process sends itself <signal> right after the nth write or rename, so tests
 * can kill (SIGKILL), interrupt (SIGINT, SIGTERM) or pause (SIGSTOP) a commit at any step.
 * Without it, this is node:fs itself.
 */
export function realFs(): CommitFs {
  const hook = /^(\d+):(SIG[A-Z]+)$/.exec(process.env['CPA_TEST_SIGNAL_AFTER_STEP'] ?? '');
  if (!hook) return fs;
  let steps = 0;
  const step = () => {
    if (++steps === Number(hook[1])) process.kill(process.pid, hook[2] as NodeJS.Signals);
  };
  return {
    ...fs,
    writeFileSync: (...args: Parameters<typeof fs.writeFileSync>) => {
      fs.writeFileSync(...args);
      step();
    },
    renameSync: (...args: Parameters<typeof fs.renameSync>) => {
      fs.renameSync(...args);
      step();
    },
  };
}

/**
 * Writes the temporary file that will be renamed over a project file. A file replaced keeps its
 * permission bits (an executable script stays executable); chmod, as the umask may strip some.
 */
export function writeTemporary(files: CommitFs, temporary: string, content: string, mode: number | null | undefined): void {
  files.writeFileSync(temporary, content);
  if (mode !== null && mode !== undefined) files.chmodSync(temporary, mode);
}

/** Removes `dir` only when it is empty: a folder someone else filled meanwhile is theirs. */
export function removeIfEmpty(dir: string, files: CommitFs): void {
  try {
    files.rmdirSync(dir);
  } catch {
    // Not empty, or already gone: either way not ours to remove.
  }
}
