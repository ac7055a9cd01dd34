import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitProject, stageProject } from '../../src/create.js';
import { readTree, runCli, runCliInterrupted } from '../helpers/cli.js';
import { copyFixture, runCliWith } from '../helpers/faults.js';

const args = ['my-api', '--plugins', 'all', '--no-install', '--no-git'];

describe('an interrupted create', () => {
  it('leaves either no project or the complete one, and no staging folder', async () => {
    const reference = mkdtempSync(path.join(tmpdir(), 'cpa-ref-'));
    const started = performance.now();
    runCli(args, reference);
    const runMs = performance.now() - started;
    const complete = readTree(path.join(reference, 'my-api'));

    const outcomes = new Set<string>();
    // Delays spread over start-up, planning and the commit, measured on this machine; the first
    // lands before Node has loaded anything, the last after the run has finished.
    const fractions = [0, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1, 1.1, 3];
    for (const [signal, delayMs] of fractions.flatMap((fraction) => [
      ['SIGINT', Math.max(1, fraction * runMs)] as const,
      ['SIGTERM', Math.max(1, fraction * runMs + 5)] as const,
    ])) {
      const cwd = mkdtempSync(path.join(tmpdir(), 'cpa-int-'));
      await runCliInterrupted(args, cwd, signal, delayMs);
      const target = path.join(cwd, 'my-api');
      if (existsSync(target)) {
        expect(readTree(target)).toEqual(complete);
        outcomes.add('complete');
      } else {
        outcomes.add('none');
      }
      expect(readdirSync(cwd).filter((entry) => entry !== 'my-api')).toEqual([]);
    }
    // Both outcomes must have been exercised for the test to mean anything.
    expect(outcomes).toEqual(new Set(['none', 'complete']));
  }, 60_000);
});

// The commit sends itself the signal through the CPA_TEST_SIGNAL_AFTER_STEP hook, so it lands
// mid-commit on every run, however busy the machine.
describe('a signal during the commit', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])('of create: %s finishes the project, exits %i, and neither installs nor inits git', (signal, exitCode) => {
    // What an uninterrupted run with the same choices writes (install on: the README skips that step).
    const reference = mkdtempSync(path.join(tmpdir(), 'cpa-ref-'));
    commitProject(
      stageProject({ directory: 'my-api', cwd: reference, plugins: ['openai'], pm: 'npm', force: false, installDependencies: true }),
    );

    const cwd = mkdtempSync(path.join(tmpdir(), 'cpa-sig-'));
    const result = runCliWith(['my-api', '--plugins', 'openai', '--pm', 'npm'], cwd, { CPA_TEST_SIGNAL_AFTER_STEP: `5:${signal}` });
    expect(result.exitCode).toBe(exitCode);
    expect(result.stderr).toContain(
      `Stopped by ${signal} after every file was written. The steps after writing (install, git) did not run.`,
    );
    expect(readTree(path.join(cwd, 'my-api'))).toEqual(readTree(path.join(reference, 'my-api')));
    expect(readdirSync(cwd)).toEqual(['my-api']);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])('of add: %s finishes the change, exits %i, and does not install', (signal, exitCode) => {
    const reference = copyFixture('esm-express5');
    expect(runCliWith(['add', 'openai', '--no-install'], reference).exitCode).toBe(0);

    const dir = copyFixture('esm-express5');
    // Step 40 is a rename: the journal and every temporary file are written by then.
    const result = runCliWith(['add', 'openai', '--pm', 'npm'], dir, { CPA_TEST_SIGNAL_AFTER_STEP: `40:${signal}` });
    expect(result.exitCode).toBe(exitCode);
    expect(readTree(dir)).toEqual(readTree(reference));
  });
});
