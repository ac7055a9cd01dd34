import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { parsePackageJson } from '../edits/package-json.js';
import { UserError } from '../errors.js';
import { MANIFEST_FILE } from '../plan/base-project.js';
import { type Manifest, readManifest } from '../plan/manifest.js';
import { type PackageManager, packageManagers } from '../plan/package-manager.js';
import { defaultImportsBreak, needsJsExtension, readTsconfig, type Tsconfig } from './tsconfig.js';
import type { ProjectTypescript } from './typescript.js';
import { presentVersion } from './versions.js';

/** What `add` needs to know about the project it edits. */
export interface ProjectInfo {
  root: string;
  packageJson: string;
  /** The package manager named by package.json's `packageManager` or the lockfile, else npm. */
  pm: PackageManager;
  /** Where `pm` came from, for messages: `pnpm-lock.yaml`, `packageManager in package.json`, `default`. */
  pmSource: string;
  /** Its compiler: declared range, the version it runs, and whether library types are checked. */
  typescript: ProjectTypescript;
  /** '.js' when relative imports must name the compiled file (ESM under node16/nodenext); '' otherwise. */
  importExtension: '.js' | '';
  /** CommonJS output without esModuleInterop: default imports of CommonJS packages must be `import x = require()`. */
  defaultImportsBreak: boolean;
  /** Folder of the TypeScript sources, relative to root ('src', 'server', '.'). */
  sourceRoot: string;
  /** Present when create-provider-app generated or extended this project. */
  manifest?: Manifest;
}

const LOCKFILES: [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
];

/** Reads the project at `root`; throws a UserError naming what is missing when add cannot work there. */
export function detectProject(root: string): ProjectInfo {
  const packageFile = path.join(root, 'package.json');
  if (!existsSync(packageFile)) {
    throw new UserError(`No package.json in ${root}. Run this inside your project, or pass --cwd <project folder>.`);
  }
  const packageJson = readFileSync(packageFile, 'utf8');
  const pkg = parsePackageJson(packageJson);
  const expressRange = pkg.dependencies?.['express'] ?? pkg.devDependencies?.['express'];
  if (!expressRange) {
    const packages = workspacePackages(root, pkg);
    if (packages.length > 0) {
      throw new UserError(`${root} is a workspace root. Run add inside one of its packages, or pass --cwd: ${packages.join(', ')}.`);
    }
    throw new UserError(
      `This project does not depend on express, so there is no app to add routes to. To start a new one: create-provider-app <dir>.`,
    );
  }

  // The plugins' code runs on Express 4.17+ and 5; older majors are not ours to upgrade.
  const express = rangeFloor(expressRange);
  if (express && semver.lt(express, MIN_EXPRESS)) {
    throw new UserError(
      `This project uses express ${expressRange}; the plugins need Express ${MIN_EXPRESS} or later (4.x or 5.x). Upgrade express first (npm install express@4), then run add again.`,
    );
  }
  const tsconfig = readTsconfig(root);
  const manifest = readManifest(path.join(root, MANIFEST_FILE));
  return {
    root,
    packageJson,
    ...packageManagerOf(root, pkg['packageManager']),
    typescript: projectTypescript(root, pkg.devDependencies?.['typescript'] ?? pkg.dependencies?.['typescript'], tsconfig),
    importExtension: needsJsExtension(pkg['type'], tsconfig.compilerOptions) ? '.js' : '',
    defaultImportsBreak: defaultImportsBreak(pkg['type'], tsconfig.compilerOptions),
    sourceRoot: manifest?.sourceRoot ?? sourceRootOf(root, tsconfig),
    ...(manifest ? { manifest } : {}),
  };
}

const MIN_EXPRESS = '4.17.0';

function packageManagerOf(root: string, declared: unknown): { pm: PackageManager; pmSource: string } {
  const named = typeof declared === 'string' ? packageManagers.find((pm) => declared.startsWith(`${pm}@`)) : undefined;
  if (named) return { pm: named, pmSource: 'packageManager in package.json' };
  const lockfile = LOCKFILES.find(([file]) => existsSync(path.join(root, file)));
  return lockfile ? { pm: lockfile[1], pmSource: lockfile[0] } : { pm: 'npm', pmSource: 'default' };
}

function projectTypescript(root: string, range: string | undefined, tsconfig: Tsconfig): ProjectTypescript {
  const version = presentVersion(root, 'typescript') ?? rangeFloor(range);
  const skipLibCheck = tsconfig.complete ? tsconfig.compilerOptions.skipLibCheck === true : undefined;
  return { ...(range ? { range } : {}), ...(version ? { version } : {}), ...(skipLibCheck === undefined ? {} : { skipLibCheck }) };
}

function rangeFloor(range: string | undefined): string | undefined {
  if (!range) return undefined;
  try {
    return semver.minVersion(range)?.version;
  } catch {
    return undefined;
  }
}

function sourceRootOf(root: string, tsconfig: Tsconfig): string {
  // `rootDir: "."` says where output paths start, not where the sources are: include tells that.
  const rootDir = tsconfig.compilerOptions.rootDir ? path.normalize(tsconfig.compilerOptions.rootDir).replace(/\/$/, '') : '.';
  if (rootDir !== '.') return rootDir;
  const included = tsconfig.include
    ?.map((pattern) => pattern.replace(/^\.\//, '').split('/')[0] ?? '')
    .find((dir) => dir && dir !== '.' && !dir.includes('*') && isDir(path.join(root, dir)));
  if (included) return included;
  return ['src', 'server', 'app'].find((dir) => isDir(path.join(root, dir))) ?? '.';
}

function workspacePackages(root: string, pkg: Record<string, unknown>): string[] {
  const declared = pkg['workspaces'];
  const patterns = Array.isArray(declared) ? declared : (declared as { packages?: unknown } | undefined)?.packages;
  const pnpm = path.join(root, 'pnpm-workspace.yaml');
  const pnpmPatterns = existsSync(pnpm)
    ? [...readFileSync(pnpm, 'utf8').matchAll(/^\s*-\s*['"]?([^'"\n]+)['"]?\s*$/gm)].map((match) => match[1] ?? '')
    : [];
  const all = [...(Array.isArray(patterns) ? patterns : []), ...pnpmPatterns].filter(
    (pattern): pattern is string => typeof pattern === 'string',
  );
  return all.flatMap((pattern) => expandPattern(root, pattern)).sort();
}

// Workspace globs are almost always "dir/*" or a plain path; that is all this expands.
function expandPattern(root: string, pattern: string): string[] {
  if (pattern.endsWith('/*')) {
    const parent = pattern.slice(0, -2);
    const dir = path.join(root, parent);
    if (!isDir(dir)) return [];
    return readdirSync(dir)
      .filter((entry) => existsSync(path.join(dir, entry, 'package.json')))
      .map((entry) => `${parent}/${entry}`);
  }
  return existsSync(path.join(root, pattern, 'package.json')) ? [pattern] : [];
}

function isDir(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}
