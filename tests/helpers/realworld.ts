import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
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
  /**
   * For apps that cannot start without a database: the built module that creates the app, and its
   * export (an app, or a factory called with no arguments), loaded in-process without the server
   * file. `envFile` loads CORPUS.json's env_file first (the app reads its config when created).
   */
  builtApp?: { module: string; export: string; envFile?: boolean };
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
  // index.ts awaits mongoose.connect() before listening; createApp() itself needs only its env (logger settings).
  'alexandermac-express-starter': { builtApp: { module: 'build/src/express.js', export: 'createApp', envFile: true } },
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
  // server.ts listens only after MongoDB connects; src/app.ts exports the app.
  'sidhantpanda-docker-express-typescript-boilerplate': { builtApp: { module: 'dist/app.js', export: 'default' } },
};

export interface RealworldRepo {
  name: string;
  dir: string;
  corpus: Corpus;
  /** The project's own checks that passed at baseline, in the order to run them. */
  checks: { step: Step; command: string }[];
  /** How to start it, when CORPUS.json says it started at baseline (without a database). */
  start: RepoFacts['start'] | undefined;
  /** Otherwise, the built app to load in-process, when there is one. */
  builtApp: RepoFacts['builtApp'] | undefined;
}

/** Every corpus repository with the facts the test needs; empty when the corpus is absent. */
export function realworldRepos(): RealworldRepo[] {
  if (!existsSync(corpusRoot)) return [];
  const names = readdirSync(corpusRoot)
    .filter((name) => existsSync(path.join(corpusRoot, name, 'CORPUS.json')))
    .sort();
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
    if (start && !corpus.baseline.start?.includes(start.command))
      throw new Error(`${name}: "${start.command}" is not in CORPUS.json's baseline.start "${corpus.baseline.start}".`);
    return { name, dir, corpus, checks, start, builtApp: start ? undefined : repoFacts.builtApp };
  });
}

/**
 * The environment the projects' own commands run in: no provider keys, nothing vitest sets for its
 * own workers (VITEST_*, NODE_ENV=test would change how the projects' tests and apps behave), no
 * npm lifecycle variables from our own `npm test`. Installs share the npm cache (`--prefer-offline`)
 * and skip audit/fund, also inside `add`'s own install, which reads npm's config from the environment.
 * The user agent is what `npx create-provider-app` sets: the package manager that ran the CLI.
 */
/** The server token the apps run with: the routes add brings are private, and the probe calls them as their operator. */
export const API_TOKEN = 'realworld-api-token-0123456789abcdefghij';

export function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|TEST$|NODE_ENV$|npm_|OPENAI_|STRIPE_|AWS_|S3_|PORT$|APP_PORT$)/i.test(key)) continue;
    env[key] = value;
  }
  const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    ...env,
    API_TOKEN,
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
  const result = spawnSync('sh', ['-c', `${command} 2>&1`], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return { command, exitCode: result.status, output: result.stdout + result.stderr, ms: Date.now() - started };
}

/** The CLI under test: the built one, or REALWORLD_CLI (e.g. a copy of bin/dist/templates that a parallel rebuild cannot remove mid-run). */
const cli = process.env['REALWORLD_CLI'] ? path.resolve(process.env['REALWORLD_CLI']) : cliPath;

/** Runs the built CLI as `npx create-provider-app <args>` would. */
export function runAdd(args: string[], cwd: string): Ran {
  const started = Date.now();
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    env: projectEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    command: `create-provider-app ${args.join(' ')}`,
    exitCode: result.status,
    output: `${result.stdout}${result.stderr}`,
    ms: Date.now() - started,
  };
}

/** The last `lines` lines of `text`. */
export function tail(text: string, lines = 60): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? [`… (${all.length - lines} lines above)`] : []).concat(all.slice(-lines)).join('\n');
}

/**
 * The lines of a long output that say what went wrong (compiler errors, failed suites, npm errors),
 * for outputs whose tail is a coverage table or a summary; empty when the whole output fits in the tail.
 */
export function errorLines(text: string, max = 30): string {
  const lines = text.trimEnd().split('\n');
  if (lines.length <= 60) return '';
  const picked = [...new Set(lines.filter((line) => /error|\bFAIL\b|✕|×|●|ERR!|Cannot find|not assignable|does not exist/i.test(line)))];
  if (picked.length === 0) return '';
  return [
    `--- lines that name errors (${Math.min(picked.length, max)} of ${picked.length})`,
    ...picked.slice(0, max),
    '--- output tail',
  ].join('\n');
}

/** What a failure shows: the command, its exit code, its error lines and output tail, and what changed in the copy. */
export function describeRun(ran: Ran, cwd: string): string {
  const output = stripVTControlCharacters(ran.output);
  return [
    `$ ${ran.command}   (exit ${ran.exitCode}, ${(ran.ms / 1000).toFixed(1)} s, in ${cwd})`,
    errorLines(output),
    tail(output),
    '',
    changes(cwd),
  ]
    .filter(Boolean)
    .join('\n');
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

function makeWritable(dir: string): void {
  chmodSync(dir, statSync(dir).mode | 0o200);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(file);
    else if (entry.isFile()) chmodSync(file, statSync(file).mode | 0o200);
  }
}

/** The permission bits of every file `snapshotTree` reads. */
export function snapshotModes(root: string): Map<string, number> {
  return new Map([...snapshotTree(root).keys()].map((file) => [file, statSync(path.join(root, file)).mode & 0o777]));
}

/** Pre-existing files whose permission bits changed (an atomic replace must keep the user's mode). */
export function filesThatChangedMode(before: Map<string, number>, root: string): string[] {
  const problems: string[] = [];
  for (const [file, mode] of before) {
    const now = existsSync(path.join(root, file)) ? statSync(path.join(root, file)).mode & 0o777 : undefined;
    if (now !== undefined && now !== mode) problems.push(`${file}: mode ${mode.toString(8)} became ${now.toString(8)}`);
  }
  return problems;
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

const lockfiles = new Set([
  'package.json',
  'package-lock.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lockb',
  'bun.lock',
  'npm-shrinkwrap.json',
]);

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
  // The corpus is read-only on disk; a clone is not: owner-writable, execute bits as upstream.
  makeWritable(dir);
  const git = (args: string[]) => {
    const result = spawnSync(
      'git',
      ['-c', 'user.name=corpus', '-c', 'user.email=corpus@example.invalid', '-c', 'commit.gpgsign=false', ...args],
      { cwd: dir, encoding: 'utf8' },
    );
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
  const result = spawnSync(
    'git',
    [
      'grep',
      '-n',
      '-C',
      '3',
      ...(ownFilesOnly ? [] : ['--untracked']),
      '-e',
      'providerRoutes',
      '--',
      '*.ts',
      '*.mts',
      '*.cts',
      '*.js',
      ':!node_modules',
      ':!dist',
      ':!build',
    ],
    { cwd: root, encoding: 'utf8' },
  );
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
  const exit = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    }),
  );
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
    // nodemon (alexivan's `npm run dev`) outlives a crashed app, waiting for file changes.
    if (exited === undefined && /app crashed - waiting for file changes/.test(output)) {
      await stop();
      throw new Error(
        `$ ${start.portVar}=${port} ${start.command}: the app crashed before answering:\n${tail(stripVTControlCharacters(output))}`,
      );
    }
    if (exited !== undefined)
      throw new Error(
        `$ ${start.portVar}=${port} ${start.command} exited with ${exited} before answering:\n${tail(stripVTControlCharacters(output))}`,
      );
    try {
      await fetch(url + probePath, { signal: AbortSignal.timeout(5_000) });
      return { url, output: () => stripVTControlCharacters(output), stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `$ ${start.portVar}=${port} ${start.command}: nothing answered at ${url}${probePath} within ${timeoutMs / 1000} s:\n${tail(stripVTControlCharacters(output))}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Loads the built app module in a child node process (no server file, so no database), listens on
 * a free port, requests `probePath` once, and returns the answer, or what went wrong.
 */
export function requestBuiltApp(
  repo: RealworldRepo,
  cwd: string,
  probePath: string,
): { status?: number; body?: string; output: string; exitCode: number | null } {
  const built = repo.builtApp;
  if (!built) throw new Error(`${repo.name} has no built app to load`);
  const script = `
    import { pathToFileURL } from 'node:url';
    ${built.envFile && repo.corpus.env_file !== 'none' ? `process.loadEnvFile(${JSON.stringify(repo.corpus.env_file)});` : ''}
    const mod = await import(pathToFileURL(${JSON.stringify(path.join(cwd, built.module))}).href);
    const name = ${JSON.stringify(built.export)};
    const found = [mod[name], mod.default?.[name], name === 'default' ? mod.default : undefined].find((value) => typeof value === 'function');
    if (!found) throw new Error('no function export ' + name + ' in ${built.module}');
    const app = typeof found.listen === 'function' ? found : await found();
    const server = app.listen(0, '127.0.0.1', async () => {
      const response = await fetch('http://127.0.0.1:' + server.address().port + ${JSON.stringify(probePath)}, { headers: { authorization: 'Bearer ${API_TOKEN}' } });
      console.log('RESULT ' + JSON.stringify({ status: response.status, body: await response.text() }));
      process.exit(0);
    });`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    env: projectEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = stripVTControlCharacters(`${result.stdout}${result.stderr}`);
  const line = output.split('\n').find((text) => text.startsWith('RESULT '));
  const answer = line ? (JSON.parse(line.slice('RESULT '.length)) as { status: number; body: string }) : {};
  return { ...answer, output, exitCode: result.status };
}
