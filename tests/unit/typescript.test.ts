import { describe, expect, it } from 'vitest';
import { withSkipLibCheck } from '../../src/add/tsconfig.js';
import { type DeclaredPackage, typescriptNeeds } from '../../src/add/typescript.js';

const EITHER = '^3.25.0 || ^4.0.0';
const none = () => undefined;
const packages = (declared: Record<string, DeclaredPackage>) => (name: string) => declared[name];

describe('typescriptNeeds', () => {
  it.each([
    ['TypeScript 5.9: either zod major', { range: '~5.9.3', version: '5.9.3', skipLibCheck: true }, EITHER],
    ['TypeScript 5.0: either zod major', { range: '^5.0.0', version: '5.0.4' }, EITHER],
    ['TypeScript 4.9: zod 3.25, whose types it can read', { range: '^4.9.5', version: '4.9.5' }, '^3.25.0'],
    [
      'TypeScript 4.7: the oldest that reads every type the plugins pull in',
      { range: '~4.7.4', version: '4.7.4', skipLibCheck: false },
      '^3.25.0',
    ],
    ['no TypeScript found: nothing to fit', {}, EITHER],
  ])('%s', (_name, typescript, zod) => {
    expect(typescriptNeeds(typescript, none, { openai: '^6' }, EITHER)).toEqual({ raise: {}, zod, skipLibCheck: false, notes: [] });
  });

  it('raises an old locked compiler and the ts-node that runs it within their ranges, and skips library checks', () => {
    const declared = packages({ 'ts-node': { range: '^10.3.1', version: '10.4.0' } });
    const needs = typescriptNeeds({ range: '^4.4.4', version: '4.4.4', skipLibCheck: false }, declared, { stripe: '^23' }, EITHER);
    expect(needs).toMatchObject({ raise: { typescript: '^4.7.0', 'ts-node': '^10.9.0' }, zod: '^3.25.0', skipLibCheck: true });
    expect(needs.notes).toEqual([
      'The project runs TypeScript 4.4.4, which cannot read the plugins\' types; its own ranges allow newer, so: typescript ^4.7.0, ts-node ^10.9.0, and "skipLibCheck": true in tsconfig.json (older libraries\' type files do not check under the newer compiler).',
    ]);
  });

  it('leaves a ts-node that already runs the newer compiler, and library checks a project already skips', () => {
    const declared = packages({ 'ts-node': { range: '^10.9.2', version: '10.9.2' } });
    expect(typescriptNeeds({ range: '^4.4.4', version: '4.4.4', skipLibCheck: true }, declared, {}, EITHER)).toMatchObject({
      raise: { typescript: '^4.7.0' },
      skipLibCheck: false,
    });
  });

  it.each([
    ['a pinned 4.4', { range: '4.4.4', version: '4.4.4' }, none, /need TypeScript 4\.7\.0 or later, beyond the ranges it declares/],
    ['a tilde range that stays below 4.7', { range: '~4.5.2', version: '4.5.5' }, none, /need TypeScript 4\.7\.0 or later/],
    ['TypeScript 3', { range: '^3.9.0', version: '3.9.10' }, none, /need TypeScript 4\.7\.0 or later/],
    [
      'a ts-node pinned below what runs 4.7',
      { range: '^4.4.4', version: '4.4.4' },
      packages({ 'ts-node': { range: '10.4.0', version: '10.4.0' } }),
      /need ts-node 10\.9\.0\+ to run it.*typescript@\^4\.9 ts-node@\^10\.9/,
    ],
  ])('stops with what to move for %s', (_name, typescript, declared, message) => {
    expect(() => typescriptNeeds(typescript, declared, {}, EITHER)).toThrow(message);
    expect(() => typescriptNeeds(typescript, declared, {}, EITHER)).toThrow(/Nothing was written/);
  });

  it('skips library checks, with a note, when a new SDK’s own types fail them', () => {
    const needs = typescriptNeeds(
      { range: '~5.9.3', version: '5.9.3', skipLibCheck: false },
      none,
      { '@google/genai': '^2', openai: '^6' },
      EITHER,
    );
    expect(needs.skipLibCheck).toBe(true);
    expect(needs.notes[0]).toMatch(/type files of @google\/genai have errors of their own.*"skipLibCheck": true was added/);
  });

  it('does not touch library checks it cannot see (a config it extends was not found) or that no SDK needs', () => {
    expect(typescriptNeeds({ range: '~5.9.3', version: '5.9.3' }, none, { '@google/genai': '^2' }, EITHER).skipLibCheck).toBe(false);
    expect(typescriptNeeds({ range: '~5.9.3', version: '5.9.3', skipLibCheck: false }, none, { stripe: '^23' }, EITHER).skipLibCheck).toBe(
      false,
    );
  });
});

describe('withSkipLibCheck', () => {
  it('adds one line as the first compiler option, keeping comments and the other lines', () => {
    const text =
      '{\n    "compilerOptions": {\n        /* Basic Options */\n        "target": "es2021", /* ES version */\n        "strict": true\n    }\n}\n';
    expect(withSkipLibCheck(text)).toBe(
      '{\n    "compilerOptions": {\n        "skipLibCheck": true,\n        /* Basic Options */\n        "target": "es2021", /* ES version */\n        "strict": true\n    }\n}\n',
    );
  });
});
