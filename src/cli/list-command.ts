import pc from 'picocolors';
import { z } from 'zod';
import { categoryLabels } from '../../generators/define-plugin.js';
import { registry } from '../../generators/index.js';
import { parseFlags } from './flags.js';

const listFlags = z.object({ json: z.boolean().default(false) });

/** `create-provider-app list [--json]`: the registry, for people and for scripts. */
export function runList(rawFlags: unknown): void {
  const flags = parseFlags(listFlags, rawFlags);
  if (flags.json) {
    const plugins = registry.map(({ id, name, category, description, docsUrl, requires, env, endpoints }) => ({
      id,
      name,
      category,
      description,
      docsUrl,
      requires: requires ?? [],
      env: env.map(({ name: variable, required }) => ({ name: variable, required })),
      endpoints: endpoints.map(({ method, path }) => `${method} ${path}`),
    }));
    process.stdout.write(`${JSON.stringify(plugins, null, 2)}\n`);
    return;
  }
  const width = Math.max(...registry.map((plugin) => plugin.id.length));
  const lines: string[] = [];
  for (const [category, label] of Object.entries(categoryLabels)) {
    const plugins = registry.filter((plugin) => plugin.category === category);
    if (plugins.length === 0) continue;
    lines.push('', pc.bold(label));
    for (const plugin of plugins) {
      lines.push(`  ${pc.cyan(plugin.id.padEnd(width))}  ${plugin.description}`);
      const env = plugin.env.map((variable) => (variable.required ? variable.name : pc.dim(`${variable.name}?`)));
      if (env.length > 0) lines.push(`  ${' '.repeat(width)}  ${pc.dim('env:')} ${env.join(' ')}`);
    }
  }
  process.stdout.write(`${lines.slice(1).join('\n')}\n`);
}
