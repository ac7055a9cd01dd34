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
  if (inside.exitCode === 0) return { outcome: 'skipped', reason: 'the folder is already inside a git repository' };

  const init = await git('init', '--quiet');
  if (init.failed) return { outcome: 'skipped', reason: 'git init failed' };
  await git('add', '--all');
  const commit = await git('commit', '--quiet', '--no-verify', '--message', 'Initial commit from create-provider-app');
  if (commit.failed) return { outcome: 'initialized', reason: 'no commit was made: set git user.name and user.email, then commit' };
  return { outcome: 'committed' };
}
