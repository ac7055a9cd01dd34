import { applyEdits, modify, type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import semver from 'semver';
import { UserError } from '../errors.js';

export type DependencyField = 'dependencies' | 'devDependencies';

/** A package the project already has in a range that cannot satisfy a plugin. */
export interface DependencyConflict {
  name: string;
  existing: string;
  wanted: string;
}

export interface DependencyUpsert {
  content: string;
  added: string[];
  conflicts: DependencyConflict[];
}

/** What to do with a conflicting range: keep the project's, or replace it with ours. */
export type ConflictResolution = (conflict: DependencyConflict) => 'keep' | 'replace';

// Specs that are not registry ranges belong to the project's own tooling: never touched.
const PROTOCOL_SPEC = /^(workspace|catalog|npm|file|link|git|git\+\w+|github|https?):/;

/**
 * Adds missing dependencies to package.json text, keeping its formatting: key order, indent,
 * line endings and final newline. A range already there is kept when it intersects the wanted
 * one (in either dependency field); otherwise `resolve` decides, and the conflict is reported.
 */
export function upsertDependencies(
  content: string,
  wanted: Record<DependencyField, Record<string, string>>,
  resolve: ConflictResolution,
): DependencyUpsert {
  const pkg = parsePackageJson(content);
  const formatting = formattingOf(content);
  let text = content;
  const added: string[] = [];
  const conflicts: DependencyConflict[] = [];

  for (const field of ['dependencies', 'devDependencies'] as const) {
    for (const [name, range] of Object.entries(wanted[field])) {
      const existingField = (['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const).find(
        (candidate) => typeof pkg[candidate]?.[name] === 'string',
      );
      const existing = existingField ? pkg[existingField]?.[name] : undefined;
      if (existing !== undefined && existingField) {
        if (PROTOCOL_SPEC.test(existing) || rangesMeet(existing, range)) continue;
        const conflict = { name, existing, wanted: range };
        conflicts.push(conflict);
        if (resolve(conflict) === 'keep') continue;
        text = setDependency(text, existingField, name, range, formatting);
        continue;
      }
      text = setDependency(text, field, name, range, formatting);
      added.push(name);
    }
  }
  return { content: text, added, conflicts };
}

/** Sets the range of a dependency the project declares, in the field it is in, keeping the formatting. */
export function setDependencyRange(content: string, name: string, range: string): string {
  const pkg = parsePackageJson(content);
  const field = (['dependencies', 'devDependencies'] as const).find((candidate) => typeof pkg[candidate]?.[name] === 'string');
  if (!field) return content;
  return setDependency(content, field, name, range, formattingOf(content));
}

type PackageJson = Partial<Record<DependencyField | 'peerDependencies' | 'optionalDependencies', Record<string, string>>>;

/** Parses package.json, failing with the position of the first syntax error. */
export function parsePackageJson(content: string, file = 'package.json'): PackageJson & Record<string, unknown> {
  const errors: ParseError[] = [];
  const value = parse(content.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: false, disallowComments: true }) as unknown;
  const first = errors[0];
  if (first) {
    const line = content.slice(0, first.offset).split('\n').length;
    throw new UserError(
      `${file} is not valid JSON (${printParseErrorCode(first.error)} on line ${line}). Fix it and run the command again.`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`${file} must contain a JSON object. Fix it and run the command again.`);
  }
  return value as PackageJson & Record<string, unknown>;
}

function rangesMeet(existing: string, wanted: string): boolean {
  try {
    return semver.intersects(existing, wanted);
  } catch {
    // Not a semver range (a tag such as "latest"): the project chose it on purpose.
    return true;
  }
}

function setDependency(
  text: string,
  field: string,
  name: string,
  range: string,
  formatting: { insertSpaces: boolean; tabSize: number; eol: string },
): string {
  const edits = modify(text, [field, name], range, {
    formattingOptions: formatting,
    // Keep an alphabetical list alphabetical; anything else gets the new key at the end.
    getInsertionIndex: (properties) => {
      const sorted = properties.every((key, index) => index === 0 || (properties[index - 1] as string) <= key);
      return sorted ? properties.filter((key) => key < name).length : properties.length;
    },
  });
  return applyEdits(text, edits);
}

/** The indentation and line endings package.json is written with, for edits that keep them. */
function formattingOf(content: string) {
  return { insertSpaces: !/^\t/m.test(content), tabSize: detectIndent(content), eol: content.includes('\r\n') ? '\r\n' : '\n' };
}

function detectIndent(content: string): number {
  const match = /^( +)"/m.exec(content);
  return match?.[1]?.length ?? 2;
}
