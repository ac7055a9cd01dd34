// Type-checks templates/ as the project they generate, with that project's TypeScript and packages
// (templates/package.json, a workspace). templates/tsconfig.json lays the template folders over one
// another; the .hbs files, rendered here for a project with all 20 plugins, complete the picture
// from templates/.rendered/ (gitignored). Run by `npm run typecheck`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registry } from '../generators/index.js';
import { layers } from '../generators/layers.js';
import { planProject } from '../src/plan/plan-project.js';
import { loadTemplates } from '../src/plan/templates.js';

export const templatesRoot = fileURLToPath(new URL('../templates', import.meta.url));

/**
 * Writes the TypeScript files that .hbs templates render to into `<root>/.rendered/`, and returns
 * each one's template: `src/plugins.ts` → `base/src/plugins.ts.hbs`.
 */
export function renderTemplates(root = templatesRoot): Map<string, string> {
  const plan = planProject({ name: 'all-plugins', plugins: registry, registry, pm: 'npm', generator: 'create-provider-app@typecheck' });
  const rendered = new Map(plan.files.map((file) => [file.path, file.content]));
  const folders = ['base', ...Object.keys(layers).map((layer) => `layers/${layer}`), ...registry.map((plugin) => plugin.id)];
  const sources = new Map<string, string>();
  for (const folder of folders) {
    for (const { target, templated } of loadTemplates(folder))
      if (templated && target.endsWith('.ts')) sources.set(target, `${folder}/${target}.hbs`);
  }
  const out = path.join(root, '.rendered');
  rmSync(out, { recursive: true, force: true });
  for (const target of sources.keys()) {
    const content = rendered.get(target);
    if (content === undefined) throw new Error(`The all-plugins project has no ${target}.`);
    mkdirSync(path.dirname(path.join(out, target)), { recursive: true });
    writeFileSync(path.join(out, target), content);
  }
  return sources;
}

/** Runs the generated projects' tsc (installed for the templates workspace) on `<root>/tsconfig.json`. */
export function typecheckTemplates(root = templatesRoot): { ok: boolean; output: string } {
  const typescript = path.dirname(createRequire(path.join(templatesRoot, 'package.json')).resolve('typescript/package.json'));
  // From the folder above, so that messages name files as `templates/openai/...`.
  const result = spawnSync(
    process.execPath,
    [path.join(typescript, 'bin', 'tsc'), '--noEmit', '--pretty', 'false', '-p', path.basename(root)],
    {
      cwd: path.dirname(root),
      encoding: 'utf8',
    },
  );
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sources = renderTemplates();
  const { ok, output } = typecheckTemplates();
  process.stdout.write(output);
  // Errors in rendered files name templates/.rendered/<path>: say which template to fix.
  for (const [target, source] of sources)
    if (output.includes(`.rendered/${target}(`)) console.log(`templates/.rendered/${target} is rendered from templates/${source}`);
  process.exitCode = ok ? 0 : 1;
}
