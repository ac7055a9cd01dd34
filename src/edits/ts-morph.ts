import { createRequire } from 'node:module';

/**
 * ts-morph, loaded with require() on first use. An ESM `import` of it would make Node scan its
 * bundled TypeScript compiler (about 9 MB of CommonJS) for named exports on every run of add.
 */
export function tsMorph(): typeof import('ts-morph') {
  return createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph');
}
