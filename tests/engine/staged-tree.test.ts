import { describe, expect, it } from 'vitest';
import { StagedTree } from '../../src/tree/staged-tree.js';

const disk: Record<string, string> = { 'package.json': '{}\n', 'src/app.ts': 'app\n' };
const tree = () => new StagedTree((path) => disk[path]);

describe('StagedTree', () => {
  it('stages a new file as a create', () => {
    const staged = tree();
    staged.write('src/new.ts', 'new\n');
    expect(staged.changes()).toEqual([{ path: 'src/new.ts', type: 'create', content: 'new\n' }]);
  });

  it('reads through to the project until a file is written', () => {
    const staged = tree();
    expect(staged.read('src/app.ts')).toBe('app\n');
    staged.write('src/app.ts', 'changed\n');
    expect(staged.read('src/app.ts')).toBe('changed\n');
    expect(staged.read('missing.ts')).toBeUndefined();
  });

  it('records an update with the original content', () => {
    const staged = tree();
    staged.write('package.json', '{ "a": 1 }\n');
    expect(staged.changes()).toEqual([{ path: 'package.json', type: 'update', content: '{ "a": 1 }\n', original: '{}\n' }]);
  });

  it('treats writing the bytes already on disk as no change, even after another write', () => {
    const staged = tree();
    staged.write('src/app.ts', 'changed\n');
    staged.write('src/app.ts', 'app\n');
    expect(staged.changes()).toEqual([]);
  });

  it('runs edits against the current content; an idempotent edit changes nothing the second time', () => {
    const staged = tree();
    const appendOnce = (content: string | undefined) => (content?.includes('extra') ? content : `${content ?? ''}extra\n`);
    staged.edit('src/app.ts', appendOnce);
    staged.edit('src/app.ts', appendOnce);
    expect(staged.read('src/app.ts')).toBe('app\nextra\n');
  });

  it('lists changes sorted by path', () => {
    const staged = tree();
    for (const path of ['src/z.ts', 'README.md', 'src/a.ts']) staged.write(path, path);
    expect(staged.changes().map((change) => change.path)).toEqual(['README.md', 'src/a.ts', 'src/z.ts']);
  });

  it.each(['../outside.ts', '/etc/passwd', 'src/../../x'])('refuses the path %s outside the project', (path) => {
    expect(() => tree().write(path, 'x')).toThrow(/outside the project/);
  });
});
