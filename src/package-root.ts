import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** This package's folder, found the same way from src/ (tests) and dist/src/ (published). */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'templates', 'base'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('create-provider-app is installed without its templates/ folder.');
    dir = parent;
  }
  root = dir;
  return root;
}

/** This package's version, from its package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
