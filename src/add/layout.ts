import path from 'node:path';
import { sha256 } from '../plan/plan-project.js';

/**
 * Where generated files go. A project made by create takes them as generated; an existing app
 * gets the plugin sources under `<sourceRoot>/providers/`, its own files untouched.
 */
export type Layout = { kind: 'project' } | { kind: 'existing'; sourceRoot: string };

/** The generated app, its middleware, its server and its API contract: an existing app has its own. */
export const APP_FILES: readonly string[] = ['src/api-reference.ts', 'src/app.ts', 'src/middleware.ts', 'src/openapi.ts', 'src/server.ts'];

/**
 * Whether add keeps the status page's files (public/health-ui/, src/health-ui.ts) in the project:
 * only a project made by create has it, for as long as its src/app.ts mounts it or is ours to
 * update. A project whose owner took the line out does not get the files back.
 */
export function keepsStatusPage(layout: Layout, app: string | undefined, recordedHash: string | undefined): boolean {
  if (layout.kind === 'existing') return false;
  return app === undefined || app.includes('healthUi()') || recordedHash === sha256(app);
}

/** Maps a generated path to its place in the project, or undefined when add does not write it. */
export function relocate(file: string, layout: Layout): string | undefined {
  if (layout.kind === 'project') {
    // Root files other than the README (package.json, .env.example, the manifest) are edited, not written.
    return ['src/', 'tests/', 'public/'].some((folder) => file.startsWith(folder)) || file === 'README.md' ? file : undefined;
  }
  // The app, its server and its tests are the user's own; only plugin sources and their support code are added.
  if (!file.startsWith('src/') || APP_FILES.includes(file)) return undefined;
  return path.posix.join(layout.sourceRoot, 'providers', file.slice('src/'.length));
}
