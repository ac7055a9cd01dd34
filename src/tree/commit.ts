import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { FileChange } from './staged-tree.js';

// Everything here is synchronous on purpose: a SIGINT is only handled between event-loop turns,
// so a signal that arrives mid-commit is seen after the commit has fully succeeded or rolled back.

/**
 * Writes a new project: every file into a temporary folder beside `target`, then one rename.
 * Either the whole project appears or nothing does.
 */
export function commitNewProject(changes: readonly FileChange[], target: string): void {
  const parent = path.dirname(target);
  const createdParents = makeParents(parent);
  let staging: string | undefined;
  try {
    staging = mkdtempSync(path.join(parent, `.${path.basename(target)}-`));
    for (const change of changes) writeInside(staging, change.path, change.content);
    // rename() cannot replace a directory, but an empty target folder is ours to take over.
    if (existsSync(target)) rmdirSync(target);
    renameSync(staging, target);
  } catch (error) {
    if (staging) rmSync(staging, { recursive: true, force: true });
    for (const dir of createdParents.reverse()) rmSync(dir, { recursive: true, force: true });
    throw new UserError(`Could not write ${target}: ${describe(error)}. Nothing was written.`, { cause: error });
  }
}

/**
 * Writes changes into an existing folder. Each file lands by rename; originals are kept in
 * memory and restored, and new files removed, if any write fails. Refuses to start when a file
 * changed on disk since it was read.
 */
export function commitChanges(changes: readonly FileChange[], root: string): void {
  preflight(changes, root);
  const done: FileChange[] = [];
  const createdDirs: string[] = [];
  try {
    for (const change of changes) {
      createdDirs.push(...makeParents(path.dirname(path.join(root, change.path))));
      replaceFile(path.join(root, change.path), change.content);
      done.push(change);
    }
  } catch (error) {
    for (const change of done.reverse()) {
      const file = path.join(root, change.path);
      if (change.original === undefined) unlinkSync(file);
      else replaceFile(file, change.original);
    }
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    throw new UserError(`Could not write ${root}: ${describe(error)}. Every file was restored.`, { cause: error });
  }
}

function preflight(changes: readonly FileChange[], root: string): void {
  const realRoot = realpathSync(root);
  for (const change of changes) {
    const file = path.join(root, change.path);
    const realParent = realpathOfExisting(path.dirname(file));
    if (realParent !== realRoot && !realParent.startsWith(realRoot + path.sep)) {
      throw new UserError(`Refusing to write ${change.path}: it resolves outside ${root}. Nothing was written.`);
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

function replaceFile(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

function writeInside(root: string, relativePath: string, content: string): void {
  const file = path.resolve(root, relativePath);
  if (!file.startsWith(root + path.sep)) throw new Error(`${relativePath} is outside the project`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Creates missing folders up to `dir`, returning the ones it created, outermost first. */
function makeParents(dir: string): string[] {
  const missing: string[] = [];
  for (let current = dir; !existsSync(current); current = path.dirname(current)) missing.unshift(current);
  if (missing.length > 0) mkdirSync(dir, { recursive: true });
  return missing;
}

/** True when `dir` is missing or has no entries. */
export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error) {
    const code = String(error.code);
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ENOSPC') return 'the disk is full';
    if (code === 'ENOTDIR') return 'a path component is a file, not a folder';
    if (code === 'EROFS') return 'the file system is read-only';
  }
  return error instanceof Error ? error.message : String(error);
}
