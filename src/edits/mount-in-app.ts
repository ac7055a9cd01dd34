import type { SourceFile } from 'ts-morph';
import type { MountSite } from '../add/app-site.js';
import { applySplices, quoted, type Splice } from './register-plugins.js';
import { detectStyle, endOfLine, indentationAt, type SourceStyle } from './source-style.js';
import { tsMorph } from './ts-morph.js';

const { Node } = tsMorph();

/** What to insert into a hand-written app. */
export interface AppMount {
  /** Relative module specifier of the provider routes, as this file must write it. */
  specifier: string;
  /** The exported factory, called as `<receiver>.use(<name>())`. */
  importName: string;
}

/**
 * Splices one import and one `<receiver>.use(<name>())` line, with a comment saying why it sits
 * there, into the file of `site`. The lines follow the file's quotes, semicolons, indentation and
 * line endings; every other byte stays as it was.
 */
export function mountAt(text: string, site: MountSite, mount: AppMount): string {
  const style = detectStyle(text);
  const { statement, position } = site.anchor;
  if (position === 'export-default') return mountOnDefaultExport(text, site, mount, style);
  const firstComment = statement.getLeadingCommentRanges()[0];
  const start =
    position === 'before' ? lineStart(text, firstComment?.getPos() ?? statement.getStart()) : endOfLine(text, statement.getEnd());
  const indent = indentationAt(text, statement.getStart());
  const lines = [
    `${indent}// Provider plugins: ahead of body parsers and catch-alls, as their routes parse their own bodies.`,
    `${indent}${mountLine(site.receiver, mount, style)}`,
  ];
  const splices: Splice[] = [
    { at: start, text: lines.map((line) => line + style.eol).join('') },
    { at: importPosition(site.source, text), text: importLine(site.source, mount, style) + style.eol },
  ];
  return applySplices(text, splices);
}

/** `export default express()` → `const app = express()`, the mount, `export default app`. */
function mountOnDefaultExport(text: string, site: MountSite, mount: AppMount, style: SourceStyle): string {
  const { statement } = site.anchor;
  const expression = statement
    .getText()
    .replace(/^export\s+default\s+/, '')
    .replace(/;$/, '');
  const end = style.semicolon ? ';' : '';
  const indent = indentationAt(text, statement.getStart());
  const lines = [
    `const ${site.receiver} = ${expression}${end}`,
    `${indent}${mountLine(site.receiver, mount, style)}`,
    `${indent}export default ${site.receiver}${end}`,
  ];
  return applySplices(text, [
    { at: statement.getStart(), text: lines.join(style.eol), replace: statement.getWidth() },
    { at: importPosition(site.source, text), text: importLine(site.source, mount, style) + style.eol },
  ]);
}

/** `app.use(providerRoutes());` as this file writes it. */
export function mountLine(receiver: string, mount: AppMount, style: SourceStyle): string {
  return `${receiver}.use(${mount.importName}())${style.semicolon ? ';' : ''}`;
}

/** `import { providerRoutes } from './providers';` (or its require) as this file writes it. */
export function importLine(file: SourceFile, mount: AppMount, style: SourceStyle): string {
  const end = style.semicolon ? ';' : '';
  const specifier = quoted(mount.specifier, style);
  // TypeScript compiles import statements in any module system; only a plain CommonJS .js file needs require.
  const usesEsm =
    /\.[cm]?tsx?$/.test(file.getFilePath()) || file.getImportDeclarations().length > 0 || file.getExportAssignments().length > 0;
  return usesEsm ? `import { ${mount.importName} } from ${specifier}${end}` : `const { ${mount.importName} } = require(${specifier})${end}`;
}

/** After the last import (or top-level require), so a new one sits with its peers. */
export function importPosition(file: SourceFile, text: string): number {
  // The specifier's line, not the statement's end: `;(async () => {` on the next line ends an import without semicolons.
  const lastImport = file.getImportDeclarations().at(-1);
  if (lastImport) return endOfLine(text, lastImport.getModuleSpecifier().getEnd());
  const lastRequire = file
    .getStatements()
    .filter(
      (statement) =>
        Node.isVariableStatement(statement) &&
        statement.getDeclarations().some((declaration) => isRequireCall(declaration.getInitializer())),
    )
    .at(-1);
  if (lastRequire) return endOfLine(text, lastRequire.getEnd());
  const first = file.getStatements()[0];
  return first ? lineStart(text, first.getStart()) : text.length;
}

function isRequireCall(node: import('ts-morph').Node | undefined): boolean {
  return node !== undefined && Node.isCallExpression(node) && node.getExpression().getText() === 'require';
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
