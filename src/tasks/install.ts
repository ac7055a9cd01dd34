import type { PackageManager } from '../plan/package-manager.js';

/** Installs the project's dependencies; throws with the command to retry when it fails. */
export async function installDependencies(cwd: string, pm: PackageManager): Promise<void> {
  const { execa } = await import('execa');
  const result = await execa(pm, ['install'], { cwd, reject: false, all: true, stdin: 'ignore', env: { CI: 'true' } });
  if (result.failed) {
    const output = (result.all ?? '').trim().split('\n').slice(-15).join('\n');
    const reason = result.code === 'ENOENT' ? `${pm} is not installed` : `${pm} install exited with ${result.exitCode}`;
    throw new Error(`${reason}.${output ? `\n${output}` : ''}`);
  }
}
