import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package's `exports` as a consumer resolves them: Node resolves a package's own name through
// its `exports`, and the test script builds dist/ first.
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: { '.': { types: string; default: string } };
};

describe('the package entry (exports)', () => {
  it('points at files the build writes, types included', () => {
    for (const file of Object.values(packageJson.exports['.']))
      expect(existsSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)))).toBe(true);
  });

  it('imports, and plans a project without touching the disk', async () => {
    // A variable, so that typecheck (which may run before the build) does not resolve it to dist/.
    const name = 'create-provider-app';
    const library = (await import(name)) as typeof import('../../src/index.js');
    expect(library.registry.map((plugin) => plugin.id)).toContain('openai');
    const plan = library.planProject({
      name: 'from-library',
      plugins: library.registry.filter((plugin) => plugin.id === 'openai'),
      registry: library.registry,
      pm: 'npm',
      generator: 'test',
    });
    expect(plan.files.map((file) => file.path)).toContain('src/ai/openai/openai.service.ts');
  });
});
