/**
 * s3rver, the S3-compatible server that stands in for S3 offline (dev stack, tests): started in a
 * child node process on 127.0.0.1, keeping its buckets and objects in a directory of the caller's
 * (so they outlive the process), and creating the buckets it is given if they are missing.
 *
 * Why a child process, with OpenSSL's legacy provider: s3rver 3.7.1 encrypts ListObjectsV2
 * continuation tokens with DES, which Node 17+ refuses by default, so in-process every listing
 * longer than one page fails with InternalError.
 */
import { mkdir } from 'node:fs/promises';
import { HOST } from './ports.js';
import { REPO_ROOT } from './repo-root.js';
import { ServiceProcess, type OutputStream } from './service-process.js';
import { ServiceStartError } from './errors.js';

/** s3rver accepts only these credentials (any region). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverOptions {
  /** Where buckets and objects are kept; created if missing, never emptied. */
  readonly directory: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Created at start when missing. */
  readonly buckets?: readonly string[];
  /** The directory node resolves `s3rver` from (default: the repository). */
  readonly cwd?: string;
  /** s3rver's own request log, line by line (off unless given). */
  readonly onLine?: (line: string, stream: OutputStream) => void;
  /** How long to wait for it to listen (default 30 s). */
  readonly startTimeoutMs?: number;
}

export interface RunningS3rver {
  /** `http://127.0.0.1:{port}` */
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  readonly process: ServiceProcess;
  /** Milliseconds from spawn to listening. */
  readonly readyMs: number;
  /** Stops the server; the directory stays. */
  stop(): Promise<void>;
}

const READY = 'LOGHIVE_S3RVER_LISTENING ';

/** The child: run s3rver with the options in its environment, report the port, stop on SIGTERM/SIGINT or when the parent goes away. */
const SERVER_MAIN = `
const S3rver = require('s3rver');
const server = new S3rver(JSON.parse(process.env.LOGHIVE_S3RVER_OPTIONS));
const stop = () => server.close().catch(() => undefined).finally(() => process.exit(0));
server.run().then(
  (address) => process.stdout.write(${JSON.stringify(READY)} + JSON.stringify({ port: address.port }) + '\\n'),
  (err) => { console.error(err); process.exit(1); },
);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent's end (even a crash) closes stdin: stop with it.
process.stdin.on('end', stop);
process.stdin.resume();
`;

export async function startS3rver(options: S3rverOptions): Promise<RunningS3rver> {
  await mkdir(options.directory, { recursive: true }).catch((err: unknown) => {
    throw new ServiceStartError('s3rver', `cannot create its data directory ${options.directory}: ${err instanceof Error ? err.message : String(err)}`, [], { cause: err });
  });
  const serverOptions = {
    address: HOST,
    port: options.port ?? 0,
    silent: options.onLine === undefined,
    directory: options.directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  };
  const started = Date.now();
  let announce: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (announce = resolve));
  const child = await ServiceProcess.start({
    name: 's3rver',
    nodeArgs: ['--openssl-legacy-provider', '-e', SERVER_MAIN],
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, LOGHIVE_S3RVER_OPTIONS: JSON.stringify(serverOptions) },
    onLine: (line, stream) => {
      if (stream === 'stdout' && line.startsWith(READY)) announce((JSON.parse(line.slice(READY.length)) as { port: number }).port);
      else options.onLine?.(line, stream);
    },
  });
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const cancel = new AbortController();
  const outcome = await Promise.race([
    listening.then((port) => ({ port })),
    child.exited.then((exit) => ({ exit })),
    new Promise<'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      cancel.signal.addEventListener('abort', () => clearTimeout(timer));
    }),
  ]);
  cancel.abort();
  if (outcome === 'timeout' || 'exit' in outcome) {
    await child.stop();
    const detail = outcome === 'timeout' ? `not listening after ${timeoutMs / 1000} s` : `it exited (code ${outcome.exit.code}, signal ${outcome.exit.signal}) before listening`;
    throw new ServiceStartError('s3rver', detail, child.tail());
  }
  const { port } = outcome;
  return { endpoint: `http://${HOST}:${port}`, port, directory: options.directory, process: child, readyMs: Date.now() - started, stop: () => child.stop() };
}
