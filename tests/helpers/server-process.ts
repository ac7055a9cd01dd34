import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './net.js';

/** A server a test started as its own process, listening on a free local port. */
export interface ServerProcess {
  url: string;
  /**
   * `fetch(url + path)`. When the request fails because the process is gone, the error says how it
   * ended and what it last printed, rather than only that the connection was refused.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** How the process ended (`exited with code 1`), or undefined while it runs. */
  ended(): string | undefined;
  /** The end of what it printed on stderr. */
  stderr(): string;
  stop(): void;
}

interface Options {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Answered once the server is up; any status will do. */
  readyPath?: string;
}

/**
 * Starts `command args` with PORT set and resolves once it answers. Its request log (stdout) is
 * dropped; its stderr is passed on to the test's output and kept for the errors above.
 */
export async function startServerProcess(
  command: string,
  args: string[],
  { cwd, env, readyPath = '/health' }: Options,
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(command, args, { cwd, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let ended: string | undefined;
  // 'close' rather than 'exit': by then all of its stderr has been read.
  const closed = once(child, 'close').then(([code, signal]) => {
    ended = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  });
  const gone = () => new Error(`The server (${args.join(' ')}) ${ended}. The end of its stderr:\n${stderr || '(nothing)'}`);

  // Until it answers or exits: no deadline of its own, as start-up on a busy machine varies (the hook's timeout bounds it).
  for (;;) {
    if (ended) throw gone();
    try {
      await fetch(`${url}${readyPath}`);
      break;
    } catch {
      await sleep(100);
    }
  }

  return {
    url,
    async fetch(path, init) {
      try {
        return await fetch(`${url}${path}`, init);
      } catch (error) {
        // A server that no longer accepts connections is on its way out: wait for its exit to report it.
        if (ended || !(await accepts(port))) {
          await closed;
          throw gone();
        }
        throw error;
      }
    },
    ended: () => ended,
    stderr: () => stderr,
    stop() {
      child.kill('SIGTERM');
    },
  };
}

/** Whether something accepts a connection on the local `port` now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
