import { describe, expect, it } from 'vitest';
import { libCheckNote, typescriptNeeds } from '../../src/add/typescript.js';

const EITHER = '^3.25.0 || ^4.0.0';

describe('typescriptNeeds', () => {
  it.each([
    ['TypeScript 5.9: either zod major', { range: '~5.9.3', version: '5.9.3' }, { zod: EITHER }],
    ['TypeScript 5.0: either zod major', { range: '^5.0.0', version: '5.0.4' }, { zod: EITHER }],
    ['TypeScript 4.9: zod 3.25, whose types it can read', { range: '^4.9.5', version: '4.9.5' }, { zod: '^3.25.0' }],
    ['TypeScript 4.7: the oldest that reads every type the plugins pull in', { range: '~4.7.4', version: '4.7.4' }, { zod: '^3.25.0' }],
    ['no TypeScript found: nothing to fit', {}, { zod: EITHER }],
    [
      'TypeScript 4.4 locked, its range allows newer: raised within the range',
      { range: '^4.4.4', version: '4.4.4' },
      { raiseTo: '^4.7.0', zod: '^3.25.0', note: "typescript: the project runs 4.4.4, which cannot read the plugins' types; its range ^4.4.4 allows 4.7.0+, so it is now ^4.7.0." },
    ],
  ])('%s', (_name, typescript, needs) => {
    expect(typescriptNeeds(typescript, EITHER)).toEqual(needs);
  });

  it.each([
    ['a pinned 4.4', { range: '4.4.4', version: '4.4.4' }],
    ['a tilde range that stays below 4.7', { range: '~4.5.2', version: '4.5.5' }],
    ['TypeScript 3', { range: '^3.9.0', version: '3.9.10' }],
  ])('stops with the version to move to for %s', (_name, typescript) => {
    expect(() => typescriptNeeds(typescript, EITHER)).toThrow(/compiles with TypeScript .*need TypeScript 4\.7\.0 or later\. Nothing was written/);
  });
});

describe('libCheckNote', () => {
  it('names the SDKs whose own types fail when library types are checked', () => {
    expect(libCheckNote({ skipLibCheck: false }, { '@google/genai': '^2', openai: '^6' })).toMatch(/type files of @google\/genai have errors of their own.*"skipLibCheck": true/);
  });

  it('says nothing when the project skips library checks, extends a config, or adds no such SDK', () => {
    expect(libCheckNote({ skipLibCheck: true }, { '@google/genai': '^2' })).toBeUndefined();
    expect(libCheckNote({}, { '@google/genai': '^2' })).toBeUndefined();
    expect(libCheckNote({ skipLibCheck: false }, { openai: '^6', stripe: '^23' })).toBeUndefined();
  });
});
