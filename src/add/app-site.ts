import path from 'node:path';
import type { SourceFile, Statement, Node as SyntaxNode } from 'ts-morph';
import { parse } from '../edits/register-plugins.js';
import { tsMorph } from '../edits/ts-morph.js';

const { Node, SyntaxKind } = tsMorph();

/** A source file of the project: path relative to its root, and its text. */
export interface SourceText {
  path: string;
  text: string;
}

/**
 * Where `<receiver>.use(providerRoutes())` goes: before the anchor statement, after it when
 * nothing in the app's set-up has to come after our routes, or in place of an unnamed app.
 */
export interface MountSite {
  file: string;
  /** The expression the app is reached through here: `app`, `this.app`, a parameter's name. */
  receiver: string;
  /** `export-default`: `export default express()` becomes a named app that is mounted, then exported. */
  anchor: { position: 'before' | 'after' | 'export-default'; statement: Statement };
  /** Why this place: shown when add explains what it did. */
  reason: string;
  source: SourceFile;
}

/** A place the app is set up: the statements after `const app = express()`, a constructor, or a `configure(app)` function. */
interface SetupBody {
  file: SourceText;
  source: SourceFile;
  receiver: string;
  statements: Statement[];
  /** The statement that created the app, when it is in this body. */
  creation?: Statement;
  /** The app is created in `export default express()` and has no name yet. */
  unnamed?: boolean;
}

type Step = {
  statement: Statement;
  receiver: string;
  kind: 'transparent' | 'boundary' | 'registration';
  reason?: string;
  registers?: boolean;
  bodyParser?: boolean;
};

// Packages whose middleware answers requests itself, so our routes must come first.
const ANSWERING_PACKAGES = new Set([
  'swagger-ui-express',
  'redoc-express',
  'http-proxy-middleware',
  'express-http-proxy',
  'connect-history-api-fallback',
]);
const BODY_PARSERS = /^(express\.(json|urlencoded|raw|text)|bodyParser(\.(json|urlencoded|raw|text))?)$/;
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head', 'route']);
const SETTINGS = new Set(['set', 'enable', 'disable', 'engine', 'param', 'locals', 'disabled', 'enabled']);

/**
 * Finds where an Express app's routes are registered and picks the place for ours: before the
 * first body parser (Stripe's webhook needs raw bytes; our routes parse their own bodies), before
 * the first route, 404 or error handler, catch-all or anything mounted with a path, and after
 * plain middleware from packages (helmet, cors, morgan...). Pure: works on the texts given.
 */
export function findMountSite(files: readonly SourceText[]): MountSite | undefined {
  const bodies = files.flatMap((file) => (/['"]express['"]/.test(file.text) ? setupBodies(file) : []));
  const lookup = declarationLookup(files);
  const scored = bodies.map((body) => ({ body, steps: flatten(body, lookup) }));
  // The body that registers most is where the app is really assembled; a creation wins ties.
  scored.sort(
    (a, b) => registrations(b.steps) - registrations(a.steps) || Number(Boolean(b.body.creation)) - Number(Boolean(a.body.creation)),
  );
  const best = scored[0];
  if (!best) return undefined;
  const { body, steps } = best;
  const boundary = steps.find((step) => step.kind === 'boundary');
  const site = { file: body.file.path, source: body.source };
  if (boundary) {
    return {
      ...site,
      receiver: boundary.receiver,
      anchor: { position: 'before', statement: boundary.statement },
      reason: `${boundary.reason ?? ''}${passedOver(steps, boundary)}`,
    };
  }
  const last = steps.filter((step) => step.kind === 'registration').at(-1);
  if (last)
    return {
      ...site,
      receiver: last.receiver,
      anchor: { position: 'after', statement: last.statement },
      reason: 'after the app’s middleware',
    };
  if (body.creation && body.unnamed)
    return {
      ...site,
      receiver: body.receiver,
      anchor: { position: 'export-default', statement: body.creation },
      reason: 'where the app is created, now named so it can be mounted on',
    };
  if (body.creation)
    return {
      ...site,
      receiver: body.receiver,
      anchor: { position: 'after', statement: body.creation },
      reason: 'after the app is created',
    };
  return undefined;
}

/**
 * Ahead of a body parser, the plugins' routes also come before the middleware the app registers
 * after that parser (cors(), say): the user is told, as those no longer see the plugins' requests.
 */
function passedOver(steps: Step[], boundary: Step): string {
  if (!boundary.bodyParser) return '';
  const after = steps.slice(steps.indexOf(boundary) + 1);
  const end = after.findIndex((step) => step.kind === 'boundary' && !step.bodyParser);
  const skipped = (end === -1 ? after : after.slice(0, end)).filter((step) => step.kind === 'registration');
  if (skipped.length === 0) return '';
  return `; ${skipped.map((step) => `\`${firstLine(step.statement)}\``).join(', ')}, registered after that parser, ${skipped.length === 1 ? 'does' : 'do'} not apply to the plugins' routes`;
}

/** Middleware and routes registered on the app itself (not `listen`, not the app handed elsewhere). */
function registrations(steps: Step[]): number {
  return steps.filter((step) => step.registers).length;
}

/** Every place in a file where an app is created or handed in to be configured. */
function setupBodies(file: SourceText): SetupBody[] {
  const source = parse(file.text, file.path);
  const express = expressNames(source);
  const bodies: SetupBody[] = [];
  for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression().getText();
    if (!express.has(callee) && !express.has(callee.replace(/\.default$/, ''))) continue;
    if (call.getArguments().length > 0) continue;
    const statement = call.getFirstAncestor(
      (node) => Node.isStatement(node) && (Node.isBlock(node.getParent()) || Node.isSourceFile(node.getParent())),
    ) as Statement | undefined;
    if (!statement) continue;
    if (Node.isExportAssignment(statement) && !statement.isExportEquals()) {
      bodies.push({ file, source, receiver: freeName(source, 'app'), statements: [], creation: statement, unnamed: true });
      continue;
    }
    const receiver = receiverOf(call);
    if (!receiver) continue;
    const container = statement.getParent() as SourceFile | import('ts-morph').Block;
    const statements = container.getStatements();
    bodies.push({ file, source, receiver, statements: statements.slice(statements.indexOf(statement) + 1), creation: statement });
  }
  // Functions that receive the app: `function configure(app: Express) { app.use(...) }`.
  for (const fn of [
    ...source.getDescendantsOfKind(SyntaxKind.FunctionDeclaration),
    ...source.getDescendantsOfKind(SyntaxKind.ArrowFunction),
    ...source.getDescendantsOfKind(SyntaxKind.MethodDeclaration),
  ]) {
    const parameter = fn.getParameters().find((candidate) => /\b(Express|Application)\b/.test(candidate.getTypeNode()?.getText() ?? ''));
    const block = fn.getBody();
    if (!parameter || !block || !Node.isBlock(block)) continue;
    bodies.push({ file, source, receiver: parameter.getName(), statements: block.getStatements() });
  }
  return bodies;
}

/** `app` of `const app = express()`, `this.app` of `this.app = express()`. */
function receiverOf(call: SyntaxNode): string | undefined {
  let node = call.getParent();
  while (node && isWrapper(node)) node = node.getParent();
  if (node && Node.isVariableDeclaration(node)) return node.getName();
  if (node && Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.EqualsToken)
    return node.getLeft().getText();
  return undefined;
}

/** `app`, or `app2`... when the file already uses the name. */
function freeName(source: SourceFile, wanted: string): string {
  const used = new Set(source.getDescendantsOfKind(SyntaxKind.Identifier).map((identifier) => identifier.getText()));
  let name = wanted;
  for (let index = 2; used.has(name); index += 1) name = `${wanted}${index}`;
  return name;
}

/** `x as any`, `(x)`, `x!`, `x satisfies T`: the same value for our purposes. */
function isWrapper(node: SyntaxNode): boolean {
  return (
    Node.isAsExpression(node) ||
    Node.isParenthesizedExpression(node) ||
    Node.isSatisfiesExpression(node) ||
    Node.isNonNullExpression(node) ||
    Node.isTypeAssertion(node)
  );
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (isWrapper(current)) current = (current as import('ts-morph').AsExpression).getExpression();
  return current;
}

/** Local names express is imported under: `import express`, `import * as express`, `require('express')`. */
function expressNames(source: SourceFile): Set<string> {
  const names = new Set<string>();
  for (const declaration of source.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== 'express') continue;
    const name = declaration.getDefaultImport()?.getText() ?? declaration.getNamespaceImport()?.getText();
    if (name) names.add(name);
  }
  for (const declaration of source.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const init = declaration.getInitializer();
    if (
      init &&
      Node.isCallExpression(init) &&
      init.getExpression().getText() === 'require' &&
      init.getArguments()[0]?.getText().slice(1, -1) === 'express'
    ) {
      names.add(declaration.getName());
    }
  }
  // `import express = require('express')`, TypeScript's CommonJS form.
  for (const declaration of source.getDescendantsOfKind(SyntaxKind.ImportEqualsDeclaration)) {
    if (/^require\((['"])express\1\)$/.test(declaration.getModuleReference().getText())) names.add(declaration.getName());
  }
  return names;
}

/**
 * The set-up statements in the order they run: calls of the same class's methods
 * (`this.routes()`) and of same-file functions handed the app (`configure(app)`) are followed.
 */
function flatten(body: SetupBody, lookup: Lookup, depth = 0): Step[] {
  const steps: Step[] = [];
  for (const statement of body.statements) {
    const followed = depth < 3 ? follow(statement, body) : undefined;
    if (followed) steps.push(...flatten(followed, lookup, depth + 1));
    else steps.push(classify(statement, body.receiver, body.source, lookup));
  }
  return steps;
}

function follow(statement: Statement, body: SetupBody): SetupBody | undefined {
  const call = statement.asKind(SyntaxKind.ExpressionStatement)?.getExpression().asKind(SyntaxKind.CallExpression);
  if (!call) return undefined;
  const callee = call.getExpression();
  if (
    Node.isPropertyAccessExpression(callee) &&
    callee.getExpression().getKind() === SyntaxKind.ThisKeyword &&
    body.receiver.startsWith('this.')
  ) {
    const method = call.getFirstAncestorByKind(SyntaxKind.ClassDeclaration)?.getMethod(callee.getName());
    const block = method?.getBody();
    return block && Node.isBlock(block) ? { ...body, statements: block.getStatements(), creation: undefined } : undefined;
  }
  if (Node.isIdentifier(callee)) {
    const index = call.getArguments().findIndex((argument) => argument.getText() === body.receiver);
    const fn = body.source.getFunction(callee.getText());
    const parameter = fn?.getParameters()[index];
    const block = fn?.getBody();
    if (index === -1 || !parameter || !block || !Node.isBlock(block)) return undefined;
    return { ...body, receiver: parameter.getName(), statements: block.getStatements(), creation: undefined };
  }
  return undefined;
}

/** Whether a set-up statement may stay ahead of our routes (transparent) or must come after them (boundary). */
function classify(statement: Statement, receiver: string, source: SourceFile, lookup: Lookup): Step {
  const step = (kind: Step['kind'], reason?: string, registers = false): Step => ({
    statement,
    receiver,
    kind,
    registers,
    ...(reason ? { reason } : {}),
  });
  const expression = statement.asKind(SyntaxKind.ExpressionStatement)?.getExpression();
  if (!expression || !Node.isCallExpression(expression) || !isCallOn(expression, receiver)) {
    if (Node.isReturnStatement(statement) && statement.getExpression()?.getText() === receiver)
      return step('boundary', `before \`return ${receiver}\``);
    // The app handed to code we cannot see into (registerRoutes(app), http.createServer(app)) may register anything after it.
    const handedOn = statement
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .find((call) => isCallOn(call, receiver, 'listen') || call.getArguments().some((argument) => argument.getText() === receiver));
    if (handedOn) return step('boundary', `before \`${firstLine(statement)}\``);
    // A block or condition around registrations counts as its most restrictive registration.
    const inner = statement
      .getDescendantsOfKind(SyntaxKind.ExpressionStatement)
      .map((inside) => classify(inside, receiver, source, lookup));
    const boundary = inner.find((candidate) => candidate.kind === 'boundary');
    const registers = inner.some((candidate) => candidate.registers);
    if (boundary) return step('boundary', boundary.reason, registers);
    return step(inner.some((candidate) => candidate.kind === 'registration') ? 'registration' : 'transparent', undefined, registers);
  }
  const callee = expression.getExpression();
  const args = expression.getArguments();
  const method = (callee as import('ts-morph').PropertyAccessExpression).getName();
  const what = `\`${firstLine(statement)}\``;
  if (SETTINGS.has(method) || (method === 'get' && args.length === 1)) return step('transparent');
  if (method === 'listen') return step('boundary', `before ${what}`);
  if (ROUTE_METHODS.has(method)) return step('boundary', `before the app's first route, ${what}`, true);
  if (method !== 'use') return step('transparent');
  const [first] = args;
  if (!first || args.length > 1 || !isPlainMiddleware(first, source, lookup)) {
    if (first && args.length === 1 && isBodyParser(unwrap(first), source))
      return { ...step('boundary', 'before the first body parser', true), bodyParser: true };
    return step('boundary', `before ${what}`, true);
  }
  return step('registration', undefined, true);
}

function isCallOn(call: import('ts-morph').CallExpression, receiver: string, method?: string): boolean {
  const callee = call.getExpression();
  return (
    Node.isPropertyAccessExpression(callee) &&
    callee.getExpression().getText() === receiver &&
    (method === undefined || callee.getName() === method)
  );
}

function firstLine(statement: Statement): string {
  const line = statement.getText().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/** `express.json()`, `bodyParser.urlencoded()`, or `json()` imported from express or body-parser. */
function isBodyParser(node: SyntaxNode, source: SourceFile): boolean {
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression().getText();
  if (BODY_PARSERS.test(callee)) return true;
  const origin = importOrigin(source, callee);
  return (origin === 'express' || origin === 'body-parser') && /^(json|urlencoded|raw|text)$/.test(importedName(source, callee) ?? '');
}

/** The exported name a local name was imported as: `json` for `import { json as parseJson }`. */
function importedName(source: SourceFile, local: string): string | undefined {
  for (const declaration of source.getImportDeclarations()) {
    const named = declaration.getNamedImports().find((specifier) => (specifier.getAliasNode()?.getText() ?? specifier.getName()) === local);
    if (named) return named.getName();
  }
  return undefined;
}

/** Finds what a name imported from a relative module is declared as, in the project's other files. */
type Lookup = (from: SourceFile, name: string) => { node: SyntaxNode; source: SourceFile } | undefined;

function declarationLookup(files: readonly SourceText[]): Lookup {
  const parsed = new Map<string, SourceFile>();
  return (from, name) => {
    const origin = importOrigin(from, name);
    if (!origin?.startsWith('.')) return undefined;
    const base = path.posix.join(path.posix.dirname(from.getFilePath().slice(1)), origin).replace(/\.[cm]?js$/, '');
    const file = files.find((candidate) => [`${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`].includes(candidate.path));
    if (!file) return undefined;
    if (!parsed.has(file.path)) parsed.set(file.path, parse(file.text, file.path));
    const source = parsed.get(file.path) as SourceFile;
    const node = source.getFunction(name) ?? source.getVariableDeclaration(name)?.getInitializer() ?? defaultExport(source);
    return node ? { node, source } : undefined;
  };
}

function defaultExport(source: SourceFile): SyntaxNode | undefined {
  const assignment = source.getExportAssignment((candidate) => !candidate.isExportEquals())?.getExpression();
  if (!assignment) return source.getFunctions().find((fn) => fn.isDefaultExport());
  return Node.isIdentifier(assignment)
    ? (source.getFunction(assignment.getText()) ?? source.getVariableDeclaration(assignment.getText())?.getInitializer())
    : assignment;
}

/** Middleware that passes requests on: a package's factory (`helmet()`), or a `(req, res, next)` that calls next(). */
function isPlainMiddleware(node: SyntaxNode, source: SourceFile, lookup: Lookup, depth = 0): boolean {
  const argument = unwrap(node);
  if (Node.isCallExpression(argument)) {
    const callee = argument.getExpression().getText();
    // A router answers the paths it has: the app's routes, not middleware that passes everything on.
    if (isBodyParser(argument, source) || /(^|\.)Router$/.test(callee)) return false;
    if (/^express\.static$/.test(callee)) return true;
    // `require('cors')()` names its package inline.
    const origin = /^require\((['"])(.+)\1\)$/.exec(callee)?.[2] ?? importOrigin(source, callee.split(/[.(]/)[0] ?? '');
    return origin !== undefined && !origin.startsWith('.') && !ANSWERING_PACKAGES.has(origin);
  }
  if (Node.isArrowFunction(argument) || Node.isFunctionExpression(argument) || Node.isFunctionDeclaration(argument))
    return passesOn(argument);
  if (Node.isIdentifier(argument) && depth < 2) {
    const local = source.getFunction(argument.getText()) ?? source.getVariableDeclaration(argument.getText())?.getInitializer();
    if (local) return isPlainMiddleware(local, source, lookup, depth + 1);
    const imported = lookup(source, argument.getText());
    return imported !== undefined && isPlainMiddleware(imported.node, imported.source, lookup, depth + 1);
  }
  return false;
}

function passesOn(
  fn: import('ts-morph').FunctionDeclaration | import('ts-morph').ArrowFunction | import('ts-morph').FunctionExpression,
): boolean {
  const parameters = fn.getParameters();
  const next = parameters[2]?.getName();
  if (parameters.length !== 3 || !next) return false;
  return fn
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .some((call) => call.getExpression().getText() === next && call.getArguments().length === 0);
}

/** The module a local name is imported or required from. */
function importOrigin(source: SourceFile, name: string): string | undefined {
  for (const declaration of source.getImportDeclarations()) {
    const names = [
      declaration.getDefaultImport()?.getText(),
      declaration.getNamespaceImport()?.getText(),
      ...declaration.getNamedImports().map((named) => named.getAliasNode()?.getText() ?? named.getName()),
    ];
    if (names.includes(name)) return declaration.getModuleSpecifierValue();
  }
  const required = source.getVariableDeclaration(name)?.getInitializer();
  if (required && Node.isCallExpression(required) && required.getExpression().getText() === 'require')
    return required.getArguments()[0]?.getText().slice(1, -1);
  const assigned = source.getDescendantsOfKind(SyntaxKind.ImportEqualsDeclaration).find((declaration) => declaration.getName() === name);
  return assigned ? /^require\((['"])(.+)\1\)$/.exec(assigned.getModuleReference().getText())?.[2] : undefined;
}
