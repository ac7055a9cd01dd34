import { defineConfig } from 'vitest/config';

// Snapshots of generated projects contain their own test files.
const exclude = ['tests/snapshots/**', 'node_modules/**'];
const cliRuns = ['tests/cli/add.test.ts', 'tests/cli/faults.test.ts', 'tests/cli/interrupt.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        // The fast loop (`npm test`): everything that runs in this process or spawns the CLI a few times.
        test: {
          name: 'repo',
          include: ['tests/**/*.test.ts'],
          exclude: [...exclude, 'tests/e2e/**', ...cliRuns],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The CLI run as a process dozens of times per test: killed at every step of a commit,
        // interrupted, `add` on each fixture. `npm run test:e2e` runs them before the generated projects.
        test: {
          name: 'cli',
          include: cliRuns,
          testTimeout: 120_000,
          sequence: { groupOrder: 1 },
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
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
