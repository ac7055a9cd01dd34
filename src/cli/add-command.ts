import path from 'node:path';
import pc from 'picocolors';
import { z } from 'zod';
import { registryPeers } from '../add/peers.js';
import { type Conflict, type ConflictDecision, commitAdd, type StagedAdd, stageAdd } from '../add.js';
import { CancelledError, UserError } from '../errors.js';
import { installDependencies, isOnPath } from '../tasks/install.js';
import { describeChanges, summarizeChanges } from '../tree/preview.js';
import { claimProject } from '../tree/project-lock.js';
import { note, packageManagerFlag, parseFlags } from './flags.js';
import { isInteractive } from './prompter.js';
import { runWhileSignalsWait } from './signals.js';

const conflictPolicies = ['prompt', 'skip', 'overwrite', 'fail'] as const;
type ConflictPolicy = (typeof conflictPolicies)[number];

const addFlags = z.object({
  cwd: z.string().optional(),
  dryRun: z.boolean().default(false),
  diff: z.boolean().default(false),
  json: z.boolean().default(false),
  yes: z.boolean().default(false),
  install: z.boolean().default(true),
  pm: packageManagerFlag,
  onConflict: z.enum(conflictPolicies, { message: `--on-conflict must be one of ${conflictPolicies.join(', ')}` }).optional(),
});

/** `create-provider-app add <ids...>`: adds plugins to an existing project, all or nothing. */
export async function runAdd(ids: string[], rawFlags: unknown): Promise<void> {
  const flags = parseFlags(addFlags, rawFlags);
  const plugins = ids
    .flatMap((id) => id.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  if (plugins.length === 0)
    throw new UserError('Name at least one plugin, e.g. create-provider-app add openai (see create-provider-app list).');

  // One add at a time per project, and never on top of a commit a crash left half done.
  const claim = flags.dryRun ? undefined : claimProject(path.resolve(flags.cwd ?? '.'), 'add');
  if (claim?.recovered) note(flags.json, claim.recovered);

  const interactive = !flags.yes && isInteractive();
  const policy: ConflictPolicy = flags.onConflict ?? (interactive ? 'prompt' : 'fail');
  const unresolved: Conflict[] = [];
  const cwd = path.resolve(flags.cwd ?? '.');
  // Peer ranges come from the registry; they matter to an install, which a dry run previews too.
  const peers = flags.install ? registryPeers : undefined;
  const staged = await stageAdd({
    cwd,
    plugins,
    resolveConflict: (conflict) => resolveConflict(conflict, policy, unresolved),
    ...(peers ? { peers } : {}),
  });
  if (unresolved.length > 0) {
    // The message points at --dry-run --diff to see the difference: show what overwriting would change.
    if (flags.dryRun && flags.diff && !flags.json) {
      const overwritten = await stageAdd({ cwd, plugins, resolveConflict: async () => 'overwrite' });
      const { diffChange } = await import('../tree/diff.js');
      process.stdout.write(overwritten.changes.map(diffChange).join(''));
    }
    throw conflictError(unresolved);
  }

  if (staged.added.length === 0) {
    print(
      flags.json,
      { alreadyInstalled: staged.alreadyInstalled, changes: [] },
      `${staged.alreadyInstalled.join(', ')} ${staged.alreadyInstalled.length === 1 ? 'is' : 'are'} already installed. Nothing to do.`,
    );
    return;
  }
  for (const { id, requiredBy } of staged.pulledIn) note(flags.json, `${requiredBy} requires ${id}: adding it too.`);
  for (const { conflict, decision } of staged.conflicts)
    note(flags.json, `${describeConflict(conflict)}: ${decision === 'overwrite' ? 'replaced' : 'kept yours'}.`);
  for (const message of staged.notes) note(flags.json, message);
  if (flags.diff && !flags.json) {
    const { diffChange } = await import('../tree/diff.js');
    process.stdout.write(staged.changes.map(diffChange).join(''));
  }

  if (flags.dryRun) {
    print(
      flags.json,
      toJson(staged, true),
      `Dry run: would change ${staged.changes.length} files in ${staged.project.root}\n${indent(describeChanges(staged.changes))}\nNothing was written.`,
    );
    return;
  }
  await runWhileSignalsWait(() => commitAdd(staged));
  const pm = flags.pm ?? staged.project.pm;
  let installed = false;
  const pmMissing = flags.install && !isOnPath(pm);
  // Installing with another package manager would write a second lockfile: leave it to the user.
  if (pmMissing)
    note(
      flags.json,
      `This project uses ${pm} (${staged.project.pmSource}), which is not installed here, so nothing was installed (to get it: corepack enable ${pm}).`,
    );
  if (flags.install && !pmMissing) {
    note(flags.json, `Installing dependencies with ${pm}…`);
    try {
      await installDependencies(staged.project.root, pm);
      installed = true;
    } catch (error) {
      note(flags.json, `${pc.red('✖')} Install failed (the files are in place): ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
  const formatted = await formatWritten(staged, flags.json);
  print(flags.json, { ...toJson(staged, false), installed, formatted }, summary(staged, installed ? undefined : `${pm} install`));
}

/**
 * Formats what add wrote with the project's own formatters (its binaries, its config), so its
 * lint and pre-commit hooks accept our files. Needs the project installed; otherwise says how.
 */
async function formatWritten(staged: StagedAdd, json: boolean) {
  const { detectFormatters, filesToFormat, formatFiles } = await import('../add/format.js');
  const formatters = detectFormatters(staged.project.root);
  if (formatters.length === 0) return undefined;
  const report = await formatFiles(staged.project.root, filesToFormat(staged.changes), formatters);
  if (report.ran.length > 0) note(json, `Formatted the files add wrote with ${report.ran.join(', ')} (your config).`);
  for (const skipped of report.skipped) note(json, `${skipped.tool} did not run (${skipped.reason}). Run: ${skipped.command}`);
  for (const remaining of report.remaining)
    note(
      json,
      `${remaining.tool} still reports ${remaining.count} ${remaining.count === 1 ? 'problem' : 'problems'} in the files add wrote.`,
    );
  for (const file of report.keptAsWritten)
    note(json, `${file}: left as add wrote it; your formatter would also have rewritten lines you wrote.`);
  return report;
}

async function resolveConflict(conflict: Conflict, policy: ConflictPolicy, unresolved: Conflict[]): Promise<ConflictDecision> {
  if (policy === 'skip' || policy === 'overwrite') return policy;
  if (policy === 'fail') {
    // Collected, so the error names every conflict at once.
    unresolved.push(conflict);
    return 'skip';
  }
  const { select, isCancel } = await import('@clack/prompts');
  const answer = await select({
    message: `${describeConflict(conflict)}. What should add do?`,
    options: [
      { value: 'skip', label: conflict.kind === 'file' ? 'Keep my version' : `Keep ${conflict.existing}` },
      { value: 'overwrite', label: conflict.kind === 'file' ? 'Replace it with the generated one' : `Use ${conflict.wanted}` },
    ],
  });
  if (isCancel(answer)) throw new CancelledError();
  return answer as ConflictDecision;
}

function describeConflict(conflict: Conflict): string {
  return conflict.kind === 'file'
    ? `${conflict.path} was edited since create-provider-app wrote it`
    : `${conflict.name}: the project has ${conflict.existing}, ${conflict.requiredBy ?? 'the plugins'} ${conflict.requiredBy ? 'needs' : 'need'} ${conflict.wanted}`;
}

function conflictError(conflicts: Conflict[]): UserError {
  const lines = conflicts.map((conflict) => `  ${describeConflict(conflict)}`).join('\n');
  return new UserError(
    `Nothing was written, because of ${conflicts.length === 1 ? 'a conflict' : `${conflicts.length} conflicts`}:\n${lines}\nRerun with --on-conflict skip to keep yours, or --on-conflict overwrite to take the plugins' (see the difference with --dry-run --diff).`,
  );
}

function toJson(staged: StagedAdd, dryRun: boolean) {
  return {
    dryRun,
    added: staged.added.map((plugin) => plugin.id),
    pulledIn: staged.pulledIn,
    alreadyInstalled: staged.alreadyInstalled,
    conflicts: staged.conflicts,
    changes: summarizeChanges(staged.changes),
    env: staged.added.flatMap((plugin) =>
      plugin.env.map((variable) => ({ plugin: plugin.id, name: variable.name, required: variable.required })),
    ),
    routes: staged.newRoutes.map(({ method, path, access = 'user' }) => ({ method, path, access })),
  };
}

function summary(staged: StagedAdd, installCommand: string | undefined): string {
  const required = [
    ...(staged.authPlugin ? [] : ['API_TOKEN']),
    ...staged.added.flatMap((plugin) => plugin.env.filter((variable) => variable.required).map((variable) => variable.name)),
  ];
  return [
    `${pc.green('✔')} Added ${staged.added.map((plugin) => plugin.id).join(', ')}:`,
    indent(describeChanges(staged.changes)),
    ...(installCommand ? [`Then run: ${installCommand}`] : []),
    ...(required.length > 0
      ? [
          `Set in ${staged.envFiles.loaded}: ${required.join(', ')}${staged.envFiles.template === '.env.example' ? '' : ` (documented in ${staged.envFiles.template})`}`,
        ]
      : []),
    ...describeAccess(staged),
  ].join('\n');
}

/** Who may call the new routes: the policy the plugin router applies, in the user's terms. */
function describeAccess({ newRoutes, authPlugin }: StagedAdd): string[] {
  const list = (access: string) =>
    newRoutes.filter((route) => (route.access ?? 'user') === access).map((route) => `${route.method} ${route.path}`);
  const token = authPlugin ? `a ${authPlugin} token` : 'Authorization: Bearer <API_TOKEN>';
  const groups = [
    { who: `Need ${token}`, routes: list('user') },
    { who: authPlugin ? `Need an admin's ${authPlugin} token` : 'Admin routes, also API_TOKEN', routes: list('admin') },
    { who: 'Public', routes: list('public') },
  ].filter((group) => group.routes.length > 0);
  if (groups.length === 0) return [];
  return ['Who may call the new routes:', ...groups.map((group) => `  ${group.who}: ${group.routes.join(', ')}`)];
}

function print(json: boolean, data: object, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
}

function indent(lines: string[]): string {
  return lines.map((line) => `  ${line}`).join('\n');
}
