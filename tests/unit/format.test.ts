import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormatters, filesToFormat, keepsUserLines } from '../../src/add/format.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path → content) into a new temp folder and returns it. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cpa-format-'));
  made.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const pkg = (extra: object = {}) => JSON.stringify({ name: 'app', devDependencies: { typescript: '^5.9.3' }, ...extra });

describe('detectFormatters', () => {
  const cases: { name: string; files: Record<string, string>; expected: string[] }[] = [
    { name: 'nothing configured', files: { 'package.json': pkg() }, expected: [] },
    {
      name: 'biome and prettier, scripts run biome: biome alone',
      files: { 'package.json': pkg({ prettier: {}, scripts: { format: 'biome format --write .' } }), 'biome.json': '{}' },
      expected: ['biome biome.json'],
    },
    {
      name: 'biome and prettier, scripts run prettier: prettier alone',
      files: { 'package.json': pkg({ scripts: { format: 'prettier -w .' } }), 'biome.json': '{}', '.prettierrc': '{}' },
      expected: ['prettier .prettierrc'],
    },
    {
      name: 'biome and prettier, scripts run neither: both, biome last',
      files: { 'package.json': pkg({ prettier: {} }), 'biome.json': '{}' },
      expected: ['prettier package.json "prettier"', 'biome biome.json'],
    },
    { name: 'biome', files: { 'package.json': pkg(), 'biome.json': '{}' }, expected: ['biome biome.json'] },
    { name: 'biome with comments', files: { 'package.json': pkg(), 'biome.jsonc': '// ours\n{}' }, expected: ['biome biome.jsonc'] },
    { name: 'a .prettierrc file', files: { 'package.json': pkg(), '.prettierrc': 'semi: false' }, expected: ['prettier .prettierrc'] },
    {
      name: 'prettier.config.mjs',
      files: { 'package.json': pkg(), 'prettier.config.mjs': 'export default {}' },
      expected: ['prettier prettier.config.mjs'],
    },
    {
      name: 'a "prettier" key in package.json',
      files: { 'package.json': pkg({ prettier: { semi: false } }) },
      expected: ['prettier package.json "prettier"'],
    },
    {
      name: 'a shared prettier config named in package.json',
      files: { 'package.json': pkg({ prettier: '@company/prettier-config' }) },
      expected: ['prettier package.json "prettier"'],
    },
    // Prettier does not read prettier.config.json; a project that depends on prettier checks against its defaults.
    {
      name: 'prettier as a dependency only',
      files: { 'package.json': pkg({ devDependencies: { prettier: '^3' } }), 'prettier.config.json': '{}' },
      expected: ['prettier package.json dependency'],
    },
    {
      name: 'eslint flat config',
      files: { 'package.json': pkg(), 'eslint.config.js': 'export default []' },
      expected: ['eslint eslint.config.js'],
    },
    {
      name: 'eslint flat config in TypeScript',
      files: { 'package.json': pkg(), 'eslint.config.ts': 'export default []' },
      expected: ['eslint eslint.config.ts'],
    },
    { name: 'legacy .eslintrc.json', files: { 'package.json': pkg(), '.eslintrc.json': '{}' }, expected: ['eslint .eslintrc.json legacy'] },
    {
      name: 'legacy .eslintrc.cjs',
      files: { 'package.json': pkg(), '.eslintrc.cjs': 'module.exports = {}' },
      expected: ['eslint .eslintrc.cjs legacy'],
    },
    {
      name: 'an "eslintConfig" key in package.json',
      files: { 'package.json': pkg({ eslintConfig: { extends: 'airbnb-base' } }) },
      expected: ['eslint package.json "eslintConfig" legacy'],
    },
    {
      name: 'flat config beside a leftover .eslintrc',
      files: { 'package.json': pkg(), '.eslintrc.json': '{}', 'eslint.config.mjs': 'export default []' },
      expected: ['eslint eslint.config.mjs'],
    },
    {
      name: 'prettier and eslint: formatting first',
      files: { 'package.json': pkg(), 'eslint.config.mjs': 'export default []', '.prettierrc.json': '{}' },
      expected: ['prettier .prettierrc.json', 'eslint eslint.config.mjs'],
    },
    {
      name: 'biome and eslint',
      files: { 'package.json': pkg(), '.eslintrc.yml': 'root: true', 'biome.json': '{}' },
      expected: ['biome biome.json', 'eslint .eslintrc.yml legacy'],
    },
    {
      name: 'a package of a monorepo: configs up to the repository root',
      files: { '.git/HEAD': '', '.prettierrc.json': '{}', 'eslint.config.js': 'export default []', 'packages/api/package.json': pkg() },
      expected: ['prettier ../../.prettierrc.json', 'eslint ../../eslint.config.js'],
    },
    { name: 'a broken package.json', files: { 'package.json': '{ "name": ', '.prettierrc': '{}' }, expected: ['prettier .prettierrc'] },
  ];

  it.each(cases)('$name', ({ files, expected }) => {
    const root = project(files);
    const api = path.join(root, 'packages/api');
    const formatters = detectFormatters(existsSync(api) ? api : root);
    expect(formatters.map(({ tool, source, legacy }) => [tool, source, legacy ? 'legacy' : ''].filter(Boolean).join(' '))).toEqual(
      expected,
    );
  });

  it('ignores configs above a project that is not in a git repository', () => {
    const root = project({ '.prettierrc': '{}', 'app/package.json': pkg() });
    expect(detectFormatters(path.join(root, 'app'))).toEqual([]);
  });

  // The public repositories of issue 8, read in place (never written).
  const corpus = path.resolve(process.env['REALWORLD_DIR'] ?? path.join(import.meta.dirname, '../../../shared/realworld'));
  const realworld: [string, string[]][] = [
    ['alexandermac-express-starter', ['prettier .prettierrc.json', 'eslint .eslintrc.json legacy']],
    ['alexivan-typescript-express-esm-starter', []],
    ['firmanjs-express-template-typescript', ['eslint .eslintrc.json legacy']],
    ['luismsuarez-express-esm-template', ['prettier package.json dependency', 'eslint eslint.config.js']],
    ['sidhantpanda-docker-express-typescript-boilerplate', ['eslint .eslintrc.json legacy']],
    ['w3cj-express-api-starter-ts', ['eslint eslint.config.mjs']],
  ];
  it.skipIf(!existsSync(corpus)).each(realworld)('finds what %s really uses', (repo, expected) => {
    const formatters = detectFormatters(path.join(corpus, repo));
    expect(formatters.map(({ tool, source, legacy }) => [tool, source, legacy ? 'legacy' : ''].filter(Boolean).join(' '))).toEqual(
      expected,
    );
  });
});

describe('filesToFormat', () => {
  it('keeps code, JSON and Markdown that add wrote, and never a lockfile', () => {
    const changes = [
      'src/providers/openai/routes.ts',
      'src/components/Button.tsx',
      'scripts/seed.mjs',
      'config.cjs',
      'src/legacy.js',
      'package.json',
      'provider-app.json',
      'README.md',
      '.env.example',
      'public/health.html',
      'package-lock.json',
      'npm-shrinkwrap.json',
      'pnpm-lock.yaml',
      'packages/api/package-lock.json',
    ].map((file) => ({ path: file, type: 'create' as const, content: '' }));
    expect(filesToFormat(changes).map((change) => change.path)).toEqual([
      'src/providers/openai/routes.ts',
      'src/components/Button.tsx',
      'scripts/seed.mjs',
      'config.cjs',
      'src/legacy.js',
      'package.json',
      'provider-app.json',
      'README.md',
    ]);
  });
});

describe('keepsUserLines', () => {
  const original = "import express from 'express'\n\nconst app = express()\napp.listen(3000)\n";
  // What add wrote: two lines gained, the user's lines untouched.
  const written =
    'import express from \'express\'\nimport { providerRoutes } from "./providers";\n\nconst app = express()\napp.use(providerRoutes());\napp.listen(3000)\n';
  it.each([
    [
      'only our lines reformatted',
      "import express from 'express'\nimport { providerRoutes } from './providers'\n\nconst app = express()\napp.use(providerRoutes())\napp.listen(3000)\n",
      true,
    ],
    [
      'our import moved into sorted order',
      "import { providerRoutes } from './providers'\nimport express from 'express'\n\nconst app = express()\napp.use(providerRoutes())\napp.listen(3000)\n",
      true,
    ],
    ['unchanged', written, true],
    ['the same lines with CRLF', written.replaceAll('\n', '\r\n'), true],
    [
      "a user's line requoted",
      'import express from "express"\nimport { providerRoutes } from "./providers";\n\nconst app = express()\napp.use(providerRoutes());\napp.listen(3000)\n',
      false,
    ],
    [
      "a user's line re-indented",
      "import express from 'express'\nimport { providerRoutes } from './providers'\n\n  const app = express()\napp.use(providerRoutes())\napp.listen(3000)\n",
      false,
    ],
    [
      "the user's lines reordered",
      "import express from 'express'\nimport { providerRoutes } from './providers'\n\napp.use(providerRoutes())\napp.listen(3000)\nconst app = express()\n",
      false,
    ],
    [
      "the user's blank line removed",
      "import express from 'express'\nimport { providerRoutes } from './providers'\nconst app = express()\napp.use(providerRoutes())\napp.listen(3000)\n",
      false,
    ],
  ])('%s: %s', (_name, formatted, expected) => {
    expect(keepsUserLines(original, written, formatted)).toBe(expected);
  });

  it("does not blame the formatter for a user's line that add itself changed", () => {
    const pkg = '{\n  "dependencies": {\n    "uuid": "^8.3.2"\n  }\n}\n';
    const added = '{\n  "dependencies": {\n    "uuid": "^8.3.2",\n    "zod": "^3.25.0"\n  }\n}\n';
    expect(keepsUserLines(pkg, added, added)).toBe(true);
    expect(keepsUserLines(pkg, added, added.replaceAll('  ', '    '))).toBe(false);
  });
});
