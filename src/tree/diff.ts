import { createPatch } from 'diff';
import type { FileChange } from './staged-tree.js';

/** A unified diff of one change, as `--diff` prints it. */
export function diffChange(change: FileChange): string {
  return createPatch(change.path, change.original ?? '', change.content, undefined, undefined, { context: 3 });
}
