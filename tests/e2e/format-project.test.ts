import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormatters, type FileToFormat, formatFiles } from '../../src/add/format.js';
import { ciEnv } from '../helpers/cli.js';

// The project's own formatters, really installed: one install shared by every project below
// through a node_modules link. ESLint 9 because it still reads .eslintrc files (10 does not).
const devDependencies = { prettier: '^3', eslint: '^9', 'typescript-eslint': '^8', typescript: '^5', '@biomejs/biome': '^2' };
let shared = '';
const made: string[] = [];

beforeAll(() => {
  shared = mkdtempSync(path.join(tmpdir(), 'cpa-formatters-'));
  made.push(shared);
  writeFileSync(path.join(shared, 'package.json'), JSON.stringify({ name: 'formatters', private: true, devDependencies }));
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], shared);
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.output}`);
});

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, env: { ...ciEnv, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`.slice(-4000) };
}

/** A project with `files` (path → content); `installed` links the shared node_modules into it. */
function project(files: Record<string, string>, { installed = true } = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cpa-format-project-'));
  made.push(root);
  for (const [file, content] of Object.entries({ 'package.json': '{ "name": "app", "private": true }\n', ...files })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  if (installed) symlinkSync(path.join(shared, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
const created = (file: string): FileToFormat => ({ path: file });

// What add writes, in a style no project here uses: double quotes, semicolons, four spaces, tight braces.
const routes = [
  'import {Router} from "express";',
  'export function openaiRoutes(): Router {',
  '    let router = Router();',
  '    router.get("/models", (_req, res) => { res.json({models: []}); });',
  '    return router;',
  '}',
  '',
].join('\n');

const tsParser = "import tseslint from 'typescript-eslint';\n";
const stylisticRules =
  "rules: { quotes: ['error', 'single'], semi: ['error', 'never'], indent: ['error', 2], 'object-curly-spacing': ['error', 'always'], 'prefer-const': 'error', 'no-debugger': 'error' }";

describe('formatFiles with the project formatter, installed', () => {
  it('prettier: new files take its config; a changed file keeps its user lines', async () => {
    const app = "import express from 'express'\n\nconst app = express()\napp.listen(3000)\n";
    const server = 'import http from "http"\n\nhttp.createServer().listen(3000)\n'; // the user's own double quotes
    const root = project({
      '.prettierrc.json': '{ "semi": false, "singleQuote": true, "tabWidth": 2 }',
      'src/providers/openai.ts': routes,
    });
    writeFileSync(path.join(root, 'src/app.ts'), app.replace('\n\n', '\nimport { providerRoutes } from "./providers";\n\n'));
    writeFileSync(path.join(root, 'src/server.ts'), server.replace('\n\n', '\nimport { attach } from "./providers";\n\n'));

    const files = [created('src/providers/openai.ts'), { path: 'src/app.ts', original: app }, { path: 'src/server.ts', original: server }];
    const report = await formatFiles(root, files, detectFormatters(root));

    expect(report).toEqual({ ran: ['prettier'], skipped: [], remaining: [], keptAsWritten: ['src/server.ts'] });
    expect(read(root, 'src/providers/openai.ts')).toBe(
      [
        "import { Router } from 'express'",
        'export function openaiRoutes(): Router {',
        '  let router = Router()',
        "  router.get('/models', (_req, res) => {",
        '    res.json({ models: [] })',
        '  })',
        '  return router',
        '}',
        '',
      ].join('\n'),
    );
    expect(read(root, 'src/app.ts')).toBe(
      "import express from 'express'\nimport { providerRoutes } from './providers'\n\nconst app = express()\napp.listen(3000)\n",
    );
    // Prettier would have requoted the user's import too, so the file stays as add wrote it.
    expect(read(root, 'src/server.ts')).toBe(
      'import http from "http"\nimport { attach } from "./providers";\n\nhttp.createServer().listen(3000)\n',
    );
    expect(run('node_modules/.bin/prettier', ['--check', 'src/providers/openai.ts', 'src/app.ts'], root)).toMatchObject({ status: 0 });
  });

  it('prettier that cannot parse a file: reported with the command, nothing thrown', async () => {
    const root = project({ '.prettierrc': 'semi: false', 'src/broken.ts': 'export const = ;\n' });
    const report = await formatFiles(root, [created('src/broken.ts')], detectFormatters(root));
    expect(report.ran).toEqual([]);
    expect(report.skipped).toEqual([
      {
        tool: 'prettier',
        command: 'npx prettier --write --ignore-unknown src/broken.ts',
        reason: expect.stringMatching(/^prettier exited with 2:[\s\S]*SyntaxError/),
      },
    ]);
  });

  it('eslint flat config with stylistic rules: fixed, and what it cannot fix is counted', async () => {
    const root = project({
      'eslint.config.mjs': `${tsParser}export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, ${stylisticRules} }];\n`,
      'src/providers/openai.ts': routes,
      'src/debug.ts': 'debugger;\n',
    });
    // package.json matches no config block: ESLint only notes that it ignored it.
    const report = await formatFiles(
      root,
      ['src/providers/openai.ts', 'src/debug.ts', 'package.json'].map(created),
      detectFormatters(root),
    );

    // Layout fixes only: `debugger` has no fix, and prefer-const's is a suggestion, which can change types.
    expect(report).toEqual({ ran: ['eslint'], skipped: [], remaining: [{ tool: 'eslint', count: 2 }], keptAsWritten: [] });
    expect(read(root, 'src/providers/openai.ts')).toBe(
      [
        "import { Router } from 'express'",
        'export function openaiRoutes(): Router {',
        '  let router = Router()',
        "  router.get('/models', (_req, res) => { res.json({ models: [] }) })",
        '  return router',
        '}',
        '',
      ].join('\n'),
    );
    expect(run('node_modules/.bin/eslint', ['--rule', 'prefer-const: off', 'src/providers/openai.ts'], root)).toMatchObject({ status: 0 });
  });

  it('legacy .eslintrc: run with ESLINT_USE_FLAT_CONFIG=false, and given code files only', async () => {
    const root = project({
      '.eslintrc.json': JSON.stringify({
        root: true,
        parser: '@typescript-eslint/parser',
        rules: { quotes: ['error', 'single'], semi: ['error', 'never'], indent: ['error', 2], 'prefer-const': 'error' },
      }),
      'src/providers/openai.ts': routes,
    });
    const report = await formatFiles(root, ['src/providers/openai.ts', 'package.json'].map(created), detectFormatters(root));

    expect(report).toEqual({ ran: ['eslint'], skipped: [], remaining: [{ tool: 'eslint', count: 1 }], keptAsWritten: [] });
    expect(read(root, 'src/providers/openai.ts')).toMatch(/^import {Router} from 'express'\n[\s\S]*\n {2}let router = Router\(\)\n/);
    expect(
      run('node_modules/.bin/eslint', ['--rule', 'prefer-const: off', 'src/providers/openai.ts'], root, {
        ESLINT_USE_FLAT_CONFIG: 'false',
      }),
    ).toMatchObject({ status: 0 });
  });

  it('prettier, then eslint: both run, in that order', async () => {
    const root = project({
      '.prettierrc.json': '{ "semi": false, "singleQuote": true }',
      'eslint.config.mjs': `${tsParser}export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'prefer-const': 'error' } }];\n`,
      'src/providers/openai.ts': routes,
    });
    const report = await formatFiles(root, [created('src/providers/openai.ts')], detectFormatters(root));

    expect(report).toEqual({ ran: ['prettier', 'eslint'], skipped: [], remaining: [{ tool: 'eslint', count: 1 }], keptAsWritten: [] });
    expect(read(root, 'src/providers/openai.ts')).toContain('\n  let router = Router()\n');
    expect(run('node_modules/.bin/prettier', ['--check', 'src/providers/openai.ts'], root)).toMatchObject({ status: 0 });
  });

  it('biome: check --write formats, applies its safe fixes and sorts imports', async () => {
    const root = project({
      'biome.json': JSON.stringify({
        formatter: { indentStyle: 'space' },
        javascript: { formatter: { quoteStyle: 'single', semicolons: 'asNeeded' } },
      }),
      'src/providers/openai.ts': `import {z} from "zod";\n${routes}export const schema = z.string();\n`,
    });
    const report = await formatFiles(root, [created('src/providers/openai.ts')], detectFormatters(root));

    expect(report).toEqual({ ran: ['biome'], skipped: [], remaining: [], keptAsWritten: [] });
    expect(read(root, 'src/providers/openai.ts')).toMatch(
      /^import { Router } from 'express'\nimport { z } from 'zod'\n[\s\S]*\n {2}const router = Router\(\)\n/,
    );
    expect(run('node_modules/.bin/biome', ['check', 'src/providers/openai.ts'], root)).toMatchObject({ status: 0 });
  });
});

describe('formatFiles before the install', () => {
  it('names the command to run later for each formatter, and touches nothing', async () => {
    const root = project({ '.prettierrc': 'semi: false', '.eslintrc.json': '{}', 'src/providers/openai.ts': routes }, { installed: false });
    const report = await formatFiles(root, ['src/providers/openai.ts', 'package.json'].map(created), detectFormatters(root));

    expect(report).toEqual({
      ran: [],
      skipped: [
        {
          tool: 'prettier',
          command: 'npx prettier --write --ignore-unknown src/providers/openai.ts package.json',
          reason: 'prettier is not installed yet',
        },
        {
          tool: 'eslint',
          command: 'ESLINT_USE_FLAT_CONFIG=false npx eslint --fix --fix-type layout,problem src/providers/openai.ts',
          reason: 'eslint is not installed yet',
        },
      ],
      remaining: [],
      keptAsWritten: [],
    });
    expect(read(root, 'src/providers/openai.ts')).toBe(routes);
  });
});
