import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import module from 'node:module';

// Node keeps the compiled code of the modules it loads on disk (in the OS temp folder), so each
// start after the first skips compiling them: a sixth of start-up. It has to be on before the
// app's modules load, hence the dynamic imports.
module.enableCompileCache();
const { createServer } = await import('./app.js');
const { readServerEnv, SettingsError } = await import('./env.js');
const { plugins } = await import('./plugins.js');

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
