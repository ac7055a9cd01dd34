import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Generated-project tests install from the registry and run tsc: minutes, not seconds.
    testTimeout: 20_000,
    hookTimeout: 600_000,
  },
});
