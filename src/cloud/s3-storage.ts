import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Readable, type Writable } from 'node:stream';
import { z } from 'zod';
import { isHiddenName, type FileStatus, type Storage, type StorageBackendDescriptor } from '../storage/storage.js';
import { forEachLimited } from './run-limited.js';
import { createS3Client, type S3ClientSettings } from './s3-client.js';
import { S3ObjectReadStream } from './s3-object-stream.js';
import { isNoSuchBucket, isNotFound, S3StorageError } from './s3-storage-error.js';
import { S3UploadStream } from './s3-upload-stream.js';
import { formatS3Uri, parseS3Uri, S3UriError } from './s3-uri.js';

/** Everything S3Storage is built from: plain data, so worker threads can build their own (see `describe`). */
export interface S3StorageSettings extends S3ClientSettings {
  /** Keys per ListObjectsV2 page: 1000 (S3's maximum) unless set lower (tests exercise pagination with it). */
  readonly listPageSize?: number;
  /** Multipart part size for openWrite, at least 5 MiB (S3's minimum); 5 MiB by default. */
  readonly partSize?: number;
  /** Parts uploaded at once per open write stream (default 4). */
  readonly queueSize?: number;
  /** Objects copied at once by replaceDirectory (default 8). */
  readonly copyConcurrency?: number;
}

/** The descriptor kind of this backend. */
export const S3_STORAGE_KIND = 's3';

const MiB = 1024 * 1024;
/** CopyObject copies at most this many bytes. */
const MAX_COPY_BYTES = 5 * 1024 * MiB;
/** DeleteObjects takes at most this many keys. */
const DELETE_BATCH = 1000;

const settingsSchema = z.object({
  region: z.string().optional(),
  endpoint: z.string().optional(),
  credentials: z.object({ accessKeyId: z.string(), secretAccessKey: z.string(), sessionToken: z.string().optional() }).optional(),
  listPageSize: z.number().int().min(1).max(1000).optional(),
  partSize: z.number().int().min(5 * MiB).optional(),
  queueSize: z.number().int().min(1).optional(),
  copyConcurrency: z.number().int().min(1).optional(),
});

interface ListedObject {
  readonly key: string;
  readonly size: number;
}

/**
 * `s3://bucket/key` locations, with LocalStorage's semantics: a "directory" is
 * a key prefix ending in `/`.
 *
 * Directories: makeDirectory writes a zero-byte marker object `key/` (as the
 * S3 console and Hadoop's S3A do) only when nothing exists under the prefix,
 * because an empty prefix does not exist on S3 and an empty job output must
 * still exist after its commit. Listings never report markers as files.
 *
 * replaceDirectory is not atomic: S3 has no rename, so it deletes the
 * target's objects, copies the staged objects to the target keys, then deletes
 * the staged ones. The output committer's guarantee on S3 is therefore
 * weaker than locally: the old output is removed only after every task file
 * has been written (a failed job leaves it untouched), but a failure during
 * the commit itself can leave the target partly written; the staged copy is
 * kept until the end, so nothing is lost.
 */
export class S3Storage implements Storage {
  readonly client: S3Client;
  private readonly settings: S3StorageSettings;

  /** `client` lets callers share one client; `settings` must still describe an equivalent one, for worker threads. */
  constructor(settings: S3StorageSettings = {}, client?: S3Client) {
    this.settings = settingsSchema.parse(settings);
    this.client = client ?? createS3Client(this.settings);
  }

  /** Rebuilds a backend from `describe()`'s output (in a worker thread). */
  static fromDescriptor(descriptor: StorageBackendDescriptor): S3Storage {
    if (descriptor.kind !== S3_STORAGE_KIND) throw new TypeError(`not an S3 storage descriptor: ${descriptor.kind}`);
    return new S3Storage(settingsSchema.parse(descriptor.settings));
  }

  /** The settings as plain data; they include the credentials when they were given explicitly. */
  describe(): StorageBackendDescriptor {
    return { kind: S3_STORAGE_KIND, settings: structuredClone(this.settings) };
  }

  handles(location: string): boolean {
    return location.startsWith('s3://');
  }

  async listFiles(location: string): Promise<FileStatus[] | undefined> {
    const { bucket, base, prefix } = directoryOf(location);
    if (base !== '') {
      const size = await this.objectSize(bucket, base, location);
      if (size !== undefined) return [{ location: formatS3Uri(bucket, base), size }];
    }
    const found: { parts: string[]; file: FileStatus }[] = [];
    let exists = base === '';
    try {
      for await (const page of this.pages(bucket, prefix)) {
        for (const obj of page.Contents ?? []) {
          exists = true;
          const rel = obj.Key!.slice(prefix.length);
          // Directory markers are not files.
          if (rel === '' || rel.endsWith('/')) continue;
          const parts = rel.split('/');
          if (parts.some(isHiddenName)) continue;
          found.push({ parts, file: { location: formatS3Uri(bucket, obj.Key!), size: obj.Size ?? 0 } });
        }
      }
    } catch (err) {
      if (isNoSuchBucket(err)) return undefined;
      throw new S3StorageError('list', location, { cause: err });
    }
    if (!exists) return undefined;
    // LocalStorage walks each directory in name order; S3 lists in byte order of whole keys, which differs
    // ("a-b" sorts before "a/x"). Compare name by name to give the same order.
    found.sort((a, b) => comparePaths(a.parts, b.parts));
    return found.map((f) => f.file);
  }

  async listDirectories(location: string): Promise<string[]> {
    const { bucket, prefix } = directoryOf(location);
    const out: string[] = [];
    try {
      for await (const page of this.pages(bucket, prefix, '/')) {
        for (const p of page.CommonPrefixes ?? []) {
          const name = p.Prefix!.slice(prefix.length, -1);
          if (name === '' || isHiddenName(name)) continue;
          out.push(formatS3Uri(bucket, p.Prefix!.slice(0, -1)));
        }
      }
    } catch (err) {
      if (isNoSuchBucket(err)) return [];
      throw new S3StorageError('list', location, { cause: err });
    }
    return out.sort();
  }

  openRead(location: string, range?: { start: number; end: number }): Readable {
    const { bucket, key } = parseS3Uri(location);
    // An empty range reads nothing; S3 would refuse it (416) where a local read returns no bytes.
    if (range && range.end <= range.start) return Readable.from([]);
    return new S3ObjectReadStream(this.client, bucket, key, location, range);
  }

  join(location: string, ...names: string[]): string {
    const { bucket, key } = parseS3Uri(location);
    const parts = [key, ...names].map((p) => p.replace(/^\/+|\/+$/g, '')).filter((p) => p !== '');
    return formatS3Uri(bucket, parts.join('/'));
  }

  async makeDirectory(location: string): Promise<void> {
    const { bucket, base, prefix } = directoryOf(location);
    if (base === '') return;
    try {
      const first = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
      if ((first.KeyCount ?? first.Contents?.length ?? 0) > 0) return;
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: prefix, Body: '', ContentLength: 0 }));
    } catch (err) {
      throw new S3StorageError('mkdir', location, { cause: err });
    }
  }

  openWrite(location: string): Writable {
    const { bucket, key } = fileOf(location);
    return new S3UploadStream(this.client, bucket, key, location, { partSize: this.settings.partSize, queueSize: this.settings.queueSize });
  }

  async writeFile(location: string, data: Uint8Array | string): Promise<void> {
    const { bucket, key } = fileOf(location);
    try {
      // An explicit length: without one the SDK warns about (and cannot size) an empty body.
      const length = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ContentLength: length }));
    } catch (err) {
      throw new S3StorageError('write', location, { cause: err });
    }
  }

  async remove(location: string): Promise<void> {
    const { bucket, base, prefix } = directoryOf(location);
    if (base === '') throw new S3UriError(location, 'refusing to delete a whole bucket');
    let keys: string[];
    try {
      keys = [base, ...(await this.allObjects(bucket, prefix)).map((o) => o.key)];
    } catch (err) {
      if (isNoSuchBucket(err)) return;
      throw new S3StorageError('list', location, { cause: err });
    }
    await this.deleteKeys(bucket, keys, location);
  }

  async replaceDirectory(staged: string, target: string): Promise<void> {
    const from = directoryOf(staged);
    const to = directoryOf(target);
    if (from.base === '' || to.base === '') throw new S3UriError(from.base === '' ? staged : target, 'refusing to replace a whole bucket');
    if (from.bucket === to.bucket && from.prefix === to.prefix) return;
    let objects: ListedObject[];
    try {
      objects = await this.allObjects(from.bucket, from.prefix);
    } catch (err) {
      throw new S3StorageError('list', staged, { cause: err });
    }
    // Locally, renaming a missing directory fails; so does this, before the target is touched.
    if (objects.length === 0) throw new S3StorageError('replace', staged, { cause: new Error('the staged directory does not exist') });
    // CopyObject stops at 5 GiB (beyond needs a multipart copy, which this backend does not do): refuse before deleting anything.
    const huge = objects.find((o) => o.size > MAX_COPY_BYTES);
    if (huge) throw new S3StorageError('replace', staged, { cause: new Error(`${formatS3Uri(from.bucket, huge.key)} is larger than 5 GiB, the most a single CopyObject copies`) });
    await this.remove(target);
    await forEachLimited(objects, this.settings.copyConcurrency ?? 8, async (obj) => {
      const key = to.prefix + obj.key.slice(from.prefix.length);
      try {
        await this.client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: key, CopySource: copySource(from.bucket, obj.key) }));
      } catch (err) {
        throw new S3StorageError('copy', `${formatS3Uri(from.bucket, obj.key)} -> ${formatS3Uri(to.bucket, key)}`, { cause: err });
      }
    });
    await this.deleteKeys(
      from.bucket,
      objects.map((o) => o.key),
      staged,
    );
  }

  /** The size of the object `key`, or undefined when there is none. */
  private async objectSize(bucket: string, key: string, location: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new S3StorageError('head', location, { cause: err });
    }
  }

  /** ListObjectsV2 pages under `prefix`, following continuation tokens. */
  private async *pages(bucket: string, prefix: string, delimiter?: string): AsyncGenerator<ListObjectsV2CommandOutput> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token, MaxKeys: this.settings.listPageSize }),
      );
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Every object under `prefix`, hidden names and directory markers included. */
  private async allObjects(bucket: string, prefix: string): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    for await (const page of this.pages(bucket, prefix)) for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0 });
    return out;
  }

  private async deleteKeys(bucket: string, keys: readonly string[], location: string): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      let errors: { Key?: string; Code?: string; Message?: string }[];
      try {
        const res = await this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
        errors = res.Errors ?? [];
      } catch (err) {
        throw new S3StorageError('delete', location, { cause: err });
      }
      // Deleting a missing key is not an error on S3; anything reported here is one (access denied, …).
      const first = errors[0];
      if (first) {
        const cause = new Error(`${errors.length} key(s) not deleted, first ${formatS3Uri(bucket, first.Key ?? '')}: ${first.Code ?? 'error'}${first.Message ? ` (${first.Message})` : ''}`);
        throw new S3StorageError('delete', location, { cause });
      }
    }
  }
}

/** A location as a directory: its bucket, its key without trailing slashes, and the prefix of everything below it. */
function directoryOf(location: string): { bucket: string; base: string; prefix: string } {
  const { bucket, key } = parseS3Uri(location);
  const base = key.replace(/\/+$/, '');
  return { bucket, base, prefix: base === '' ? '' : `${base}/` };
}

/** A location that must name an object (not a bucket or a directory). */
function fileOf(location: string): { bucket: string; key: string } {
  const loc = parseS3Uri(location);
  if (loc.key === '' || loc.key.endsWith('/')) throw new S3UriError(location, 'a file location needs a key that does not end with /');
  return loc;
}

/** Name-by-name order, each name compared as LocalStorage sorts directory entries. */
function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * CopyObject's `x-amz-copy-source`: URL-encoded, but with the characters that
 * decodeURI leaves alone (`/`, `=`, …) kept literal: S3 accepts both, and
 * s3rver decodes the header with decodeURI only (partition keys have `=`).
 */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key).replace(/%(2F|3D|3A|40|2C|3B|24|26)/g, (m) => decodeURIComponent(m))}`;
}
