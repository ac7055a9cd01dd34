import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.js';

// A server that answers /health, and on /crash writes to stderr and exits mid-request.
const crashingServer = `
require('node:http').createServer((req, res) => {
  if (req.url === '/crash') { console.error('boom: the database went away'); process.exit(3); }
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('startServerProcess', () => {
  it('says how a server that died mid-request ended, and what it printed last', async () => {
    const server = await startServerProcess(process.execPath, ['-e', crashingServer], { cwd: process.cwd(), env: process.env });
    try {
      expect(await (await server.fetch('/health')).text()).toBe('ok');
      await expect(server.fetch('/crash')).rejects.toThrow(/exited with code 3\. The end of its stderr:\nboom: the database went away/);
      expect(server.ended()).toBe('exited with code 3');
    } finally {
      server.stop();
    }
  });

  it('fails to start with the exit and stderr of a server that never listens', async () => {
    const start = startServerProcess(process.execPath, ['-e', 'console.error("PORT is taken"); process.exit(1)'], {
      cwd: process.cwd(),
      env: process.env,
    });
    await expect(start).rejects.toThrow(/exited with code 1\. The end of its stderr:\nPORT is taken/);
  });
});
