import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A formatter the project configured: we run its own binary with its own config. */
export interface Formatter {
  tool: 'biome' | 'prettier' | 'eslint';
  /** What told us the project uses it: a config file or a package.json key, relative to the project. */
  source: string;
  /** An .eslintrc* config: ESLint 9 reads it only with ESLINT_USE_FLAT_CONFIG=false. */
  legacy?: true;
}

/** A file add wrote; `original` is its content before add, absent for new files. */
export interface FileToFormat {
  path: string;
  original?: string;
}

/** What formatting did, for add to turn into notes. */
export interface FormatReport {
  ran: Formatter['tool'][];
  /** Formatters that could not run, with the command that does the same once they can. */
  skipped: { tool: Formatter['tool']; command: string; reason: string }[];
  /** Problems the tool could not fix in our files (ESLint and Biome); zero counts are left out. */
  remaining: { tool: Formatter['tool']; count: number }[];
  /** Files that existed before add, left as add wrote them because a formatter also rewrote the user's own lines. */
  keptAsWritten: string[];
}

const PRETTIER_FILES = [
  '.prettierrc',
  ...['json', 'json5', 'yaml', 'yml', 'toml', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `.prettierrc.${ext}`),
];
const CONFIGS: { tool: Formatter['tool']; files: string[]; packageKey?: string; legacy?: true }[] = [
  { tool: 'biome', files: ['biome.json', 'biome.jsonc'] },
  {
    tool: 'prettier',
    files: [...PRETTIER_FILES, ...['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `prettier.config.${ext}`)],
    packageKey: 'prettier',
  },
  { tool: 'eslint', files: ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `eslint.config.${ext}`) },
  {
    tool: 'eslint',
    files: ['.eslintrc', ...['js', 'cjs', 'yaml', 'yml', 'json'].map((ext) => `.eslintrc.${ext}`)],
    packageKey: 'eslintConfig',
    legacy: true,
  },
];

/**
 * The formatters configured for the project at `root` (or above it, up to its git repository's
 * root, as in a monorepo), formatting first and lint fixes last: biome, prettier, then eslint.
 */
export function detectFormatters(root: string): Formatter[] {
  const dirs = searchDirs(root);
  const found: Formatter[] = [];
  for (const { tool, files, packageKey, legacy } of CONFIGS) {
    if (found.some((formatter) => formatter.tool === tool)) continue;
    const source = dirs.map((dir) => configIn(dir, files, packageKey)).find(Boolean);
    if (source) found.push({ tool, source: path.relative(root, source.file) + source.key, ...(legacy ? { legacy } : {}) });
    // Prettier needs no config: a project that depends on it checks against its defaults.
    else if (tool === 'prettier' && dependsOn(root, 'prettier')) found.push({ tool, source: 'package.json dependency' });
  }
  return oneFormatter(root, found);
}

/**
 * Biome and Prettier both format, and disagree: with both configured, the one the project's
 * scripts run is its formatter. When the scripts name both or neither, both run, Biome last.
 */
function oneFormatter(root: string, found: Formatter[]): Formatter[] {
  if (!found.some((formatter) => formatter.tool === 'biome') || !found.some((formatter) => formatter.tool === 'prettier')) return found;
  const scripts = JSON.stringify(readPackageJson(root)?.['scripts'] ?? {});
  const usesBiome = /\bbiome\b/.test(scripts);
  const usesPrettier = /\bprettier\b/.test(scripts);
  if (usesBiome !== usesPrettier) return found.filter((formatter) => formatter.tool !== (usesBiome ? 'prettier' : 'biome'));
  const byTool = (tool: Formatter['tool']) => found.filter((formatter) => formatter.tool === tool);
  return [...byTool('prettier'), ...byTool('biome'), ...byTool('eslint')];
}

function searchDirs(root: string): string[] {
  const dirs = [root];
  for (let dir = root; !existsSync(path.join(dir, '.git')); ) {
    const parent = path.dirname(dir);
    // Outside a repository only the project itself counts: a stray config in /tmp or ~ is not the project's.
    if (parent === dir) return [root];
    dirs.push(parent);
    dir = parent;
  }
  return dirs;
}

function configIn(dir: string, files: string[], packageKey: string | undefined): { file: string; key: string } | undefined {
  const file = files.find((name) => existsSync(path.join(dir, name)));
  if (file) return { file: path.join(dir, file), key: '' };
  if (packageKey && readPackageJson(dir)?.[packageKey] !== undefined)
    return { file: path.join(dir, 'package.json'), key: ` "${packageKey}"` };
  return undefined;
}

function dependsOn(dir: string, name: string): boolean {
  const pkg = readPackageJson(dir);
  return [pkg?.['dependencies'], pkg?.['devDependencies']].some((deps) => typeof deps === 'object' && deps !== null && name in deps);
}

function readPackageJson(dir: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined; // Missing or broken: detectProject reports a broken package.json, not us.
  }
}

const FORMATTABLE = /\.(ts|tsx|js|mjs|cjs|json|md)$/;
const CODE = /\.(ts|tsx|js|mjs|cjs)$/;
const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb']);

/** The written files a formatter should see: code, JSON and Markdown, never lockfiles. */
export function filesToFormat<T extends FileToFormat>(changes: readonly T[]): T[] {
  return changes.filter((change) => FORMATTABLE.test(change.path) && !LOCKFILES.has(path.basename(change.path)));
}

// `machineArgs` ask for output we parse; they stay out of the command we show the user.
const COMMANDS: Record<Formatter['tool'], { bin: string; args: string[]; machineArgs: string[] }> = {
  biome: {
    bin: 'biome',
    args: ['check', '--write', '--no-errors-on-unmatched', '--files-ignore-unknown=true'],
    machineArgs: ['--reporter=json'],
  },
  prettier: { bin: 'prettier', args: ['--write', '--ignore-unknown'], machineArgs: [] },
  // Layout and problem fixes only: suggestion fixes (method-signature-style, say) can change types our code relies on.
  eslint: { bin: 'eslint', args: ['--fix', '--fix-type', 'layout,problem'], machineArgs: ['--format', 'json'] },
};

/**
 * Runs the project's own formatters, in order, on exactly `files` (relative to `root`), using
 * the binaries in its node_modules; never downloads one. Never throws for a formatter: what could
 * not run is reported with the command to run instead.
 */
export async function formatFiles(root: string, files: readonly FileToFormat[], formatters: readonly Formatter[]): Promise<FormatReport> {
  const report: FormatReport = { ran: [], skipped: [], remaining: [], keptAsWritten: [] };
  const written = new Map(
    files.filter((file) => file.original !== undefined).map((file) => [file.path, readFileSync(path.join(root, file.path), 'utf8')]),
  );
  for (const formatter of formatters) {
    // Legacy ESLint parses any file it is given as JavaScript, JSON included.
    const paths = files.map((file) => file.path).filter((file) => !formatter.legacy || CODE.test(file));
    if (paths.length > 0) await runFormatter(root, formatter, paths, report);
  }
  for (const file of files) {
    const before = written.get(file.path);
    if (before === undefined || file.original === undefined) continue;
    const after = readFileSync(path.join(root, file.path), 'utf8');
    if (after !== before && !keepsUserLines(file.original, before, after)) {
      writeFileSync(path.join(root, file.path), before);
      report.keptAsWritten.push(file.path);
    }
  }
  return report;
}

async function runFormatter(root: string, formatter: Formatter, paths: string[], report: FormatReport): Promise<void> {
  const { bin, args, machineArgs } = COMMANDS[formatter.tool];
  const env: Record<string, string> = formatter.legacy ? { ESLINT_USE_FLAT_CONFIG: 'false' } : {};
  const command = [...Object.entries(env).map(([name, value]) => `${name}=${value}`), 'npx', bin, ...args, ...paths]
    .map(shellQuote)
    .join(' ');
  const binary = searchDirs(root)
    .map((dir) => path.join(dir, 'node_modules', '.bin', bin))
    .find((file) => existsSync(file));
  if (!binary) {
    report.skipped.push({ tool: formatter.tool, command, reason: `${bin} is not installed yet` });
    return;
  }
  const { execa } = await import('execa');
  // No timeout: ESLint with type information takes minutes on a slow machine, and it ends on its own.
  const result = await execa(binary, [...args, ...machineArgs, ...paths], {
    cwd: root,
    reject: false,
    stdin: 'ignore',
    env: { ...env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const problems = result.code === undefined ? countProblems(formatter.tool, result.stdout) : undefined;
  // ESLint and Biome exit 1 when problems they cannot fix remain: that is their report, not a failure.
  if (result.exitCode === 0 || problems !== undefined) {
    report.ran.push(formatter.tool);
    if (problems) report.remaining.push({ tool: formatter.tool, count: problems });
    return;
  }
  const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-10).join('\n');
  const reason =
    result.code === 'ENOENT'
      ? `${binary} could not be started`
      : `${bin} exited with ${result.exitCode ?? result.signal}${output ? `:\n${output}` : ''}`;
  report.skipped.push({ tool: formatter.tool, command, reason });
}

/** Problems left in ESLint's or Biome's JSON report; undefined when there is no report to read. */
function countProblems(tool: Formatter['tool'], stdout: string): number | undefined {
  try {
    if (tool === 'biome') {
      const { summary } = JSON.parse(stdout) as { summary: { errors: number; warnings: number } };
      return summary.errors + summary.warnings;
    }
    if (tool !== 'eslint') return undefined;
    const results = JSON.parse(stdout) as { messages: { message: string }[] }[];
    // ESLint warns about each file it ignores; an ignored file is the project's choice, not a problem.
    return results.flatMap((result) => result.messages).filter((message) => !message.message.startsWith('File ignored')).length;
  } catch {
    return undefined;
  }
}

/**
 * True when the user's lines that add kept (lines of `original` still in `written`) are all
 * still in `formatted`, in order: the formatter only touched lines add wrote.
 */
export function keepsUserLines(original: string, written: string, formatted: string): boolean {
  const userLines = linesFound(lines(original), lines(written));
  return linesFound(userLines, lines(formatted)).length === userLines.length;
}

/** The `wanted` lines found in `within` in the same order, greedily; lines add changed are skipped. */
function linesFound(wanted: string[], within: string[]): string[] {
  const found: string[] = [];
  let at = 0;
  for (const line of wanted) {
    const index = within.indexOf(line, at);
    if (index === -1) continue;
    found.push(line);
    at = index + 1;
  }
  return found;
}

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
