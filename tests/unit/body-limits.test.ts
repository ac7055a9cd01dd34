import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';

// The generated app has no body parser of its own (the Stripe webhook needs raw bytes): each route
// parses its body itself, so each parser has to say how much it reads. multer reads without end otherwise.
const PARSER = /\b(express\.(?:json|raw|text|urlencoded)|multer)\(/g;

/** Every body parser call in the templates' source files, with its arguments. */
function parserCalls(): { file: string; call: string }[] {
  const root = path.join(packageRoot(), 'templates');
  // Not tests, nor the templates workspace's packages and rendered copies (scripts/typecheck-templates.ts).
  const skipped = ['tests', 'node_modules', '.rendered'];
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
    (file) => /\.ts(\.hbs)?$/.test(file) && !file.split(path.sep).some((folder) => skipped.includes(folder)),
  );
  return files.flatMap((file) => {
    const source = readFileSync(path.join(root, file), 'utf8');
    const calls = [...source.matchAll(PARSER)].filter((match) => !inString(source, match.index ?? 0));
    return calls.map((match) => ({ file, call: `${match[1]}(${argumentsAt(source, (match.index ?? 0) + match[0].length)})` }));
  });
}

// A call named in a message, e.g. 'register express.json() after the router': an odd number of quotes before it on its line.
function inString(source: string, index: number): boolean {
  const line = source.slice(source.lastIndexOf('\n', index) + 1, index);
  return (line.match(/'/g) ?? []).length % 2 === 1;
}

// The text up to the parenthesis that closes the call.
function argumentsAt(source: string, start: number): string {
  let depth = 1;
  for (let end = start; end < source.length; end++) {
    if (source[end] === '(') depth++;
    if (source[end] === ')' && --depth === 0) return source.slice(start, end);
  }
  return source.slice(start);
}

describe('request bodies in generated code', () => {
  it('are parsed with an explicit size limit on every route', () => {
    const calls = parserCalls();
    expect(calls.length).toBeGreaterThan(10);
    for (const { file, call } of calls) expect(call, file).toMatch(/\blimits?:/);
  });
});
