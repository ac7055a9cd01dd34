// Packages that set `module.exports` to their API and have no `default` export: under CommonJS
// output without esModuleInterop, `import x from 'pkg'` reads the missing `.default` (checked with
// each package's current major: `require(pkg).default` is undefined).
const EXPORT_ASSIGNED = new Set([
  'express',
  'multer',
  'stripe',
  'form-data',
  'jsonwebtoken',
  'passport',
  'ws',
  '@sendgrid/mail',
  '@sendgrid/client',
]);

const DEFAULT_IMPORT = /^import (?:type )?(\w+)(?:, \{([^}]*)\})? from (['"])([^'"]+)\3;$/gm;

/**
 * `import express, { Router } from 'express';` → `import express = require('express');` plus
 * `import { Router } from 'express';`: the form that works in a CommonJS project without
 * esModuleInterop, for the packages above (a type-only import too: TypeScript drops it from the
 * output all the same). Other lines are left as they are.
 */
export function requireStyleImports(content: string): string {
  return content.replace(DEFAULT_IMPORT, (line, name: string, named: string | undefined, quote: string, module: string) => {
    if (!EXPORT_ASSIGNED.has(module)) return line;
    const assignment = `import ${name} = require(${quote}${module}${quote});`;
    return named ? `${assignment}\nimport {${named}} from ${quote}${module}${quote};` : assignment;
  });
}
