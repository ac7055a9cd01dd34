import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from './app.js';
import { readServerEnv, SettingsError } from './env.js';
import { plugins } from './plugins.js';

// No module.enableCompileCache(), though it takes a sixth off start-up: when V8 cannot read a cached
// entry back it may abort the process, with nothing to catch (reported on shared CI machines).
// NODE_COMPILE_CACHE=<folder> turns it on where that risk is acceptable.

// .env is a development convenience; deployments set the environment directly.
if (existsSync('.env')) process.loadEnvFile('.env');

const server = start();

function start(): Server {
  try {
    const { PORT, HOST } = readServerEnv(process.env);
    return createServer(plugins).listen(PORT, HOST, () => {
      console.log(`snapshot-app listening on http://${HOST}:${PORT} (status page: /health/ui)`);
    });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    // A setting is the operator's to fix: one line naming it says more than a stack trace.
    console.error(error.message);
    process.exit(1);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Finish requests in flight, but do not let a long-lived stream hold the process open.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
