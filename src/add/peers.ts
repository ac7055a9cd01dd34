import semver from 'semver';
import { presentVersion } from './versions.js';

/** A package's peer ranges, by peer name; undefined when they could not be read (offline). */
export type PeerLookup = (name: string, range: string) => Promise<Record<string, string> | undefined>;

/** Peer ranges from the registry (`npm view`), for the highest version `range` allows. */
export const registryPeers: PeerLookup = async (name, range) => {
  const { execa } = await import('execa');
  const result = await execa('npm', ['view', `${name}@${range}`, 'peerDependencies', '--json'], {
    reject: false,
    stdin: 'ignore',
    env: { CI: 'true' },
  });
  if (result.failed) return undefined;
  if (result.stdout.trim() === '') return {};
  try {
    const value = JSON.parse(result.stdout) as unknown;
    // Several versions match a range: npm lists each, oldest first.
    const peers = Array.isArray(value) ? value.at(-1) : value;
    return typeof peers === 'object' && peers !== null ? (peers as Record<string, string>) : {};
  } catch {
    return undefined;
  }
};

/** What a peer needs from the project: a range it declares, or a version it already has through other packages. */
export interface PeerState {
  declared?: string;
  present?: string;
}

/** The declared range of `name` in package.json, and the version installed or locked (npm and yarn lockfiles). */
export function peerState(root: string, declared: Record<string, string | undefined>, name: string): PeerState {
  const range = declared[name];
  const present = presentVersion(root, name);
  return { ...(range ? { declared: range } : {}), ...(present ? { present } : {}) };
}

export type PeerVerdict = { kind: 'ok' } | { kind: 'conflict'; existing: string } | { kind: 'add'; range: string; present: string };

/**
 * Whether the project can meet a peer range. A declared range must intersect it (else a conflict,
 * decided like any version conflict); a version the project only has through other packages is
 * lifted by declaring the peer, since npm refuses to install next to it otherwise.
 */
export function judgePeer(state: PeerState, wanted: string): PeerVerdict {
  if (state.declared) return intersects(state.declared, wanted) ? { kind: 'ok' } : { kind: 'conflict', existing: state.declared };
  if (state.present && !semver.satisfies(state.present, wanted))
    return { kind: 'add', range: rangeToDeclare(wanted), present: state.present };
  return { kind: 'ok' };
}

/** `>=20` → `^20.0.0`: the lowest version the peer accepts, within its major. */
export function rangeToDeclare(wanted: string): string {
  const floor = semver.minVersion(wanted);
  return floor ? `^${floor.version}` : wanted;
}

function intersects(a: string, b: string): boolean {
  try {
    return semver.intersects(a, b);
  } catch {
    return true;
  }
}
