export type GitOutcome = 'committed' | 'initialized' | 'skipped';

/**
 * Initialises a repository with an initial commit. Skipped when git is missing or the folder
 * already belongs to a repository; without a git identity the repository is left uncommitted.
 */
export async function initGitRepository(cwd: string): Promise<{ outcome: GitOutcome; reason?: string }> {
  const { execa } = await import('execa');
  const git = (...args: string[]) => execa('git', args, { cwd, reject: false, stdin: 'ignore' });

  const inside = await git('rev-parse', '--is-inside-work-tree');
  if (inside.code === 'ENOENT') return { outcome: 'skipped', reason: 'git is not installed' };
  // A repository nested in another is easy to miss and confuses tools, so the outer one keeps
  // the files; the reason names it, as the user may have expected a repository of the project's own.
  if (inside.exitCode === 0) {
    const root = (await git('rev-parse', '--show-toplevel')).stdout.trim();
    const where = root ? `the git repository ${root}` : 'a git repository';
    return {
      outcome: 'skipped',
      reason: `the folder is inside ${where}, so nothing was committed. Commit the files there, or create the project outside it to give it a repository of its own`,
    };
  }

  const init = await git('init', '--quiet');
  if (init.failed) return { outcome: 'skipped', reason: 'git init failed' };
  await git('add', '--all');
  const commit = await git('commit', '--quiet', '--no-verify', '--message', 'Initial commit from create-provider-app');
  if (commit.failed) return { outcome: 'initialized', reason: 'no commit was made: set git user.name and user.email, then commit' };
  return { outcome: 'committed' };
}
