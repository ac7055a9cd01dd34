import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { MANIFEST_FILE } from './base-project.js';

/** provider-app.json: what this tool generated, so add can tell pristine files from edited ones. */
export interface Manifest {
  generator: string;
  /** 'project' for projects made by create; 'existing' when add wrote into a hand-written app. */
  layout?: 'project' | 'existing';
  /** Where the plugin sources live in an existing app (e.g. src/providers). */
  sourceRoot?: string;
  plugins: string[];
  /** sha256 of every file as generated, by path. */
  files: Record<string, string>;
}

/** Reads the manifest, or undefined when the project has none. */
export function readManifest(file: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
    if (!Array.isArray(value.plugins) || typeof value.files !== 'object' || value.files === null)
      throw new Error('missing plugins or files');
    return { generator: String(value.generator ?? ''), plugins: value.plugins, files: value.files, ...pick(value) };
  } catch (error) {
    throw new UserError(
      `${MANIFEST_FILE} is damaged (${error instanceof Error ? error.message : String(error)}). Restore it from git and run the command again.`,
    );
  }
}

function pick(value: Partial<Manifest>): Pick<Manifest, 'layout' | 'sourceRoot'> {
  return { ...(value.layout ? { layout: value.layout } : {}), ...(value.sourceRoot ? { sourceRoot: value.sourceRoot } : {}) };
}

/** Serialises a manifest with sorted file entries, so it diffs cleanly. */
export function renderManifest(manifest: Manifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const { generator, layout, sourceRoot, plugins } = manifest;
  return `${JSON.stringify({ generator, layout, sourceRoot, plugins, files }, null, 2)}\n`;
}
