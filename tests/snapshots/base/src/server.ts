import { existsSync } from 'node:fs';
import { createServer } from './app.js';
import { readServerEnv } from './env.js';

// .env is a development convenience; deployments set the environment directly.
if (existsSync('.env')) process.loadEnvFile('.env');

const { PORT } = readServerEnv(process.env);
const server = createServer().listen(PORT, () => {
  console.log(`snapshot-app listening on http://localhost:${PORT} (status page: /health/ui)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Finish requests in flight, but do not let a long-lived stream hold the process open.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
