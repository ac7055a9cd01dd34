// Cold start of built, installed generated projects against a bare Express 5 app, both measured
// in the same run on the projects' Node (24): `npm run bench` calls it, or `node
// scripts/bench-start.mjs <project folder> [more folders]` after `npm run build` here and in each
// project. Each run spawns `node dist/server.js` and times spawn → first 200 on GET /health.
// Prints medians and the ratio; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { registry } from '../dist/generators/index.js';
import { projectNodePath } from './project-node.mjs';
import { everyPluginConfigured } from './provider-settings.mjs';

// Every plugin configured, as in production, so none is skipped for lack of settings; every
// provider address points at a closed port, although nothing calls a provider at start-up.
function configuredEnv(dataDir) {
  // A data folder as in production (created in the warm-up round), not an in-memory database, which
  // would be built from scratch at every start.
  return {
    ...process.env,
    ...everyPluginConfigured(registry, 'bench-value-0123456789abcdef0123456789abcdef'),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: dataDir,
    API_TOKEN: 'bench-api-token-0123456789abcdefghijklmnopqrstuvwxyz',
  };
}

// The baseline: Express 5 from the project's node_modules, one route, nothing else.
function bareExpressApp(project) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpa-bench-bare-'));
  symlinkSync(path.join(project, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    path.join(dir, 'server.js'),
    "import express from 'express';\nconst app = express();\napp.get('/health', (req, res) => res.json({ status: 'ok' }));\napp.listen(Number(process.env.PORT), '127.0.0.1');\n",
  );
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Milliseconds from spawn to the first 200 on /health; the server is stopped afterwards. */
async function timeStart(node, cwd, script, env) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(node, [script], { cwd, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cwd}: ${script} exited with ${child.exitCode}\n${stderr}`);
      const status = await fetch(`http://127.0.0.1:${port}/health`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
      await sleep(5);
    }
  } finally {
    child.kill();
    await exited;
  }
}

const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

/**
 * Median milliseconds from spawn to the first 200 on /health, for a bare Express 5 app and each
 * project, measured round by round so that load on this machine weighs on every app alike.
 */
export async function measureColdStart(projects, { node = projectNodePath(), runs = 5 } = {}) {
  const bare = bareExpressApp(projects[0]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cpa-bench-data-'));
  try {
    const apps = [
      { name: 'bare Express 5', cwd: bare, script: 'server.js' },
      ...projects.map((cwd) => ({ name: path.basename(cwd), cwd, script: 'dist/server.js' })),
    ];
    const times = apps.map(() => []);
    // Round 0 warms the file cache.
    for (let round = 0; round <= runs; round++) {
      for (const [index, app] of apps.entries()) {
        // Each app its own data folder: projects of different versions migrate differently.
        const ms = await timeStart(node, app.cwd, app.script, configuredEnv(path.join(dataDir, String(index))));
        if (round > 0) times[index].push(ms);
      }
    }
    return apps.map((app, index) => ({ name: app.name, ms: median(times[index]) }));
  } finally {
    rmSync(bare, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const projects = process.argv.slice(2).map((folder) => path.resolve(folder));
  if (projects.length === 0) {
    console.error('usage: node scripts/bench-start.mjs <generated project folder> [more folders]');
    process.exit(2);
  }
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const [baseline, ...rows] = await measureColdStart(projects, { runs });
  console.log(`spawn → first 200 on /health, median of ${runs} runs (ms), ratio to bare Express 5`);
  for (const { name, ms } of [baseline, ...rows])
    console.log(`${name.padEnd(28)} ${ms.toFixed(0).padStart(7)}  ${(ms / baseline.ms).toFixed(2)}x`);
}
