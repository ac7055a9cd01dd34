import { Command } from 'commander';
import { packageVersion } from '../package-root.js';
import { handleError } from './handle-error.js';

// Only commander loads up front: each command imports what it needs, so --help stays fast.
const program = new Command('create-provider-app')
  .description('Create a TypeScript Express backend wired to real providers: LLMs, voice, storage, payments, email and auth.')
  .version(packageVersion(), '-v, --version')
  .argument('[dir]', 'folder to create; its name becomes the package name')
  .option('-p, --plugins <ids>', 'plugins to include: comma-separated ids, "all" or "none" (see `list`)')
  .option('-y, --yes', 'use defaults for everything not given, never prompt')
  .option('--pm <name>', 'package manager: npm, pnpm, yarn or bun (default: the one running this command)')
  .option('--no-install', 'do not install dependencies')
  .option('--no-git', 'do not initialise a git repository')
  .option('--dry-run', 'show what would be written, and write nothing')
  .option('--json', 'print the result as JSON on stdout')
  .option('--force', 'write into a non-empty folder (same-named files are replaced; nothing is deleted)')
  .option('--debug', 'print stack traces of unexpected errors')
  .enablePositionalOptions()
  .showHelpAfterError('(run create-provider-app --help for usage)')
  .addHelpText('after', '\nExamples:\n  npm create provider-app my-api\n  npx create-provider-app my-api --plugins openai,s3 --yes\n  npx create-provider-app list')
  .action(async (dir: string | undefined, flags: Record<string, unknown>, command: Command) => {
    const { runCreate } = await import('./create-command.js');
    const explicit = (name: string) => command.getOptionValueSource(name) === 'cli';
    await runCreate(dir, flags, { install: explicit('install'), git: explicit('git') });
  });

program
  .command('list')
  .description('list every plugin with its category, description and environment variables')
  .option('--json', 'print the list as JSON')
  .action(async (flags: Record<string, unknown>) => {
    const { runList } = await import('./list-command.js');
    runList(flags);
  });

try {
  await program.parseAsync();
} catch (error) {
  handleError(error, program.opts()['debug'] === true);
}
