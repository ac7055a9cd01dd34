import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SourceText } from './app-site.js';

/** The env files of a project: the committed template we extend, and the file the app reads. */
export interface EnvFiles {
  /** Where the plugins' variables are documented: the project's own template, else `.env.example`. */
  template: string;
  /** The file a developer puts values in, as the app loads it (`.env` unless the project says otherwise). */
  loaded: string;
}

// Committed templates, most common first; `.env.example` is also what we create when there is none.
const TEMPLATES = ['.env.example', '.env.sample', '.env-sample', '.env.template', '.env.dist', '.env.default', '.env.defaults', '.env.local.example'];

/** Reads the project's choices off its files, its scripts (`--env-file`) and its dotenv calls. */
export function detectEnvFiles(root: string, scripts: Record<string, unknown>, dependencies: Record<string, unknown>, sources: readonly SourceText[]): EnvFiles {
  const template = TEMPLATES.find((file) => existsSync(path.join(root, file))) ?? '.env.example';
  return { template, loaded: loadedEnvFile(root, scripts, dependencies, sources) };
}

function loadedEnvFile(root: string, scripts: Record<string, unknown>, dependencies: Record<string, unknown>, sources: readonly SourceText[]): string {
  for (const script of Object.values(scripts)) {
    const flag = typeof script === 'string' ? /--env-file(?:-if-exists)?[= ](\S+)/.exec(script)?.[1] : undefined;
    if (flag) return flag.replace(/^\.\//, '');
  }
  for (const source of sources) {
    // The first dotenv call decides: `config()` reads .env, `config({ path: '.env.local' })` that file.
    const call = /\b(?:dotenv\.)?config\(\s*(\{[^)]*\})?\s*\)/.exec(source.text);
    if (!call || !/dotenv/.test(source.text)) continue;
    const file = call[1] ? /path\s*:\s*[^'"`]*['"`]([^'"`]*\.env[^'"`]*)['"`]/.exec(call[1])?.[1] : undefined;
    return file ? path.posix.basename(file) : '.env';
  }
  // dotenv-flow reads .env.local (and .env.<NODE_ENV>.local) over .env: local secrets go there.
  if ('dotenv-flow' in dependencies) return existsSync(path.join(root, '.env.development.local')) ? '.env.development.local' : '.env.local';
  return ['.env.development.local', '.env.local'].find((file) => existsSync(path.join(root, file))) ?? '.env';
}
