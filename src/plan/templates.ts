import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../package-root.js';

/** A compiled template and the project path it renders to. */
export interface Template {
  /** Path in the generated project, with `/` separators. */
  target: string;
  /** Whether it is a Handlebars template (`.hbs`); every other file is copied as it is. */
  templated: boolean;
  render(context: object): string;
}

const cache = new Map<string, Template[]>();

/**
 * The templates of one folder under templates/ (`base`, `layers/ai`, `openai` ...), compiled
 * once per process. `x.ts.hbs` renders to `x.ts`, other files are copied as they are; a leading `_` becomes `.` because npm drops
 * dotfiles such as .gitignore from published packages.
 */
export function loadTemplates(folder: string): Template[] {
  const cached = cache.get(folder);
  if (cached) return cached;
  const root = path.join(packageRoot(), 'templates', folder);
  const templates = existsSync(root) ? listFiles(root).map((file) => compile(root, file)) : [];
  cache.set(folder, templates);
  return templates;
}

function compile(root: string, file: string): Template {
  const source = readFileSync(path.join(root, file), 'utf8');
  // Only `.hbs` files are templates; the rest are plain TypeScript that editors and tsc see as such.
  const templated = file.endsWith('.hbs');
  const render = templated ? Handlebars.compile(source, { noEscape: true, strict: true }) : () => source;
  const target = file
    .split(path.sep)
    .map((segment) => segment.replace(/^_/, '.'))
    .join('/')
    .replace(/\.hbs$/, '');
  return { target, templated, render: (context) => render(context) };
}

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}
