import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { mountAt, mountLine, importLine } from '../edits/mount-in-app.js';
import { parse } from '../edits/register-plugins.js';
import { detectStyle } from '../edits/source-style.js';
import { UserError } from '../errors.js';
import type { ReadOriginal, StagedTree } from '../tree/staged-tree.js';
import type { ProjectInfo } from './detect-project.js';
import { findMountSite, type SourceText } from './app-site.js';

const SOURCE_FILE = /\.(c|m)?(t|j)s$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.git', 'providers', 'test', 'tests', '__tests__', '__test__', '__tests']);
const IMPORT_NAME = 'providerRoutes';

/**
 * Registers `providerRoutes()` on the project's Express app, wherever it is assembled (see
 * findMountSite). Returns a sentence saying where, or undefined when it was already mounted.
 * Without a safe place nothing is written, and the message gives the lines to add by hand.
 */
export function mountProviderRoutes(tree: StagedTree, project: ProjectInfo, sources: readonly SourceText[], adapterFile: string): string | undefined {
  if (sources.some((source) => new RegExp(`\\b${IMPORT_NAME}\\(\\)`).test(source.text))) return undefined;
  const site = findMountSite(sources);
  if (!site) {
    const sample = sources.find((source) => /['"]express['"]/.test(source.text)) ?? { path: path.posix.join(project.sourceRoot, 'app.ts'), text: '' };
    const style = detectStyle(sample.text);
    const mount = { specifier: importSpecifier(sample.path, adapterFile, project.importExtension), importName: IMPORT_NAME };
    throw new UserError(
      `No Express app found (looked for \`express()\` and for functions taking an Express app). Nothing was written. Add these lines where you set up the app, ahead of its body parsers and routes, then run the command again:\n  ${importLine(parse(sample.text, sample.path), mount, style)}\n  ${mountLine('app', mount, style)}`,
    );
  }
  const mount = { specifier: importSpecifier(site.file, adapterFile, project.importExtension), importName: IMPORT_NAME };
  tree.write(site.file, mountAt(tree.read(site.file) ?? '', site, mount));
  return `The routes are mounted in ${site.file}, ${site.reason} (\`${mountLine(site.receiver, mount, detectStyle(site.source.getFullText()))}\`).`;
}

/** `./providers/index.js` (ESM under nodenext) or `./providers` (CommonJS, bundlers), relative to `from`. */
function importSpecifier(from: string, adapterFile: string, extension: '.js' | ''): string {
  const target = extension === '.js' ? adapterFile.replace(/\.ts$/, '.js') : adapterFile.replace(/\/index\.ts$/, '');
  const relative = path.posix.relative(path.posix.dirname(from), target);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** The project's own source files with their text, tests and build output left out. */
export function readSources(read: ReadOriginal, root: string): SourceText[] {
  return listSources(root, '').map((file) => ({ path: file, text: read(file) ?? '' }));
}

function listSources(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  return readdirSync(absolute).flatMap((entry) => {
    const relative = dir ? `${dir}/${entry}` : entry;
    if (statSync(path.join(absolute, entry)).isDirectory()) return SKIPPED_DIRS.has(entry) || entry.startsWith('.') ? [] : listSources(root, relative);
    return SOURCE_FILE.test(entry) && !entry.endsWith('.d.ts') && !/\.(test|spec|config)\./.test(entry) ? [relative] : [];
  });
}
