import { describe, expect, it } from 'vitest';
import { attachAt, findServer } from '../../src/add/attach-upgrades.js';

const attach = (path: string, text: string) => {
  const site = findServer([{ path, text }]);
  return site && attachAt(text, site, './providers');
};

describe('attaching WebSocket upgrades to the app’s server', () => {
  it.each([
    [
      'const server = app.listen(...)',
      "import { app } from './app';\nconst server = app.listen(3000, () => {\n  console.log('up');\n});\n",
      "import { app } from './app';\nimport { attachProviderUpgrades } from './providers';\nconst server = app.listen(3000, () => {\n  console.log('up');\n});\nattachProviderUpgrades(server);\n",
    ],
    [
      'http.createServer(app) inside an async start-up, no semicolons',
      "import * as http from 'http'\nimport { createApp } from './src/express'\n;(async () => {\n  try {\n    const app = createApp()\n    const httpServer = http.createServer(app)\n    httpServer.listen(3000)\n  } catch (err) {}\n})()\n",
      "import * as http from 'http'\nimport { createApp } from './src/express'\nimport { attachProviderUpgrades } from './providers'\n;(async () => {\n  try {\n    const app = createApp()\n    const httpServer = http.createServer(app)\n    attachProviderUpgrades(httpServer)\n    httpServer.listen(3000)\n  } catch (err) {}\n})()\n",
    ],
    [
      'a CommonJS server file in JavaScript',
      "const app = require('./app');\nconst { createServer } = require('node:http');\nconst server = createServer(app);\nserver.listen(3000);\n",
      "const app = require('./app');\nconst { createServer } = require('node:http');\nconst { attachProviderUpgrades } = require('./providers');\nconst server = createServer(app);\nattachProviderUpgrades(server);\nserver.listen(3000);\n",
    ],
  ])('%s', (name, input, expected) => {
    expect(attach(name.includes('CommonJS') ? 'server.js' : 'index.ts', input)).toBe(expected);
  });

  it('finds no server when the app listens without keeping it', () => {
    expect(findServer([{ path: 'server.ts', text: "import { app } from './app';\napp.listen(3000);\n" }])).toBeUndefined();
  });
});
