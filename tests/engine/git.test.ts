import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { initGitRepository } from '../../src/tasks/git.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

let root: string;
beforeEach(() => {
  // realpath: git reports the repository's resolved path (macOS's /var is /private/var).
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'cpa-git-')));
  for (const name of ['GIT_AUTHOR_NAME', 'GIT_COMMITTER_NAME']) vi.stubEnv(name, 'Test');
  for (const name of ['GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_EMAIL']) vi.stubEnv(name, 'test@example.com');
});

describe('initGitRepository', () => {
  it('makes a repository of its own with an initial commit of every file', async () => {
    writeFileSync(path.join(root, 'package.json'), '{}\n');
    expect(await initGitRepository(root)).toEqual({ outcome: 'committed' });
    expect(git(root, 'rev-parse', '--show-toplevel')).toBe(root);
    expect(git(root, 'ls-files')).toBe('package.json');
  });

  it('inside an existing repository, makes none and names that repository in the reason', async () => {
    git(root, 'init', '--quiet');
    const project = path.join(root, 'my-api');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), '{}\n');

    const result = await initGitRepository(project);
    expect(result.outcome).toBe('skipped');
    expect(result.reason).toBe(
      `the folder is inside the git repository ${root}, so nothing was committed. Commit the files there, or create the project outside it to give it a repository of its own`,
    );
    expect(git(project, 'rev-parse', '--show-toplevel')).toBe(root);
    expect(git(root, 'status', '--porcelain')).toBe('?? my-api/');
  });
});
