import path from 'node:path';
import semver from 'semver';
import { registry } from '../generators/index.js';
import type { PluginDefinition } from '../generators/define-plugin.js';
import { detectProject, type ProjectInfo } from './add/detect-project.js';
import { detectEnvFiles, type EnvFiles } from './add/env-files.js';
import { mountProviderRoutes, readSources } from './add/find-app.js';
import { relocate, type Layout } from './add/layout.js';
import { upsertEnvVars } from './edits/env-file.js';
import { parsePackageJson, upsertDependencies, type DependencyConflict } from './edits/package-json.js';
import { addPluginEntries } from './edits/register-plugins.js';
import { UserError } from './errors.js';
import { baseDevDependencies, MANIFEST_FILE } from './plan/base-project.js';
import { renderManifest, type Manifest } from './plan/manifest.js';
import { camelCase, planProject, sha256 } from './plan/plan-project.js';
import { selectPlugins, type PluginSelection } from './plan/select-plugins.js';
import { loadTemplates } from './plan/templates.js';
import { packageVersion } from './package-root.js';
import { commitChanges } from './tree/commit.js';
import { readFromDisk, StagedTree, type FileChange } from './tree/staged-tree.js';

const ZOD_FOR_OLD_TYPESCRIPT = '^3.25.0';

/** Something add must not decide alone: a file the user changed, or a version range we cannot share. */
export type Conflict = { kind: 'file'; path: string } | ({ kind: 'dependency' } & DependencyConflict);

/** The answer to a conflict; `fail` aborts the whole command with nothing written. */
export type ConflictDecision = 'skip' | 'overwrite';

export interface AddOptions {
  cwd: string;
  plugins: readonly string[];
  /** Decides each conflict; throw to abort. */
  resolveConflict: (conflict: Conflict) => Promise<ConflictDecision>;
}

/** An `add`, planned and staged in memory. Nothing is on disk until `commitAdd`. */
export interface StagedAdd {
  project: ProjectInfo;
  /** Plugins this run installs, requirements included, in registry order. */
  added: PluginDefinition[];
  pulledIn: PluginSelection['pulledIn'];
  /** Requested plugins that were already installed. */
  alreadyInstalled: string[];
  changes: FileChange[];
  conflicts: { conflict: Conflict; decision: ConflictDecision }[];
  notes: string[];
  envFiles: EnvFiles;
}

/** Plans adding plugins to the project in `cwd` and stages every change in memory. */
export async function stageAdd(options: AddOptions): Promise<StagedAdd> {
  const project = detectProject(options.cwd);
  const installed = project.manifest?.plugins ?? [];
  const requested = selectPlugins(options.plugins, registry);
  const alreadyInstalled = options.plugins.filter((id) => installed.includes(id.toLowerCase()));
  const all = selectPlugins([...installed, ...requested.plugins.map((plugin) => plugin.id)], registry);
  const added = all.plugins.filter((plugin) => !installed.includes(plugin.id));
  const pulledIn = requested.pulledIn.filter(({ id }) => !installed.includes(id));
  const layout: Layout = project.manifest?.layout === 'existing' || !project.manifest ? { kind: 'existing', sourceRoot: project.sourceRoot } : { kind: 'project' };
  const tree = new StagedTree(readFromDisk(project.root));
  const sources = layout.kind === 'existing' ? readSources(tree, project.root) : [];
  const pkg = parsePackageJson(project.packageJson);
  const envFiles = layout.kind === 'existing' ? detectEnvFiles(project.root, asRecord(pkg['scripts']), { ...pkg.dependencies, ...pkg.devDependencies }, sources) : { template: '.env.example', loaded: '.env' };
  const staged: StagedAdd = { project, added, pulledIn, alreadyInstalled, changes: [], conflicts: [], notes: [], envFiles };
  if (added.length === 0) return staged;

  const manifest: Manifest = project.manifest ?? { generator: '', layout: 'existing', sourceRoot: project.sourceRoot, plugins: [], files: {} };
  const decide = async (conflict: Conflict) => {
    const decision = await options.resolveConflict(conflict);
    staged.conflicts.push({ conflict, decision });
    return decision;
  };

  const plan = planProject({
    name: String(pkg['name'] ?? path.basename(project.root)),
    plugins: all.plugins,
    registry,
    pm: project.pm,
    generator: `create-provider-app@${packageVersion()}`,
  });

  for (const file of [...plan.files, ...adapterFiles(layout)]) {
    const target = relocate(file.path, layout);
    if (target === undefined) continue;
    const content = project.importExtension === '.js' ? file.content : withoutJsExtensions(file.content, target);
    if (file.path === 'src/plugins.ts') {
      stagePluginsFile(tree, target, content, added, plan, project.importExtension);
    } else if (file.path === 'README.md') {
      stageReadme(tree, target, content, manifest, staged.notes);
    } else {
      await stageGeneratedFile(tree, target, content, manifest, decide);
    }
    const final = tree.read(target);
    if (final !== undefined && (final === content || file.path === 'src/plugins.ts')) manifest.files[target] = sha256(final);
  }

  await stagePackageJson(tree, plan, project, layout, decide);
  const envGroups = plan.env.filter((group) => layout.kind === 'project' || group.title !== 'Server');
  tree.edit(envFiles.template, (content) => upsertEnvVars(content ?? '', envGroups));

  if (layout.kind === 'existing') {
    const mounted = mountProviderRoutes(tree, project, sources, relocate('src/index.ts', layout) ?? '');
    if (mounted) staged.notes.push(mounted);
  }

  const files = Object.fromEntries(Object.entries(manifest.files).filter(([file]) => tree.read(file) !== undefined));
  tree.write(MANIFEST_FILE, renderManifest({ ...manifest, generator: `create-provider-app@${packageVersion()}`, plugins: all.plugins.map((plugin) => plugin.id), files }));
  staged.changes = tree.changes();
  return staged;
}

/** Writes a staged add, all or nothing (originals restored on any failure). */
export function commitAdd(staged: StagedAdd): void {
  commitChanges(staged.changes, staged.project.root);
}

/**
 * A generated file is only written when our output for it changed since the last run. Then a
 * pristine copy (hash as recorded) is updated, a missing one created, and an edited one is a
 * conflict. A file whose generated content did not change is never touched, edited or not.
 */
async function stageGeneratedFile(tree: StagedTree, target: string, content: string, manifest: Manifest, decide: (conflict: Conflict) => Promise<ConflictDecision>) {
  const current = tree.read(target);
  if (current === content) return;
  const recorded = manifest.files[target];
  if (current !== undefined && recorded === sha256(content)) return;
  if (current === undefined || (recorded !== undefined && recorded === sha256(current))) {
    tree.write(target, content);
    return;
  }
  if ((await decide({ kind: 'file', path: target })) === 'overwrite') tree.write(target, content);
}

function stagePluginsFile(tree: StagedTree, target: string, rendered: string, added: PluginDefinition[], plan: ReturnType<typeof planProject>, extension: '.js' | '') {
  const current = tree.read(target);
  if (current === undefined) {
    tree.write(target, rendered);
    return;
  }
  const entries = [...added.map((plugin) => ({ exportName: `${camelCase(plugin.id)}Plugin`, module: `${plugin.category}/${plugin.id}/index` })), ...plan.layerEntries];
  const updated = addPluginEntries(current, entries.map((entry) => ({ exportName: entry.exportName, specifier: `./${entry.module}${extension}` })));
  if (updated === undefined) {
    throw new UserError(`${target} no longer has its \`plugins\` array, so the new plugins cannot be registered. Restore it (git checkout ${target}) and run the command again.`);
  }
  tree.write(target, updated);
}

function stageReadme(tree: StagedTree, target: string, content: string, manifest: Manifest, notes: string[]) {
  const current = tree.read(target);
  if (current === content) return;
  if (current !== undefined && manifest.files[target] !== sha256(current)) {
    notes.push(`${target} has your edits, so it was left alone: document the new plugins there yourself.`);
    return;
  }
  tree.write(target, content);
}

async function stagePackageJson(tree: StagedTree, plan: ReturnType<typeof planProject>, project: ProjectInfo, layout: Layout, decide: (conflict: Conflict) => Promise<ConflictDecision>) {
  const wanted = layout.kind === 'project' ? { dependencies: plan.dependencies, devDependencies: plan.devDependencies } : existingAppDependencies(plan, project);
  const current = tree.read('package.json') ?? '{}';
  const { conflicts } = upsertDependencies(current, wanted, () => 'keep');
  // A package and its type definitions move together: one decision for express and @types/express.
  const decisions = new Map<string, ConflictDecision>();
  for (const conflict of conflicts) {
    const group = companionGroup(conflict.name);
    if (!decisions.has(group)) decisions.set(group, await decide({ kind: 'dependency', ...conflict }));
  }
  const { content } = upsertDependencies(current, wanted, (conflict) => (decisions.get(companionGroup(conflict.name)) === 'overwrite' ? 'replace' : 'keep'));
  tree.write('package.json', content);
}

/** `@types/express` → `express`, `@types/babel__core` → `@babel/core`: the package a types package belongs to. */
export function companionGroup(name: string): string {
  const typed = /^@types\/(.+)$/.exec(name)?.[1];
  if (!typed) return name;
  return typed.includes('__') ? `@${typed.replace('__', '/')}` : typed;
}

/**
 * What a hand-written app gets: the plugins' own packages. Its framework and toolchain (Express
 * and its types, TypeScript, the test runner, Node's types) stay the project's; zod is 3.25 for
 * compilers older than TypeScript 5.0, which zod 4's type files need.
 */
function existingAppDependencies(plan: ReturnType<typeof planProject>, project: ProjectInfo): Record<'dependencies' | 'devDependencies', Record<string, string>> {
  const { express: _express, ...dependencies } = plan.dependencies;
  if (project.typescriptVersion && semver.lt(project.typescriptVersion, '5.0.0') && dependencies['zod']) dependencies['zod'] = ZOD_FOR_OLD_TYPESCRIPT;
  const devDependencies = Object.fromEntries(Object.entries(plan.devDependencies).filter(([name]) => !(name in baseDevDependencies)));
  return { dependencies, devDependencies };
}

/** The adapter an existing app imports: `providerRoutes()`. */
function adapterFiles(layout: Layout) {
  if (layout.kind === 'project') return [];
  return loadTemplates('adapter').map((template) => ({ path: template.target, content: template.render({}) }));
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** `from './x.js'` → `from './x'`: CommonJS and bundler projects import without extensions. */
export function withoutJsExtensions(content: string, file: string): string {
  if (!/\.[cm]?tsx?$/.test(file)) return content;
  return content.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)\.js\2/g, '$1$2$3$2');
}
