import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SourceText } from './app-site.js';

/** The env files of a project: the committed template we extend, and the file the app reads. */
export interface EnvFiles {
  /** Where the plugins' variables are documented: the project's own template, else `.env.example`. */
  template: string;
  /**
   * Where a developer puts values, as the app reads them: a file (`.env` unless the project says
   * otherwise), or `the environment` when nothing in the app loads an env file.
   */
  loaded: string;
}

// Committed templates, most common first; `.env.example` is also what we create when there is none.
const TEMPLATES = [
  '.env.example',
  '.env.sample',
  '.env-sample',
  '.env.template',
  '.env.dist',
  '.env.default',
  '.env.defaults',
  '.env.local.example',
];

/** Reads the project's choices off its files, its scripts (`--env-file`) and its dotenv calls. */
export function detectEnvFiles(
  root: string,
  scripts: Record<string, unknown>,
  dependencies: Record<string, unknown>,
  sources: readonly SourceText[],
): EnvFiles {
  const template = TEMPLATES.find((file) => existsSync(path.join(root, file))) ?? '.env.example';
  return { template, loaded: loadedEnvFile(root, scripts, dependencies, sources) };
}

/** What messages say when the app loads no env file: `Set it in the environment and restart.` */
export const NO_ENV_FILE = 'the environment';

function loadedEnvFile(
  root: string,
  scripts: Record<string, unknown>,
  dependencies: Record<string, unknown>,
  sources: readonly SourceText[],
): string {
  for (const script of Object.values(scripts)) {
    const flag = typeof script === 'string' ? /--env-file(?:-if-exists)?[= ](\S+)/.exec(script)?.[1] : undefined;
    if (flag) return envFileName(flag) ?? '.env';
  }
  for (const source of sources) {
    if (/['"]dotenv\/config['"]/.test(source.text)) return '.env';
    // The first dotenv call decides: `config()` reads .env, `config({ path: '.env.local' })` that file.
    const call = /\b(?:dotenv\.)?config\(\s*(\{[^)]*\})?\s*\)/.exec(source.text);
    if (!call || !/dotenv/.test(source.text)) continue;
    // `path: '.env.local'`, `path: resolve(__dirname, '../.env')`, or a template literal.
    const file = call[1]
      ? (/path\s*:\s*`([^`]*)`/.exec(call[1]) ?? /path\s*:[^'"]*['"]([^'"]*\.env[^'"]*)['"]/.exec(call[1]))?.[1]
      : undefined;
    return (file && envFileName(file)) ?? '.env';
  }
  // dotenv-flow reads .env.local (and .env.<NODE_ENV>.local) over .env: local secrets go there.
  if ('dotenv-flow' in dependencies) return existsSync(path.join(root, '.env.development.local')) ? '.env.development.local' : '.env.local';
  const local = ['.env.development.local', '.env.local'].find((file) => existsSync(path.join(root, file)));
  if (local) return local;
  // dotenv preloaded by a script (`node -r dotenv/config`, dotenv-cli, env-cmd) reads .env.
  const loads =
    'dotenv' in dependencies || Object.values(scripts).some((script) => typeof script === 'string' && /dotenv|env-cmd/.test(script));
  return loads ? '.env' : NO_ENV_FILE;
}

/**
 * The file name in a path as written: `.env.${process.env.NODE_ENV || 'development'}.local` reads
 * `.env.development.local` (the fallback), and anything not a plain file name is not guessed.
 */
function envFileName(written: string): string | undefined {
  const resolved = written.replace(/\$\{[^}]*\|\|\s*['"]([\w.-]+)['"]\s*\}/g, '$1');
  const name = path.posix.basename(resolved.replace(/^\.\//, ''));
  return /^[\w.-]+$/.test(name) ? name : undefined;
}
