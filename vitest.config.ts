import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Snapshots of generated projects contain their own test files.
    exclude: ['tests/snapshots/**', 'node_modules/**'],
    // Generated-project tests install from the registry and run tsc: minutes, not seconds.
    testTimeout: 20_000,
    hookTimeout: 600_000,
  },
});
