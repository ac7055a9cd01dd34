import type { Block, CallExpression, Node as SyntaxNode, SourceFile } from 'ts-morph';
import { applySplices, parse, quoted, type Splice } from './register-plugins.js';
import { detectStyle, endOfLine, indentationAt } from './source-style.js';
import { tsMorph } from './ts-morph.js';

const { Node, SyntaxKind } = tsMorph();

/** What to insert into a hand-written app. */
export interface AppMount {
  /** Relative module specifier of the provider routes, as this file must write it. */
  specifier: string;
  /** The exported factory, called as `app.use(<name>())`. */
  importName: string;
}

export type MountResult = { status: 'mounted'; text: string } | { status: 'already-mounted' } | { status: 'no-anchor'; reason: string };

/**
 * Finds the Express app in a source file (`const app = express()`, at top level or inside a
 * factory such as `createApp()`) and splices in one import and one `app.use(...)` line: after
 * the app's last `app.use(...)`, else before `app.listen(...)`, else before `return app`. The
 * inserted lines follow the file's quotes, semicolons, indentation and line endings; nothing
 * else changes.
 */
export function mountInApp(text: string, fileName: string, mount: AppMount): MountResult {
  if (new RegExp(`\\b${mount.importName}\\(\\)`).test(text)) return { status: 'already-mounted' };
  const file = parse(text, fileName);
  const expressName = expressImportName(file);
  if (!expressName) return { status: 'no-anchor', reason: 'it does not import express' };
  const creation = file
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .find((call) => call.getExpression().getText() === expressName && call.getArguments().length === 0);
  const declaration = creation?.getParentIfKind(SyntaxKind.VariableDeclaration);
  if (!creation || !declaration) return { status: 'no-anchor', reason: `no \`const app = ${expressName}()\` was found` };

  const appName = declaration.getName();
  const block = enclosingBlock(creation);
  const anchor = findAnchor(block, appName);
  if (!anchor) return { status: 'no-anchor', reason: `no \`${appName}.use(...)\`, \`${appName}.listen(...)\` or \`return ${appName}\` follows the app's creation` };

  const style = detectStyle(text);
  const end = style.semicolon ? ';' : '';
  const indent = indentationAt(text, anchor.node.getStart());
  const useLine = `${indent}${appName}.use(${mount.importName}())${end}${style.eol}`;
  const splices: Splice[] = [
    { at: anchor.position === 'after' ? endOfLine(text, anchor.node.getEnd()) : lineStart(text, anchor.node.getStart()), text: useLine },
    { at: importPosition(file, text), text: importLine(file, mount, style) },
  ];
  return { status: 'mounted', text: applySplices(text, splices) };
}

function expressImportName(file: SourceFile): string | undefined {
  const esm = file.getImportDeclarations().find((declaration) => declaration.getModuleSpecifierValue() === 'express');
  const esmName = esm?.getDefaultImport()?.getText() ?? esm?.getNamespaceImport()?.getText();
  if (esmName) return esmName;
  const required = file.getDescendantsOfKind(SyntaxKind.VariableDeclaration).find((declaration) => isRequireOf(declaration.getInitializer(), 'express'));
  return required?.getName();
}

function isRequireOf(node: SyntaxNode | undefined, module: string): boolean {
  if (!node || !Node.isCallExpression(node)) return false;
  const [argument] = node.getArguments();
  return node.getExpression().getText() === 'require' && Node.isStringLiteral(argument) && argument.getLiteralValue() === module;
}

function enclosingBlock(node: SyntaxNode): Block | SourceFile {
  const block = node.getFirstAncestor((ancestor) => Node.isBlock(ancestor) || Node.isSourceFile(ancestor));
  return block as Block | SourceFile;
}

function findAnchor(block: Block | SourceFile, appName: string): { node: SyntaxNode; position: 'after' | 'before' } | undefined {
  const statements = block.getStatements();
  const calls = (method: string) =>
    statements.filter((statement) => {
      const call = statement.asKind(SyntaxKind.ExpressionStatement)?.getExpression();
      return call !== undefined && Node.isCallExpression(call) && calleeIs(call, appName, method);
    });
  const lastUse = calls('use').at(-1);
  if (lastUse) return { node: lastUse, position: 'after' };
  const listen = statements.find((statement) => statement.getDescendantsOfKind(SyntaxKind.CallExpression).some((call) => calleeIs(call, appName, 'listen')));
  if (listen) return { node: listen, position: 'before' };
  const returned = statements.find((statement) => statement.asKind(SyntaxKind.ReturnStatement)?.getExpression()?.getText() === appName);
  return returned ? { node: returned, position: 'before' } : undefined;
}

function calleeIs(call: CallExpression, object: string, method: string): boolean {
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) && callee.getExpression().getText() === object && callee.getName() === method;
}

function importLine(file: SourceFile, mount: AppMount, style: ReturnType<typeof detectStyle>): string {
  const end = style.semicolon ? ';' : '';
  const specifier = quoted(mount.specifier, style);
  const usesEsm = file.getImportDeclarations().length > 0;
  return usesEsm
    ? `import { ${mount.importName} } from ${specifier}${end}${style.eol}`
    : `const { ${mount.importName} } = require(${specifier})${end}${style.eol}`;
}

// After the last import (or top-level require), so the new one sits with its peers.
function importPosition(file: SourceFile, text: string): number {
  const lastImport = file.getImportDeclarations().at(-1);
  if (lastImport) return endOfLine(text, lastImport.getEnd());
  const lastRequire = file
    .getStatements()
    .filter((statement) => Node.isVariableStatement(statement) && statement.getDeclarations().some((declaration) => isRequireCall(declaration.getInitializer())))
    .at(-1);
  if (lastRequire) return endOfLine(text, lastRequire.getEnd());
  const first = file.getStatements()[0];
  return first ? lineStart(text, first.getStart()) : text.length;
}

function isRequireCall(node: SyntaxNode | undefined): boolean {
  return node !== undefined && Node.isCallExpression(node) && node.getExpression().getText() === 'require';
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
