import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { type CommitFs, realFs, removeIfEmpty, writeTemporary } from './commit-fs.js';

/** Beside the manifest while a commit runs: what it changes, with the originals, so a crash can be undone. */
export const JOURNAL_FILE = '.provider-app.journal';

/** What a commit is about to do. Paths are relative to the project root. */
export interface Journal {
  /** The command that started the commit, for the message that undoes it. */
  intent: string;
  /** Folders the commit creates, outermost first. */
  createdDirs: string[];
  files: JournalEntry[];
}

export interface JournalEntry {
  path: string;
  /** Where the new content is written before it is renamed over `path`. */
  temporary: string;
  /** The content before the commit; null for a new file. */
  original: string | null;
  /** The permission bits of the file replaced; null for a new file. */
  mode?: number | null;
  /** sha256 of the new content: a file that has it is ours to undo, any other content is the user's. */
  written: string;
}

/** What a rollback did, by relative path. */
export interface RollBack {
  restored: string[];
  /** Changed by someone else after the commit wrote them: kept as they are. */
  leftAlone: string[];
  /** Could not be restored or removed; the journal is kept for them. */
  failed: string[];
}

export function hashContent(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Writes the journal and flushes it to disk, refusing to replace one that is there. */
export function writeJournal(root: string, journal: Journal, files: CommitFs): void {
  files.writeFileSync(path.join(root, JOURNAL_FILE), JSON.stringify(journal), { flag: 'wx', flush: true });
}

/**
 * Undoes a commit from its journal. Temporary files go first, since a full disk may need their
 * space for the restores. A file still holding what the commit wrote gets its original back (a
 * new one is removed); the folders the commit created are removed while empty. The journal is
 * removed only when everything was undone, because it holds the originals.
 */
export function rollBack(root: string, journal: Journal, files: CommitFs): RollBack {
  const result: RollBack = { restored: [], leftAlone: [], failed: [] };
  for (const entry of journal.files) {
    try {
      files.rmSync(path.join(root, entry.temporary), { force: true });
    } catch {
      result.failed.push(entry.temporary);
    }
  }
  for (const entry of journal.files) {
    const file = path.join(root, entry.path);
    const current = readIfFile(file);
    if (current === (entry.original ?? undefined)) continue;
    if (current === undefined || hashContent(current) !== entry.written) {
      result.leftAlone.push(entry.path);
      continue;
    }
    try {
      restore(file, entry, path.join(root, entry.temporary), files);
      result.restored.push(entry.path);
    } catch {
      result.failed.push(entry.path);
    }
  }
  for (const dir of [...journal.createdDirs].reverse()) removeIfEmpty(path.join(root, dir), files);
  if (result.failed.length === 0) files.rmSync(path.join(root, JOURNAL_FILE), { force: true });
  return result;
}

/**
 * Undoes a commit that a crash (or a kill) interrupted in `root`, if there is one. Returns one
 * line saying what was undone; throws when an original could not be put back.
 */
export function recoverInterruptedCommit(root: string, files: CommitFs = realFs()): string | undefined {
  const file = path.join(root, JOURNAL_FILE);
  if (!existsSync(file)) return undefined;
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch {
    // The journal is flushed before the commit touches anything else, so an unreadable one
    // means the run died while writing it, with every project file as it was.
    files.rmSync(file, { force: true });
    return `Removed ${JOURNAL_FILE}, left by an earlier run that stopped before changing any file.`;
  }
  const result = rollBack(root, journal, files);
  const earlier = `An earlier run${journal.intent ? ` (create-provider-app ${journal.intent})` : ''} was interrupted while writing ${root}`;
  if (result.failed.length > 0) {
    throw new UserError(
      `${earlier}, and ${result.failed.join(', ')} could not be restored or removed. ${JOURNAL_FILE} keeps the originals: fix the cause (disk space, permissions) and run the command again.`,
    );
  }
  const restored = result.restored.length;
  const undone =
    restored === 0 ? 'it had not changed any file yet' : `undid it (${restored} ${restored === 1 ? 'file' : 'files'} restored)`;
  const leftAlone = result.leftAlone.length > 0 ? ` ${result.leftAlone.join(', ')} changed since, so they were left as they are.` : '';
  return `${earlier}: ${undone}.${leftAlone}`;
}

function restore(file: string, entry: JournalEntry, temporary: string, files: CommitFs): void {
  if (entry.original === null) {
    files.unlinkSync(file);
    return;
  }
  try {
    writeTemporary(files, temporary, entry.original, entry.mode);
    files.renameSync(temporary, file);
  } catch (error) {
    files.rmSync(temporary, { force: true });
    throw error;
  }
}

function readIfFile(file: string): string | undefined {
  return existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
}
