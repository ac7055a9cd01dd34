import { defineConfig } from 'vitest/config';

// Snapshots of generated projects contain their own test files.
const exclude = ['tests/snapshots/**', 'node_modules/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'repo',
          include: ['tests/**/*.test.ts'],
          exclude: [...exclude, 'tests/e2e/**'],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Generated projects: install from the registry, typecheck, run their own suites (on Node 24:
        // tests/setup/project-node.ts), start servers and a browser. One file at a time, after the
        // fast tests, so they do not starve each other.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude,
          fileParallelism: false,
          globalSetup: ['tests/setup/postgres.ts', 'tests/setup/redis.ts', 'tests/setup/project-node.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
