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
