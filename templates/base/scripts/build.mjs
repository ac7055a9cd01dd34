// `npm run build`: the server for production, in dist/. Our code and the packages every request goes
// through are bundled into a few files, so Node need not find, read and link the several hundred
// modules they are made of: the server answers its first request about a third sooner. Every other
// package (provider SDKs, database drivers, swagger-ui-dist) stays in node_modules and loads on first
// use, as in development. `npm run build` type-checks first; esbuild only strips the types.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// The server's own framework, bundled with what it imports. Any other package our code imports is
// loaded from node_modules at run time.
const BUNDLED_PACKAGES = new Set(['cors', 'express', 'express-rate-limit', 'helmet', 'pino', 'pino-http', 'zod']);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub/path` → `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

// Chunk names change with their content: files of an earlier build would pile up.
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/server.ts'],
  outdir: 'dist',
  bundle: true,
  // Each module loaded on first use (a plugin's routes) becomes a file of its own, loaded as late.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS code (Express and its dependencies) calls require() for Node's own modules.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
  plugins: [
    {
      name: 'unbundled-packages',
      setup(bundler) {
        bundler.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
          // What a bundled package imports is bundled with it.
          if (/[\\/]node_modules[\\/]/.test(importer)) return undefined;
          if (path.startsWith('node:') || !BUNDLED_PACKAGES.has(packageName(path))) return { path, external: true };
          return undefined;
        });
      },
    },
  ],
});
