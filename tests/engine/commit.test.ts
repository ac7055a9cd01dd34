import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { commitChanges, commitNewProject } from '../../src/tree/commit.js';
import type { FileChange } from '../../src/tree/staged-tree.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cpa-commit-'));
});

const create = (file: string, content = file): FileChange => ({ path: file, type: 'create', content });

describe('commitNewProject', () => {
  it('writes every file and leaves no staging folder behind', () => {
    const target = path.join(dir, 'nested', 'my-api');
    commitNewProject([create('package.json'), create('src/app.ts')], target);
    expect(readFileSync(path.join(target, 'src/app.ts'), 'utf8')).toBe('src/app.ts');
    expect(readdirSync(path.join(dir, 'nested'))).toEqual(['my-api']);
  });

  it('takes over an existing empty folder', () => {
    const target = path.join(dir, 'my-api');
    mkdirSync(target);
    commitNewProject([create('a.txt')], target);
    expect(readdirSync(target)).toEqual(['a.txt']);
  });

  it('leaves nothing at all when a write fails, not even the parents it created', () => {
    const target = path.join(dir, 'new-parent', 'my-api');
    // "a" is written as a file, so "a/b" cannot be created.
    expect(() => commitNewProject([create('a'), create('a/b')], target)).toThrow(UserError);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('commitChanges', () => {
  beforeEach(() => {
    writeFileSync(path.join(dir, 'package.json'), 'original\n');
  });

  it('creates and updates files', () => {
    commitChanges([{ path: 'package.json', type: 'update', content: 'new\n', original: 'original\n' }, create('src/x.ts')], dir);
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('new\n');
    expect(readFileSync(path.join(dir, 'src/x.ts'), 'utf8')).toBe('src/x.ts');
  });

  it('restores every original and removes new files when a later write fails', () => {
    writeFileSync(path.join(dir, 'blocker'), 'a file, not a folder');
    const changes: FileChange[] = [
      { path: 'package.json', type: 'update', content: 'new\n', original: 'original\n' },
      create('src/x.ts'),
      create('blocker/y.ts'),
    ];
    expect(() => commitChanges(changes, dir)).toThrow(/Every file was restored/);
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('original\n');
    expect(existsSync(path.join(dir, 'src'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'package.json']);
  });

  it('writes nothing when a file changed on disk since it was read', () => {
    const changes: FileChange[] = [create('src/x.ts'), { path: 'package.json', type: 'update', content: 'new\n', original: 'stale\n' }];
    expect(() => commitChanges(changes, dir)).toThrow('package.json changed on disk while this command ran');
    expect(existsSync(path.join(dir, 'src'))).toBe(false);
  });

  it('refuses to write through a symlink that leads outside the project', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'cpa-outside-'));
    symlinkSync(outside, path.join(dir, 'linked'));
    expect(() => commitChanges([create('linked/evil.ts')], dir)).toThrow(/resolves outside/);
    expect(readdirSync(outside)).toEqual([]);
  });
});
