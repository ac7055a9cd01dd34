import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../src/lib/errors.js';
import type { RunningServer } from './helpers/http.js';
import { startMock } from './helpers/http.js';

describe('errorHandler', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const app = express();
    app.get('/files/:key', (req, res) => {
      res.json({ key: req.params.key });
    });
    app.get('/unexposed', () => {
      throw Object.assign(new Error('internal detail: bucket secret-bucket'), { status: 400 });
    });
    app.get('/unexpected', () => {
      throw new Error('internal detail: connection string');
    });
    app.use(errorHandler);
    server = await startMock(app);
  });
  afterAll(() => server.close());

  it('answers 400 to a malformed percent-encoding in a path parameter', async () => {
    const response = await fetch(`${server.url}/files/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: 'The URL is malformed: check its percent-encoding.' } });
  });

  it('keeps the 400 status of an error but not its message, unless it is marked safe to expose', async () => {
    const response = await fetch(`${server.url}/unexposed`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: 'The request is malformed.' } });
  });

  it('answers anything else with a bare 500', async () => {
    const response = await fetch(`${server.url}/unexpected`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { message: 'Internal server error.' } });
  });
});
