import type { SourceFile } from 'ts-morph';
import { detectStyle, endOfLine, indentationAt, type SourceStyle } from './source-style.js';
import { tsMorph } from './ts-morph.js';

const { Project, SyntaxKind } = tsMorph();

/** One plugin entry of the plugins file: `import { <exportName> } from '<specifier>'` plus its array element. */
export interface PluginEntry {
  exportName: string;
  specifier: string;
}

/**
 * Adds imports and array entries to a plugins file (`export const plugins = [...]`). Only text
 * is spliced in at positions ts-morph finds; every other byte stays as it was. Entries already
 * listed are skipped, so a second run returns the input unchanged. Returns undefined when the
 * file has no `plugins` array to extend.
 */
export function addPluginEntries(text: string, entries: readonly PluginEntry[]): string | undefined {
  const file = parse(text);
  const array = file.getVariableDeclaration('plugins')?.getInitializerIfKind(SyntaxKind.ArrayLiteralExpression);
  if (!array) return undefined;
  const listed = new Set(array.getElements().map((element) => element.getText()));
  const missing = entries.filter((entry) => !listed.has(entry.exportName));
  if (missing.length === 0) return text;

  const style = detectStyle(text);
  const elements = array.getElements();
  const last = elements[elements.length - 1];
  const splices: Splice[] = [];

  // Each import goes before the first one whose path sorts after it, so imports sorted by path (ours,
  // as Biome keeps them) stay sorted and adding plugins one by one gives what creating with them does.
  const imports = file.getImportDeclarations();
  const lastImport = imports.at(-1);
  const importsAt = new Map<number, string>();
  for (const entry of [...missing].sort((a, b) => (a.specifier < b.specifier ? -1 : a.specifier > b.specifier ? 1 : 0))) {
    const next = imports.find((declaration) => declaration.getModuleSpecifierValue() > entry.specifier);
    const at = next ? text.lastIndexOf('\n', next.getStart() - 1) + 1 : lastImport ? endOfLine(text, lastImport.getEnd()) : 0;
    const line = `import { ${entry.exportName} } from ${quoted(entry.specifier, style)}${style.semicolon ? ';' : ''}${style.eol}`;
    importsAt.set(at, (importsAt.get(at) ?? '') + line);
  }
  for (const [at, importText] of importsAt) splices.push({ at, text: importText });

  if (last) {
    const indent = indentationAt(text, last.getStart());
    const hasTrailingComma = text.slice(last.getEnd(), array.getEnd()).includes(',');
    const afterLast = hasTrailingComma ? text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
    const added = missing.map((entry) => `${style.eol}${indent}${entry.exportName}`).join(',');
    splices.push({ at: afterLast, text: `${hasTrailingComma ? '' : ','}${added}${hasTrailingComma ? ',' : ''}` });
  } else if (array.getText().includes('\n')) {
    // An empty list over several lines (a new project's holds a comment) keeps them: entries go before the `]` line.
    const indent = indentationAt(text, array.getStart()) + style.indentUnit;
    const closingLine = text.lastIndexOf('\n', array.getEnd() - 1) + 1;
    splices.push({ at: closingLine, text: missing.map((entry) => `${indent}${entry.exportName},${style.eol}`).join('') });
  } else {
    const indent = indentationAt(text, array.getStart()) + style.indentUnit;
    const body = missing.map((entry) => `${indent}${entry.exportName},${style.eol}`).join('');
    splices.push({
      at: array.getStart(),
      text: `[${style.eol}${body}${indentationAt(text, array.getStart())}]`,
      replace: array.getWidth(),
    });
  }
  return applySplices(text, splices);
}

export interface Splice {
  at: number;
  text: string;
  /** Characters replaced at `at` (0: a pure insertion). */
  replace?: number;
}

/** Applies insertions from the end backwards so earlier offsets stay valid. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  return [...splices]
    .sort((a, b) => b.at - a.at)
    .reduce((result, splice) => result.slice(0, splice.at) + splice.text + result.slice(splice.at + (splice.replace ?? 0)), text);
}

export function quoted(value: string, style: SourceStyle): string {
  return `${style.quote}${value}${style.quote}`;
}

/** Parses text without touching disk or type-checking: only positions are needed. */
export function parse(text: string, fileName = 'file.ts'): SourceFile {
  const project = new Project({ useInMemoryFileSystem: true, skipFileDependencyResolution: true, compilerOptions: { allowJs: true } });
  // A BOM becomes a space so every offset ts-morph reports is an offset into the original text.
  return project.createSourceFile(fileName, text.replace(/^\uFEFF/, ' '));
}
