import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { layers } from '../../generators/layers.js';
import { renderPluginTable, TABLE_END, TABLE_START } from '../../src/docs/plugin-table.js';
import { packageRoot } from '../../src/package-root.js';
import { camelCase } from '../../src/plan/plan-project.js';
import { loadTemplates } from '../../src/plan/templates.js';

const templateSource = (id: string, file: string) => readFileSync(path.join(packageRoot(), 'templates', id, file), 'utf8');

describe('the plugin registry', () => {
  it('has unique ids made of lowercase words', () => {
    const ids = registry.map((plugin) => plugin.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('only requires plugins that exist', () => {
    const ids = new Set(registry.map((plugin) => plugin.id));
    for (const plugin of registry) for (const required of plugin.requires ?? []) expect(ids).toContain(required);
  });

  it('keeps descriptions on one table-safe line', () => {
    const texts = registry.flatMap((plugin) => [
      plugin.description,
      ...plugin.env.map((v) => v.description),
      ...plugin.endpoints.map((e) => e.description),
    ]);
    for (const text of texts) expect(text).not.toMatch(/[|\n]/);
  });
});

describe.each(registry.map((plugin) => [plugin.id, plugin] as const))('plugin %s', (id, plugin) => {
  const folder = `src/${plugin.category}/${id}`;
  const targets = loadTemplates(id).map((template) => template.target);

  it('has every file a plugin must have, in src/<category>/<id>/', () => {
    const required = [`${folder}/index.ts`, `${folder}/${id}.schema.ts`, `${folder}/${id}.service.ts`, `tests/${id}.test.ts`];
    if (plugin.mountPath) required.push(`${folder}/${id}.routes.ts`);
    expect(targets).toEqual(expect.arrayContaining(required));
    for (const target of targets) expect(target.startsWith(`${folder}/`) || target.startsWith('tests/')).toBe(true);
  });

  it('exports the plugin under the name src/plugins.ts imports', () => {
    expect(templateSource(id, `${folder}/index.ts.hbs`)).toContain(`export const ${camelCase(id)}Plugin = definePlugin({`);
  });

  it('reads exactly the env vars its definition declares (plus those of its shared layers)', () => {
    const schemaFile = templateSource(id, `${folder}/${id}.schema.ts`);
    const schema = /Env = (?:z\s*\.object|\w+\.extend)\(\{([\s\S]*?)\n\s*\}\)/.exec(schemaFile)?.[1] ?? '';
    const inSchema = [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1] as string);
    const declared = plugin.env.map((variable) => variable.name);
    const fromLayers = (plugin.layers ?? []).flatMap((layer) => (layers[layer].env ?? []).map((variable) => variable.name));
    expect(inSchema.filter((name) => !declared.includes(name) && !fromLayers.includes(name))).toEqual([]);
    expect(declared.filter((name) => !inSchema.includes(name))).toEqual([]);
  });

  it('requires exactly the env vars its definition marks required', () => {
    const schemaFile = templateSource(id, `${folder}/${id}.schema.ts`);
    const schema = /Env = (?:z\s*\.object|\w+\.extend)\(\{([\s\S]*?)\n\s*\}\)/.exec(schemaFile)?.[1] ?? '';
    // One entry per variable, its comments left out: optional when it may be absent or has a default.
    const entries = schema.replaceAll(/^\s*\/\/.*\n/gm, '').split(/\n(?=\s+[A-Z][A-Z0-9_]+:)/);
    const requiredInSchema = entries
      .filter((entry) => !/\.optional\(\)|\.default\(|maxRetriesSetting\(/.test(entry))
      .map((entry) => /^\s*([A-Z][A-Z0-9_]+):/.exec(entry)?.[1]);
    expect(requiredInSchema.filter((name) => name !== undefined).sort()).toEqual(
      plugin.env
        .filter((variable) => variable.required)
        .map((variable) => variable.name)
        .sort(),
    );
  });

  it('loads as `schemas` a module that exports every schema its routes name for /openapi.json', () => {
    const names = plugin.endpoints.flatMap(({ input }) => [input?.body, input?.query, input?.headers]).filter((name) => name !== undefined);
    if (names.length === 0) return;
    const module = /schemas: \(\) => import\('(.+)\.js'\)/.exec(templateSource(id, `${folder}/index.ts.hbs`))?.[1];
    expect(module).toBeDefined();
    // The module is the plugin's own or a shared layer's (the storage routes).
    const file = path.posix.join(folder, `${module}.ts`);
    const owner = [id, ...Object.keys(layers).map((layer) => `layers/${layer}`)].find((folderId) =>
      existsSync(path.join(packageRoot(), 'templates', folderId, file)),
    );
    const source = owner ? templateSource(owner, file) : '';
    for (const name of names) expect(source, name).toMatch(new RegExp(`export (const ${name} =|\\{[^}]*\\b${name}\\b[^}]*\\})`));
  });

  it('serves every declared endpoint under its mount path', () => {
    for (const endpoint of plugin.endpoints) {
      expect(endpoint.path.startsWith(plugin.mountPath ?? '/')).toBe(true);
    }
    if (plugin.mountPath) expect(existsSync(path.join(packageRoot(), 'templates', id, folder, `${id}.routes.ts`))).toBe(true);
  });
});

describe('README.md', () => {
  it('shows the plugin table generated from the registry (run `npm run docs` after changing a plugin)', () => {
    const readme = readFileSync(path.join(packageRoot(), 'README.md'), 'utf8');
    expect(readme).toContain(`${TABLE_START}\n${renderPluginTable(registry)}\n${TABLE_END}`);
  });
});
