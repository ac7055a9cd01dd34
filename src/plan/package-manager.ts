export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export const packageManagers: readonly PackageManager[] = ['npm', 'pnpm', 'yarn', 'bun'];

/** The package manager that launched us (`npm create`, `pnpm create` ...), else npm. */
export function detectPackageManager(userAgent = process.env['npm_config_user_agent']): PackageManager {
  const name = userAgent?.split('/')[0];
  return packageManagers.find((pm) => pm === name) ?? 'npm';
}

/** The command lines a README or a next-steps list shows for `pm`. */
export function packageManagerCommands(pm: PackageManager) {
  const run = pm === 'npm' ? 'npm run' : pm;
  return {
    install: `${pm} install`,
    dev: `${run} dev`,
    build: `${run} build`,
    start: `${run} start`,
    test: pm === 'npm' ? 'npm test' : `${pm} test`,
    typecheck: `${run} typecheck`,
    lint: `${run} lint`,
    format: `${run} format`,
  };
}
