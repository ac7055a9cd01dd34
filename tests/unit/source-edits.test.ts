import { describe, expect, it } from 'vitest';
import { addPluginEntries } from '../../src/edits/register-plugins.js';

describe('addPluginEntries', () => {
  const file =
    "import type { ProviderPlugin } from './lib/plugin.js';\nimport { openaiPlugin } from './ai/openai/index.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  openaiPlugin,\n];\n";

  it('adds one import and one entry per plugin', () => {
    expect(addPluginEntries(file, [{ exportName: 's3Plugin', specifier: './storage/s3/index.js' }])).toBe(
      "import type { ProviderPlugin } from './lib/plugin.js';\nimport { openaiPlugin } from './ai/openai/index.js';\nimport { s3Plugin } from './storage/s3/index.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  openaiPlugin,\n  s3Plugin,\n];\n",
    );
  });

  it('fills an empty list', () => {
    const empty = "import type { ProviderPlugin } from './lib/plugin.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [];\n";
    expect(addPluginEntries(empty, [{ exportName: 's3Plugin', specifier: './storage/s3/index.js' }])).toBe(
      "import type { ProviderPlugin } from './lib/plugin.js';\nimport { s3Plugin } from './storage/s3/index.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  s3Plugin,\n];\n",
    );
  });

  it('fills an empty list written over several lines, keeping its comment', () => {
    const empty =
      "import type { ProviderPlugin } from './lib/plugin.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  // Appended to.\n];\n";
    expect(addPluginEntries(empty, [{ exportName: 's3Plugin', specifier: './storage/s3/index.js' }])).toBe(
      "import type { ProviderPlugin } from './lib/plugin.js';\nimport { s3Plugin } from './storage/s3/index.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  // Appended to.\n  s3Plugin,\n];\n",
    );
  });

  it('keeps imports sorted by path sorted', () => {
    const sorted =
      "import { openaiPlugin } from './ai/openai/index.js';\nimport type { ProviderPlugin } from './lib/plugin.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  openaiPlugin,\n];\n";
    const entries = [
      { exportName: 's3Plugin', specifier: './storage/s3/index.js' },
      { exportName: 'jwtServicePlugin', specifier: './auth/jwt-service/index.js' },
      { exportName: 'claudePlugin', specifier: './ai/claude/index.js' },
    ];
    expect(addPluginEntries(sorted, entries)).toBe(
      "import { claudePlugin } from './ai/claude/index.js';\nimport { openaiPlugin } from './ai/openai/index.js';\nimport { jwtServicePlugin } from './auth/jwt-service/index.js';\nimport type { ProviderPlugin } from './lib/plugin.js';\nimport { s3Plugin } from './storage/s3/index.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  openaiPlugin,\n  s3Plugin,\n  jwtServicePlugin,\n  claudePlugin,\n];\n",
    );
  });

  it('is idempotent', () => {
    expect(addPluginEntries(file, [{ exportName: 'openaiPlugin', specifier: './ai/openai/index.js' }])).toBe(file);
  });

  it('returns undefined when there is no plugins array', () => {
    expect(addPluginEntries('export const x = 1;\n', [{ exportName: 'a', specifier: './a.js' }])).toBeUndefined();
  });
});
