import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// A project whose `tsx` is a stand-in that prints a canned answer of GET /health?probe=1, so these
// tests are about how doctor reads that answer. tests/e2e runs doctor on a real generated project.
let project: string;
beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'cpa-doctor-'));
});

/** `printedBefore`: what the project's code writes to stdout before the answer. */
function writeProject(plugins: string[], env: string, health: object, printedBefore = ''): void {
  writeFileSync(path.join(project, 'provider-app.json'), JSON.stringify({ generator: 'test', plugins, files: {} }));
  writeFileSync(path.join(project, '.env'), env);
  writeFileSync(path.join(project, 'health.json'), `${printedBefore}${JSON.stringify(health)}\n`);
  mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
  const tsx = path.join(project, 'node_modules', '.bin', 'tsx');
  writeFileSync(tsx, '#!/bin/sh\ncat health.json\n');
  chmodSync(tsx, 0o755);
}

interface Report {
  ok: boolean;
  plugins: { id: string; status: string; missing: string[]; invalid: { name: string; message: string }[]; message?: string }[];
}

function doctor(json: boolean): { exitCode: number | null; stdout: string; report?: Report } {
  const { exitCode, stdout } = runCli(['doctor', ...(json ? ['--json'] : [])], project);
  return { exitCode, stdout, report: json ? (JSON.parse(stdout) as Report) : undefined };
}

const notRunning = 'Ollama is not running. Start it, or check its address in .env.';

describe('create-provider-app doctor', () => {
  it("never lets its probes open the app's data folder, which the running app may hold", () => {
    writeProject(['usage-tracker'], 'PGLITE_DATA_DIR=./data\n', { status: 'ok', plugins: [{ id: 'usage-tracker', status: 'ok' }] });
    // The stand-in reports the folder the probes would open, in the message doctor prints.
    const tsx = path.join(project, 'node_modules', '.bin', 'tsx');
    writeFileSync(
      tsx,
      '#!/bin/sh\nprintf \'{"status":"ok","plugins":[{"id":"usage-tracker","status":"ok","message":"%s"}]}\\n\' "$PGLITE_DATA_DIR"\n',
    );
    const { report } = doctor(true);
    expect(report?.plugins[0]).toMatchObject({ status: 'ok', message: 'memory://' });
  });

  it('reports a local server that is not started as not running, which does not fail the run', () => {
    writeProject(['ollama', 'jwt-service'], `JWT_SECRET=${'x'.repeat(40)}\n`, {
      status: 'degraded',
      plugins: [
        { id: 'ollama', status: 'not_running', latencyMs: 2, message: notRunning },
        { id: 'jwt-service', status: 'ok' },
      ],
    });

    const { exitCode, report } = doctor(true);
    expect(exitCode).toBe(0);
    expect(report?.ok).toBe(true);
    expect(report?.plugins.find((plugin) => plugin.id === 'ollama')).toMatchObject({ status: 'not_running', message: notRunning });

    const table = doctor(false);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^ollama +not running +2 ms  ${notRunning.replace(/[().]/g, '\\$&')}$`, 'm'));
  });

  it('fails when a configured plugin fails, whatever the project printed before its answer', () => {
    const failing = { id: 'ollama', status: 'failing', latencyMs: 2, message: 'Ollama failed (status 500): out of memory' };
    // What the Ollama SDK prints on such an answer.
    writeProject(['ollama'], '', { status: 'degraded', plugins: [failing] }, 'Getting text from response\n');

    const { exitCode, report } = doctor(true);
    expect(exitCode).toBe(1);
    expect(report?.ok).toBe(false);
    expect(report?.plugins).toEqual([{ name: 'Ollama', missing: [], invalid: [], ...failing }]);
  });

  it('says why a variable is invalid, in the table and in --json', () => {
    writeProject(['jwt-service'], 'JWT_SECRET=short\n', {
      status: 'degraded',
      plugins: [
        {
          id: 'jwt-service',
          status: 'not_configured',
          missing: [],
          invalid: [{ name: 'JWT_SECRET', message: 'must be at least 32 characters' }],
        },
      ],
    });

    const { report } = doctor(true);
    expect(report?.plugins).toEqual([
      {
        id: 'jwt-service',
        name: 'JWT',
        status: 'not_configured',
        missing: [],
        invalid: [{ name: 'JWT_SECRET', message: 'must be at least 32 characters' }],
      },
    ]);
    expect(doctor(false).stdout).toMatch(/^jwt-service +not configured +JWT_SECRET must be at least 32 characters$/m);
  });

  it('names the missing variables from the plugin definitions when the probes cannot run', () => {
    writeFileSync(path.join(project, 'provider-app.json'), JSON.stringify({ generator: 'test', plugins: ['jwt-service'], files: {} }));

    const { exitCode, report } = doctor(true);
    expect(exitCode).toBe(0);
    expect(report?.plugins).toEqual([{ id: 'jwt-service', name: 'JWT', status: 'not_configured', missing: ['JWT_SECRET'], invalid: [] }]);
  });
});
