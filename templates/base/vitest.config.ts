import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Limits for a test that hangs, not a speed target: on a busy CI machine, loading a provider's
    // SDK for the first time can take seconds, and vitest's default of 5 s would fail a correct test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
