import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, modify, type ParseError, parse as parseJsonc } from 'jsonc-parser';
import { UserError } from '../errors.js';

/** The compiler options add writes code for. */
export interface CompilerOptions {
  module?: string;
  moduleResolution?: string;
  rootDir?: string;
  skipLibCheck?: boolean;
  esModuleInterop?: boolean;
  target?: string;
}

/** A project's tsconfig.json with the options of the configs it extends folded in. */
export interface Tsconfig {
  compilerOptions: CompilerOptions;
  include?: string[];
  /** False when a config it extends could not be found: its options are then partly unknown. */
  complete: boolean;
}

/** Reads `<root>/tsconfig.json`, following `extends` (relative paths and packages in node_modules). */
export function readTsconfig(root: string): Tsconfig {
  const file = path.join(root, 'tsconfig.json');
  if (!existsSync(file)) {
    throw new UserError(
      'No tsconfig.json: add writes TypeScript, so it needs a TypeScript project. Add a tsconfig.json (npx tsc --init) and run it again.',
    );
  }
  const own = parseConfig(file);
  if (!own) throw new UserError('tsconfig.json could not be parsed. Fix it and run the command again.');
  const inherited = extendsChain(root, own, path.dirname(file), 0);
  return {
    compilerOptions: { ...inherited.options, ...own.compilerOptions },
    ...(own.include ? { include: own.include } : {}),
    complete: inherited.complete,
  };
}

interface RawConfig {
  extends?: string | string[];
  compilerOptions?: CompilerOptions;
  include?: string[];
}

function parseConfig(file: string): RawConfig | undefined {
  const errors: ParseError[] = [];
  const value = parseJsonc(readFileSync(file, 'utf8'), errors, { allowTrailingComma: true }) as unknown;
  return errors.length > 0 || typeof value !== 'object' || value === null ? undefined : (value as RawConfig);
}

/** The options of the configs `config` extends, later ones winning, as tsc merges them. */
function extendsChain(root: string, config: RawConfig, dir: string, depth: number): { options: CompilerOptions; complete: boolean } {
  const parents = config.extends === undefined ? [] : [config.extends].flat();
  let options: CompilerOptions = {};
  let complete = true;
  for (const parent of parents) {
    const file = depth < 5 ? resolveExtends(root, dir, parent) : undefined;
    const parsed = file ? parseConfig(file) : undefined;
    if (!file || !parsed) {
      complete = false;
      continue;
    }
    const inherited = extendsChain(root, parsed, path.dirname(file), depth + 1);
    options = { ...options, ...inherited.options, ...parsed.compilerOptions };
    complete &&= inherited.complete;
  }
  return { options, complete };
}

function resolveExtends(root: string, dir: string, spec: string): string | undefined {
  const base = spec.startsWith('.') || path.isAbsolute(spec) ? path.resolve(dir, spec) : path.join(root, 'node_modules', spec);
  const candidates = [base, `${base}.json`, path.join(base, 'tsconfig.json')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

// Node runs an ES module's imports as written: "./x.js". Only a bundler (or CommonJS) resolves "./x".
export function needsJsExtension(type: unknown, options: CompilerOptions): boolean {
  const bundled = /^bundler$/i.test(options.moduleResolution ?? '') || /^preserve$/i.test(options.module ?? '');
  return type === 'module' && !bundled;
}

/**
 * Whether `import x from 'cjs-package'` breaks at run time: the code is emitted as CommonJS
 * without esModuleInterop, so the import reads `require('x').default`, which packages such as
 * express and stripe do not have.
 */
export function defaultImportsBreak(type: unknown, options: CompilerOptions): boolean {
  // Without `module`, tsc emits CommonJS for ES5 targets (its default target) and ES modules for newer ones.
  const module = options.module?.toLowerCase() ?? (/^es(3|5)$/i.test(options.target ?? 'es5') ? 'commonjs' : 'es2015');
  const emitsCommonJs = module === 'commonjs' || (/^node(16|18|20|next)$/.test(module) && type !== 'module');
  const interop = options.esModuleInterop ?? /^node(16|18|20|next)$/.test(module);
  return emitsCommonJs && !interop;
}

/**
 * Adds `"skipLibCheck": true` as the first compiler option: a line of its own, so the lines the
 * file had stay as they were (comments and formatting included).
 */
export function withSkipLibCheck(text: string): string {
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const edits = modify(text, ['compilerOptions', 'skipLibCheck'], true, {
    formattingOptions: {
      insertSpaces: !indent.startsWith('\t'),
      tabSize: indent.startsWith('\t') ? 1 : indent.length,
      eol: text.includes('\r\n') ? '\r\n' : '\n',
    },
    getInsertionIndex: () => 0,
  });
  return applyEdits(text, edits);
}
