import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/cloud/s3-client.js';
import { S3Storage, type S3StorageSettings } from '../../src/cloud/s3-storage.js';
import { S3RVER_CREDENTIALS, startS3rver } from '../../src/dev/s3-server.js';

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

/**
 * Starts s3rver on 127.0.0.1 (a free port, a fresh temporary directory, silent) and creates `buckets`
 * (default: `test-bucket`). The server is the dev stack's (src/dev/s3-server.ts): a child process,
 * for the reason given there.
 */
export async function startS3Server(options: { buckets?: string[] } = {}): Promise<S3TestServer> {
  const buckets = options.buckets ?? ['test-bucket'];
  const directory = await mkdtemp(path.join(tmpdir(), 'loghive-s3rver-'));
  const server = await startS3rver({ directory, buckets }).catch(async (err: unknown) => {
    await rm(directory, { recursive: true, force: true });
    throw err;
  });
  const { endpoint } = server;
  const settings: S3StorageSettings = { endpoint, region: 'us-east-1', credentials: { ...S3RVER_CREDENTIALS } };
  const client = createS3Client(settings);
  const storage = new S3Storage(settings);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      client.destroy();
      storage.client.destroy();
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    })());
  return { endpoint, client, storage, settings, buckets, stop };
}
