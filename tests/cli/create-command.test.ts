import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCreate } from '../../src/cli/create-command.js';
import type { Prompter } from '../../src/cli/prompter.js';
import { CancelledError } from '../../src/errors.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'cpa-prompts-'));
  // runCreate reports on the process's own streams; keep the test output clean.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** A prompter that answers from a script and records what it was asked, in order. */
function scriptedPrompter(plugins: () => string[]): { prompter: Prompter; calls: string[] } {
  const calls: string[] = [];
  const prompter: Prompter = {
    directory: async () => {
      calls.push('directory');
      return path.join(cwd, 'my-api');
    },
    plugins: async () => {
      calls.push('plugins');
      return plugins();
    },
    confirm: async (message) => {
      calls.push(message);
      return false;
    },
    outro: (message) => calls.push(`outro: ${message}`),
    cancel: (message) => calls.push(`cancel: ${message}`),
  };
  return { prompter, calls };
}

describe('an interactive create', () => {
  it('asks what the flags leave open, then closes the frame with the outro before writing', async () => {
    const { prompter, calls } = scriptedPrompter(() => ['openai']);
    await runCreate(undefined, { pm: 'pnpm' }, { install: false, git: false }, prompter);
    expect(calls).toEqual(['directory', 'plugins', 'Install dependencies now?', 'Initialise a git repository?', 'outro: Creating my-api']);
    expect(process.exitCode).toBeUndefined();
    // Declining the install keeps it in the README's first steps.
    expect(readFileSync(path.join(cwd, 'my-api', 'README.md'), 'utf8')).toContain('```sh\npnpm install\n');
  });

  it('closes the frame with the cancel message when a question is cancelled, writes nothing and exits 130', async () => {
    const { prompter, calls } = scriptedPrompter(() => {
      throw new CancelledError();
    });
    await runCreate(undefined, {}, { install: false, git: false }, prompter);
    expect(calls).toEqual(['directory', 'plugins', 'cancel: Cancelled. Nothing was written.']);
    expect(process.exitCode).toBe(130);
    expect(existsSync(path.join(cwd, 'my-api'))).toBe(false);
  });

  it('asks nothing with --yes', async () => {
    const { prompter, calls } = scriptedPrompter(() => []);
    await runCreate(path.join(cwd, 'my-api'), { yes: true, install: false, git: false }, { install: true, git: true }, prompter);
    expect(calls).toEqual([]);
    expect(existsSync(path.join(cwd, 'my-api', 'package.json'))).toBe(true);
  });
});
