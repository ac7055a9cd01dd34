import * as fs from 'node:fs';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { commitChanges } from '../../src/tree/commit.js';
import type { CommitFs } from '../../src/tree/commit-fs.js';
import { JOURNAL_FILE, recoverInterruptedCommit } from '../../src/tree/journal.js';
import type { FileChange } from '../../src/tree/staged-tree.js';
import { readTree } from '../helpers/cli.js';

const original = { 'package.json': 'original\n', 'provider-app.json': '{"plugins":[]}\n', 'src/app.ts': 'app\n' };
const changes: FileChange[] = [
  { path: 'package.json', type: 'update', content: 'new\n', original: 'original\n' },
  { path: 'provider-app.json', type: 'update', content: '{"plugins":["x"]}\n', original: '{"plugins":[]}\n' },
  { path: 'src/x/x.ts', type: 'create', content: 'x\n' },
  { path: 'src/app.ts', type: 'update', content: 'app + x\n', original: 'app\n' },
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cpa-journal-'));
  for (const [file, content] of Object.entries(original)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
});

/**
 * node:fs of a process that dies after `steps` changes to the disk: from then on nothing it
 * does reaches the disk, so its own rollback cannot run, just as after a SIGKILL.
 */
function dyingAfter(steps: number): CommitFs {
  let calls = 0;
  const dying =
    <A extends unknown[], R>(real: (...args: A) => R) =>
    (...args: A): R => {
      if (++calls > steps) throw new Error('the process is gone');
      return real(...args);
    };
  return {
    writeFileSync: dying(fs.writeFileSync),
    renameSync: dying(fs.renameSync),
    mkdirSync: dying(fs.mkdirSync) as typeof fs.mkdirSync,
    unlinkSync: dying(fs.unlinkSync),
    rmdirSync: dying(fs.rmdirSync),
    rmSync: dying(fs.rmSync),
    // Only follows a write of the same file: counting it would shift every step.
    chmodSync: fs.chmodSync,
  };
}

describe('recoverInterruptedCommit', () => {
  it('has nothing to do when no commit was interrupted', () => {
    expect(recoverInterruptedCommit(dir)).toBeUndefined();
    expect(readTree(dir)).toEqual(original);
  });

  it('puts the project back as it was, whichever step the commit died after', () => {
    let steps = 0;
    for (; ; steps++) {
      const project = mkdtempSync(path.join(tmpdir(), 'cpa-journal-crash-'));
      cpSync(dir, project, { recursive: true });
      try {
        commitChanges(changes, project, dyingAfter(steps));
        break;
      } catch {
        // Died mid-commit: what the disk holds now is whatever it managed.
      }
      const message = recoverInterruptedCommit(project);
      expect(message ?? '').toMatch(steps === 0 ? /^$/ : /was interrupted while writing/);
      expect(readTree(project)).toEqual(original);
    }
    // Journal, a folder, four temporary files, four renames, and the journal's removal.
    expect(steps).toBe(11);
  });

  it('leaves alone a file that was changed after the crash, and says so', () => {
    expect(() => commitChanges(changes, dir, dyingAfter(8))).toThrow();
    writeFileSync(path.join(dir, 'package.json'), 'edited by hand\n');
    expect(recoverInterruptedCommit(dir)).toMatch(
      /undid it \(1 file restored\)\. package\.json changed since, so they were left as they are\.$/,
    );
    expect(readTree(dir)).toEqual({ ...original, 'package.json': 'edited by hand\n' });
  });

  it('removes a journal the run did not finish writing, which means no file was touched', () => {
    writeFileSync(path.join(dir, JOURNAL_FILE), '{"intent":"add x","files":[{"pa');
    expect(recoverInterruptedCommit(dir)).toMatch(/stopped before changing any file/);
    expect(readTree(dir)).toEqual(original);
  });

  it('keeps the journal and names the files when it cannot restore them', () => {
    // Died after renaming package.json, src/x/x.ts and src/app.ts.
    expect(() => commitChanges(changes, dir, dyingAfter(9))).toThrow();
    const readOnly: CommitFs = {
      ...fs,
      writeFileSync: () => {
        throw Object.assign(new Error('EROFS'), { code: 'EROFS' });
      },
    };
    expect(() => recoverInterruptedCommit(dir, readOnly)).toThrow(
      /and package\.json, src\/app\.ts could not be restored or removed\. \.provider-app\.journal keeps the originals/,
    );
    expect(recoverInterruptedCommit(dir)).toMatch(/undid it \(2 files restored\)/);
    expect(readTree(dir)).toEqual(original);
  });
});
