import { describe, expect, it } from 'vitest';
import { mountInApp } from '../../src/edits/mount-in-app.js';
import { addPluginEntries } from '../../src/edits/register-plugins.js';

const mount = { specifier: './providers/index.js', importName: 'providerRoutes' };

describe('mountInApp', () => {
  it('inserts the import after the last import and the mount after the last app.use', () => {
    const input = [
      "import express from 'express';",
      "import cors from 'cors';",
      '',
      'const app = express();',
      'app.use(cors());',
      "app.use(express.json()); // parse bodies",
      '',
      'app.listen(3000);',
      '',
    ].join('\n');
    const result = mountInApp(input, 'app.ts', mount);
    expect(result).toEqual({
      status: 'mounted',
      text: [
        "import express from 'express';",
        "import cors from 'cors';",
        "import { providerRoutes } from './providers/index.js';",
        '',
        'const app = express();',
        'app.use(cors());',
        'app.use(express.json()); // parse bodies',
        'app.use(providerRoutes());',
        '',
        'app.listen(3000);',
        '',
      ].join('\n'),
    });
  });

  it('keeps CRLF, a BOM, tabs, double quotes and no semicolons', () => {
    const input = '\uFEFFimport express from "express"\r\n\r\nexport function createApp() {\r\n\tconst app = express()\r\n\treturn app\r\n}\r\n';
    const result = mountInApp(input, 'app.ts', mount);
    expect(result).toEqual({
      status: 'mounted',
      text: '\uFEFFimport express from "express"\r\nimport { providerRoutes } from "./providers/index.js"\r\n\r\nexport function createApp() {\r\n\tconst app = express()\r\n\tapp.use(providerRoutes())\r\n\treturn app\r\n}\r\n',
    });
  });

  it('uses require in a CommonJS file and mounts before listen when there is no app.use', () => {
    const input = "const express = require('express');\n\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(3000, () => {\n  console.log('up');\n});\n";
    const result = mountInApp(input, 'server.js', { specifier: './providers', importName: 'providerRoutes' });
    expect(result.status === 'mounted' && result.text).toBe(
      "const express = require('express');\nconst { providerRoutes } = require('./providers');\n\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.use(providerRoutes());\napp.listen(3000, () => {\n  console.log('up');\n});\n",
    );
  });

  it('changes nothing when the routes are already mounted', () => {
    expect(mountInApp("import express from 'express';\nconst app = express();\napp.use(providerRoutes());\n", 'a.ts', mount)).toEqual({ status: 'already-mounted' });
  });

  it('refuses a file without an express() app', () => {
    expect(mountInApp("import { Hono } from 'hono';\nconst app = new Hono();\n", 'a.ts', mount)).toMatchObject({ status: 'no-anchor' });
  });

  it('deleting the inserted lines restores the original bytes', () => {
    const input = "import express from 'express'\nconst app = express()\napp.use(express.json())\nexport default app\n";
    const result = mountInApp(input, 'a.ts', mount);
    const inserted = /providerRoutes/;
    const restored = result.status === 'mounted' ? result.text.split('\n').filter((line) => !inserted.test(line)).join('\n') : '';
    expect(restored).toBe(input);
  });
});

describe('addPluginEntries', () => {
  const file = "import type { ProviderPlugin } from './lib/plugin.js';\nimport { openaiPlugin } from './ai/openai/index.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  openaiPlugin,\n];\n";

  it('adds one import and one entry per plugin', () => {
    expect(addPluginEntries(file, [{ exportName: 's3Plugin', specifier: './storage/s3/index.js' }])).toBe(
      "import type { ProviderPlugin } from './lib/plugin.js';\nimport { openaiPlugin } from './ai/openai/index.js';\nimport { s3Plugin } from './storage/s3/index.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  openaiPlugin,\n  s3Plugin,\n];\n",
    );
  });

  it('fills an empty list', () => {
    const empty = "import type { ProviderPlugin } from './lib/plugin.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [];\n";
    expect(addPluginEntries(empty, [{ exportName: 's3Plugin', specifier: './storage/s3/index.js' }])).toBe(
      "import type { ProviderPlugin } from './lib/plugin.js';\nimport { s3Plugin } from './storage/s3/index.js';\n\nexport const plugins: ProviderPlugin<unknown>[] = [\n  s3Plugin,\n];\n",
    );
  });

  it('is idempotent', () => {
    expect(addPluginEntries(file, [{ exportName: 'openaiPlugin', specifier: './ai/openai/index.js' }])).toBe(file);
  });

  it('returns undefined when there is no plugins array', () => {
    expect(addPluginEntries('export const x = 1;\n', [{ exportName: 'a', specifier: './a.js' }])).toBeUndefined();
  });
});
