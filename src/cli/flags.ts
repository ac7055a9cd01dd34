import { z } from 'zod';
import { UserError } from '../errors.js';
import { type PackageManager, packageManagers } from '../plan/package-manager.js';

/** `--pm`, shared by the commands that install. */
export const packageManagerFlag = z
  .enum(packageManagers as [PackageManager, ...PackageManager[]], { message: `--pm must be one of ${packageManagers.join(', ')}` })
  .optional();

/** Validates a command's flags with its schema; the first problem becomes the user's one-line error. */
export function parseFlags<T>(schema: z.ZodType<T>, rawFlags: unknown): T {
  const parsed = schema.safeParse(rawFlags);
  if (!parsed.success) throw new UserError(`${parsed.error.issues[0]?.message ?? 'Invalid options'}.`);
  return parsed.data;
}

/** Progress and notices go to stderr, so stdout stays clean for --json. */
export function note(json: boolean, message: string): void {
  if (!json || process.stderr.isTTY) process.stderr.write(`${message}\n`);
}
