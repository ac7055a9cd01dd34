// `npm run bench`: whole-process timings of the built CLI against bare Node start-up, then the
// generated all-20 project on the Node it targets (24): install time and size, typecheck, its own
// test suite and cold start against a bare Express 5 app. BENCH_GENERATED=0 skips the second part
// (it installs from the registry); BENCH_PROJECT=<folder> measures an existing all-20 project.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureColdStart } from './bench-start.mjs';
import { envWithNode, projectNodePath } from './project-node.mjs';

const cli = fileURLToPath(new URL('../bin/create-provider-app.js', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/esm-express5', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const work = mkdtempSync(path.join(tmpdir(), 'cpa-bench-'));

function median(args, prepare = () => {}, cwd = work) {
  const times = [];
  for (let run = 0; run < runs + 2; run++) {
    prepare(run);
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
    if (run >= 2) times.push(ms); // two warm-up runs fill the file cache
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const baseline = median(['-e', '0']);
const rows = [
  ['node -e 0', baseline],
  ['create-provider-app --help', median([cli, '--help'])],
  ['create-provider-app list', median([cli, 'list'])],
  [
    'create <all plugins> --no-install --no-git',
    median([cli, 'bench-app', '--plugins', 'all', '--no-install', '--no-git'], () =>
      rmSync(path.join(work, 'bench-app'), { recursive: true, force: true }),
    ),
  ],
  [
    'add openai to a hand-written app (ts-morph)',
    median(
      [cli, 'add', 'openai', '--no-install'],
      () => {
        rmSync(path.join(work, 'app'), { recursive: true, force: true });
        cpSync(fixture, path.join(work, 'app'), { recursive: true });
      },
      path.join(work, 'app'),
    ),
  ],
];
rmSync(work, { recursive: true, force: true });

console.log(`median of ${runs} runs (ms), ratio to node -e 0`);
for (const [name, ms] of rows) console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(8)}  ${(ms / baseline).toFixed(2)}x`);

if (process.env.BENCH_GENERATED !== '0') benchGeneratedProject();

function benchGeneratedProject() {
  const node = projectNodePath();
  const env = envWithNode(node, { ...process.env, CI: 'true', NODE_ENV: 'test' });
  const parent = mkdtempSync(path.join(tmpdir(), 'cpa-bench-all-'));
  const given = process.env.BENCH_PROJECT;
  const project = given ? path.resolve(given) : path.join(parent, 'all-plugins');
  const timed = (command, args) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: project, env, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status} in ${project}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const rows = [];
  if (!given) {
    spawnSync(process.execPath, [cli, 'all-plugins', '--plugins', 'all', '--no-install', '--no-git', '--pm', 'npm'], {
      cwd: parent,
      env,
      stdio: 'ignore',
    });
    rows.push(['npm install (warm npm cache)', `${timed('npm', ['install', '--no-audit', '--no-fund']).toFixed(1)} s`]);
  }
  const modules = path.join(project, 'node_modules');
  const packages = readdirSync(modules).flatMap((name) =>
    name.startsWith('@') ? readdirSync(path.join(modules, name)) : name.startsWith('.') ? [] : [name],
  ).length;
  rows.push(['node_modules', `${(folderBytes(modules) / 2 ** 20).toFixed(0)} MiB, ${packages} top-level packages`]);
  const typechecks = [0, 1, 2].map(() => timed('npm', ['run', 'typecheck'])).sort((a, b) => a - b);
  rows.push(['tsc --noEmit (median of 3)', `${typechecks[1].toFixed(1)} s`]);
  rows.push(['npm test (its whole suite, once)', `${timed('npm', ['test']).toFixed(1)} s`]);
  rows.push(['npm run build (typecheck, then the bundle)', `${timed('npm', ['run', 'build']).toFixed(1)} s`]);
  return measureColdStart([project], { node, runs }).then(([bare, all]) => {
    rows.push([
      `cold start, spawn → first /health 200 (median of ${runs})`,
      `${all.ms.toFixed(0)} ms vs bare Express 5 ${bare.ms.toFixed(0)} ms: ${(all.ms / bare.ms).toFixed(2)}x`,
    ]);
    console.log(`\nthe generated all-20 project on Node ${execNodeVersion(node)}`);
    for (const [name, value] of rows) console.log(`${name.padEnd(50)} ${value}`);
    rmSync(parent, { recursive: true, force: true });
  });
}

function execNodeVersion(node) {
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim().slice(1);
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(entryPath);
    else if (entry.isFile()) total += statSync(entryPath).size;
  }
  return total;
}
