import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { layers } from '../../generators/layers.js';
import { renderTemplates, templatesRoot, typecheckTemplates } from '../../scripts/typecheck-templates.js';
import { planProject, STATUS_PAGE_LAYER } from '../../src/plan/plan-project.js';

// `npm run typecheck` checks templates/ (scripts/typecheck-templates.ts); these tests show that it
// checks them against what generated projects install, and that it fails on a template's type error.

const work = mkdtempSync(path.join(tmpdir(), 'cpa-templates-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the templates typecheck', () => {
  it('lays every template folder over the others', () => {
    const tsconfig = parse(readFileSync(path.join(templatesRoot, 'tsconfig.json'), 'utf8')) as { compilerOptions: { rootDirs: string[] } };
    const folders = [
      'base',
      ...Object.keys(layers).map((layer) => `layers/${layer}`),
      STATUS_PAGE_LAYER,
      ...registry.map((plugin) => plugin.id),
      'adapter',
      '.rendered',
    ];
    expect([...tsconfig.compilerOptions.rootDirs].sort()).toEqual(folders.sort());
  });

  it('installs the packages of a project with all 20 plugins, at the same ranges', () => {
    const plan = planProject({ name: 'all-plugins', plugins: registry, registry, pm: 'npm', generator: 'create-provider-app@test' });
    const workspace = JSON.parse(readFileSync(path.join(templatesRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    // On a mismatch: copy the generator's ranges into templates/package.json, then `npm install`.
    expect({ dependencies: workspace.dependencies, devDependencies: workspace.devDependencies }).toEqual({
      dependencies: plan.dependencies,
      devDependencies: plan.devDependencies,
    });
  });

  // tsc reads some 5,700 files: a few seconds on an idle machine, longer on a busy one.
  it('fails on a type error in a template, naming the file', { timeout: 120_000 }, () => {
    // A copy of templates/ that resolves packages as the original does.
    const copy = path.join(work, 'templates');
    cpSync(templatesRoot, copy, { recursive: true, filter: (source) => !['node_modules', '.rendered'].includes(path.basename(source)) });
    symlinkSync(path.join(templatesRoot, 'node_modules'), path.join(copy, 'node_modules'));
    symlinkSync(path.join(templatesRoot, '..', 'node_modules'), path.join(work, 'node_modules'));
    renderTemplates(copy);
    appendFileSync(path.join(copy, 'openai/src/ai/openai/openai.service.ts'), "\nexport const injected: number = 'not a number';\n");

    const { ok, output } = typecheckTemplates(copy);

    expect(ok).toBe(false);
    const errors = output.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toEqual([expect.stringMatching(/^templates\/openai\/src\/ai\/openai\/openai\.service\.ts\(\d+,\d+\): error TS2322: /)]);
  });
});
