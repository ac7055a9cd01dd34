// Run by `create-provider-app doctor` (src/doctor.ts) with the project's own tsx, not imported by
// the CLI: mounts the project's plugins on a throwaway local server, asks GET /health?probe=1,
// prints the JSON and exits. Everything it loads is the project's: its express and its code.

import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The slices of the project's modules the probe uses; the project's own code types them fully.
type Express = () => { use(handler: unknown): void; listen(port: number, host: string, ready: () => void): Server };
type PluginRouterModule = { createPluginRouter(plugins: unknown[], env: NodeJS.ProcessEnv): { router: unknown } };
type PluginsModule = { plugins: unknown[] };

const [root = '.', pluginsRoot = 'src'] = process.argv.slice(2);
const fromProject = (file: string) => pathToFileURL(path.join(root, pluginsRoot, file)).href;
const express = createRequire(path.join(root, 'package.json'))('express') as Express;
const { createPluginRouter } = (await import(fromProject('lib/plugin-router.ts'))) as PluginRouterModule;
const { plugins } = (await import(fromProject('plugins.ts'))) as PluginsModule;

const app = express();
app.use(createPluginRouter(plugins, process.env).router);
const server = app.listen(0, '127.0.0.1', async () => {
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/health?probe=1`);
  // Plugins may hold connections open (a database pool): exit once the answer is out.
  process.stdout.write(JSON.stringify(await response.json()), () => process.exit(0));
});
