import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgePeer, type PeerLookup, peerState, rangeToDeclare } from '../../src/add/peers.js';
import { stageAdd } from '../../src/add.js';

describe('judgePeer', () => {
  it.each([
    ['a declared range that meets the peer', { declared: '^20.11.0' }, '>=20', { kind: 'ok' }],
    ['a declared range below the peer', { declared: '^16.0.0' }, '>=20', { kind: 'conflict', existing: '^16.0.0' }],
    ['a declared range wins over what is installed', { declared: '^22.0.0', present: '16.10.2' }, '>=20', { kind: 'ok' }],
    [
      'an old version only present through other packages',
      { present: '16.10.2' },
      '>=20',
      { kind: 'add', range: '^20.0.0', present: '16.10.2' },
    ],
    ['a present version that fits', { present: '20.11.30' }, '>=20', { kind: 'ok' }],
    ['nothing there: npm installs the peer itself', {}, '>=20', { kind: 'ok' }],
  ])('%s', (_name, state, wanted, verdict) => {
    expect(judgePeer(state, wanted)).toEqual(verdict);
  });

  it('declares the lowest version a range accepts', () => {
    expect(rangeToDeclare('>=20')).toBe('^20.0.0');
    expect(rangeToDeclare('^3.25 || ^4.0')).toBe('^3.25.0');
  });
});

describe('peerState', () => {
  it('reads the highest locked version from yarn.lock and from package-lock.json', () => {
    const yarn = mkdtempSync(path.join(tmpdir(), 'cpa-peers-'));
    writeFileSync(path.join(yarn, 'yarn.lock'), '"@types/node@*":\n  version "16.10.2"\n\n"@types/node@^14":\n  version "14.18.0"\n');
    expect(peerState(yarn, {}, '@types/node')).toEqual({ present: '16.10.2' });
    const npm = mkdtempSync(path.join(tmpdir(), 'cpa-peers-'));
    writeFileSync(path.join(npm, 'package-lock.json'), JSON.stringify({ packages: { 'node_modules/@types/node': { version: '18.0.0' } } }));
    expect(peerState(npm, { '@types/node': '^18' }, '@types/node')).toEqual({ declared: '^18', present: '18.0.0' });
  });
});

describe('add with peer ranges', () => {
  const fixture = path.resolve(import.meta.dirname, '../../fixtures/cjs-express4');
  const copy = () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cpa-peers-')), 'app');
    cpSync(fixture, dir, { recursive: true });
    return dir;
  };
  // stripe's peer as the registry gives it; every other package has none.
  const peers: PeerLookup = async (name) => (name === 'stripe' ? { '@types/node': '>=20' } : ({} as Record<string, string>));

  it('declares a peer the project only has in an old version, and says so', async () => {
    const dir = copy();
    const pkg = path.join(dir, 'package.json');
    const json = JSON.parse(readFileSync(pkg, 'utf8')) as { devDependencies: Record<string, string> };
    delete json.devDependencies['@types/node'];
    writeFileSync(pkg, JSON.stringify(json, null, 2));
    writeFileSync(
      path.join(dir, 'package-lock.json'),
      JSON.stringify({ packages: { 'node_modules/@types/node': { version: '16.10.2' } } }),
    );
    const staged = await stageAdd({ cwd: dir, plugins: ['stripe'], resolveConflict: async () => 'skip', peers });
    const written = JSON.parse(staged.changes.find((change) => change.path === 'package.json')?.content ?? '{}') as {
      devDependencies: Record<string, string>;
    };
    expect(written.devDependencies['@types/node']).toBe('^20.0.0');
    expect(staged.notes).toContain(
      'stripe needs @types/node >=20, and the project had 16.10.2 through other packages: @types/node ^20.0.0 was added to devDependencies.',
    );
  });

  it('reports a declared range that misses the peer as a conflict, decided like any other', async () => {
    const dir = copy();
    const pkg = path.join(dir, 'package.json');
    writeFileSync(pkg, readFileSync(pkg, 'utf8').replace('"@types/node": "^20.19.0"', '"@types/node": "^16.0.0"'));
    const asked: unknown[] = [];
    const staged = await stageAdd({
      cwd: dir,
      plugins: ['stripe'],
      resolveConflict: async (conflict) => {
        asked.push(conflict);
        return 'overwrite';
      },
      peers,
    });
    expect(asked).toEqual([{ kind: 'dependency', name: '@types/node', existing: '^16.0.0', wanted: '>=20', requiredBy: 'stripe' }]);
    const written = JSON.parse(staged.changes.find((change) => change.path === 'package.json')?.content ?? '{}') as {
      devDependencies: Record<string, string>;
    };
    expect(written.devDependencies['@types/node']).toBe('^20.0.0');
  });
});
