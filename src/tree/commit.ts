import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeFsError, UserError } from '../errors.js';
import { MANIFEST_FILE } from '../plan/base-project.js';
import { type CommitFs, realFs, removeIfEmpty, writeTemporary } from './commit-fs.js';
import { hashContent, JOURNAL_FILE, type Journal, type RollBack, rollBack, writeJournal } from './journal.js';
import type { FileChange } from './staged-tree.js';

// Everything here is synchronous on purpose: a SIGINT is only handled between event-loop turns,
// so a signal that arrives mid-commit is seen after the commit has fully succeeded or rolled back.

/**
 * Writes a new project: every file into a staging folder, then into place by rename, so either
 * the whole project appears or nothing does. An existing (empty) target folder is kept rather
 * than replaced: a shell may be inside it, and its owner and mode are the user's.
 */
export function commitNewProject(changes: readonly FileChange[], target: string, files: CommitFs = realFs()): void {
  const intoExisting = existsSync(target);
  const createdParents = intoExisting ? [] : missingDirs(path.dirname(target));
  // Inside an existing target the staging folder is on the same disk, and no other folder needs to be writable.
  const staging = path.join(intoExisting ? target : path.dirname(target), `.${path.basename(target)}-${randomBytes(6).toString('hex')}`);
  const moved: string[] = [];
  try {
    for (const dir of createdParents) files.mkdirSync(dir);
    // mkdir rather than mkdtemp, whose 0700 would become the project's mode: this one follows the umask.
    files.mkdirSync(staging);
    for (const change of changes) writeInside(staging, change.path, change.content, files);
    if (intoExisting) {
      for (const entry of readdirSync(staging)) {
        files.renameSync(path.join(staging, entry), path.join(target, entry));
        moved.push(path.join(target, entry));
      }
      files.rmdirSync(staging);
    } else {
      files.renameSync(staging, target);
    }
  } catch (error) {
    // Only what this run made goes: other runs may have filled the parents it created meanwhile.
    for (const entry of [staging, ...moved]) files.rmSync(entry, { recursive: true, force: true });
    for (const dir of createdParents.reverse()) removeIfEmpty(dir, files);
    throw new UserError(`Could not write ${target}: ${describe(error)}. Nothing was written.`, { cause: error });
  }
}

/**
 * Writes changes into an existing folder, all or nothing. First a journal with the originals is
 * flushed to disk, then every new content goes to a temporary file, and only then does each land
 * by rename, the manifest last. Any failure rolls back; a crash leaves the journal, and the next
 * run undoes the commit with `recoverInterruptedCommit`. Refuses to start when a file changed on
 * disk since it was read.
 */
export function commitChanges(changes: readonly FileChange[], root: string, files: CommitFs = realFs()): void {
  preflight(changes, root);
  const ordered = [
    ...changes.filter((change) => change.path !== MANIFEST_FILE),
    ...changes.filter((change) => change.path === MANIFEST_FILE),
  ];
  const writes = ordered.map((change) => ({
    change,
    entry: {
      path: change.path,
      temporary: `${change.path}.${process.pid}.tmp`,
      original: change.original ?? null,
      mode: change.original === undefined ? null : statSync(path.join(root, change.path)).mode & 0o7777,
      written: hashContent(change.content),
    },
  }));
  const journal: Journal = {
    intent: process.argv.slice(2).join(' '),
    createdDirs: missingDirsUnder(root, ordered),
    files: writes.map(({ entry }) => entry),
  };
  try {
    writeJournal(root, journal, files);
  } catch (error) {
    try {
      files.rmSync(path.join(root, JOURNAL_FILE), { force: true });
    } catch {
      // Harmless if it stays: undoing it finds every file as it was.
    }
    throw new UserError(`Could not write ${root}: ${describe(error)}. No file was changed.`, { cause: error });
  }
  try {
    for (const dir of journal.createdDirs) files.mkdirSync(path.join(root, dir));
    for (const { change, entry } of writes) writeTemporary(files, path.join(root, entry.temporary), change.content, entry.mode);
    for (const entry of journal.files) files.renameSync(path.join(root, entry.temporary), path.join(root, entry.path));
  } catch (error) {
    throw rollBackError(root, error, rollBack(root, journal, files));
  }
  files.rmSync(path.join(root, JOURNAL_FILE), { force: true });
}

function rollBackError(root: string, error: unknown, result: RollBack): UserError {
  const reason = `Could not write ${root}: ${describe(error)}.`;
  if (result.failed.length > 0) {
    return new UserError(
      `${reason} These could not be restored or removed: ${result.failed.join(', ')}. ${JOURNAL_FILE} keeps the originals, and the next run of create-provider-app add restores them.`,
      { cause: error },
    );
  }
  const outcome = result.restored.length > 0 ? 'Every changed file was restored.' : 'No file was changed.';
  const leftAlone = result.leftAlone.length > 0 ? ` ${result.leftAlone.join(', ')} changed meanwhile, so they were left as they are.` : '';
  return new UserError(`${reason} ${outcome}${leftAlone}`, { cause: error });
}

function preflight(changes: readonly FileChange[], root: string): void {
  if (existsSync(path.join(root, JOURNAL_FILE))) {
    throw new UserError(
      `${root} holds ${JOURNAL_FILE}, left by an interrupted run. Run create-provider-app add again: it undoes that run first. Nothing was written.`,
    );
  }
  const realRoot = realpathSync(root);
  for (const change of changes) {
    const file = path.join(root, change.path);
    const realParent = realpathOfExisting(path.dirname(file));
    if (realParent !== realRoot && !realParent.startsWith(realRoot + path.sep)) {
      throw new UserError(`Refusing to write ${change.path}: it resolves outside ${root}. Nothing was written.`);
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new UserError(
        `${change.path} is a folder, but a file must be written there. Move it away and run the command again. Nothing was written.`,
      );
    }
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current !== change.original) {
      throw new UserError(`${change.path} changed on disk while this command ran. Nothing was written; run the command again.`);
    }
  }
}

function realpathOfExisting(dir: string): string {
  return existsSync(dir) ? realpathSync(dir) : path.join(realpathOfExisting(path.dirname(dir)), path.basename(dir));
}

function writeInside(root: string, relativePath: string, content: string, files: CommitFs): void {
  const file = path.resolve(root, relativePath);
  if (!file.startsWith(root + path.sep)) throw new Error(`${relativePath} is outside the project`);
  files.mkdirSync(path.dirname(file), { recursive: true });
  files.writeFileSync(file, content);
}

/** The missing folders up to `dir`, outermost first. */
function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  for (let current = dir; !existsSync(current); current = path.dirname(current)) missing.unshift(current);
  return missing;
}

/** The folders, relative to `root`, that the changes need and that do not exist yet; parents first. */
function missingDirsUnder(root: string, changes: readonly FileChange[]): string[] {
  const missing = new Set<string>();
  for (const change of changes) {
    for (let dir = path.posix.dirname(change.path); dir !== '.' && !existsSync(path.join(root, dir)); dir = path.posix.dirname(dir))
      missing.add(dir);
  }
  return [...missing].sort((a, b) => a.split('/').length - b.split('/').length);
}

/** True when `dir` is missing or has no entries. */
export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

function describe(error: unknown): string {
  return describeFsError(error) ?? (error instanceof Error ? error.message : String(error));
}
