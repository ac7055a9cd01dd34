import path from 'node:path';
import pc from 'picocolors';
import { z } from 'zod';
import { diagnose, type PluginDiagnosis } from '../doctor.js';
import { parseFlags } from './flags.js';

const doctorFlags = z.object({
  cwd: z.string().optional(),
  json: z.boolean().default(false),
  timeout: z.coerce.number({ message: '--timeout must be a number of milliseconds' }).int().positive().default(30_000),
});

const LABELS: Record<PluginDiagnosis['status'], [string, (text: string) => string]> = {
  ok: ['ok', pc.green],
  failing: ['failing', pc.red],
  not_running: ['not running', pc.cyan],
  not_configured: ['not configured', pc.yellow],
  not_probed: ['not probed', pc.dim],
};

/**
 * `create-provider-app doctor`: missing and invalid variables and live probes per plugin; exit 1
 * when a configured plugin fails. A local server that is not running is reported, and is no failure.
 */
export async function runDoctor(rawFlags: unknown): Promise<void> {
  const flags = parseFlags(doctorFlags, rawFlags);
  const diagnosis = await diagnose(path.resolve(flags.cwd ?? '.'), { timeoutMs: flags.timeout });
  const failing = diagnosis.plugins.filter((plugin) => plugin.status === 'failing');

  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...diagnosis, ok: failing.length === 0 }, null, 2)}\n`);
  } else {
    const width = Math.max(6, ...diagnosis.plugins.map((plugin) => plugin.id.length));
    const rows = diagnosis.plugins.map((plugin) => {
      const detail = plugin.status === 'not_configured' ? describeVariables(plugin) : (plugin.message ?? '');
      const latency = plugin.latencyMs === undefined ? '' : `${plugin.latencyMs} ms`;
      const [label, color] = LABELS[plugin.status];
      return `${plugin.id.padEnd(width)}  ${color(label.padEnd(14))}  ${latency.padStart(7)}  ${detail}`;
    });
    process.stdout.write(`${'plugin'.padEnd(width)}  ${'status'.padEnd(14)}  latency  detail\n${rows.join('\n')}\n`);
    if (diagnosis.probesSkipped) process.stdout.write(`Live probes skipped: ${diagnosis.probesSkipped}.\n`);
  }
  if (failing.length > 0) process.exitCode = 1;
}

// `set A, B; JWT_SECRET must be at least 32 characters`, as the project's own 503s word it.
function describeVariables({ missing, invalid }: PluginDiagnosis): string {
  return [
    ...(missing.length > 0 ? [`set ${missing.join(', ')}`] : []),
    ...invalid.map((problem) => `${problem.name} ${problem.message}`),
  ].join('; ');
}
