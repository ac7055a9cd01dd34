import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath } from './cli.js';
import { freePort } from './net.js';

/**
 * The real-world corpus (issue 8): unmodified public Express + TypeScript repositories, each with
 * a CORPUS.json giving its baseline commands and results. Tests only ever work on copies.
 */
export const corpusRoot = path.resolve(process.env['REALWORLD_DIR'] ?? path.join(import.meta.dirname, '../../../shared/realworld'));

/** The part of CORPUS.json the test reads. */
export interface Corpus {
  repo: string;
  express: string;
  env_file: string;
  baseline: { install: string; typecheck: string | null; build: string | null; test: string | null; start: string | null };
  results: { install: string; typecheck: string; build: string; test: string; start: string };
  notes: string;
}

type Step = 'typecheck' | 'build' | 'test';

/**
 * What CORPUS.json says only in prose: how to start each app on a chosen port, and the order of
 * its checks. `start.command` must appear verbatim in CORPUS.json's `baseline.start` (checked),
 * so the table cannot drift from the corpus; everything else (commands, which steps passed at
 * baseline, whether it starts without a database) is read from CORPUS.json at test time.
 */
interface RepoFacts {
  /** Order of the project's own checks (w3cj: tests before build, see its notes). */
  order?: Step[];
  /** Commands that replace a CORPUS.json baseline command that cannot run here (none today). */
  commands?: Partial<Record<Step, string>>;
  start?: {
    /** Run before starting, e.g. copying the env template to .env (`npm start` needs it). */
    prepare?: string;
    command: string;
    /** The environment variable the app reads its port from. */
    portVar: string;
  };
}

const facts: Record<string, RepoFacts> = {
  'w3cj-express-api-starter-ts': {
    // tsconfig includes test/**, so a build first would leave dist/test/*.test.js for vitest to pick up.
    order: ['typecheck', 'test', 'build'],
    start: { prepare: 'cp .env.sample .env', command: 'npm start', portVar: 'PORT' },
  },
  'alexandermac-express-starter': {},
  'firmanjs-express-template-typescript': {
    // `npm start` is `yarn build && node ./build/server.js`; yarn is absent, the build step ran already.
    start: { command: 'node build/server.js', portVar: 'APP_PORT' },
  },
  'luismsuarez-express-esm-template': {
    // dotenv-flow loads the committed .env (PORT=3000) but does not override a PORT already set.
    start: { command: 'npm start', portVar: 'PORT' },
  },
  'alexivan-typescript-express-esm-starter': {
    start: { command: 'npm run dev', portVar: 'PORT' },
  },
  'sidhantpanda-docker-express-typescript-boilerplate': {},
};

export interface RealworldRepo {
  name: string;
  dir: string;
  corpus: Corpus;
  /** The project's own checks that passed at baseline, in the order to run them. */
  checks: { step: Step; command: string }[];
  /** How to start it, when CORPUS.json says it started at baseline (without a database). */
  start: RepoFacts['start'] | undefined;
}

/** Every corpus repository with the facts the test needs; empty when the corpus is absent. */
export function realworldRepos(): RealworldRepo[] {
  if (!existsSync(corpusRoot)) return [];
  const names = readdirSync(corpusRoot).filter((name) => existsSync(path.join(corpusRoot, name, 'CORPUS.json'))).sort();
  return names.map((name) => {
    const dir = path.join(corpusRoot, name);
    const corpus = JSON.parse(readFileSync(path.join(dir, 'CORPUS.json'), 'utf8')) as Corpus;
    const repoFacts = facts[name];
    if (!repoFacts) throw new Error(`tests/helpers/realworld.ts has no facts for the corpus repository ${name}: add a row.`);
    const passed = (result: string | undefined) => result !== undefined && /^ok\b/.test(result);
    const checks = (repoFacts.order ?? (['typecheck', 'build', 'test'] as Step[]))
      .map((step) => ({ step, command: repoFacts.commands?.[step] ?? corpus.baseline[step] }))
      .filter((check): check is { step: Step; command: string } => check.command !== null && passed(corpus.results[check.step]));
    const start = passed(corpus.results.start) ? repoFacts.start : undefined;
    if (passed(corpus.results.start) && !start) throw new Error(`${name} started at baseline: give its start command and port variable.`);
    if (start && !corpus.baseline.start?.includes(start.command)) throw new Error(`${name}: "${start.command}" is not in CORPUS.json's baseline.start "${corpus.baseline.start}".`);
    return { name, dir, corpus, checks, start };
  });
}

/**
 * The environment the projects' own commands run in: no provider keys, nothing vitest sets for its
 * own workers (VITEST_*, NODE_ENV=test would change how the projects' tests and apps behave), no
 * npm lifecycle variables from our own `npm test`. Installs share the npm cache (`--prefer-offline`)
 * and skip audit/fund, also inside `add`'s own install, which reads npm's config from the environment.
 * The user agent is what `npx create-provider-app` sets: the package manager that ran the CLI.
 */
export function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|TEST$|NODE_ENV$|npm_|OPENAI_|STRIPE_|AWS_|S3_|PORT$|APP_PORT$)/i.test(key)) continue;
    env[key] = value;
  }
  const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    ...env,
    CI: 'true',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    npm_config_user_agent: `npm/${npmVersion} node/${process.version} ${process.platform} ${process.arch} workspaces/false`,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

export interface Ran {
  command: string;
  exitCode: number | null;
  output: string;
  ms: number;
}

/** Runs a shell command line in `cwd` and returns its exit code and interleaved output. */
export function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = projectEnv()): Ran {
  const started = Date.now();
  const result = spawnSync('sh', ['-c', `${command} 2>&1`], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { command, exitCode: result.status, output: result.stdout + result.stderr, ms: Date.now() - started };
}

/** The CLI under test: the built one, or REALWORLD_CLI (e.g. a copy of bin/dist/templates that a parallel rebuild cannot remove mid-run). */
const cli = process.env['REALWORLD_CLI'] ? path.resolve(process.env['REALWORLD_CLI']) : cliPath;

/** Runs the built CLI as `npx create-provider-app <args>` would. */
export function runAdd(args: string[], cwd: string): Ran {
  const started = Date.now();
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, env: projectEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { command: `create-provider-app ${args.join(' ')}`, exitCode: result.status, output: `${result.stdout}${result.stderr}`, ms: Date.now() - started };
}

/** The last `lines` lines of `text`. */
export function tail(text: string, lines = 60): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? [`… (${all.length - lines} lines above)`] : []).concat(all.slice(-lines)).join('\n');
}

/** What a failure shows: the command, its exit code, the tail of its output, and what changed in the copy. */
export function describeRun(ran: Ran, cwd: string): string {
  return [`$ ${ran.command}   (exit ${ran.exitCode}, ${(ran.ms / 1000).toFixed(1)} s, in ${cwd})`, tail(ran.output), '', changes(cwd)].join('\n');
}

/** `git diff --stat` and new files of the copy against the corpus commit. */
export function changes(cwd: string): string {
  const git = (args: string[]) => spawnSync('git', ['-c', 'core.quotepath=off', ...args], { cwd, encoding: 'utf8' }).stdout.trimEnd();
  const untracked = git(['ls-files', '--others', '--exclude-standard'])
    .split('\n')
    .filter((file) => file && !isGenerated(file));
  return [
    '--- git diff --stat (against the corpus copy)',
    git(['diff', '--stat=160']) || '(no tracked file changed)',
    `--- new files (${untracked.length})`,
    untracked.slice(0, 40).join('\n') + (untracked.length > 40 ? `\n… and ${untracked.length - 40} more` : ''),
  ].join('\n');
}

const skippedDirs = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);
const isGenerated = (file: string) => file.split('/').some((part) => skippedDirs.has(part));

/** Every file under `root` (bytes as latin1, so any file compares exactly), without installs, builds, coverage or .git. */
export function snapshotTree(root: string, dir = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(path.join(root, dir)).sort()) {
    if (skippedDirs.has(entry)) continue;
    const relative = dir ? `${dir}/${entry}` : entry;
    const stat = statSync(path.join(root, relative));
    if (stat.isDirectory()) for (const [file, content] of snapshotTree(root, relative)) files.set(file, content);
    else if (stat.isFile()) files.set(relative, readFileSync(path.join(root, relative), 'latin1'));
  }
  return files;
}

/** Files added, removed or changed between two snapshots. */
export function treeDifferences(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [file, content] of after) {
    if (!before.has(file)) out.push(`+ ${file}`);
    else if (before.get(file) !== content) out.push(`M ${file}`);
  }
  for (const file of before.keys()) if (!after.has(file)) out.push(`- ${file}`);
  return out;
}

const lockfiles = new Set(['package.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'bun.lock', 'npm-shrinkwrap.json']);

/**
 * Pre-existing files that did more than gain lines: for each file of `before` except package.json
 * and lockfiles, its lines must be a subsequence of the new file's lines. Returns one message per
 * offending file, naming the first old line that is gone.
 */
export function filesThatLostLines(before: Map<string, string>, after: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, old] of before) {
    if (lockfiles.has(path.basename(file))) continue;
    const now = after.get(file);
    if (now === undefined) {
      problems.push(`${file}: deleted`);
      continue;
    }
    if (now === old) continue;
    const oldLines = old.split('\n');
    const newLines = now.split('\n');
    let j = 0;
    for (let i = 0; i < oldLines.length; i++) {
      while (j < newLines.length && newLines[j] !== oldLines[i]) j++;
      if (j === newLines.length) {
        problems.push(`${file}: old line ${i + 1} ${JSON.stringify(oldLines[i])} is changed, moved or gone`);
        break;
      }
      j++;
    }
  }
  return problems;
}

/** Copies a corpus repository into a fresh temp folder and commits it there, so `git diff` shows what add did. */
export function copyToTemp(repo: RealworldRepo): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cpa-realworld-')), repo.name);
  cpSync(repo.dir, dir, { recursive: true });
  const git = (args: string[]) => {
    const result = spawnSync('git', ['-c', 'user.name=corpus', '-c', 'user.email=corpus@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${dir}:\n${result.stderr}`);
  };
  git(['init', '-q', '-b', 'main']);
  // -f: firmanjs's own .gitignore lists its committed yarn.lock.
  git(['add', '-A', '-f']);
  git(['commit', '-q', '--no-verify', '-m', `corpus copy of ${repo.corpus.repo}`]);
  return dir;
}

/**
 * Where `providerRoutes` appears in the project's sources, with a few lines around each, for failure
 * messages; `ownFilesOnly` leaves out the files add created (only the user's files that import and mount it).
 */
export function mountSites(root: string, ownFilesOnly = false): string {
  const result = spawnSync('git', ['grep', '-n', '-C', '3', ...(ownFilesOnly ? [] : ['--untracked']), '-e', 'providerRoutes', '--', '*.ts', '*.mts', '*.cts', '*.js', ':!node_modules', ':!dist', ':!build'], { cwd: root, encoding: 'utf8' });
  return result.stdout.trim() || '(providerRoutes appears in no source file)';
}

export interface Started {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the app its own way on a free port (in its own process group, so the whole tree can be
 * killed) and waits, by polling, until `probePath` answers anything or the process exits.
 */
export async function startApp(repo: RealworldRepo, cwd: string, probePath: string, timeoutMs = 180_000): Promise<Started> {
  const start = repo.start;
  if (!start) throw new Error(`${repo.name} does not start without a database`);
  const port = await freePort();
  const env = projectEnv({ [start.portVar]: String(port) });
  if (start.prepare) {
    const prepared = sh(start.prepare, cwd, env);
    if (prepared.exitCode !== 0) throw new Error(`start preparation failed:\n${describeRun(prepared, cwd)}`);
  }
  const child = spawn('sh', ['-c', `exec ${start.command}`], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) => child.on('exit', (code, signal) => ((exited = code ?? signal), resolve())));
  const stop = async () => {
    if (exited !== undefined) return;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
    kill('SIGKILL'); // grandchildren (nodemon's node, npm's sh) that outlived the group leader
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) throw new Error(`$ ${start.portVar}=${port} ${start.command} exited with ${exited} before answering:\n${tail(output)}`);
    try {
      await fetch(url + probePath, { signal: AbortSignal.timeout(5_000) });
      return { url, output: () => output, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`$ ${start.portVar}=${port} ${start.command}: nothing answered at ${url}${probePath} within ${timeoutMs / 1000} s:\n${tail(output)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
