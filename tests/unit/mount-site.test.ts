import { describe, expect, it } from 'vitest';
import { findMountSite, type SourceText } from '../../src/add/app-site.js';
import { mountAt } from '../../src/edits/mount-in-app.js';

const mount = { specifier: './providers', importName: 'providerRoutes' };

/** Mounts into the given files and returns the file that changed, with its new text. */
function mounted(files: SourceText[]): { file: string; text: string; reason: string } | undefined {
  const site = findMountSite(files);
  if (!site) return undefined;
  const original = files.find((file) => file.path === site.file)?.text ?? '';
  return { file: site.file, text: mountAt(original, site, mount), reason: site.reason };
}

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const USE = '// Provider plugins: ahead of body parsers and catch-alls, as their routes parse their own bodies.';

// Each case: an app as people write it, and the line our `use` must land before (or after).
const cases: { name: string; files: SourceText[]; expected: { file: string; before?: string; after?: string; receiver?: string } }[] = [
  {
    name: 'top level: after package middleware, before the body parser',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express from 'express';",
          "import helmet from 'helmet';",
          'const app = express();',
          'app.use(helmet());',
          'app.use(express.json());',
          "app.use('/api', api);",
          'export default app;',
        ),
      },
    ],
    expected: { file: 'src/app.ts', before: 'app.use(express.json());' },
  },
  {
    name: 'a 404 handler and a 4-argument error handler come after our routes',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express from 'express';",
          "import { notFound, errorHandler } from './middlewares';",
          'const app = express();',
          'app.use(notFound);',
          'app.use(errorHandler);',
        ),
      },
      {
        path: 'src/middlewares.ts',
        text: lines(
          'export function notFound(req, res, next) { res.status(404); next(new Error()); }',
          'export function errorHandler(err, req, res, next) {}',
        ),
      },
    ],
    expected: { file: 'src/app.ts', before: 'app.use(notFound);' },
  },
  {
    name: 'an error-handler factory returning handlers counts as a catch-all',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express from 'express';",
          "import { errorHandler } from './errors';",
          'const app = express();',
          "app.use(require('cors')());",
          'app.use(errorHandler());',
        ),
      },
    ],
    expected: { file: 'src/app.ts', before: 'app.use(errorHandler());' },
  },
  {
    name: 'Swagger UI mounted at / answers everything: ours go first',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express from 'express';",
          "import swaggerUi from 'swagger-ui-express';",
          'const app = express();',
          'app.use(swaggerUi.serve, swaggerUi.setup(spec));',
        ),
      },
    ],
    expected: { file: 'src/app.ts', before: 'app.use(swaggerUi.serve, swaggerUi.setup(spec));' },
  },
  {
    name: 'a router from another file is the app’s routes, not middleware',
    files: [
      {
        path: 'src/server.ts',
        text: lines(
          "import express from 'express';",
          "import helmet from 'helmet';",
          "import mainRoute from './routes/main';",
          'const app = express();',
          'app.use(helmet());',
          'app.use(mainRoute);',
          'app.listen(3000);',
        ),
      },
      {
        path: 'src/routes/main.ts',
        text: lines(
          "import express from 'express';",
          'const router = express.Router();',
          "router.get('/', home);",
          'export default router;',
        ),
      },
    ],
    expected: { file: 'src/server.ts', before: 'app.use(mainRoute);' },
  },
  {
    name: 'a body parser imported by name from express',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express, { json as parseJson } from 'express';",
          "import cors from 'cors';",
          'const app = express();',
          'app.use(cors());',
          'app.use(parseJson());',
        ),
      },
    ],
    expected: { file: 'src/app.ts', before: 'app.use(parseJson());' },
  },
  {
    name: 'TypeScript’s import = require form',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express = require('express');",
          "import helmet = require('helmet');",
          'const app = express();',
          'app.use(helmet());',
          "app.use('/api', api);",
        ),
      },
    ],
    expected: { file: 'src/app.ts', before: "app.use('/api', api);" },
  },
  {
    name: 'an inline catch-all without next',
    files: [
      {
        path: 'src/app.ts',
        text: lines("import express from 'express';", 'const app = express();', "app.use((req, res) => res.status(404).send('no'));"),
      },
    ],
    expected: { file: 'src/app.ts', before: "app.use((req, res) => res.status(404).send('no'));" },
  },
  {
    name: 'a local logger that calls next() stays ahead; a relative import resolved in its file too',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express from 'express';",
          "import { httpLogger } from './log.js';",
          'const app = express();',
          'function timing(req, res, next) { next(); }',
          'app.use(timing);',
          'app.use(httpLogger);',
          "app.get('/', home);",
        ),
      },
      { path: 'src/log.ts', text: lines("import { pinoHttp } from 'pino-http';", 'export const httpLogger = pinoHttp({});') },
    ],
    expected: { file: 'src/app.ts', before: "app.get('/', home);" },
  },
  {
    name: 'class App: this.app = express() in the constructor, set-up split over methods',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express, { Application } from 'express'",
          "import cors from 'cors'",
          'class App {',
          '  public app: Application',
          '  constructor() {',
          '    this.app = express()',
          '    this.plugins()',
          '    this.routes()',
          '  }',
          '  protected routes(): void {',
          '    this.app.use(router)',
          '  }',
          '  protected plugins(): void {',
          '    this.app.use(cors())',
          '  }',
          '}',
          'export default new App().app',
        ),
      },
    ],
    expected: { file: 'src/app.ts', before: '    this.app.use(router)', receiver: 'this.app' },
  },
  {
    name: 'a factory returning the app: before `return app` when nothing else bounds it',
    files: [
      {
        path: 'src/server.ts',
        text: lines(
          "import * as express from 'express'",
          'export function createApp() {',
          '  const app: express.Application = express()',
          "  app.set('port', 3000)",
          '  return app',
          '}',
        ),
      },
    ],
    expected: { file: 'src/server.ts', before: '  return app' },
  },
  {
    name: 'configure(app) in another file: its registrations decide',
    files: [
      {
        path: 'src/index.ts',
        text: lines(
          "import express from 'express';",
          "import { configure } from './configure';",
          'const app = express();',
          'configure(app);',
          'app.listen(3000);',
        ),
      },
      {
        path: 'src/configure.ts',
        text: lines(
          "import type { Express } from 'express';",
          "import helmet from 'helmet';",
          'export function configure(server: Express) {',
          '  server.use(helmet());',
          "  server.use('/api', api);",
          '}',
        ),
      },
    ],
    expected: { file: 'src/configure.ts', before: "  server.use('/api', api);", receiver: 'server' },
  },
  {
    name: 'http.createServer(app) with no middleware: before the server is made',
    files: [
      {
        path: 'src/main.ts',
        text: lines(
          "const express = require('express');",
          "const http = require('http');",
          'const app = express();',
          'const server = http.createServer(app);',
          'server.listen(3000);',
        ),
      },
    ],
    expected: { file: 'src/main.ts', before: 'const server = http.createServer(app);' },
  },
  {
    name: 'only middleware: after the last one',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express from 'express';",
          "import cors from 'cors';",
          'const app = express();',
          'app.use(cors());',
          'export default app;',
        ),
      },
    ],
    expected: { file: 'src/app.ts', after: 'app.use(cors());' },
  },
  {
    name: 'a condition around a route counts as a route',
    files: [
      {
        path: 'src/app.ts',
        text: lines(
          "import express from 'express';",
          "import morgan from 'morgan';",
          'const app = express();',
          "if (dev) app.use(morgan('dev'));",
          "if (docs) { app.use('/docs', docsRouter); }",
        ),
      },
    ],
    expected: { file: 'src/app.ts', before: "if (docs) { app.use('/docs', docsRouter); }" },
  },
];

describe('findMountSite + mountAt', () => {
  it.each(cases)('$name', ({ files, expected }) => {
    const result = mounted(files);
    expect(result?.file).toBe(expected.file);
    const text = result?.text.split('\n') ?? [];
    const useLine = text.findIndex((line) => line.trim().startsWith(`${expected.receiver ?? 'app'}.use(providerRoutes())`));
    expect(text[useLine - 1]?.trim()).toBe(USE);
    if (expected.before) expect(text[useLine + 1]).toBe(expected.before);
    if (expected.after) expect(text[useLine - 2]).toBe(expected.after);
    // Only lines were added: removing ours gives back the original bytes.
    const original = files.find((file) => file.path === expected.file)?.text;
    expect(
      result?.text
        .split('\n')
        .filter((line) => !line.includes('providerRoutes') && line.trim() !== USE)
        .join('\n'),
    ).toBe(original);
  });

  it('says which middleware registered after the body parser no longer sees the plugins’ requests', () => {
    const text = lines(
      "import express from 'express';",
      "import cors from 'cors';",
      "import helmet from 'helmet';",
      'const app = express();',
      'app.use(express.json());',
      'app.use(cors());',
      'app.use(helmet());',
      "app.use('/api', api);",
      'app.use(express.urlencoded());',
    );
    expect(findMountSite([{ path: 'src/app.ts', text }])?.reason).toBe(
      "before the first body parser; `app.use(cors());`, `app.use(helmet());`, registered after that parser, do not apply to the plugins' routes",
    );
  });

  it('finds no site in a project without an Express app', () => {
    expect(findMountSite([{ path: 'src/app.ts', text: "import { Hono } from 'hono';\nconst app = new Hono();\n" }])).toBeUndefined();
  });

  it('puts the import after the last import, in the file’s quotes and semicolons, keeping CRLF and a BOM', () => {
    const text =
      '\uFEFFimport express from "express"\r\n\r\nexport function createApp() {\r\n\tconst app = express()\r\n\treturn app\r\n}\r\n';
    const site = findMountSite([{ path: 'a.ts', text }]);
    expect(site && mountAt(text, site, mount)).toBe(
      `\uFEFFimport express from "express"\r\nimport { providerRoutes } from "./providers"\r\n\r\nexport function createApp() {\r\n\tconst app = express()\r\n\t${USE}\r\n\tapp.use(providerRoutes())\r\n\treturn app\r\n}\r\n`,
    );
  });

  it('names an app created in `export default express()`, mounts on it and exports it', () => {
    const text = "import express from 'express'\nimport { app as other } from './x'\n\nexport default express()\n";
    const site = findMountSite([{ path: 'src/app.ts', text }]);
    expect(site && mountAt(text, site, mount)).toBe(
      "import express from 'express'\nimport { app as other } from './x'\nimport { providerRoutes } from './providers'\n\nconst app2 = express()\napp2.use(providerRoutes())\nexport default app2\n",
    );
  });

  it('writes a require in a CommonJS file', () => {
    const text = "const express = require('express');\nconst app = express();\napp.listen(3000);\n";
    const site = findMountSite([{ path: 'server.js', text }]);
    expect(site && mountAt(text, site, mount)).toBe(
      `const express = require('express');\nconst { providerRoutes } = require('./providers');\nconst app = express();\n${USE}\napp.use(providerRoutes());\napp.listen(3000);\n`,
    );
  });
});
