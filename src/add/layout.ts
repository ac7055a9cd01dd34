import path from 'node:path';

/**
 * Where generated files go. A project made by create takes them as generated; an existing app
 * gets the plugin sources under `<sourceRoot>/providers/`, its own files untouched.
 */
export type Layout = { kind: 'project' } | { kind: 'existing'; sourceRoot: string };

/** The generated app, its middleware, its server and its API contract: an existing app has its own. */
export const APP_FILES: readonly string[] = ['src/api-reference.ts', 'src/app.ts', 'src/middleware.ts', 'src/openapi.ts', 'src/server.ts'];

/** Maps a generated path to its place in the project, or undefined when add does not write it. */
export function relocate(file: string, layout: Layout): string | undefined {
  if (layout.kind === 'project') {
    // Root files other than the README (package.json, .env.example, the manifest) are edited, not written.
    return file.startsWith('src/') || file.startsWith('tests/') || file === 'README.md' ? file : undefined;
  }
  // The app, its server and its tests are the user's own; only plugin sources and their support code are added.
  if (!file.startsWith('src/') || APP_FILES.includes(file)) return undefined;
  return path.posix.join(layout.sourceRoot, 'providers', file.slice('src/'.length));
}
