import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { importLine, mountAt, mountLine } from '../edits/mount-in-app.js';
import { parse } from '../edits/register-plugins.js';
import { detectStyle } from '../edits/source-style.js';
import { UserError } from '../errors.js';
import type { ReadOriginal, StagedTree } from '../tree/staged-tree.js';
import { findMountSite, type SourceText } from './app-site.js';
import { ATTACH_CALL, attachAt, attachHint, findServer, specifierFrom } from './attach-upgrades.js';
import type { ProjectInfo } from './detect-project.js';

const SOURCE_FILE = /\.(c|m)?(t|j)s$/;
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'coverage',
  '.git',
  'providers',
  'test',
  'tests',
  '__tests__',
  '__test__',
  '__tests',
]);
const IMPORT_NAME = 'providerRoutes';

/**
 * Registers `providerRoutes()` on the project's Express app, wherever it is assembled (see
 * findMountSite). Returns a sentence saying where, or undefined when it was already mounted.
 * Without a safe place nothing is written, and the message gives the lines to add by hand.
 */
export function mountProviderRoutes(
  tree: StagedTree,
  project: ProjectInfo,
  sources: readonly SourceText[],
  adapterFile: string,
): string | undefined {
  if (sources.some((source) => new RegExp(`\\b${IMPORT_NAME}\\(\\)`).test(source.text))) return undefined;
  const site = findMountSite(sources);
  if (!site) {
    const sample = sources.find((source) => /['"]express['"]/.test(source.text)) ?? {
      path: path.posix.join(project.sourceRoot, 'app.ts'),
      text: '',
    };
    const style = detectStyle(sample.text);
    const mount = { specifier: specifierFrom(sample.path, adapterFile, project.importExtension), importName: IMPORT_NAME };
    throw new UserError(
      `No Express app found (looked for \`express()\` and for functions taking an Express app). Nothing was written. Add these lines where you set up the app, ahead of its body parsers and routes, then run the command again:\n  ${importLine(parse(sample.text, sample.path), mount, style)}\n  ${mountLine('app', mount, style)}`,
    );
  }
  const mount = { specifier: specifierFrom(site.file, adapterFile, suffixOf(project, site.source.getFullText())), importName: IMPORT_NAME };
  tree.write(site.file, mountAt(tree.read(site.file) ?? '', site, mount));
  return `The routes are mounted in ${site.file}, ${site.reason} (\`${mountLine(site.receiver, mount, detectStyle(site.source.getFullText()))}\`).`;
}

/**
 * Hands the app's WebSocket upgrades to the plugins (`attachProviderUpgrades(server)` after the
 * server is made) when one of them streams. Returns a note: where, or how to do it by hand.
 */
export function attachUpgrades(
  tree: StagedTree,
  project: ProjectInfo,
  sources: readonly SourceText[],
  adapterFile: string,
): string | undefined {
  if (sources.some((source) => ATTACH_CALL.test(source.text))) return undefined;
  const site = findServer(sources);
  if (!site) return attachHint(specifierFrom(path.posix.join(project.sourceRoot, 'server.ts'), adapterFile, project.importExtension));
  const text = tree.read(site.file) ?? '';
  tree.write(site.file, attachAt(text, site, specifierFrom(site.file, adapterFile, suffixOf(project, text))));
  return `WebSocket endpoints are attached to \`${site.name}\` in ${site.file}.`;
}

/**
 * The suffix the new import takes: `.js` where the project needs it, and where the file writes
 * its own relative imports with it anyway (a CommonJS file importing './api/index.js').
 */
function suffixOf(project: ProjectInfo, text: string): '.js' | '' {
  return project.importExtension === '.js' || writesJsSuffixes([text]) ? '.js' : '';
}

/** Whether most relative imports in these texts name the compiled file: `from './api/index.js'`. */
export function writesJsSuffixes(texts: readonly string[]): boolean {
  const relative = texts.flatMap((text) =>
    [...text.matchAll(/(?:from\s*|require\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1] ?? ''),
  );
  const suffixed = relative.filter((specifier) => specifier.endsWith('.js')).length;
  return relative.length > 0 && suffixed * 2 > relative.length;
}

/** The project's own source files with their text, tests and build output left out. */
export function readSources(read: ReadOriginal, root: string): SourceText[] {
  return listSources(root, '').map((file) => ({ path: file, text: read(file) ?? '' }));
}

function listSources(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  return readdirSync(absolute).flatMap((entry) => {
    const relative = dir ? `${dir}/${entry}` : entry;
    if (statSync(path.join(absolute, entry)).isDirectory())
      return SKIPPED_DIRS.has(entry) || entry.startsWith('.') ? [] : listSources(root, relative);
    return SOURCE_FILE.test(entry) && !entry.endsWith('.d.ts') && !/\.(test|spec|config)\./.test(entry) ? [relative] : [];
  });
}
