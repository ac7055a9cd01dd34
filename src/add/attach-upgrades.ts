import path from 'node:path';
import type { Statement } from 'ts-morph';
import { importLine, importPosition } from '../edits/mount-in-app.js';
import { applySplices, parse } from '../edits/register-plugins.js';
import { detectStyle, endOfLine, indentationAt } from '../edits/source-style.js';
import { tsMorph } from '../edits/ts-morph.js';
import type { SourceText } from './app-site.js';

const { Node, SyntaxKind } = tsMorph();
const IMPORT_NAME = 'attachProviderUpgrades';

/** Where the app's HTTP server is made: `const server = app.listen(...)` or `http.createServer(app)`. */
export interface ServerSite {
  file: string;
  name: string;
  statement: Statement;
}

/** The first `const <name> = <x>.listen(...)` or `createServer(...)` in the project's sources. */
export function findServer(files: readonly SourceText[]): ServerSite | undefined {
  for (const file of files) {
    if (!/\.listen\(|createServer\(/.test(file.text)) continue;
    const source = parse(file.text, file.path);
    for (const declaration of source.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
      const init = declaration.getInitializer();
      if (!init || !Node.isCallExpression(init) || !Node.isIdentifier(declaration.getNameNode())) continue;
      const callee = init.getExpression();
      const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
      if (name !== 'listen' && name !== 'createServer') continue;
      const statement = declaration.getFirstAncestorByKind(SyntaxKind.VariableStatement);
      if (statement) return { file: file.path, name: declaration.getName(), statement };
    }
  }
  return undefined;
}

/** `attachProviderUpgrades(server)` after the server is made, with its import; the same text when no server is made there. */
export function attachAt(text: string, site: ServerSite, specifier: string): string {
  const style = detectStyle(text);
  const source = site.statement.getSourceFile();
  const line = `${indentationAt(text, site.statement.getStart())}${IMPORT_NAME}(${site.name})${style.semicolon ? ';' : ''}${style.eol}`;
  return applySplices(text, [
    { at: endOfLine(text, site.statement.getEnd()), text: line },
    { at: importPosition(source, text), text: importLine(source, { specifier, importName: IMPORT_NAME }, style) + style.eol },
  ]);
}

/** The one-line hint when add cannot find the server. */
export function attachHint(specifier: string): string {
  return `WebSocket endpoints (live transcription) need your HTTP server: add \`import { ${IMPORT_NAME} } from '${specifier}'\` and call \`${IMPORT_NAME}(server)\` where you create it (const server = app.listen(...)).`;
}

export const ATTACH_CALL = new RegExp(`\\b${IMPORT_NAME}\\(`);

/** The specifier of the providers' index as written from `from`. */
export function specifierFrom(from: string, adapterFile: string, extension: '.js' | ''): string {
  const target = extension === '.js' ? adapterFile.replace(/\.ts$/, '.js') : adapterFile.replace(/\/index\.ts$/, '');
  const relative = path.posix.relative(path.posix.dirname(from), target);
  return relative.startsWith('.') ? relative : `./${relative}`;
}
