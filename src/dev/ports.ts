/**
 * Ports on 127.0.0.1: a free one for whatever the caller did not fix, and a check that a fixed one
 * is free, so that "address in use" is reported before a child spends seconds starting up.
 */
import { createServer } from 'node:net';
import { PortInUseError } from './errors.js';

export const HOST = '127.0.0.1';

/** Listens on `port` (0: any) and closes again; resolves with the port, rejects with the listen error. */
function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host: HOST, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A port that was free a moment ago (another process could still take it before the child binds
 * it), and not one of `avoid`: ports already handed out but not yet bound.
 */
export async function freePort(avoid: readonly number[] = []): Promise<number> {
  for (;;) {
    const port = await probe(0);
    if (!avoid.includes(port)) return port;
  }
}

/** Rejects with PortInUseError when `port` is taken; `hint` says how to choose another. */
export async function assertPortFree(port: number, service: string, hint: string): Promise<void> {
  try {
    await probe(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port, service, hint, { cause: err });
    throw err;
  }
}
