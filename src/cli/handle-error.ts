import pc from 'picocolors';
import { CancelledError, describeFsError, InterruptedError, UserError } from '../errors.js';

/** The one place errors reach the user: a clear line, a stack only with --debug, an exit code. */
export function handleError(error: unknown, debug: boolean): never {
  if (error instanceof CancelledError) {
    process.stderr.write(`${pc.yellow(error.message)}\n`);
    process.exit(130);
  }
  if (error instanceof InterruptedError) {
    process.stderr.write(`${pc.yellow(error.message)}\n`);
    process.exit(error.exitCode);
  }
  if (error instanceof UserError) {
    process.stderr.write(`${pc.red('✖')} ${error.message}\n`);
    if (debug && error.cause instanceof Error) process.stderr.write(`${error.cause.stack}\n`);
    process.exit(1);
  }
  const fsProblem = describeFsError(error);
  if (fsProblem) {
    process.stderr.write(`${pc.red('✖')} Stopped: ${fsProblem}.\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pc.red('✖')} Unexpected error: ${message}\n`);
  process.stderr.write(
    debug && error instanceof Error ? `${error.stack}\n` : 'Run again with --debug for details, and report it if it persists.\n',
  );
  process.exit(1);
}
