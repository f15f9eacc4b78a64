/**
 * Ingest against a real S3 API (s3rver): request bodies, uploads under
 * `incoming/`, and the order of writes and the upload's deletion.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HiveSession } from '../src/engine/session.js';
import { HiveVariables } from '../src/hive/script.js';
import { ingestLogs, ingestObject } from '../src/ingest/ingest.js';
import { loadLogTables, type LogTables } from '../src/ingest/log-tables.js';
import type { Storage } from '../src/storage/storage.js';
import { StorageRegistry } from '../src/storage/registry.js';
import { startS3Server, type S3TestServer } from './support/s3-server.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SAMPLE = path.join(REPO, 'sample-data');
const BUCKET = 'loghive-ingest';
const ROOT = `s3://${BUCKET}`;

let server: S3TestServer;
let tables: LogTables;

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
  tables = await loadLogTables(path.join(REPO, 'jobs'));
});
afterAll(async () => {
  await server?.stop();
});

async function exists(key: string): Promise<boolean> {
  try {
    await server.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

async function getBytes(key: string): Promise<Buffer> {
  const r = await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray());
}

async function putObject(key: string, body: Buffer | string): Promise<string> {
  await server.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  return `${ROOT}/${key}`;
}

const keyOf = (location: string) => location.slice(ROOT.length + 1);

/** A Storage that records when object writes finish and deletes start, and can fail the nth write. */
function recording(inner: Storage, failWrite?: number): { storage: Storage; events: string[] } {
  const events: string[] = [];
  let writes = 0;
  const storage: Storage = Object.assign(Object.create(inner) as Storage, {
    openWrite(location: string): Writable {
      if (++writes === failWrite) {
        return new Writable({
          write(_chunk, _enc, cb) {
            cb(new Error('injected write failure'));
          },
        });
      }
      const target = inner.openWrite(location);
      target.on('finish', () => events.push(`wrote ${keyOf(location)}`));
      return target;
    },
    async remove(location: string): Promise<void> {
      events.push(`removed ${keyOf(location)}`);
      await inner.remove(location);
    },
  });
  return { storage, events };
}

describe('ingest against s3rver', () => {
  it('ingestLogs stores gzip objects under logs/{table}/dt=…/ once, and the engine reads them back', async () => {
    // Arrange
    const storage = server.storage;
    const dir = path.join(SAMPLE, 'cloudfront/data');
    const bodies = readdirSync(dir)
      .sort()
      .map((f) => readFileSync(path.join(dir, f), 'utf8'));

    // Act
    const results = [];
    for (const body of bodies) results.push(await ingestLogs({ table: 'cloudfront_logs', body, isBase64Encoded: false, storage, root: ROOT, tables }));
    const again = await ingestLogs({ table: 'cloudfront_logs', body: bodies[0]!, isBase64Encoded: false, storage, root: ROOT, tables });

    // Assert
    const first = results[0]!.partitions[0]!;
    expect(first.location).toMatch(new RegExp(`^s3://${BUCKET}/logs/cloudfront_logs/dt=\\d{4}-\\d{2}-\\d{2}/[0-9a-f]{32}\\.gz$`));
    expect(gunzipSync(await getBytes(keyOf(first.location))).toString().split('\n')).toHaveLength(first.lines + 1);
    expect(again.partitions.map((p) => p.created)).toEqual(results[0]!.partitions.map(() => false));
    expect(again.partitions.map((p) => p.bytes)).toEqual(results[0]!.partitions.map((p) => p.bytes));
    // The engine, reading the partitions from S3, finds every stored line.
    const stored = results.reduce((n, r) => n + r.linesStored, 0);
    const variables = new HiveVariables({});
    const session = new HiveSession({ variables, storage: new StorageRegistry([storage]), workers: 1, stdout: () => undefined, stderr: () => undefined });
    const run = await session.run(
      `CREATE EXTERNAL TABLE cloudfront_logs (DateObject DATE, line STRING) PARTITIONED BY (dt STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION '${ROOT}/logs/cloudfront_logs';
       MSCK REPAIR TABLE cloudfront_logs;
       SELECT COUNT(*), COUNT(DISTINCT dt) FROM cloudfront_logs WHERE dt = CAST(dateobject AS STRING);`,
    );
    expect(run.queries[0]!.preview).toEqual([[stored, new Set(results.flatMap((r) => r.partitions.map((p) => p.dt))).size]]);
  });

  it('ingestObject deletes the upload only after every day is written', async () => {
    // Arrange
    const name = readdirSync(path.join(SAMPLE, 'cloudfront-standard')).sort()[1]!;
    const key = `incoming/cloudfront_standard_logs/u-ok/${name}`;
    const location = await putObject(key, readFileSync(path.join(SAMPLE, 'cloudfront-standard', name)));
    const { storage, events } = recording(server.storage);

    // Act
    const r = await ingestObject({ location, storage, root: ROOT, tables });

    // Assert
    expect(r).toMatchObject({ table: 'cloudfront_standard_logs', uploadId: 'u-ok', originalRemoved: true, headerLinesSkipped: 2 });
    expect(r.partitions.length).toBeGreaterThan(1);
    expect(events).toEqual([...r.partitions.map((p) => `wrote ${keyOf(p.location)}`), `removed ${key}`]);
    expect(await exists(key)).toBe(false);
    for (const p of r.partitions) expect(await exists(keyOf(p.location))).toBe(true);
  });

  it('ingestObject keeps the upload when a write fails, and a retry then completes the ingest', async () => {
    // Arrange
    const name = readdirSync(path.join(SAMPLE, 'cloudfront-standard')).sort()[0]!;
    const key = `incoming/cloudfront_standard_logs/u-fail/${name}`;
    const location = await putObject(key, readFileSync(path.join(SAMPLE, 'cloudfront-standard', name)));
    const failing = recording(server.storage, 2);

    // Act
    const act = ingestObject({ location, storage: failing.storage, root: ROOT, tables });

    // Assert
    await expect(act).rejects.toThrow(/injected write failure/);
    expect(failing.events.some((e) => e.startsWith('removed'))).toBe(false);
    expect(await exists(key)).toBe(true);
    // A retry stores the rest (the first day is already there) and only then deletes the upload.
    const retry = await ingestObject({ location, storage: server.storage, root: ROOT, tables });
    expect(retry.partitions[0]!.created).toBe(false);
    expect(retry.partitions.slice(1).every((p) => p.created)).toBe(true);
    expect(retry.originalRemoved).toBe(true);
    expect(await exists(key)).toBe(false);
  });

  it('ingestObject keeps a gzip bomb upload and stores nothing from it', async () => {
    // Arrange
    const key = 'incoming/combined_logs/u-bomb/access.log.gz';
    const member = gzipSync(Buffer.alloc(16 << 20), { level: 9 });
    const location = await putObject(key, Buffer.concat(new Array<Buffer>(64).fill(member)));

    // Act
    const act = ingestObject({ location, storage: server.storage, root: ROOT, tables });

    // Assert
    await expect(act).rejects.toMatchObject({ httpStatus: 413 });
    expect(await exists(key)).toBe(true);
    expect(await server.storage.listFiles(`${ROOT}/logs/combined_logs`)).toBeUndefined();
  });
});
