import path from 'node:path';
import semver from 'semver';
import type { Endpoint, PluginDefinition } from '../generators/define-plugin.js';
import { registry } from '../generators/index.js';
import type { SourceText } from './add/app-site.js';
import { detectProject, type ProjectInfo } from './add/detect-project.js';
import { detectEnvFiles, type EnvFiles } from './add/env-files.js';
import { attachUpgrades, mountProviderRoutes, readSources, writesJsSuffixes } from './add/find-app.js';
import { requireStyleImports } from './add/interop.js';
import { keepsStatusPage, type Layout, relocate } from './add/layout.js';
import { judgePeer, type PeerLookup, peerState, rangeToDeclare } from './add/peers.js';
import { withSkipLibCheck } from './add/tsconfig.js';
import { type TypescriptNeeds, typescriptNeeds } from './add/typescript.js';
import { presentVersion } from './add/versions.js';
import { upsertEnvVars } from './edits/env-file.js';
import {
  type DependencyConflict,
  type DependencyField,
  parsePackageJson,
  setDependencyRange,
  upsertDependencies,
} from './edits/package-json.js';
import { addPluginEntries } from './edits/register-plugins.js';
import { UserError } from './errors.js';
import { packageVersion } from './package-root.js';
import { baseDevDependencies, MANIFEST_FILE } from './plan/base-project.js';
import { type Manifest, renderManifest } from './plan/manifest.js';
import { type ProjectPlan, planProject, pluginEntry, routesOf, sha256 } from './plan/plan-project.js';
import { type PluginSelection, selectPlugins } from './plan/select-plugins.js';
import { loadTemplates } from './plan/templates.js';
import { commitChanges } from './tree/commit.js';
import { type FileChange, type ReadOriginal, readFromDisk, StagedTree } from './tree/staged-tree.js';

/** The zod range for apps that cannot take zod 4. */
const ZOD_3 = '^3.25.0';

/** The env files of a project made by create. */
const GENERATED_ENV_FILES: EnvFiles = { template: '.env.example', loaded: '.env' };

/** Something add must not decide alone: a file the user changed, or a version range we cannot share. */
export type Conflict = { kind: 'file'; path: string } | ({ kind: 'dependency'; requiredBy?: string } & DependencyConflict);

/** The answer to a conflict; `fail` aborts the whole command with nothing written. */
export type ConflictDecision = 'skip' | 'overwrite';

export interface AddOptions {
  cwd: string;
  plugins: readonly string[];
  /** Decides each conflict; throw to abort. */
  resolveConflict: (conflict: Conflict) => Promise<ConflictDecision>;
  /** Reads the peer ranges of packages add introduces; without it peers are not checked. */
  peers?: PeerLookup;
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
  /** Routes the added plugins bring, with who may call them. */
  newRoutes: Endpoint[];
  /** The installed plugin whose tokens private routes take; without one they take API_TOKEN. */
  authPlugin: string | undefined;
}

/** Everything add reads before it plans: the project, the plugins, and the peers of new packages. */
interface AddInput {
  project: ProjectInfo;
  layout: Layout;
  /** Installed plus requested plugins, requirements included. */
  all: PluginDefinition[];
  added: PluginDefinition[];
  plan: ProjectPlan;
  read: ReadOriginal;
  sources: SourceText[];
  envFiles: EnvFiles;
  /** Peer ranges of the packages this add introduces, by package. */
  peers: Map<string, Record<string, string>>;
  /** What a hand-written app's compiler asks for; undefined in a generated project. */
  typescript?: TypescriptNeeds;
}

/** What a plan produced: the staged tree, the conflicts it met (decided or not), and notes. */
interface AddPlan {
  changes: FileChange[];
  conflicts: Conflict[];
  notes: string[];
}

/**
 * Adds plugins in three steps: read the project, plan every edit (pure; conflicts are listed, not
 * asked), decide all conflicts in one place, then plan again with the decisions.
 */
export async function stageAdd(options: AddOptions): Promise<StagedAdd> {
  const project = detectProject(options.cwd);
  const installed = project.manifest?.plugins ?? [];
  const requested = selectPlugins(options.plugins, registry);
  const alreadyInstalled = options.plugins.filter((id) => installed.includes(id.toLowerCase()));
  const all = selectPlugins([...installed, ...requested.plugins.map((plugin) => plugin.id)], registry);
  const added = all.plugins.filter((plugin) => !installed.includes(plugin.id));
  const pulledIn = requested.pulledIn.filter(({ id }) => !installed.includes(id));
  const before = new Set(routesOf(all.plugins.filter((plugin) => installed.includes(plugin.id))).map(routeKey));
  const newRoutes = routesOf(all.plugins).filter((route) => !before.has(routeKey(route)));
  const authPlugin = all.plugins.find((plugin) => plugin.providesAuth)?.id;
  const staged: StagedAdd = {
    project,
    added,
    pulledIn,
    alreadyInstalled,
    changes: [],
    conflicts: [],
    notes: [],
    envFiles: GENERATED_ENV_FILES,
    newRoutes,
    authPlugin,
  };
  if (added.length === 0) return staged;

  const input = readInput(project, all.plugins, added);
  staged.envFiles = input.envFiles;
  // npm refuses to install past a peer range. pnpm and yarn only warn, but the types the SDKs were
  // written against are no less needed there, and the project may be installed with npm after all.
  if (options.peers) input.peers = await lookUpPeers(input, options.peers);
  const first = planAdd(input, new Map());
  const decisions = new Map<string, ConflictDecision>();
  for (const conflict of first.conflicts) {
    const decision = await options.resolveConflict(conflict);
    decisions.set(conflictKey(conflict), decision);
    staged.conflicts.push({ conflict, decision });
  }
  const final = decisions.size > 0 ? planAdd(input, decisions) : first;
  return { ...staged, changes: final.changes, notes: final.notes };
}

function readInput(detected: ProjectInfo, all: PluginDefinition[], added: PluginDefinition[]): AddInput {
  const layout: Layout =
    detected.manifest?.layout === 'existing' || !detected.manifest
      ? { kind: 'existing', sourceRoot: detected.sourceRoot }
      : { kind: 'project' };
  const read = memoize(readFromDisk(detected.root));
  const sources = layout.kind === 'existing' ? readSources(read, detected.root) : [];
  // An app that writes `./x.js` everywhere gets the same in our files, whatever its tsconfig allows.
  const project: ProjectInfo =
    layout.kind === 'existing' && writesJsSuffixes(sources.map((source) => source.text))
      ? { ...detected, importExtension: '.js' }
      : detected;
  const pkg = parsePackageJson(project.packageJson);
  const envFiles =
    layout.kind === 'existing'
      ? detectEnvFiles(project.root, asRecord(pkg['scripts']), { ...pkg.dependencies, ...pkg.devDependencies }, sources)
      : GENERATED_ENV_FILES;
  const plan = planProject({
    name: String(pkg['name'] ?? path.basename(project.root)),
    plugins: all,
    registry,
    pm: project.pm,
    generator: `create-provider-app@${packageVersion()}`,
    envFile: envFiles.loaded,
    statusPage: keepsStatusPage(layout, read('src/app.ts'), project.manifest?.files['src/app.ts']),
  });
  const typescript = layout.kind === 'existing' ? compilerNeeds(project, pkg, plan) : undefined;
  return { project, layout, all, added, plan, read, sources, envFiles, peers: new Map(), ...(typescript ? { typescript } : {}) };
}

/** Peer ranges of each package the plan would add to package.json. */
async function lookUpPeers(input: AddInput, lookup: PeerLookup): Promise<Map<string, Record<string, string>>> {
  const wanted = wantedDependencies(input);
  const { added } = upsertDependencies(input.read('package.json') ?? '{}', wanted, () => 'keep');
  const ranges = { ...wanted.dependencies, ...wanted.devDependencies };
  const found = await Promise.all(added.map(async (name) => [name, await lookup(name, ranges[name] ?? '*')] as const));
  return new Map(found.filter((entry): entry is readonly [string, Record<string, string>] => entry[1] !== undefined));
}

/** Plans every edit of an add; pure given its input. Conflicts without a decision keep the project's side. */
function planAdd(input: AddInput, decisions: ReadonlyMap<string, ConflictDecision>): AddPlan {
  const { project, layout, plan, added } = input;
  const tree = new StagedTree(input.read);
  const result: AddPlan = { changes: [], conflicts: [], notes: [] };
  const decide = (conflict: Conflict): ConflictDecision => {
    const key = conflictKey(conflict);
    if (!result.conflicts.some((known) => conflictKey(known) === key)) result.conflicts.push(conflict);
    return decisions.get(key) ?? 'skip';
  };
  const manifest: Manifest = structuredClone(project.manifest) ?? {
    generator: '',
    layout: 'existing',
    sourceRoot: project.sourceRoot,
    plugins: [],
    files: {},
  };

  for (const file of [...plan.files, ...adapterFiles(layout)]) {
    const target = relocate(file.path, layout);
    if (target === undefined) continue;
    const content = fitModuleSystem(file.content, target, project);
    if (file.path === 'src/plugins.ts') {
      stagePluginsFile(tree, target, content, added, plan, project.importExtension);
    } else if (file.path === 'README.md') {
      stageReadme(tree, target, content, manifest, result.notes);
    } else {
      stageGeneratedFile(tree, target, content, manifest, decide);
    }
    const final = tree.read(target);
    if (final !== undefined && (final === content || file.path === 'src/plugins.ts')) manifest.files[target] = sha256(final);
  }

  stagePackageJson(tree, input, decide, result.notes);
  const envGroups = plan.env.filter((group) => layout.kind === 'project' || group.title !== 'Server');
  tree.edit(input.envFiles.template, (content) => upsertEnvVars(content ?? '', envGroups));

  if (layout.kind === 'existing') {
    const adapterFile = relocate('src/index.ts', layout) ?? '';
    const mounted = mountProviderRoutes(tree, project, input.sources, adapterFile);
    if (mounted) result.notes.push(mounted);
    // Sources as just edited: the server may be made in the file the routes were mounted in.
    const streams = input.all.some((plugin) => plugin.endpoints.some((endpoint) => endpoint.method === 'WS'));
    const attached = streams
      ? attachUpgrades(
          tree,
          project,
          input.sources.map((source) => ({ path: source.path, text: tree.read(source.path) ?? '' })),
          adapterFile,
        )
      : undefined;
    if (attached) result.notes.push(attached);
  }

  const files = Object.fromEntries(Object.entries(manifest.files).filter(([file]) => tree.read(file) !== undefined));
  tree.write(
    MANIFEST_FILE,
    renderManifest({
      ...manifest,
      generator: `create-provider-app@${packageVersion()}`,
      plugins: input.all.map((plugin) => plugin.id),
      files,
    }),
  );
  result.changes = tree.changes();
  return result;
}

/** One decision per file, and per package together with its `@types` companion. */
function conflictKey(conflict: Conflict): string {
  return conflict.kind === 'file' ? `file:${conflict.path}` : `dependency:${companionGroup(conflict.name)}`;
}

function memoize(read: ReadOriginal): ReadOriginal {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) cache.set(file, read(file));
    return cache.get(file);
  };
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
function stageGeneratedFile(
  tree: StagedTree,
  target: string,
  content: string,
  manifest: Manifest,
  decide: (conflict: Conflict) => ConflictDecision,
) {
  const current = tree.read(target);
  if (current === content) return;
  const recorded = manifest.files[target];
  if (current !== undefined && recorded === sha256(content)) return;
  if (current === undefined || (recorded !== undefined && recorded === sha256(current))) {
    tree.write(target, content);
    return;
  }
  if (decide({ kind: 'file', path: target }) === 'overwrite') tree.write(target, content);
}

function stagePluginsFile(
  tree: StagedTree,
  target: string,
  rendered: string,
  added: PluginDefinition[],
  plan: ProjectPlan,
  extension: '.js' | '',
) {
  const current = tree.read(target);
  if (current === undefined) {
    tree.write(target, rendered);
    return;
  }
  const entries = [...added.map(pluginEntry), ...plan.layerEntries];
  const updated = addPluginEntries(
    current,
    entries.map((entry) => ({ exportName: entry.exportName, specifier: `./${entry.module}${extension}` })),
  );
  if (updated === undefined) {
    throw new UserError(
      `${target} no longer has its \`plugins\` array, so the new plugins cannot be registered. Restore it (git checkout ${target}) and run the command again.`,
    );
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

function stagePackageJson(tree: StagedTree, input: AddInput, decide: (conflict: Conflict) => ConflictDecision, notes: string[]) {
  const wanted = wantedDependencies(input);
  const current = tree.read('package.json') ?? '{}';
  addPeers(input, current, wanted, decide, notes);
  const { conflicts } = upsertDependencies(current, wanted, () => 'keep');
  const decisions = new Map(conflicts.map((conflict) => [conflict.name, decide({ kind: 'dependency', ...conflict })]));
  const { content } = upsertDependencies(current, wanted, (conflict) =>
    decisions.get(conflict.name) === 'overwrite' ? 'replace' : 'keep',
  );
  const raise = Object.entries(input.typescript?.raise ?? {});
  tree.write(
    'package.json',
    raise.reduce((text, [name, range]) => setDependencyRange(text, name, range), content),
  );
  notes.push(...(input.typescript?.notes ?? []));
  if (input.typescript?.skipLibCheck) tree.edit('tsconfig.json', (text) => withSkipLibCheck(text ?? '{}'));
}

/**
 * Peers of new packages the project cannot meet as it is: a declared range that misses is a
 * conflict; a version it only has through other packages (an old @types/node under stripe) is
 * lifted by declaring the peer, with a note.
 */
function addPeers(
  input: AddInput,
  current: string,
  wanted: Record<DependencyField, Record<string, string>>,
  decide: (conflict: Conflict) => ConflictDecision,
  notes: string[],
) {
  const pkg = parsePackageJson(current);
  const declared = { ...pkg.dependencies, ...pkg.devDependencies };
  for (const [requiredBy, peers] of input.peers) {
    for (const [name, range] of Object.entries(peers)) {
      if (name in wanted.dependencies || name in wanted.devDependencies) continue;
      const verdict = judgePeer(peerState(input.project.root, declared, name), range);
      if (
        verdict.kind === 'conflict' &&
        decide({ kind: 'dependency', name, existing: verdict.existing, wanted: range, requiredBy }) === 'overwrite'
      ) {
        wanted.devDependencies[name] = rangeToDeclare(range);
      }
      if (verdict.kind === 'add') {
        wanted.devDependencies[name] = verdict.range;
        notes.push(
          `${requiredBy} needs ${name} ${range}, and the project had ${verdict.present} through other packages: ${name} ${verdict.range} was added to devDependencies.`,
        );
      }
    }
  }
}

/** What the plan asks of package.json: everything for a generated project, the plugins' packages for an app. */
function wantedDependencies(input: AddInput): Record<DependencyField, Record<string, string>> {
  const { plan, layout } = input;
  if (layout.kind === 'project') return { dependencies: { ...plan.dependencies }, devDependencies: { ...plan.devDependencies } };
  return existingAppDependencies(input);
}

/** `@types/express` → `express`, `@types/babel__core` → `@babel/core`: the package a types package belongs to. */
export function companionGroup(name: string): string {
  const typed = /^@types\/(.+)$/.exec(name)?.[1];
  if (!typed) return name;
  return typed.includes('__') ? `@${typed.replace('__', '/')}` : typed;
}

/**
 * What a hand-written app gets: the plugins' own packages. Its framework, middleware and toolchain
 * (Express and its types, TypeScript, the test runner, Node's types) stay the project's; zod follows its compiler.
 */
function existingAppDependencies(input: AddInput): Record<DependencyField, Record<string, string>> {
  const dependencies = { ...input.plan.pluginDependencies };
  if (dependencies['zod'] && input.typescript) dependencies['zod'] = input.typescript.zod;
  const devDependencies = Object.fromEntries(Object.entries(input.plan.devDependencies).filter(([name]) => !(name in baseDevDependencies)));
  return { dependencies, devDependencies };
}

/** What the app's compiler asks for, given the packages it declares and runs. */
function compilerNeeds(project: ProjectInfo, pkg: ReturnType<typeof parsePackageJson>, plan: ProjectPlan): TypescriptNeeds {
  const declared = (name: string) => {
    const range = pkg.devDependencies?.[name] ?? pkg.dependencies?.[name];
    const version = presentVersion(project.root, name);
    return range ? { range, ...(version ? { version } : {}) } : undefined;
  };
  // zod stays on the project's major (another of its packages may need zod 3), and zod 4's type
  // files use default imports that a project without esModuleInterop cannot read.
  const ownZod = declared('zod')?.range;
  const onZod3 = ownZod !== undefined && semver.minVersion(ownZod)?.major === 3;
  const zod = onZod3 || project.defaultImportsBreak ? ZOD_3 : (plan.pluginDependencies['zod'] ?? '');
  return typescriptNeeds(project.typescript, declared, plan.dependencies, zod);
}

/** The adapter an existing app imports: `providerRoutes()`. */
function adapterFiles(layout: Layout) {
  if (layout.kind === 'project') return [];
  return loadTemplates('adapter').map((template) => ({ path: template.target, content: template.render({}) }));
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Generated code as the project's module system needs it: import suffixes, and CommonJS default imports. */
function fitModuleSystem(content: string, file: string, project: ProjectInfo): string {
  if (!/\.[cm]?tsx?$/.test(file)) return content;
  const suffixed = project.importExtension === '.js' ? content : withoutJsExtensions(content, file);
  return project.defaultImportsBreak ? requireStyleImports(suffixed) : suffixed;
}

/** `from './x.js'` → `from './x'`: CommonJS and bundler projects import without extensions. */
export function withoutJsExtensions(content: string, file: string): string {
  if (!/\.[cm]?tsx?$/.test(file)) return content;
  return content.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)\.js\2/g, '$1$2$3$2');
}

function routeKey(route: Endpoint): string {
  return `${route.method} ${route.path}`;
}
