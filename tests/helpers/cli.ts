import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI, exactly as npm runs it. Tests run `npm run build` first (see the test script). */
export const cliPath = fileURLToPath(new URL('../../bin/create-provider-app.js', import.meta.url));

/** Environment of a CI run: no TTY, CI set, no package manager user agent. */
export const ciEnv = { ...process.env, CI: 'true', npm_config_user_agent: '', FORCE_COLOR: '0', NO_COLOR: '1' };

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion with no stdin. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    env: { ...ciEnv, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI and sends `signal` after `delayMs`; resolves with the exit code. */
export function runCliInterrupted(args: string[], cwd: string, signal: NodeJS.Signals, delayMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: ciEnv, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill(signal), delayMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Every file under `root` with its content, keyed by relative path; installs and builds are skipped. */
export function readTree(root: string, dir = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(path.join(root, dir))) {
    const relative = dir ? `${dir}/${entry}` : entry;
    const absolute = path.join(root, relative);
    if (statSync(absolute).isDirectory()) {
      if (entry !== 'node_modules' && entry !== 'dist') Object.assign(files, readTree(root, relative));
    } else {
      files[relative] = readFileSync(absolute, 'utf8');
    }
  }
  return files;
}
