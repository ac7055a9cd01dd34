import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import validateName from 'validate-npm-package-name';
import { registry } from '../generators/index.js';
import { UserError } from './errors.js';
import { packageVersion } from './package-root.js';
import { type PackageManager, packageManagerCommands } from './plan/package-manager.js';
import { type ProjectPlan, planProject } from './plan/plan-project.js';
import { type PluginSelection, selectPlugins } from './plan/select-plugins.js';
import { commitChanges, commitNewProject, isEmptyDir } from './tree/commit.js';
import { type FileChange, readFromDisk, StagedTree } from './tree/staged-tree.js';

export interface CreateOptions {
  /** Target folder, relative to `cwd`; its base name becomes the package name. */
  directory: string;
  cwd: string;
  /** Plugin ids as the user typed them; requirements are added. */
  plugins: readonly string[];
  pm: PackageManager;
  /** Allow a non-empty target: same-named files are replaced, nothing is deleted. */
  force: boolean;
  /** Whether dependencies are installed right after writing; the README then does not ask for it. */
  installDependencies?: boolean;
}

/** A new project, planned and staged in memory. Nothing is on disk until `commitProject`. */
export interface StagedProject {
  target: string;
  name: string;
  plan: ProjectPlan;
  pulledIn: PluginSelection['pulledIn'];
  changes: FileChange[];
  /** True when the target folder already has files (`--force`). */
  intoExistingFolder: boolean;
  /** The target as the user gave it, for messages. */
  directory: string;
  pm: PackageManager;
}

/** Validates the options and stages the whole project in memory. Throws UserError on bad input. */
export function stageProject(options: CreateOptions): StagedProject {
  // An empty name would resolve to the current folder, which only "." should mean.
  if (options.directory.trim() === '')
    throw new UserError('The project directory is empty. Name one, e.g. create-provider-app my-api, or use . for the current folder.');
  const target = path.resolve(options.cwd, options.directory);
  const name = projectName(target);
  const intoExistingFolder = checkTarget(target, options);
  const selection = selectPlugins(options.plugins, registry);
  const plan = planProject({
    name,
    plugins: selection.plugins,
    registry,
    pm: options.pm,
    generator: `create-provider-app@${packageVersion()}`,
    installDependencies: options.installDependencies,
  });

  const tree = new StagedTree(intoExistingFolder ? readFromDisk(target) : undefined);
  for (const file of plan.files) tree.write(file.path, file.content);

  const directory = path.relative(options.cwd, target);
  return { target, name, plan, pulledIn: selection.pulledIn, changes: tree.changes(), intoExistingFolder, directory, pm: options.pm };
}

/** What to type after creation; the install step is listed when it has not run. */
export function nextSteps(project: StagedProject, installed: boolean): string[] {
  const commands = packageManagerCommands(project.pm);
  return [
    ...(project.directory ? [`cd ${quoteIfNeeded(project.directory)}`] : []),
    ...(installed ? [] : [commands.install]),
    'cp .env.example .env',
    commands.dev,
  ];
}

/** Writes a staged project, all or nothing. */
export function commitProject(project: StagedProject): void {
  if (project.intoExistingFolder) commitChanges(project.changes, project.target);
  else commitNewProject(project.changes, project.target);
}

function projectName(target: string): string {
  const name = path.basename(target);
  const { validForNewPackages, errors = [], warnings = [] } = validateName(name);
  if (validForNewPackages) return name;
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  const reason = [...errors, ...warnings][0] ?? 'it is not a valid npm package name';
  const hint =
    suggestion && validateName(suggestion).validForNewPackages ? ` Try "${suggestion}".` : ' Use lowercase letters, digits and dashes.';
  throw new UserError(`"${name}" cannot be the project name: ${reason}.${hint}`);
}

/** Returns whether the target already holds files; throws when it cannot be used. */
function checkTarget(target: string, options: CreateOptions): boolean {
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new UserError(`${options.directory} already exists and is a file. Choose another directory.`);
  }
  if (!isEmptyDir(target) && !options.force) {
    throw new UserError(
      `${options.directory} is not empty. Choose a new directory, or pass --force to write into it (same-named files are replaced; nothing is deleted).`,
    );
  }
  let existing = target;
  while (!existsSync(existing)) existing = path.dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new UserError(`Cannot create ${options.directory}: ${existing} is a file, not a folder.`);
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new UserError(`Cannot create ${options.directory}: ${existing} is not writable. Choose a folder you can write to.`);
  }
  return !isEmptyDir(target);
}

function quoteIfNeeded(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `"${value}"`;
}
