import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PackageManager } from '../plan/package-manager.js';

/** Installs the project's dependencies; throws with the package manager's whole reason when it fails. */
export async function installDependencies(cwd: string, pm: PackageManager): Promise<void> {
  const { execa } = await import('execa');
  const result = await execa(pm, ['install'], { cwd, reject: false, all: true, stdin: 'ignore', env: { CI: 'true' } });
  if (result.failed) {
    const reason = result.code === 'ENOENT' ? `${pm} is not installed` : `${pm} install exited with ${result.exitCode}`;
    const output = failureReason(result.all ?? '');
    throw new Error(`${reason}.${output ? `\n${output}` : ''}`);
  }
}

/**
 * The part of an install's output that explains a failure. npm's reason (an ERESOLVE peer
 * conflict, say) is in the middle of its `npm error` lines, so all of those are kept; other
 * tools' output is kept whole up to a bound.
 */
export function failureReason(output: string): string {
  const lines = output.trim().split('\n');
  const npmErrors = lines.filter((line) => /^npm (error|ERR!)/.test(line));
  const kept = npmErrors.length > 0 ? npmErrors : lines;
  return kept.length > 200 ? [...kept.slice(0, 200), `… ${kept.length - 200} more lines`].join('\n') : kept.join('\n');
}

/** Whether `command` can be run: an executable of that name on PATH. */
export function isOnPath(command: string, searchPath = process.env['PATH'] ?? ''): boolean {
  return searchPath.split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}
