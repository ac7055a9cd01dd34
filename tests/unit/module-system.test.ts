import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireStyleImports } from '../../src/add/interop.js';
import { defaultImportsBreak, readTsconfig } from '../../src/add/tsconfig.js';

describe('defaultImportsBreak', () => {
  it.each([
    ['CommonJS with allowSyntheticDefaultImports only', undefined, { module: 'commonjs' }, true],
    ['CommonJS with esModuleInterop', undefined, { module: 'commonjs', esModuleInterop: true }, false],
    ['no module, ES5 target: CommonJS', undefined, { target: 'es5' }, true],
    ['no module, ES2022 target: ES modules', undefined, { target: 'ES2022' }, false],
    ['NodeNext in a CommonJS package: interop is on by default', undefined, { module: 'NodeNext' }, false],
    ['NodeNext with interop turned off', undefined, { module: 'nodenext', esModuleInterop: false }, true],
    ['NodeNext in an ES module package', 'module', { module: 'NodeNext', esModuleInterop: false }, false],
    ['ESNext for a bundler', 'module', { module: 'ESNext' }, false],
  ])('%s', (_name, type, options, breaks) => {
    expect(defaultImportsBreak(type, options)).toBe(breaks);
  });
});

describe('requireStyleImports', () => {
  it('turns default imports of export-assigned packages into import = require', () => {
    const input = [
      "import express, { Router } from 'express';",
      "import type { Request } from 'express';",
      "import multer from 'multer';",
      "import type Stripe from 'stripe';",
      "import OpenAI from 'openai';",
      "import { z } from 'zod';",
      '',
    ].join('\n');
    expect(requireStyleImports(input)).toBe(
      [
        "import express = require('express');",
        "import { Router } from 'express';",
        "import type { Request } from 'express';",
        "import multer = require('multer');",
        "import Stripe = require('stripe');",
        "import OpenAI from 'openai';",
        "import { z } from 'zod';",
        '',
      ].join('\n'),
    );
  });
});

describe('readTsconfig', () => {
  it('folds in the options of the configs it extends, its own winning', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cpa-tsconfig-'));
    mkdirSync(path.join(root, 'node_modules/@tsconfig/node20'), { recursive: true });
    writeFileSync(
      path.join(root, 'node_modules/@tsconfig/node20/tsconfig.json'),
      '{ "compilerOptions": { "module": "node16", "esModuleInterop": true, "skipLibCheck": true } }',
    );
    writeFileSync(
      path.join(root, 'tsconfig.base.json'),
      '{ "extends": "@tsconfig/node20/tsconfig.json", "compilerOptions": { "skipLibCheck": false } }',
    );
    writeFileSync(
      path.join(root, 'tsconfig.json'),
      '{ "extends": "./tsconfig.base", /* comment */ "compilerOptions": { "module": "commonjs", }, "include": ["src"] }',
    );
    expect(readTsconfig(root)).toEqual({
      compilerOptions: { module: 'commonjs', esModuleInterop: true, skipLibCheck: false },
      include: ['src'],
      complete: true,
    });
  });

  it('says when a config it extends cannot be found', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cpa-tsconfig-'));
    writeFileSync(
      path.join(root, 'tsconfig.json'),
      '{ "extends": "@tsconfig/missing/tsconfig.json", "compilerOptions": { "strict": true } }',
    );
    expect(readTsconfig(root).complete).toBe(false);
  });
});
