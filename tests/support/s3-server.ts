import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type S3rver from 's3rver';
import { createS3Client } from '../../src/cloud/s3-client.js';
import { S3Storage, type S3StorageSettings } from '../../src/cloud/s3-storage.js';

/** A running s3rver with a client and an S3Storage pointed at it. */
export interface S3TestServer {
  /** `http://127.0.0.1:{port}` */
  readonly endpoint: string;
  /** s3rver's fixed credentials (S3RVER/S3RVER), path style, checksums only where required. */
  readonly client: S3Client;
  readonly storage: S3Storage;
  /** What `storage` was built from (also what worker threads rebuild it from). */
  readonly settings: S3StorageSettings;
  /** The buckets created at start. */
  readonly buckets: readonly string[];
  /** Closes the server and deletes its directory. */
  stop(): Promise<void>;
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The server runs in its own node process with OpenSSL's legacy provider:
 * s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with DES, which
 * Node 17+ refuses by default, so in-process every listing longer than one
 * page fails with InternalError.
 */
const SERVER_MAIN = `
const S3rver = require('s3rver');
const server = new S3rver(JSON.parse(process.env.LOGHIVE_S3RVER_OPTIONS));
const stop = () => server.close().catch(() => undefined).finally(() => process.exit(0));
server.run().then(
  (address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'),
  (err) => { console.error(err); process.exit(1); },
);
process.on('SIGTERM', stop);
// The parent's end (even a crash) closes stdin: stop with it.
process.stdin.on('end', stop);
process.stdin.resume();
`;

/** Starts s3rver on 127.0.0.1 (a free port, a fresh temporary directory, silent) and creates `buckets` (default: `test-bucket`). */
export async function startS3Server(options: { buckets?: string[] } = {}): Promise<S3TestServer> {
  const buckets = options.buckets ?? ['test-bucket'];
  const directory = await mkdtemp(path.join(tmpdir(), 'loghive-s3rver-'));
  const serverOptions: ConstructorParameters<typeof S3rver>[0] = { address: '127.0.0.1', port: 0, silent: true, directory };
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_MAIN], {
    cwd: REPO,
    env: { ...process.env, LOGHIVE_S3RVER_OPTIONS: JSON.stringify(serverOptions) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = once(child, 'exit');
  let stopped = false;
  const stopServer = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening: ${stderr.trim()}`)));
      child.once('error', reject);
    });
    const endpoint = `http://127.0.0.1:${port}`;
    // s3rver accepts only these credentials.
    const settings: S3StorageSettings = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
    const client = createS3Client(settings);
    const storage = new S3Storage(settings);
    const stop = async () => {
      client.destroy();
      storage.client.destroy();
      await stopServer();
    };
    try {
      for (const bucket of buckets) await client.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (err) {
      await stop();
      throw err;
    }
    return { endpoint, client, storage, settings, buckets, stop };
  } catch (err) {
    await stopServer();
    throw err;
  }
}
