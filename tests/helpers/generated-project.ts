import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { envWithNode } from '../../scripts/project-node.mjs';
import { ciEnv, cliPath } from './cli.js';

/** The Node generated projects run on (Node 24, tests/setup/project-node.ts); the CLI runs on this machine's. */
export const projectNode = inject('projectNode');

/** Environment the generated projects' commands run in: CI, no colours, NODE_ENV=test, `node` and `npm` on Node 24. */
export const projectEnv = envWithNode(projectNode, { ...ciEnv, NODE_ENV: 'test' });

/** Runs a command to completion; throws with the end of its output when it fails. */
export function runOrThrow(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, env: { ...projectEnv, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${output.slice(-4000)}`);
  return output;
}

/**
 * Creates `<parent>/<name>` with the built CLI (the test script builds it first), as a user
 * would: npm, no git, dependencies installed from the registry unless `install` is false.
 */
export function createProject(parent: string, name: string, pluginIds: readonly string[], { install = true } = {}): string {
  const args = [cliPath, name, '--plugins', pluginIds.join(','), '--no-git', '--pm', 'npm', ...(install ? [] : ['--no-install'])];
  runOrThrow(process.execPath, args, parent);
  return path.join(parent, name);
}
