import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { commitChanges, commitNewProject } from '../../src/tree/commit.js';
import type { CommitFs } from '../../src/tree/commit-fs.js';
import { JOURNAL_FILE, recoverInterruptedCommit } from '../../src/tree/journal.js';
import type { FileChange } from '../../src/tree/staged-tree.js';
import { readTree } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cpa-commit-'));
});

const create = (file: string, content = file): FileChange => ({ path: file, type: 'create', content });

const diskFull = () => Object.assign(new Error('ENOSPC: no space left on device (injected)'), { code: 'ENOSPC' });

/** node:fs whose writes, renames and mkdirs fail with ENOSPC at call `from`, and at every call after it when `persistent`. */
function failingFs(from: number, persistent = false, beforeFailing = () => {}): CommitFs {
  let calls = 0;
  const failing =
    <A extends unknown[], R>(real: (...args: A) => R) =>
    (...args: A): R => {
      calls++;
      if (calls === from || (persistent && calls > from)) {
        beforeFailing();
        throw diskFull();
      }
      return real(...args);
    };
  return {
    ...fs,
    writeFileSync: failing(fs.writeFileSync),
    renameSync: failing(fs.renameSync),
    mkdirSync: failing(fs.mkdirSync) as typeof fs.mkdirSync,
  };
}

describe('commitNewProject', () => {
  it('writes every file and leaves no staging folder behind', () => {
    const target = path.join(dir, 'nested', 'my-api');
    commitNewProject([create('package.json'), create('src/app.ts')], target);
    expect(readFileSync(path.join(target, 'src/app.ts'), 'utf8')).toBe('src/app.ts');
    expect(readdirSync(path.join(dir, 'nested'))).toEqual(['my-api']);
  });

  it('writes into an existing empty folder in place: same folder, same mode', () => {
    const target = path.join(dir, 'my-api');
    mkdirSync(target, { mode: 0o750 });
    const before = statSync(target);
    commitNewProject([create('a.txt'), create('src/b.ts')], target);
    expect(readdirSync(target).sort()).toEqual(['a.txt', 'src']);
    expect(statSync(target).ino).toBe(before.ino);
    expect(statSync(target).mode).toBe(before.mode);
  });

  it('gives a new project folder the mode the umask allows, not 0700', () => {
    const target = path.join(dir, 'my-api');
    commitNewProject([create('a.txt')], target);
    expect(statSync(target).mode & 0o777).toBe(0o777 & ~process.umask());
  });

  it('leaves nothing at all when a write fails, not even the parents it created', () => {
    const target = path.join(dir, 'new-parent', 'my-api');
    // "a" is written as a file, so "a/b" cannot be created.
    expect(() => commitNewProject([create('a'), create('a/b')], target)).toThrow(UserError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps a parent it created once another project has appeared in it', () => {
    const target = path.join(dir, 'new-parent', 'my-api');
    const sibling = path.join(dir, 'new-parent', 'other-api');
    // Another run finishes its project next door while this one is writing, then the disk fills up.
    const files = failingFs(4, false, () => {
      mkdirSync(sibling);
      writeFileSync(path.join(sibling, 'package.json'), '{}');
    });
    expect(() => commitNewProject([create('package.json'), create('src/app.ts')], target, files)).toThrow(
      'the disk is full. Nothing was written.',
    );
    expect(readdirSync(path.join(dir, 'new-parent'))).toEqual(['other-api']);
    expect(readFileSync(path.join(sibling, 'package.json'), 'utf8')).toBe('{}');
  });

  it('leaves an existing empty target empty when moving into it fails', () => {
    const target = path.join(dir, 'my-api');
    mkdirSync(target);
    // Calls: mkdir staging, mkdir staging/src, 2 writes, then the moves into the target.
    expect(() => commitNewProject([create('a.txt'), create('src/b.ts')], target, failingFs(6))).toThrow(UserError);
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('commitChanges', () => {
  const original = { 'package.json': 'original\n', 'provider-app.json': '{"plugins":[]}\n', 'src/app.ts': 'app\n' };
  const changes: FileChange[] = [
    { path: 'package.json', type: 'update', content: 'new\n', original: 'original\n' },
    { path: 'provider-app.json', type: 'update', content: '{"plugins":["x"]}\n', original: '{"plugins":[]}\n' },
    create('src/app/x.ts'),
    { path: 'src/app.ts', type: 'update', content: 'app + x\n', original: 'app\n' },
  ];

  beforeEach(() => {
    for (const [file, content] of Object.entries(original)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
  });

  it('creates and updates files, and removes its journal', () => {
    commitChanges(changes, dir);
    expect(readTree(dir)).toEqual({
      'package.json': 'new\n',
      'provider-app.json': '{"plugins":["x"]}\n',
      'src/app.ts': 'app + x\n',
      'src/app/x.ts': 'src/app/x.ts',
    });
  });

  it('keeps the permission bits of the files it replaces, on commit and on rollback', () => {
    fs.chmodSync(path.join(dir, 'src/app.ts'), 0o755);
    fs.chmodSync(path.join(dir, 'package.json'), 0o600);
    commitChanges(changes, dir);
    expect(statSync(path.join(dir, 'src/app.ts')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(dir, 'package.json')).mode & 0o777).toBe(0o600);

    const back: FileChange[] = [{ path: 'src/app.ts', type: 'update', content: 'again\n', original: 'app + x\n' }, create('src/late.ts')];
    // The second write (the new file's temporary) fails: the replaced file is restored with its mode.
    expect(() => commitChanges(back, dir, failingFs(4))).toThrow(UserError);
    expect(readFileSync(path.join(dir, 'src/app.ts'), 'utf8')).toBe('app + x\n');
    expect(statSync(path.join(dir, 'src/app.ts')).mode & 0o777).toBe(0o755);
  });

  it('renames the manifest last, so a manifest never names files that are not there', () => {
    const renamed: string[] = [];
    const files: CommitFs = {
      ...fs,
      renameSync: (from, to) => {
        renamed.push(path.relative(dir, String(to)));
        fs.renameSync(from, to);
      },
    };
    commitChanges(changes, dir, files);
    expect(renamed.at(-1)).toBe('provider-app.json');
    expect(renamed).toHaveLength(changes.length);
  });

  it('leaves the project byte for byte as it was, with no temporary file, whichever write or rename fails', () => {
    const messages = new Set<string>();
    for (let failAt = 1; ; failAt++) {
      const attempt = mkdtempSync(path.join(tmpdir(), 'cpa-commit-fail-'));
      fs.cpSync(dir, attempt, { recursive: true });
      let error: unknown;
      try {
        commitChanges(changes, attempt, failingFs(failAt));
      } catch (caught) {
        error = caught;
      }
      if (!error) break;
      expect(error).toBeInstanceOf(UserError);
      expect(readTree(attempt)).toEqual(original);
      messages.add(String((error as Error).message).replace(/^.*full\. /, ''));
    }
    // Failures before the first rename change nothing; later ones are undone.
    expect(messages).toEqual(new Set(['No file was changed.', 'Every changed file was restored.']));
  });

  it('names the files it could not restore, and keeps the journal so a later run restores them', () => {
    // The disk fills up at the second rename and stays full, so restoring package.json fails too.
    // Calls: journal, mkdir src/app, 4 temporary files, renames of package.json and of src/app.ts.
    expect(() => commitChanges(changes, dir, failingFs(8, true))).toThrow(
      `Could not write ${dir}: the disk is full. These could not be restored or removed: package.json. ${JOURNAL_FILE} keeps the originals, and the next run of create-provider-app add restores them.`,
    );
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('new\n');
    expect(existsSync(path.join(dir, JOURNAL_FILE))).toBe(true);

    expect(recoverInterruptedCommit(dir)).toMatch(/was interrupted while writing .*: undid it \(1 file restored\)\.$/);
    expect(readTree(dir)).toEqual(original);
  });

  it('writes nothing while an interrupted commit has left its journal', () => {
    writeFileSync(path.join(dir, JOURNAL_FILE), '{}');
    expect(() => commitChanges(changes, dir)).toThrow(`${dir} holds ${JOURNAL_FILE}, left by an interrupted run.`);
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('original\n');
  });

  it('refuses with a clear message when a folder stands where a file must be written', () => {
    mkdirSync(path.join(dir, 'src/app/x.ts'), { recursive: true });
    expect(() => commitChanges(changes, dir)).toThrow('src/app/x.ts is a folder, but a file must be written there.');
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('original\n');
  });

  it('writes nothing when a file changed on disk since it was read', () => {
    const stale: FileChange[] = [create('src/x.ts'), { path: 'package.json', type: 'update', content: 'new\n', original: 'stale\n' }];
    expect(() => commitChanges(stale, dir)).toThrow('package.json changed on disk while this command ran');
    expect(readTree(dir)).toEqual(original);
  });

  it('refuses to write through a symlink that leads outside the project', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'cpa-outside-'));
    symlinkSync(outside, path.join(dir, 'linked'));
    expect(() => commitChanges([create('linked/evil.ts')], dir)).toThrow(/resolves outside/);
    expect(readdirSync(outside)).toEqual([]);
  });
});
