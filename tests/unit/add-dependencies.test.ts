import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Conflict, companionGroup, stageAdd } from '../../src/add.js';

describe('companionGroup', () => {
  it.each([
    ['express', 'express'],
    ['@types/express', 'express'],
    ['@types/babel__core', '@babel/core'],
    ['@aws-sdk/client-s3', '@aws-sdk/client-s3'],
  ])('%s belongs with %s', (name, group) => {
    expect(companionGroup(name)).toBe(group);
  });
});

describe('what add asks of a hand-written app’s package.json', () => {
  const fixture = path.resolve(import.meta.dirname, '../../fixtures/cjs-express4');

  /** Stages `add openai` into a copy of the Express 4 fixture whose package.json went through `edit`. */
  async function addOpenai(
    edit: (pkg: Record<string, Record<string, string>>) => void,
    conflicts: Conflict[] = [],
    files: Record<string, string> = {},
  ) {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cpa-deps-')), 'app');
    cpSync(fixture, dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const file = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    edit(pkg);
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    const staged = await stageAdd({
      cwd: dir,
      plugins: ['openai'],
      resolveConflict: async (conflict) => {
        conflicts.push(conflict);
        return 'skip';
      },
    });
    return JSON.parse(staged.changes.find((change) => change.path === 'package.json')?.content ?? '{}') as Record<
      string,
      Record<string, string>
    >;
  }

  it('keeps Express 4, its types, TypeScript and Node types as they are', async () => {
    const conflicts: Conflict[] = [];
    const written = await addOpenai(() => {}, conflicts);
    expect(conflicts).toEqual([]);
    expect(written['dependencies']?.['express']).toBe('^4.21.2');
    expect(written['devDependencies']).toMatchObject({ '@types/express': '^4.17.21', '@types/node': '^20.19.0', typescript: '~5.9.3' });
    expect(written['devDependencies']?.['vitest']).toBeUndefined();
  });

  it('brings the plugins’ packages, and none of the middleware a generated app runs on', async () => {
    const written = await addOpenai(() => {});
    expect(written['dependencies']).toMatchObject({ openai: expect.any(String), 'express-rate-limit': expect.any(String) });
    for (const name of ['helmet', 'cors', 'pino', 'pino-http']) expect(written['dependencies']?.[name], name).toBeUndefined();
    expect(written['devDependencies']?.['@types/cors']).toBeUndefined();
  });

  it('takes zod 3.25 under TypeScript 4, whose compiler cannot read zod 4’s types', async () => {
    const written = await addOpenai((pkg) => {
      (pkg['devDependencies'] ?? {})['typescript'] = '^4.9.5';
    });
    expect(written['dependencies']?.['zod']).toBe('^3.25.0');
  });

  it('raises a locked TypeScript 4.4 within its own range, with zod 3.25', async () => {
    const written = await addOpenai(
      (pkg) => {
        (pkg['devDependencies'] ?? {})['typescript'] = '^4.4.4';
      },
      [],
      { 'yarn.lock': '"typescript@^4.4.4":\n  version "4.4.4"\n' },
    );
    expect(written['devDependencies']?.['typescript']).toBe('^4.7.0');
    expect(written['dependencies']?.['zod']).toBe('^3.25.0');
  });

  it('takes either zod major under TypeScript 5', async () => {
    const written = await addOpenai(() => {});
    expect(written['dependencies']?.['zod']).toBe('^3.25.0 || ^4.0.0');
  });

  it('keeps a zod the project already has when it meets ours', async () => {
    const written = await addOpenai((pkg) => {
      (pkg['dependencies'] ?? {})['zod'] = '^3.22.0';
    });
    expect(written['dependencies']?.['zod']).toBe('^3.22.0');
  });

  it('keeps an app pinned to zod 3 on zod 3 when it must move (another of its packages may need zod 3)', async () => {
    const conflicts: Conflict[] = [];
    await addOpenai((pkg) => {
      (pkg['dependencies'] ?? {})['zod'] = '3.24.2';
    }, conflicts);
    expect(conflicts).toEqual([{ kind: 'dependency', name: 'zod', existing: '3.24.2', wanted: '^3.25.0' }]);
  });
});
