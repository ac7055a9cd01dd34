import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { mountInApp } from '../edits/mount-in-app.js';
import { UserError } from '../errors.js';
import type { StagedTree } from '../tree/staged-tree.js';
import type { ProjectInfo } from './detect-project.js';

const SOURCE_FILE = /\.(c|m)?(t|j)s$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', '.git', 'coverage', 'providers']);
const PREFERRED_NAMES = ['app', 'server', 'index', 'main'];

/** The source file that creates the Express app (relative to the project root), found by a cheap text scan. */
export function findAppFile(project: ProjectInfo): string | undefined {
  const candidates = listSources(project.root, project.sourceRoot).filter((file) => {
    const text = readFileSync(path.join(project.root, file), 'utf8');
    return /['"]express['"]/.test(text) && /\bexpress\s*\(\s*\)/.test(text);
  });
  const rank = (file: string) => {
    const index = PREFERRED_NAMES.indexOf(path.basename(file).replace(SOURCE_FILE, ''));
    return index === -1 ? PREFERRED_NAMES.length : index;
  };
  return candidates.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0];
}

/**
 * Adds `import { providerRoutes } ...` and `app.use(providerRoutes())` to the app file. Without a
 * safe place for them nothing is written, and the message gives the two lines to add by hand.
 */
export function mountProviderRoutes(tree: StagedTree, project: ProjectInfo, appFile: string | undefined, adapterFile: string): void {
  const specifier = importSpecifier(appFile ?? path.posix.join(project.sourceRoot, 'app.ts'), adapterFile, project.importExtension);
  const byHand = `  import { providerRoutes } from '${specifier}';\n  app.use(providerRoutes()); // after your other app.use(...) lines`;
  if (!appFile) {
    throw new UserError(`No Express app found under ${project.sourceRoot}/ (looked for a file calling express()). Nothing was written. Add these lines where you create the app, then run the command again:\n${byHand}`);
  }
  const result = mountInApp(tree.read(appFile) ?? '', appFile, { specifier, importName: 'providerRoutes' });
  if (result.status === 'no-anchor') {
    throw new UserError(`Could not find where to mount the routes in ${appFile}: ${result.reason}. Nothing was written. Add these lines by hand, then run the command again:\n${byHand}`);
  }
  if (result.status === 'mounted') tree.write(appFile, result.text);
}

/** `./providers/index.js` (ESM under nodenext) or `./providers` (CommonJS, bundlers), relative to `from`. */
function importSpecifier(from: string, adapterFile: string, extension: '.js' | ''): string {
  const target = extension === '.js' ? adapterFile.replace(/\.ts$/, '.js') : adapterFile.replace(/\/index\.ts$/, '');
  const relative = path.posix.relative(path.posix.dirname(from), target);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function listSources(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  return readdirSync(absolute).flatMap((entry) => {
    const relative = path.posix.join(dir, entry);
    if (statSync(path.join(absolute, entry)).isDirectory()) return SKIPPED_DIRS.has(entry) ? [] : listSources(root, relative);
    return SOURCE_FILE.test(entry) && !entry.endsWith('.d.ts') && !/\.(test|spec)\./.test(entry) ? [relative] : [];
  });
}
