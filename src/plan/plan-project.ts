import { createHash } from 'node:crypto';
import type { Access, Endpoint, EnvVarDefinition, LayerId, PluginDefinition } from '../../generators/define-plugin.js';
import { layers as layerDefinitions } from '../../generators/layers.js';
import { type EnvGroup, upsertEnvVars } from '../edits/env-file.js';
import {
  accessEnv,
  appDependencies,
  baseDependencies,
  baseDevDependencies,
  baseEnv,
  baseScripts,
  MANIFEST_FILE,
  NODE_ENGINES,
} from './base-project.js';
import { renderManifest } from './manifest.js';
import { mergeDependencies } from './merge-dependencies.js';
import { type PackageManager, packageManagerCommands } from './package-manager.js';
import { loadTemplates, type Template } from './templates.js';

export interface PlannedFile {
  path: string;
  content: string;
}

/** Everything a new project consists of, computed without touching the target. */
export interface ProjectPlan {
  name: string;
  plugins: readonly PluginDefinition[];
  files: PlannedFile[];
  dependencies: Record<string, string>;
  /** The part of `dependencies` the plugins' code needs, without what only the generated app runs on. */
  pluginDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  env: EnvGroup[];
  /** The plugin entries the shared layers add to src/plugins.ts. */
  layerEntries: { exportName: string; module: string }[];
}

export interface ProjectInput {
  /** npm package name of the new project. */
  name: string;
  /** Selected plugins, requirements included, in registry order. */
  plugins: readonly PluginDefinition[];
  /** The whole registry: templates can ask whether any plugin is present. */
  registry: readonly PluginDefinition[];
  pm: PackageManager;
  /** Written into the manifest, e.g. `create-provider-app@0.1.0`. */
  generator: string;
  /** The file the app reads its settings from, named by its messages (default `.env`). */
  envFile?: string;
  /** Whether `create` installs the dependencies, so the README need not say to (default false). */
  installDependencies?: boolean;
  /** Whether it has the status page (default true); `add` leaves it out of apps that do not mount it. */
  statusPage?: boolean;
}

/** The status page (`GET /health/ui`): every new project has it, mounted by one line of src/app.ts. */
export const STATUS_PAGE_LAYER = 'layers/health-ui';

/**
 * Plans a new project: renders every template and merges dependencies and env vars. Pure
 * apart from reading this package's own templates; the same input always gives the same bytes.
 */
export function planProject(input: ProjectInput): ProjectPlan {
  const layers = layersOf(input.plugins);
  const layerEntries = layers.flatMap((layer) => layerDefinitions[layer].entry ?? []);
  const context = templateContext(input, layerEntries);
  const templates = [
    ...loadTemplates('base'),
    ...(input.statusPage === false ? [] : loadTemplates(STATUS_PAGE_LAYER)),
    ...layers.flatMap((layer) => loadTemplates(`layers/${layer}`)),
    ...input.plugins.flatMap((plugin) => loadTemplates(plugin.id)),
  ];
  const pluginSources = [
    { from: 'the base project', dependencies: baseDependencies },
    ...layers.map((layer) => ({ from: `the ${layer} layer`, dependencies: layerDefinitions[layer].dependencies ?? {} })),
    ...input.plugins.map((plugin) => ({ from: plugin.id, dependencies: plugin.dependencies ?? {} })),
  ];
  const pluginDependencies = mergeDependencies(pluginSources);
  const dependencies = mergeDependencies([{ from: 'the generated app', dependencies: appDependencies }, ...pluginSources]);
  const devDependencies = mergeDependencies([
    { from: 'the base project', dependencies: baseDevDependencies },
    ...layers.map((layer) => ({ from: `the ${layer} layer`, dependencies: layerDefinitions[layer].devDependencies ?? {} })),
    ...input.plugins.map((plugin) => ({ from: plugin.id, dependencies: plugin.devDependencies ?? {} })),
  ]);
  // Once an auth plugin is installed, private routes take its tokens instead of API_TOKEN.
  const access = input.plugins.some((plugin) => plugin.providesAuth) ? [] : [accessEnv];
  const env = [baseEnv, ...access, ...pluginEnvGroups(input.plugins)];

  const files = [
    ...renderAll(templates, context),
    { path: 'package.json', content: packageJson(input.name, dependencies, devDependencies) },
    { path: '.env.example', content: upsertEnvVars('', env) },
  ];
  files.push({ path: MANIFEST_FILE, content: manifest(input, files) });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name: input.name, plugins: input.plugins, files, dependencies, pluginDependencies, devDependencies, env, layerEntries };
}

/**
 * Each plugin's variables, preceded by those of the layers it is the first to need. Adding
 * plugins one by one in registry order therefore appends the same groups in the same order.
 */
function pluginEnvGroups(plugins: readonly PluginDefinition[]): EnvGroup[] {
  const seen = new Set<LayerId>();
  return plugins.flatMap((plugin) => {
    const newLayers = layersOf([plugin]).filter((layer) => !seen.has(layer));
    for (const layer of newLayers) seen.add(layer);
    const layerGroups = newLayers.flatMap((layer) => {
      const { name, env } = layerDefinitions[layer];
      return env ? [{ title: name, vars: env }] : [];
    });
    return [...layerGroups, { title: `${plugin.name} (${plugin.id})`, vars: plugin.env }];
  });
}

/** Every route the plugins serve, their layers' shared routes included, in mount order. */
export function routesOf(plugins: readonly PluginDefinition[]): Endpoint[] {
  const layerEndpoints = layersOf(plugins).flatMap((layer) => layerDefinitions[layer].endpoints ?? []);
  return [...plugins.flatMap((plugin) => plugin.endpoints), ...layerEndpoints];
}

/** The shared layers the selected plugins need, in the order of generators/layers.ts. */
function layersOf(plugins: readonly PluginDefinition[]): LayerId[] {
  const needed = new Set(plugins.flatMap((plugin) => plugin.layers ?? []));
  for (const layer of [...needed]) for (const required of layerDefinitions[layer].requires ?? []) needed.add(required);
  return (Object.keys(layerDefinitions) as LayerId[]).filter((layer) => needed.has(layer));
}

function renderAll(templates: Template[], context: object): PlannedFile[] {
  const files = new Map<string, string>();
  for (const template of templates) {
    if (files.has(template.target)) throw new Error(`Two templates render ${template.target}.`);
    files.set(template.target, template.render(context));
  }
  return [...files].map(([path, content]) => ({ path, content }));
}

function templateContext(input: ProjectInput, layerEntries: ProjectPlan['layerEntries']) {
  const selected = new Set(input.plugins.map((plugin) => plugin.id));
  const pluginEntries = input.plugins.map(pluginEntry);
  const layerRoutes = layersOf(input.plugins).flatMap((layer) => {
    const { entry, endpoints } = layerDefinitions[layer];
    return entry && endpoints ? [[entry.exportName, endpoints] as const] : [];
  });
  return {
    name: input.name,
    envFile: input.envFile ?? '.env',
    installed: input.installDependencies ?? false,
    /** The README's "who can call what": every route of the plugins and layers, in mount order. */
    accessTable: routesOf(input.plugins).map((endpoint) => ({
      method: endpoint.method,
      path: endpoint.path,
      who: WHO[endpoint.access ?? 'user'],
    })),
    authPlugin: input.plugins.some((plugin) => plugin.providesAuth),
    /** tests/openapi.test.ts: a value for each required variable, so that every plugin mounts its routes. */
    sampleEnv: input.plugins
      .flatMap((plugin) => plugin.env.filter((variable) => variable.required))
      .map((variable) => `${variable.name}: ${quote(sampleValue(variable))},`),
    /**
     * What each plugin's generated definition states about it (id, name, mount path, routes and who
     * may call them), rendered from its file in generators/, the one place these are written.
     */
    definition: Object.fromEntries(input.plugins.map((plugin) => [pluginExportName(plugin), renderDefinitionFacts(plugin)])),
    /** The routes of the layers' shared plugins (the AI chat route, default storage) and who may call them. */
    routes: Object.fromEntries(layerRoutes.map(([exportName, endpoints]) => [exportName, renderRouteAccess(endpoints)])),
    commands: packageManagerCommands(input.pm),
    serverEnv: baseEnv.vars,
    plugins: input.plugins,
    /** What src/plugins.ts lists: every plugin, then the layers' shared routes. */
    entries: [...pluginEntries, ...layerEntries],
    /** What src/plugins.ts imports: the entries and the plugin type, by path, the order the project's lint (Biome) keeps them in. */
    imports: [{ exportName: 'ProviderPlugin', module: 'lib/plugin', typeOnly: true }, ...pluginEntries, ...layerEntries].sort((a, b) =>
      a.module < b.module ? -1 : a.module > b.module ? 1 : 0,
    ),
    has: Object.fromEntries(input.registry.map((plugin) => [camelCase(plugin.id), selected.has(plugin.id)])),
    /** The shared layers the plugins bring, by camel-cased id (`rateLimit`, `database`). */
    hasLayer: Object.fromEntries(layersOf(input.plugins).map((layer) => [camelCase(layer), true])),
  };
}

/** What src/plugins.ts imports for a plugin: `jwtServicePlugin` from `auth/jwt-service/index`. */
export function pluginEntry(plugin: PluginDefinition): { exportName: string; module: string } {
  return { exportName: pluginExportName(plugin), module: `${plugin.category}/${plugin.id}/index` };
}

/** `jwtServicePlugin`: what a plugin's index.ts exports, and the key of its routes in the template context. */
function pluginExportName(plugin: PluginDefinition): string {
  return `${camelCase(plugin.id)}Plugin`;
}

/** `jwt-service` → `jwtService`: the name templates and generated code use for a plugin. */
export function camelCase(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function packageJson(name: string, dependencies: Record<string, string>, devDependencies: Record<string, string>): string {
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: baseScripts,
    engines: { node: NODE_ENGINES },
    dependencies,
    devDependencies,
    // swagger-ui-dist depends on @scarf/scarf, whose install script reports each install to
    // scarf.sh unless the project at the root says no, as here.
    scarfSettings: { enabled: false },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Records what was generated, so `add` can tell a pristine file from one the user edited. */
function manifest(input: ProjectInput, files: PlannedFile[]): string {
  return renderManifest({
    generator: input.generator,
    layout: 'project',
    plugins: input.plugins.map((plugin) => plugin.id),
    files: Object.fromEntries(files.map((file) => [file.path, sha256(file.content)])),
  });
}

/** Hex sha256 of a file's UTF-8 bytes. */
export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

// The example when it is a whole value; else 32 bytes in base64, which any secret accepts (keys of 32 bytes included).
function sampleValue(variable: EnvVarDefinition): string {
  return variable.example && !/\.\.\.|</.test(variable.example) ? variable.example : Buffer.alloc(32, 7).toString('base64');
}

const WHO: Record<Access, string> = { public: 'anyone', user: 'a caller with a token', admin: 'an admin' };

/** `[{ method, path, access }, ...]`, indented for a property of a plugin definition. */
// The first line takes the template's indentation; the others carry their own.
function renderDefinitionFacts(plugin: PluginDefinition): string {
  const facts = [`id: ${quote(plugin.id)},`, `name: ${quote(plugin.name)},`];
  if (plugin.mountPath) facts.push(`mountPath: ${quote(plugin.mountPath)},`);
  if (plugin.endpoints.length > 0) facts.push(`routes: ${renderRouteAccess(plugin.endpoints)},`);
  if (plugin.providesAuth) facts.push('providesAuth: true,');
  return facts.join('\n  ');
}

/**
 * `[{ method, path, access, summary, input }, ...]`: who may call each route and, for /openapi.json, what it does and reads.
 * A route too long for one line gets one line per fact, as the generated project's formatter (Biome, 140 columns) writes it.
 */
function renderRouteAccess(endpoints: readonly Endpoint[]): string {
  const rows = endpoints.map(({ method, path, access = 'user', description, input }) => {
    const facts = [`method: '${method}'`, `path: '${path}'`, `access: '${access}'`, `summary: ${quote(description)}`];
    if (input)
      facts.push(
        `input: { ${Object.entries(input)
          .map(([key, name]) => `${key}: ${quote(name)}`)
          .join(', ')} }`,
      );
    const row = `    { ${facts.join(', ')} },`;
    if (row.length <= 140) return row;
    // A fact still too long moves its value to the next line.
    const lines = facts.map((fact) => (fact.length + 7 <= 140 ? `      ${fact},` : `      ${fact.replace(': ', ':\n        ')},`));
    return ['    {', ...lines, '    },'].join('\n');
  });
  return ['[', ...rows, '  ]'].join('\n');
}

/** A string literal as the generated project's formatter (Biome) writes it: single quotes unless double ones need fewer escapes. */
function quote(value: string): string {
  const mark = value.split("'").length > value.split('"').length ? '"' : "'";
  return `${mark}${value.replaceAll('\\', '\\\\').replaceAll(mark, `\\${mark}`)}${mark}`;
}
