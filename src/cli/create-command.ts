import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { z } from 'zod';
import { registry } from '../../generators/index.js';
import { commitProject, nextSteps, type StagedProject, stageProject } from '../create.js';
import { CancelledError, UserError } from '../errors.js';
import { detectPackageManager, type PackageManager } from '../plan/package-manager.js';
import { parsePluginList } from '../plan/select-plugins.js';
import { initGitRepository } from '../tasks/git.js';
import { installDependencies } from '../tasks/install.js';
import { isEmptyDir } from '../tree/commit.js';
import { describeChanges, summarizeChanges } from '../tree/preview.js';
import { claimProject } from '../tree/project-lock.js';
import { note, packageManagerFlag, parseFlags } from './flags.js';
import { nodeSupportWarning } from './node-support.js';
import { isInteractive, type Prompter } from './prompter.js';
import { runWhileSignalsWait } from './signals.js';

const createFlags = z.object({
  plugins: z.string().optional(),
  yes: z.boolean().default(false),
  pm: packageManagerFlag,
  install: z.boolean().default(true),
  git: z.boolean().default(true),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
  force: z.boolean().default(false),
});

/** Which of --install/--git the user typed; the others may still be asked. */
export interface ExplicitFlags {
  install: boolean;
  git: boolean;
}

/** `create-provider-app [dir]`: gathers choices (flags, else prompts), then stages, previews or writes. */
export async function runCreate(dir: string | undefined, rawFlags: unknown, explicit: ExplicitFlags, prompter?: Prompter): Promise<void> {
  const flags = parseFlags(createFlags, rawFlags);
  const pm = flags.pm ?? detectPackageManager();
  const pluginIds = flags.plugins === undefined ? undefined : parsePluginList(flags.plugins, registry);

  // A prompter passed in is the terminal to ask; otherwise only a real one is asked.
  const ask = flags.yes
    ? undefined
    : (prompter ?? (isInteractive() ? (await import('./clack-prompter.js')).createClackPrompter() : undefined));
  let choices: Choices;
  try {
    choices = await gatherChoices(ask, { dir, pluginIds, flags, explicit });
  } catch (error) {
    if (!(ask && error instanceof CancelledError)) throw error;
    // The frame's last line says it; the top-level handler would only repeat it.
    ask.cancel(error.message);
    process.exitCode = 130;
    return;
  }
  const { directory, plugins, install, git } = choices;
  ask?.outro(`Creating ${path.basename(path.resolve(directory))}`);

  // --force into a folder with files edits it as add does: under its lock, after undoing a crashed run.
  const claim =
    flags.force && !flags.dryRun && directory.trim() !== '' && isFolderWithFiles(path.resolve(directory))
      ? claimProject(path.resolve(directory), 'create')
      : undefined;
  if (claim?.recovered) note(flags.json, claim.recovered);
  const project = stageProject({ directory, cwd: process.cwd(), plugins, pm, force: flags.force, installDependencies: install });
  for (const { id, requiredBy } of project.pulledIn) note(flags.json, `${requiredBy} requires ${id}: added it.`);

  if (flags.dryRun) {
    report(project, flags.json, { dryRun: true, install: 'skipped', git: 'skipped' });
    return;
  }
  await runWhileSignalsWait(() => commitProject(project));
  claim?.release();
  note(flags.json, `${pc.green('✔')} Created ${project.name} with ${project.changes.length} files.`);
  const nodeWarning = nodeSupportWarning();
  if (nodeWarning) note(flags.json, `${pc.yellow('!')} ${nodeWarning}`);

  const installOutcome = install ? await runInstall(project, pm, flags.json) : 'skipped';
  const gitOutcome = git ? await runGit(project, flags.json) : 'skipped';
  report(project, flags.json, { dryRun: false, install: installOutcome, git: gitOutcome });
  if (installOutcome === 'failed') process.exitCode = 1;
}

interface Choices {
  directory: string;
  plugins: readonly string[];
  install: boolean;
  git: boolean;
}

/** What the flags leave open: asked when there is someone to ask, else the defaults. */
async function gatherChoices(
  ask: Prompter | undefined,
  given: { dir: string | undefined; pluginIds: string[] | undefined; flags: z.infer<typeof createFlags>; explicit: ExplicitFlags },
): Promise<Choices> {
  const { dir, pluginIds, flags, explicit } = given;
  const directory = dir ?? (ask ? await ask.directory((value) => checkDirectory(value, flags.force)) : defaultDirectory(flags.yes));
  const plugins = pluginIds ?? (ask ? await ask.plugins(registry) : []);
  const install = ask && !explicit.install && !flags.dryRun ? await ask.confirm('Install dependencies now?', true) : flags.install;
  const git = ask && !explicit.git && !flags.dryRun ? await ask.confirm('Initialise a git repository?', true) : flags.git;
  return { directory, plugins, install, git };
}

function isFolderWithFiles(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && !isEmptyDir(dir);
}

function defaultDirectory(yes: boolean): string {
  if (yes) return 'my-api';
  throw new UserError('No project directory given, and there is no terminal to ask. Pass one: create-provider-app my-api --plugins openai');
}

/** A prompt-time check of a directory answer; undefined when it can be used. */
function checkDirectory(directory: string, force: boolean): string | undefined {
  if (directory.trim() === '') return 'Enter a directory name, e.g. my-api.';
  try {
    stageProject({ directory, cwd: process.cwd(), plugins: [], pm: 'npm', force });
    return undefined;
  } catch (error) {
    return error instanceof UserError ? error.message : String(error);
  }
}

type TaskOutcome = 'done' | 'skipped' | 'failed';

async function runInstall(project: StagedProject, pm: PackageManager, json: boolean): Promise<TaskOutcome> {
  const stop = await progress(json, `Installing dependencies with ${pm}`);
  try {
    await installDependencies(project.target, pm);
    stop(`Installed dependencies with ${pm}.`);
    return 'done';
  } catch (error) {
    stop(`${pc.red('✖')} Install failed: ${error instanceof Error ? error.message : String(error)}`);
    note(json, `The project itself is complete. Retry with: cd ${project.directory || '.'} && ${pm} install`);
    return 'failed';
  }
}

async function runGit(project: StagedProject, json: boolean): Promise<TaskOutcome> {
  const result = await initGitRepository(project.target);
  if (result.outcome === 'committed') note(json, `${pc.green('✔')} Initialised a git repository with an initial commit.`);
  else note(json, `Git: ${result.outcome === 'initialized' ? 'repository initialised, ' : 'skipped, '}${result.reason}.`);
  return result.outcome === 'skipped' ? 'skipped' : 'done';
}

function report(project: StagedProject, json: boolean, outcome: { dryRun: boolean; install: TaskOutcome; git: TaskOutcome }): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(toJson(project, outcome), null, 2)}\n`);
    return;
  }
  if (outcome.dryRun) {
    process.stdout.write(`Dry run: would create ${project.name} in ${project.target}\n`);
    process.stdout.write(
      `${describeChanges(project.changes)
        .map((line) => `  ${line}`)
        .join('\n')}\n`,
    );
    process.stdout.write('Nothing was written.\n');
    return;
  }
  const steps = nextSteps(project, outcome.install === 'done');
  process.stdout.write(`\nNext steps:\n${steps.map((step) => `  ${step}`).join('\n')}\n`);
}

function toJson(project: StagedProject, outcome: { dryRun: boolean; install: TaskOutcome; git: TaskOutcome }) {
  return {
    name: project.name,
    target: project.target,
    dryRun: outcome.dryRun,
    plugins: project.plan.plugins.map((plugin) => plugin.id),
    pulledIn: project.pulledIn,
    files: summarizeChanges(project.changes),
    dependencies: project.plan.dependencies,
    devDependencies: project.plan.devDependencies,
    env: project.plan.env.flatMap((group) =>
      group.vars.map((variable) => ({ group: group.title, name: variable.name, required: variable.required })),
    ),
    tasks: { install: outcome.install, git: outcome.git },
    nextSteps: nextSteps(project, outcome.install === 'done'),
  };
}

/** A spinner on a terminal, plain lines elsewhere (CI logs). */
async function progress(json: boolean, message: string): Promise<(done: string) => void> {
  if (process.stderr.isTTY && !json) {
    const { spinner } = await import('@clack/prompts');
    // No guide bar: any question frame is closed by now, and a bar would dangle from nothing.
    const spin = spinner({ output: process.stderr, withGuide: false });
    spin.start(message);
    return (done) => spin.stop(done);
  }
  note(json, `${message}…`);
  return (done) => note(json, done);
}
