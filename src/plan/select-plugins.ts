import { closest, distance } from 'fastest-levenshtein';
import type { PluginDefinition } from '../../generators/define-plugin.js';
import { UserError } from '../errors.js';

export interface PluginSelection {
  /** Chosen plugins plus the ones they require, in registry order. */
  plugins: PluginDefinition[];
  /** Plugins added because another one requires them, for a notice to the user. */
  pulledIn: { id: string; requiredBy: string }[];
}

/** Parses a `--plugins` value: a comma list of ids, `all`, or `none`. */
export function parsePluginList(value: string, registry: readonly PluginDefinition[]): string[] {
  const ids = value.split(',').map((id) => id.trim());
  if (ids.every((id) => id === '')) {
    throw new UserError('The --plugins list is empty. Pass ids separated by commas (e.g. --plugins openai,s3), "all", or "none".');
  }
  if (ids.some((id) => id === '')) {
    throw new UserError(`The --plugins list "${value}" has an empty entry. Separate ids with single commas, e.g. --plugins openai,s3.`);
  }
  if (ids.length === 1 && ids[0] === 'all') return registry.map((plugin) => plugin.id);
  if (ids.length === 1 && ids[0] === 'none') return [];
  return ids;
}

/** Resolves ids against the registry: unknown ids fail with a suggestion, requirements are pulled in. */
export function selectPlugins(ids: readonly string[], registry: readonly PluginDefinition[]): PluginSelection {
  const byId = new Map(registry.map((plugin) => [plugin.id, plugin]));
  const unknown = ids.filter((id) => !byId.has(id.toLowerCase()));
  if (unknown.length > 0) throw unknownPluginError(unknown, [...byId.keys()]);

  const chosen = new Set(ids.map((id) => id.toLowerCase()));
  const pulledIn: PluginSelection['pulledIn'] = [];
  const queue = [...chosen];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const required of byId.get(id)?.requires ?? []) {
      if (chosen.has(required)) continue;
      chosen.add(required);
      pulledIn.push({ id: required, requiredBy: id });
      queue.push(required);
    }
  }
  return { plugins: registry.filter((plugin) => chosen.has(plugin.id)), pulledIn };
}

function unknownPluginError(unknown: string[], known: string[]): UserError {
  const described = unknown.map((id) => {
    const suggestion = closest(id.toLowerCase(), known);
    const close = distance(id.toLowerCase(), suggestion) <= Math.max(2, Math.floor(id.length / 3));
    return close ? `"${id}" (did you mean "${suggestion}"?)` : `"${id}"`;
  });
  const noun = unknown.length === 1 ? 'plugin' : 'plugins';
  return new UserError(`Unknown ${noun} ${described.join(', ')}. Run "create-provider-app list" to see every plugin id.`);
}
