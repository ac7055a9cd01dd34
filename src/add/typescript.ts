import semver from 'semver';
import { UserError } from '../errors.js';

/**
 * The oldest compiler the plugins' code and the type files it pulls in can be read by: zod 3.25
 * needs 4.5, the @types/node 20 that stripe requires needs 4.7. zod 4's own types need 5.0.
 */
export const MIN_TYPESCRIPT = '4.7.0';
const ZOD_4_TYPESCRIPT = '5.0.0';
const ZOD_FOR_OLD_TYPESCRIPT = '^3.25.0';

// Tools that run the compiler and break on a newer one: the first version that runs TypeScript 4.7+.
const COMPILER_COMPANIONS: Record<string, string> = { 'ts-node': '10.9.0' };

// SDKs whose own type files do not compile when library types are checked (measured with TypeScript 5.9).
const SDKS_NEEDING_SKIP_LIB_CHECK = ['@electric-sql/pglite', '@google/genai', '@elevenlabs/elevenlabs-js', 'mailgun.js', '@deepgram/sdk'];

/** The project's compiler: the range it declares and the version it runs (installed, locked, or the range's floor). */
export interface ProjectTypescript {
  range?: string;
  version?: string;
  /** `skipLibCheck` as its tsconfig.json sets it; undefined when it extends a config we could not read. */
  skipLibCheck?: boolean;
}

/** A package the project declares: its range and the version it runs. */
export interface DeclaredPackage {
  range: string;
  version?: string;
}

/** What the compiler asks of the project: ranges to raise, the zod range to add, library checks off, and why. */
export interface TypescriptNeeds {
  /** Declared packages whose floor moves, within the ranges the project declares: `{ typescript: '^4.7.0' }`. */
  raise: Record<string, string>;
  zod: string;
  /** `"skipLibCheck": true` is added to tsconfig.json. */
  skipLibCheck: boolean;
  notes: string[];
}

/**
 * Fits the plugins to the project's compiler. A compiler too old for the plugins' types is raised
 * within the range the project declares (a fresh install would have taken it anyway), together
 * with the tools that run it; library types, which older libraries' type files fail under a newer
 * compiler, are then skipped. A range that pins an older compiler stops add, naming the version.
 * zod is 3.25 for compilers older than zod 4's types need.
 */
export function typescriptNeeds(
  typescript: ProjectTypescript,
  declared: (name: string) => DeclaredPackage | undefined,
  dependencies: Record<string, string>,
  zod: string,
): TypescriptNeeds {
  const { range, version } = typescript;
  const needs: TypescriptNeeds = {
    raise: {},
    zod: version && semver.lt(version, ZOD_4_TYPESCRIPT) ? ZOD_FOR_OLD_TYPESCRIPT : zod,
    skipLibCheck: false,
    notes: [],
  };
  const failingSdks = SDKS_NEEDING_SKIP_LIB_CHECK.filter((name) => name in dependencies);
  if (version && semver.lt(version, MIN_TYPESCRIPT)) {
    const needed: [string, string, DeclaredPackage | undefined][] = [
      ['typescript', MIN_TYPESCRIPT, range ? { range, version } : undefined],
      ...Object.entries(COMPILER_COMPANIONS).map(([name, floor]): [string, string, DeclaredPackage | undefined] => [
        name,
        floor,
        declared(name),
      ]),
    ];
    const blocked: string[] = [];
    for (const [name, floor, found] of needed) {
      if (name !== 'typescript' && !found) continue;
      if (found?.version && semver.gte(found.version, floor)) continue;
      if (found && allows(found.range, `^${floor}`)) needs.raise[name] = `^${floor}`;
      else blocked.push(name === 'typescript' ? `TypeScript ${floor} or later` : `${name} ${floor}+ to run it`);
    }
    if (blocked.length > 0) {
      throw new UserError(
        `This project compiles with TypeScript ${version}${range ? ` (typescript ${range})` : ''}; the plugins' code and the SDK types it uses need ${blocked.join(', and ')}, beyond the ranges it declares. Nothing was written. Move to a newer compiler (npm install -D typescript@^4.9${'ts-node' in needs.raise || blocked.some((entry) => entry.startsWith('ts-node')) ? ' ts-node@^10.9' : ''}), then run add again.`,
      );
    }
    needs.zod = ZOD_FOR_OLD_TYPESCRIPT;
    needs.skipLibCheck = typescript.skipLibCheck === false;
    const raised = Object.entries(needs.raise)
      .map(([name, to]) => `${name} ${to}`)
      .join(', ');
    needs.notes.push(
      `The project runs TypeScript ${version}, which cannot read the plugins' types; its own ranges allow newer, so: ${raised}${needs.skipLibCheck ? ', and "skipLibCheck": true in tsconfig.json (older libraries\' type files do not check under the newer compiler)' : ''}.`,
    );
  } else if (failingSdks.length > 0 && typescript.skipLibCheck === false) {
    needs.skipLibCheck = true;
    needs.notes.push(
      `The type files of ${failingSdks.join(', ')} have errors of their own, which tsconfig.json reported because it checks library types: "skipLibCheck": true was added to it.`,
    );
  }
  return needs;
}

/** Whether `range` lets the project move to `wanted` without leaving its major. */
function allows(range: string, wanted: string): boolean {
  try {
    return (
      semver.intersects(range, wanted) &&
      semver.major(semver.minVersion(wanted) ?? '0.0.0') === semver.major(semver.minVersion(range) ?? '0.0.0')
    );
  } catch {
    return false;
  }
}
