import { constants } from 'node:os';

/**
 * A problem the user can fix: bad input, a conflict, a missing anchor. The message names the
 * problem and what to do; the CLI prints it without a stack trace and exits non-zero.
 */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** The user cancelled a prompt (Ctrl-C or Escape); nothing was written. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled. Nothing was written.');
    this.name = 'CancelledError';
  }
}

/** A signal arrived while files were being written: the write finished, and the steps after it were skipped. */
export class InterruptedError extends Error {
  /** 128 + the signal's number, as a shell reports a process the signal ended. */
  readonly exitCode: number;

  constructor(readonly signal: NodeJS.Signals) {
    super(`Stopped by ${signal} after every file was written. The steps after writing (install, git) did not run.`);
    this.name = 'InterruptedError';
    this.exitCode = 128 + constants.signals[signal];
  }
}

/** A file-system error in plain words, or undefined when it is not one a user can act on by name. */
export function describeFsError(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  const file = 'path' in error && typeof error.path === 'string' ? error.path : undefined;
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return file ? `permission denied on ${file}` : 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOTDIR':
      return `a part of ${file ?? 'a path'} is a file, not a folder`;
    case 'EISDIR':
      return file ? `${file} is a folder where a file is needed` : 'a folder was found where a file is needed (--debug shows where)';
    case 'ENOENT':
      return file ? `${file} does not exist` : undefined;
    default:
      return undefined;
  }
}
