// Whole-process timings of the built CLI against bare Node start-up: `npm run bench`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
    median([cli, 'bench-app', '--plugins', 'all', '--no-install', '--no-git'], () => rmSync(path.join(work, 'bench-app'), { recursive: true, force: true })),
  ],
  [
    'add openai to a hand-written app (ts-morph)',
    median([cli, 'add', 'openai', '--no-install'], () => {
      rmSync(path.join(work, 'app'), { recursive: true, force: true });
      cpSync(fixture, path.join(work, 'app'), { recursive: true });
    }, path.join(work, 'app')),
  ],
];
rmSync(work, { recursive: true, force: true });

console.log(`median of ${runs} runs (ms), ratio to node -e 0`);
for (const [name, ms] of rows) console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(8)}  ${(ms / baseline).toFixed(2)}x`);
