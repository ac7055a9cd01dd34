import { describe, expect, it } from 'vitest';
import type { PluginDefinition } from '../../generators/define-plugin.js';
import { registry } from '../../generators/index.js';
import { parsePluginList, selectPlugins } from '../../src/plan/select-plugins.js';

const plugin = (id: string, requires?: string[]): PluginDefinition => ({
  id,
  name: id,
  category: 'auth',
  description: id,
  docsUrl: 'https://example.com',
  env: [],
  endpoints: [],
  ...(requires ? { requires } : {}),
});

describe('parsePluginList', () => {
  it('splits a comma list and trims spaces', () => {
    expect(parsePluginList('openai, s3', registry)).toEqual(['openai', 's3']);
  });

  it('expands all and none', () => {
    expect(parsePluginList('all', registry)).toEqual(registry.map((entry) => entry.id));
    expect(parsePluginList('none', registry)).toEqual([]);
  });

  it.each(['', ' , ', 'openai,,s3', 'openai,'])('rejects the malformed list %j', (value) => {
    expect(() => parsePluginList(value, registry)).toThrow(/--plugins list/);
  });
});

describe('selectPlugins', () => {
  it('returns plugins in registry order whatever the input order', () => {
    const { plugins } = selectPlugins(['s3', 'openai'], registry);
    expect(plugins.map((entry) => entry.id)).toEqual(['openai', 's3']);
  });

  it('pulls in required plugins, transitively, and says why', () => {
    const catalog = [plugin('a'), plugin('b', ['a']), plugin('c', ['b'])];
    const selection = selectPlugins(['c'], catalog);
    expect(selection.plugins.map((entry) => entry.id)).toEqual(['a', 'b', 'c']);
    expect(selection.pulledIn).toEqual([
      { id: 'b', requiredBy: 'c' },
      { id: 'a', requiredBy: 'b' },
    ]);
  });

  it('suggests the closest id for a typo', () => {
    expect(() => selectPlugins(['opnai'], registry)).toThrow('Unknown plugin "opnai" (did you mean "openai"?)');
  });

  it('does not suggest anything for an id far from every plugin', () => {
    expect(() => selectPlugins(['kubernetes'], registry)).toThrow(/^Unknown plugin "kubernetes"\. Run/);
  });

  it('names every unknown id at once', () => {
    expect(() => selectPlugins(['opnai', 'zzz'], registry)).toThrow(/Unknown plugins "opnai" \(did you mean "openai"\?\), "zzz"/);
  });
});
