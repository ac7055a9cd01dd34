import { sha256 } from '../plan/plan-project.js';
import type { FileChange } from './staged-tree.js';

/** A file change as data, for `--json`. */
export interface FileSummary {
  path: string;
  action: 'create' | 'update';
  sha256: string;
  bytes: number;
}

/** The changes as `--json` reports them. */
export function summarizeChanges(changes: readonly FileChange[]): FileSummary[] {
  return changes.map((change) => ({
    path: change.path,
    action: change.type,
    sha256: sha256(change.content),
    bytes: Buffer.byteLength(change.content),
  }));
}

/** One line per change: `create src/app.ts`. */
export function describeChanges(changes: readonly FileChange[]): string[] {
  return changes.map((change) => `${change.type.padEnd(6)} ${change.path}`);
}
