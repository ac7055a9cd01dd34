import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectEnvFiles } from '../../src/add/env-files.js';

/** A project folder holding just these (empty) files. */
function project(...files: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpa-env-'));
  for (const file of files) writeFileSync(path.join(dir, file), '');
  return dir;
}

const source = (text: string) => [{ path: 'src/server.ts', text }];

describe('detectEnvFiles', () => {
  it.each([
    [
      'no files, nothing loads one: a new .env.example, values in the environment',
      [],
      {},
      {},
      [],
      { template: '.env.example', loaded: 'the environment' },
    ],
    ['a .env.sample template', ['.env.sample'], {}, { dotenv: '^16' }, [], { template: '.env.sample', loaded: '.env' }],
    ['a .env-sample template', ['.env-sample'], {}, { dotenv: '^16' }, [], { template: '.env-sample', loaded: '.env' }],
    ['a .env.template template', ['.env.template'], {}, { dotenv: '^16' }, [], { template: '.env.template', loaded: '.env' }],
    [
      '.env.example wins over the others',
      ['.env.default', '.env.example'],
      {},
      { dotenv: '^16' },
      [],
      { template: '.env.example', loaded: '.env' },
    ],
    [
      'dotenv preloaded by a script',
      [],
      { dev: 'node -r dotenv/config dist/index.js' },
      {},
      [],
      { template: '.env.example', loaded: '.env' },
    ],
    [
      'a path built from NODE_ENV with a fallback',
      [],
      {},
      {},
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a project under test, with its own template literal.
      source("import { config } from 'dotenv';\nconfig({ path: `.env.${process.env.NODE_ENV || 'development'}.local` });"),
      { template: '.env.example', loaded: '.env.development.local' },
    ],
    [
      'a path that cannot be read off the code: .env is named, never the expression',
      [],
      {},
      {},
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a project under test, with its own template literal.
      source('import dotenv from "dotenv";\ndotenv.config({ path: `${dir}/.env.${mode}` });'),
      { template: '.env.example', loaded: '.env' },
    ],
    [
      'node --env-file in a script',
      [],
      { start: 'node --env-file=.env.production dist/index.js' },
      {},
      [],
      { template: '.env.example', loaded: '.env.production' },
    ],
    [
      'dotenv.config({ path })',
      [],
      {},
      {},
      source("import dotenv from 'dotenv';\ndotenv.config({ path: '.env.local' });"),
      { template: '.env.example', loaded: '.env.local' },
    ],
    [
      'the first dotenv call decides',
      ['.env.default'],
      {},
      {},
      source("import dotenv from 'dotenv';\nconst r = dotenv.config();\nif (r.error) dotenv.config({ path: '.env.default' });"),
      { template: '.env.default', loaded: '.env' },
    ],
    ["import 'dotenv/config'", [], {}, {}, source("import 'dotenv/config'"), { template: '.env.example', loaded: '.env' }],
    [
      'dotenv-flow: local secrets in .env.local',
      ['.env.example'],
      {},
      { 'dotenv-flow': '^3' },
      source("import 'dotenv-flow/config';"),
      { template: '.env.example', loaded: '.env.local' },
    ],
    [
      'an existing .env.development.local',
      ['.env.development.local'],
      {},
      {},
      [],
      { template: '.env.example', loaded: '.env.development.local' },
    ],
  ])('%s', (_name, files, scripts, dependencies, sources, expected) => {
    expect(detectEnvFiles(project(...files), scripts, dependencies, sources)).toEqual(expected);
  });
});
