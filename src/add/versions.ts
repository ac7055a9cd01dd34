import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/** The version of a package the project runs: installed in node_modules, else pinned by its npm or yarn lockfile. */
export function presentVersion(root: string, name: string): string | undefined {
  return installedVersion(root, name) ?? lockedVersion(root, name);
}

/** The version in node_modules, when the project is installed. */
function installedVersion(root: string, name: string): string | undefined {
  const file = path.join(root, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
  return typeof version === 'string' ? version : undefined;
}

function lockedVersion(root: string, name: string): string | undefined {
  const npmLock = path.join(root, 'package-lock.json');
  if (existsSync(npmLock)) {
    const lock = JSON.parse(readFileSync(npmLock, 'utf8')) as { packages?: Record<string, { version?: string }> };
    return lock.packages?.[`node_modules/${name}`]?.version;
  }
  const yarnLock = path.join(root, 'yarn.lock');
  if (existsSync(yarnLock)) {
    // yarn v1: `"@types/node@*", "@types/node@>=12":\n  version "16.18.0"`; the highest locked version is what gets hoisted.
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const versions = [
      ...readFileSync(yarnLock, 'utf8').matchAll(new RegExp(`^"?${escaped}@[^\\n]*:\\n\\s+version:? "?([^"\\n]+)"?`, 'gm')),
    ].map((match) => match[1] ?? '');
    return versions.filter((version) => semver.valid(version)).sort(semver.rcompare)[0];
  }
  return undefined;
}
