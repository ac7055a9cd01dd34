import { createRequire } from 'node:module';
import { UserError } from '../errors.js';

/** Dependencies asked for by one part of the project (the base or a plugin). */
export interface DependencySource {
  from: string;
  dependencies: Record<string, string>;
}

/**
 * One range per package, sorted by name. When sources ask for different ranges the
 * narrowest one that satisfies all of them wins; ranges that cannot all hold are an error.
 */
export function mergeDependencies(sources: readonly DependencySource[]): Record<string, string> {
  const wanted = new Map<string, { range: string; from: string }[]>();
  for (const source of sources) {
    for (const [name, range] of Object.entries(source.dependencies)) {
      wanted.set(name, [...(wanted.get(name) ?? []), { range, from: source.from }]);
    }
  }
  const names = [...wanted.keys()].sort();
  return Object.fromEntries(names.map((name) => [name, reconcile(name, wanted.get(name) ?? [])]));
}

function reconcile(name: string, requests: { range: string; from: string }[]): string {
  const ranges = [...new Set(requests.map((request) => request.range))];
  if (ranges.length === 1) return ranges[0] as string;
  // semver is loaded only here: most packages are asked for with one range, and start-up time counts.
  const semver = createRequire(import.meta.url)('semver') as typeof import('semver');
  const narrowest = ranges.find((candidate) => ranges.every((other) => semver.subset(candidate, other)));
  if (narrowest) return narrowest;
  const asked = requests.map((request) => `${request.from} wants ${request.range}`).join(', ');
  throw new UserError(`Conflicting versions of ${name}: ${asked}. Align these ranges in generators/ so one satisfies the others.`);
}
