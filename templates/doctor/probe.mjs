// Run by `create-provider-app doctor` with the project's own tsx: mounts the project's plugins on
// a throwaway local server, asks GET /health?probe=1, prints the JSON and exits.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, pluginsRoot] = process.argv.slice(2);
const fromProject = (file) => pathToFileURL(path.join(root, pluginsRoot, file)).href;
const express = createRequire(path.join(root, 'package.json'))('express');
const { createPluginRouter } = await import(fromProject('lib/plugin-router.ts'));
const { plugins } = await import(fromProject('plugins.ts'));

const app = express();
app.use(createPluginRouter(plugins, process.env).router);
const server = app.listen(0, '127.0.0.1', async () => {
  const response = await fetch(`http://127.0.0.1:${server.address().port}/health?probe=1`);
  // Plugins may hold connections open (a database pool): exit once the answer is out.
  process.stdout.write(JSON.stringify(await response.json()), () => process.exit(0));
});
