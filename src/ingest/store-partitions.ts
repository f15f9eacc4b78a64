/**
 * Stores each day's gzip file as `logs/{table}/dt=YYYY-MM-DD/{hash}.gz`.
 * The name is the content's hash, so the same lines sent twice land on the
 * same key: an existing object is never rewritten (`created: false`), and
 * nothing here ever deletes a data object.
 *
 * The final object must appear whole or not at all. S3 gives that (a PUT or a
 * completed multipart upload is atomic). Local files do not, so they are
 * written under a hidden name (`_…`, which Hive skips) and then hard-linked to
 * the final name: link() fails when the name exists, which also makes two
 * concurrent identical ingests safe.
 */
import { createReadStream } from 'node:fs';
import { link, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { LocalStorage } from '../storage/local-storage.js';
import type { Storage } from '../storage/storage.js';
import type { SpilledPartition } from './partition-lines.js';

/** One stored (or already present) day. */
export interface StoredPartition {
  /** `yyyy-MM-dd`. */
  readonly dt: string;
  /** The object's location, e.g. `s3://bucket/logs/cloudfront_logs/dt=2014-07-05/0123….gz`. */
  readonly location: string;
  readonly lines: number;
  /** Size of the stored gzip object. */
  readonly bytes: number;
  /** Size of its lines uncompressed. */
  readonly uncompressedBytes: number;
  /** False when an object with this content was already there. */
  readonly created: boolean;
}

/** Hex characters of the SHA-256 kept in the object name (docs/cloud.md). */
export const HASH_CHARS = 32;

/** `{root}/logs/{table}/dt={dt}/{hash}.gz`. */
export function partitionObjectLocation(storage: Storage, root: string, table: string, dt: string, sha256: string): string {
  return storage.join(root, 'logs', table, `dt=${dt}`, `${sha256.slice(0, HASH_CHARS)}.gz`);
}

/** Stores the days one after the other; on a failure, the days already stored stay (they are complete and idempotent). */
export async function storePartitions(storage: Storage, root: string, table: string, partitions: readonly SpilledPartition[]): Promise<StoredPartition[]> {
  const out: StoredPartition[] = [];
  for (const p of partitions) {
    const location = partitionObjectLocation(storage, root, table, p.dt, p.sha256);
    const existing = await existingSize(storage, location);
    let created = false;
    if (existing === undefined) {
      created = storage instanceof LocalStorage ? await writeLocalOnce(storage, p.file, location) : await writeObject(storage, p.file, location);
    }
    out.push({ dt: p.dt, location, lines: p.lines, bytes: created ? p.gzipBytes : (existing ?? (await existingSize(storage, location)) ?? p.gzipBytes), uncompressedBytes: p.uncompressedBytes, created });
  }
  return out;
}

/** The size of the object at exactly `location`, if there is one. */
async function existingSize(storage: Storage, location: string): Promise<number | undefined> {
  const files = await storage.listFiles(location);
  return files?.find((f) => f.location === location)?.size;
}

async function writeObject(storage: Storage, file: string, location: string): Promise<boolean> {
  await pipeline(createReadStream(file), storage.openWrite(location));
  return true;
}

/** Writes a hidden temporary file next to the target, then links it into place unless the target appeared meanwhile. */
async function writeLocalOnce(storage: LocalStorage, file: string, location: string): Promise<boolean> {
  const target = storage.toPath(location);
  const temp = path.join(path.dirname(target), `_loghive-tmp-${randomUUID()}.gz`);
  try {
    await pipeline(createReadStream(file), storage.openWrite(temp));
    try {
      await link(temp, target);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  } finally {
    await rm(temp, { force: true });
    // Leave no empty partition directory behind when nothing was linked (rmdir refuses a non-empty one).
    await stat(target).catch(() => rmdir(path.dirname(target)).catch(() => undefined));
  }
}
