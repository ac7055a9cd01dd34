import semver from 'semver';
import { UserError } from '../errors.js';

/**
 * The oldest compiler the plugins' code and the type files it pulls in can be read by: zod 3.25
 * needs 4.5, the @types/node 20 that stripe requires needs 4.7. zod 4's own types need 5.0.
 */
export const MIN_TYPESCRIPT = '4.7.0';
const ZOD_4_TYPESCRIPT = '5.0.0';
const ZOD_FOR_OLD_TYPESCRIPT = '^3.25.0';

/** The project's compiler: the range it declares and the version it runs (installed, locked, or the range's floor). */
export interface ProjectTypescript {
  range?: string;
  version?: string;
  /** `skipLibCheck` as its tsconfig.json sets it; undefined when it extends another config. */
  skipLibCheck?: boolean;
}

/** What the compiler asks of package.json: a raised floor for typescript, and the zod range to add. */
export interface TypescriptNeeds {
  /** Set when the version it runs is too old but its own range allows a new enough one: `^4.7.0`. */
  raiseTo?: string;
  zod: string;
  note?: string;
}

/**
 * Fits the plugins to the compiler. A version its range allows us past is raised within that
 * range (a fresh install would have taken it anyway); one its range pins below the minimum stops
 * add with the version to move to. zod is 3.25 for compilers older than zod 4's types need.
 */
export function typescriptNeeds(typescript: ProjectTypescript, zod: string): TypescriptNeeds {
  const { range, version } = typescript;
  if (!version || semver.gte(version, MIN_TYPESCRIPT)) return { zod: version && semver.lt(version, ZOD_4_TYPESCRIPT) ? ZOD_FOR_OLD_TYPESCRIPT : zod };
  const raiseTo = `^${MIN_TYPESCRIPT}`;
  if (!range || !allows(range, raiseTo)) {
    throw new UserError(
      `This project compiles with TypeScript ${version}${range ? ` (typescript ${range})` : ''}; the plugins' code and the SDK types it uses need TypeScript ${MIN_TYPESCRIPT} or later. Nothing was written. Move to a newer compiler (npm install -D typescript@^4.9), then run add again.`,
    );
  }
  return {
    raiseTo,
    zod: ZOD_FOR_OLD_TYPESCRIPT,
    note: `typescript: the project runs ${version}, which cannot read the plugins' types; its range ${range} allows ${MIN_TYPESCRIPT}+, so it is now ${raiseTo}.`,
  };
}

function allows(range: string, wanted: string): boolean {
  try {
    return semver.intersects(range, wanted) && semver.major(semver.minVersion(wanted) ?? '0.0.0') === semver.major(semver.minVersion(range) ?? '0.0.0');
  } catch {
    return false;
  }
}

// SDKs whose own type files do not compile when library types are checked (measured with TypeScript 5.9).
const SDKS_NEEDING_SKIP_LIB_CHECK = ['@electric-sql/pglite', '@google/genai', '@elevenlabs/elevenlabs-js', 'mailgun.js', '@deepgram/sdk'];

/** A note when the project checks library types and a new SDK's own types fail that check. */
export function libCheckNote(typescript: ProjectTypescript, dependencies: Record<string, string>): string | undefined {
  if (typescript.skipLibCheck !== false) return undefined;
  const failing = SDKS_NEEDING_SKIP_LIB_CHECK.filter((name) => name in dependencies);
  if (failing.length === 0) return undefined;
  return `The type files of ${failing.join(', ')} have errors of their own, which your tsconfig.json reports because it checks library types: set "skipLibCheck": true in its compilerOptions.`;
}
