import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { finished } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachLimited } from '../src/cloud/run-limited.js';
import { S3Storage } from '../src/cloud/s3-storage.js';
import { S3StorageError } from '../src/cloud/s3-storage-error.js';
import { formatS3Uri, parseS3Uri, S3UriError } from '../src/cloud/s3-uri.js';
import { HiveSession } from '../src/engine/session.js';
import type { WorkerMessage } from '../src/engine/worker.js';
import { InputError, LoghiveError } from '../src/hive/errors.js';
import { HiveVariables } from '../src/hive/script.js';
import { LocalStorage } from '../src/storage/local-storage.js';
import { StorageRegistry } from '../src/storage/registry.js';
import { tempDir } from './helpers.js';
import { startS3Server, type S3TestServer } from './support/s3-server.js';

const BUCKET = 'loghive-test';

describe('s3:// URIs', () => {
  it('splits a location into bucket and key, and formats it back', () => {
    // Act
    const loc = parseS3Uri('s3://my-bucket/logs/cloudfront_logs/dt=2014-07-05/');

    // Assert
    expect(loc).toEqual({ bucket: 'my-bucket', key: 'logs/cloudfront_logs/dt=2014-07-05/' });
    expect(formatS3Uri(loc)).toBe('s3://my-bucket/logs/cloudfront_logs/dt=2014-07-05/');
    expect(formatS3Uri('my-bucket', 'a/b')).toBe('s3://my-bucket/a/b');
    expect(parseS3Uri('s3://my-bucket')).toEqual({ bucket: 'my-bucket', key: '' });
  });

  it.each(['s3:/bucket/key', 'http://bucket/key', 's3:///key', 's3://b/key', 's3://bad bucket/key'])('rejects %s with an S3UriError (an InputError)', (uri) => {
    // Act
    const act = () => parseS3Uri(uri);

    // Assert
    expect(act).toThrow(S3UriError);
    expect(act).toThrow(InputError);
    expect(act).toThrow(uri);
  });
});

describe('S3Storage against s3rver', () => {
  let server: S3TestServer;
  let storage: S3Storage;
  const uri = (key: string) => formatS3Uri(BUCKET, key);
  const put = (key: string, body: string | Uint8Array = 'x') =>
    server.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength }));
  const get = async (key: string) => {
    const res = await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  };
  const exists = (key: string) => server.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
  const keysUnder = async (prefix: string) => {
    const res = await server.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (res.Contents ?? []).map((c) => c.Key!).sort();
  };
  const locations = (files: { location: string }[] | undefined) => files?.map((f) => f.location);
  // Local copies, for comparing with LocalStorage.
  const scratch = tempDir();

  beforeAll(async () => {
    server = await startS3Server({ buckets: [BUCKET] });
    storage = server.storage;
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('listFiles', () => {
    // One tree on S3 and on disk, so the two backends can be compared.
    const tree: Record<string, string> = {
      'a/x': '1',
      'a-b': '22',
      'b/c/d': '333',
      'b/_SUCCESS': '',
      'b/.crc': 'c',
      '_tmp/x': 'hidden directory',
      'b/.hidden-dir/y': 'hidden directory',
      'c/_logs/history': 'hidden directory',
      'Z': 'capital',
      'e/f/g/h': '4444',
    };

    beforeAll(async () => {
      await Promise.all(Object.entries(tree).map(([k, v]) => put(`tree/${k}`, v)));
    });

    it('lists every file below a directory recursively, skipping hidden names below it, in LocalStorage order', async () => {
      // Arrange
      const dir = path.join(scratch, 'tree');
      for (const [k, v] of Object.entries(tree)) {
        mkdirSync(path.dirname(path.join(dir, k)), { recursive: true });
        writeFileSync(path.join(dir, k), v);
      }
      const local = await new LocalStorage().listFiles(dir);

      // Act
      const listed = await storage.listFiles(uri('tree'));

      // Assert
      expect(listed).toEqual([
        { location: uri('tree/Z'), size: 7 },
        { location: uri('tree/a/x'), size: 1 },
        { location: uri('tree/a-b'), size: 2 },
        { location: uri('tree/b/c/d'), size: 3 },
        { location: uri('tree/e/f/g/h'), size: 4 },
      ]);
      expect(listed!.map((f) => [f.location.slice(uri('tree').length), f.size])).toEqual(local!.map((f) => [f.location.slice(dir.length), f.size]));
    });

    it('lists the object itself when the location is an object', async () => {
      // Act
      const listed = await storage.listFiles(uri('tree/b/c/d'));

      // Assert
      expect(listed).toEqual([{ location: uri('tree/b/c/d'), size: 3 }]);
    });

    it('treats a trailing slash like none, and reads a hidden listed location itself', async () => {
      // Act
      const slash = await storage.listFiles(uri('tree/b/'));
      const hidden = await storage.listFiles(uri('tree/_tmp'));

      // Assert
      expect(locations(slash)).toEqual([uri('tree/b/c/d')]);
      expect(locations(hidden)).toEqual([uri('tree/_tmp/x')]);
    });

    it('returns undefined for a missing location or bucket, and [] for a directory holding only hidden files', async () => {
      // Act
      const missing = await storage.listFiles(uri('tree/nope'));
      const prefixOnly = await storage.listFiles(uri('tree/a-')); // a prefix of a key, not a directory
      const noBucket = await storage.listFiles('s3://no-such-bucket/x');
      const onlyHidden = await storage.listFiles(uri('tree/c'));

      // Assert
      expect(missing).toBeUndefined();
      expect(prefixOnly).toBeUndefined();
      expect(noBucket).toBeUndefined();
      expect(onlyHidden).toEqual([]);
    });

    it('follows continuation tokens (a small page size)', async () => {
      // Arrange: s3rver walks its directories in file-system order, which matches S3's key order only when no
      // name is a prefix of another followed by a character below '/' (as "a-b" and "a/x" above); avoid those here.
      await Promise.all(['p/a/1', 'p/a/2', 'p/b/1', 'p/c', 'p/_d/1', 'p/e/2', 'p/e/f/1', 'p/g', 'p/h/1'].map((k) => put(`paged/${k}`)));
      const paged = new S3Storage({ ...server.settings, listPageSize: 2 });

      // Act
      const listed = await paged.listFiles(uri('paged/p'));
      const dirs = await paged.listDirectories(uri('paged/p'));

      // Assert
      expect(locations(listed)).toEqual(['p/a/1', 'p/a/2', 'p/b/1', 'p/c', 'p/e/2', 'p/e/f/1', 'p/g', 'p/h/1'].map((k) => uri(`paged/${k}`)));
      expect(dirs).toEqual([uri('paged/p/a'), uri('paged/p/b'), uri('paged/p/e'), uri('paged/p/h')]);
      paged.client.destroy();
    });

    it('lists and removes more than 1000 objects (S3 pages and DeleteObjects batches)', async () => {
      // Arrange
      const keys = Array.from({ length: 1001 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
      await forEachLimited(keys, 32, (k) => put(k).then(() => undefined));

      // Act
      const listed = await storage.listFiles(uri('many'));
      await storage.remove(uri('many'));

      // Assert
      expect(locations(listed)).toEqual(keys.map(uri));
      expect(await keysUnder('many/')).toEqual([]);
      expect(await storage.listFiles(uri('many'))).toBeUndefined();
    });
  });

  describe('listDirectories', () => {
    it('returns the immediate sub-directories (prefixes), hidden names skipped, sorted', async () => {
      // Arrange
      // (A prefix holding only deeper prefixes, like dt=…/g/h alone, is missing from s3rver's CommonPrefixes: an s3rver bug.)
      await Promise.all(['t/dt=2014-07-06/f', 't/dt=2014-07-05/g/h', 't/dt=2014-07-05/i', 't/_tmp/x', 't/.staging/y', 't/file', 't/dtx'].map((k) => put(`dirs/${k}`)));
      await storage.makeDirectory(uri('dirs/t/dt=2014-07-07'));

      // Act
      const dirs = await storage.listDirectories(uri('dirs/t'));
      const slash = await storage.listDirectories(uri('dirs/t/'));
      const missing = await storage.listDirectories(uri('dirs/none'));
      const noBucket = await storage.listDirectories('s3://no-such-bucket/x');

      // Assert
      expect(dirs).toEqual([uri('dirs/t/dt=2014-07-05'), uri('dirs/t/dt=2014-07-06'), uri('dirs/t/dt=2014-07-07')]);
      expect(slash).toEqual(dirs);
      expect(missing).toEqual([]);
      expect(noBucket).toEqual([]);
    });
  });

  describe('openRead', () => {
    const data = Buffer.from(Array.from({ length: 3 << 20 }, (_, i) => i % 251));

    beforeAll(async () => {
      await put('read/blob', data);
    });

    it('streams a whole object, and byte ranges [start, end)', async () => {
      // Act
      const whole = await buffer(storage.openRead(uri('read/blob')));
      const middle = await buffer(storage.openRead(uri('read/blob'), { start: 1000, end: 1_500_000 }));
      const pastEnd = await buffer(storage.openRead(uri('read/blob'), { start: data.length - 10, end: data.length + 1000 }));
      const empty = await buffer(storage.openRead(uri('read/blob'), { start: 5, end: 5 }));
      const afterEnd = await buffer(storage.openRead(uri('read/blob'), { start: data.length + 1, end: data.length + 100 }));

      // Assert
      expect(whole.equals(data)).toBe(true);
      expect(middle.equals(data.subarray(1000, 1_500_000))).toBe(true);
      expect(pastEnd.equals(data.subarray(data.length - 10))).toBe(true);
      expect(empty.length).toBe(0);
      expect(afterEnd.length).toBe(0);
    });

    it('matches LocalStorage for an empty range and a range past the end', async () => {
      // Arrange
      const dir = path.join(scratch, 'read');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'blob'), data);
      const local = new LocalStorage();

      // Act
      const s3 = await buffer(storage.openRead(uri('read/blob'), { start: data.length, end: data.length + 5 }));
      const disk = await buffer(local.openRead(path.join(dir, 'blob'), { start: data.length, end: data.length + 5 }));

      // Assert
      expect(s3).toEqual(disk);
    });

    it('reports a missing object as a stream error: an InputError naming the s3:// location', async () => {
      // Act
      const act = buffer(storage.openRead(uri('read/missing')));

      // Assert
      await expect(act).rejects.toThrow(InputError);
      await expect(buffer(storage.openRead(uri('read/missing')))).rejects.toThrow(`${uri('read/missing')}: no such S3 object`);
    });

    it('can be destroyed after the first chunk without holding the connection', async () => {
      // Arrange: more streams than the SDK's 50 pooled sockets, so a leaked socket would stall the last reads
      const firsts: number[] = [];

      // Act
      for (let i = 0; i < 60; i++) {
        const stream = storage.openRead(uri('read/blob'));
        firsts.push((await new Promise<Buffer>((resolve) => stream.once('data', resolve))).length);
        stream.destroy();
      }
      const again = await buffer(storage.openRead(uri('read/blob'), { start: 0, end: 10 }));

      // Assert
      expect(firsts.every((n) => n > 0)).toBe(true);
      expect(again.equals(data.subarray(0, 10))).toBe(true);
    });
  });

  describe('openWrite and writeFile', () => {
    it('streams a small file', async () => {
      // Arrange
      const out = storage.openWrite(uri('write/small/000000_0'));

      // Act
      out.write('a\u00011\n');
      out.end('b\u00012\n');
      await finished(out);

      // Assert
      expect((await get('write/small/000000_0')).toString()).toBe('a\u00011\nb\u00012\n');
    });

    it('writes an empty file', async () => {
      // Act
      const out = storage.openWrite(uri('write/empty'));
      out.end();
      await finished(out);

      // Assert
      expect(await storage.listFiles(uri('write/empty'))).toEqual([{ location: uri('write/empty'), size: 0 }]);
    });

    it('uploads more than 5 MB in parts and finishes only when the object exists', async () => {
      // Arrange
      const data = randomBytes(6 * 1024 * 1024 + 12345);
      const own = new S3Storage(server.settings);
      const commands: string[] = [];
      own.client.middlewareStack.add(
        (next, context) => (args) => {
          commands.push(context.commandName ?? '?');
          return next(args);
        },
        { step: 'initialize' },
      );
      const out = own.openWrite(uri('write/big'));
      let existedAtFinish: Promise<boolean> | undefined;
      out.on('finish', () => (existedAtFinish = exists('write/big')));

      // Act
      for (let i = 0; i < data.length; i += 64 * 1024) {
        if (!out.write(data.subarray(i, i + 64 * 1024))) await new Promise((r) => out.once('drain', r));
      }
      out.end();
      await finished(out);

      // Assert
      expect(await existedAtFinish).toBe(true);
      expect((await get('write/big')).equals(data)).toBe(true);
      expect(commands.sort()).toEqual(['CompleteMultipartUploadCommand', 'CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand']);
      own.client.destroy();
    });

    it('fails the stream when the upload fails', async () => {
      // Arrange
      const out = storage.openWrite('s3://no-such-bucket/file');

      // Act
      out.end('data');
      const act = finished(out);

      // Assert
      await expect(act).rejects.toThrow(S3StorageError);
      await expect(act).rejects.toThrow('s3://no-such-bucket/file: S3 write failed');
    });

    it('leaves no object when destroyed before the end', async () => {
      // Arrange
      const out = storage.openWrite(uri('write/aborted'));
      out.write('partial');

      // Act
      out.destroy();
      await new Promise((r) => out.once('close', r));

      // Assert
      expect(await exists('write/aborted')).toBe(false);
    });

    it('refuses a file location without a key', () => {
      // Act
      const act = () => storage.openWrite(uri('dir/'));

      // Assert
      expect(act).toThrow(S3UriError);
    });

    it('writes a whole file from a string or bytes', async () => {
      // Act
      await storage.writeFile(uri('write/text'), 'h\u00e9llo');
      await storage.writeFile(uri('write/bytes'), new Uint8Array([0, 1, 2, 255]));

      // Assert
      expect((await get('write/text')).toString('utf8')).toBe('h\u00e9llo');
      expect([...(await get('write/bytes'))]).toEqual([0, 1, 2, 255]);
    });
  });

  describe('remove, makeDirectory, join', () => {
    it('removes a key and everything under key/, and nothing else', async () => {
      // Arrange
      await Promise.all(['rm/d', 'rm/d/x', 'rm/d/_y', 'rm/d/e/f', 'rm/d2/x', 'rm/d-x', 'rm/dx'].map((k) => put(k)));

      // Act
      await storage.remove(uri('rm/d'));
      await storage.remove(uri('rm/missing'));

      // Assert
      expect(await keysUnder('rm/')).toEqual(['rm/d-x', 'rm/d2/x', 'rm/dx']);
    });

    it('refuses to remove a whole bucket', async () => {
      // Act
      const act = storage.remove(`s3://${BUCKET}/`);

      // Assert
      await expect(act).rejects.toThrow(S3UriError);
    });

    it('makes an empty directory exist with a marker object, only when nothing is under it', async () => {
      // Arrange
      await put('mk/full/f');

      // Act
      await storage.makeDirectory(uri('mk/empty/'));
      await storage.makeDirectory(uri('mk/empty'));
      await storage.makeDirectory(uri('mk/full'));

      // Assert
      expect(await keysUnder('mk/')).toEqual(['mk/empty/', 'mk/full/f']);
      expect(await storage.listFiles(uri('mk/empty'))).toEqual([]);
      expect(await storage.listDirectories(uri('mk'))).toEqual([uri('mk/empty'), uri('mk/full')]);
    });

    it('joins names onto a location', () => {
      // Act / Assert
      expect(storage.join(uri('out/'), 'os_requests', '000000_0')).toBe(uri('out/os_requests/000000_0'));
      expect(storage.join(`s3://${BUCKET}`, '.staging')).toBe(uri('.staging'));
      expect(storage.join(uri('a'), 'dt=2014-07-05/')).toBe(uri('a/dt=2014-07-05'));
    });
  });

  describe('replaceDirectory', () => {
    it('replaces the target with the staged files, hidden and nested ones included, and removes the staged ones', async () => {
      // Arrange
      await Promise.all(['rep/out/old', 'rep/out/_SUCCESS', 'rep/out/sub/old'].map((k) => put(k, 'old')));
      await Promise.all(['rep/.staging/000000_0', 'rep/.staging/000001_0', 'rep/.staging/_meta', 'rep/.staging/dt=1/x'].map((k) => put(k, `new ${k}`)));

      // Act
      await storage.replaceDirectory(uri('rep/.staging'), uri('rep/out/'));

      // Assert
      expect(await keysUnder('rep/')).toEqual(['rep/out/000000_0', 'rep/out/000001_0', 'rep/out/_meta', 'rep/out/dt=1/x']);
      expect((await get('rep/out/dt=1/x')).toString()).toBe('new rep/.staging/dt=1/x');
    });

    it('creates a missing target, and an empty one from an empty staged directory', async () => {
      // Arrange
      await put('rep2/.s1/f', 'f');
      await storage.makeDirectory(uri('rep2/.s2'));

      // Act
      await storage.replaceDirectory(uri('rep2/.s1'), uri('rep2/new'));
      await storage.replaceDirectory(uri('rep2/.s2'), uri('rep2/empty'));

      // Assert
      expect(await storage.listFiles(uri('rep2/new'))).toEqual([{ location: uri('rep2/new/f'), size: 1 }]);
      expect(await storage.listFiles(uri('rep2/empty'))).toEqual([]);
      expect(await keysUnder('rep2/.')).toEqual([]);
    });

    it('fails on a missing staged directory and leaves the target alone', async () => {
      // Arrange
      await put('rep3/out/keep', 'k');

      // Act
      const act = storage.replaceDirectory(uri('rep3/.missing'), uri('rep3/out'));

      // Assert
      await expect(act).rejects.toThrow(S3StorageError);
      expect(await keysUnder('rep3/')).toEqual(['rep3/out/keep']);
    });
  });

  describe('worker threads', () => {
    it('describes itself as plain settings that rebuild an equivalent backend', async () => {
      // Arrange
      const registry = new StorageRegistry([storage]);

      // Act
      const descriptors = registry.descriptors();
      const copy = S3Storage.fromDescriptor(structuredClone(descriptors[0]!));

      // Assert
      expect(descriptors).toEqual([{ kind: 's3', settings: server.settings }]);
      expect(await copy.listFiles(uri('rep2/new'))).toEqual([{ location: uri('rep2/new/f'), size: 1 }]);
      copy.client.destroy();
    });
  });

  describe('the engine over s3://', () => {
    const SCRIPT = readFileSync('jobs/os_requests.q', 'utf8');
    const dates = { FROM: '2014-07-05', TO: '2014-08-05' };
    const local = tempDir();

    beforeAll(async () => {
      const dataDir = 'sample-data/cloudfront/data';
      await Promise.all(readdirSync(dataDir).map((f) => put(`samples/cloudfront/data/${f}`, readFileSync(path.join(dataDir, f)))));
    });

    const run = async (defines: Record<string, string>, options: { workers: number; reducers?: number; splitSize?: number; onWorkerTask?: (worker: unknown, message: WorkerMessage) => void }) => {
      const variables = new HiveVariables({});
      for (const [k, v] of Object.entries({ ...dates, ...defines })) variables.hivevar.set(k, v);
      const session = new HiveSession({ file: 'os_requests.q', variables, storage: new StorageRegistry([storage]), stdout: () => {}, stderr: () => {}, ...options });
      return session.run(SCRIPT);
    };
    const localOutput = async (options: { workers: number; reducers?: number }) => {
      const out = path.join(local, `w${options.workers}-r${options.reducers ?? 0}`);
      await run({ INPUT: 'sample-data', OUTPUT: out }, options);
      const dir = path.join(out, 'os_requests');
      return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    };
    const s3Output = async (prefix: string) => {
      const files = (await storage.listFiles(uri(`${prefix}/os_requests`))) ?? [];
      return Object.fromEntries(await Promise.all(files.map(async (f) => [path.posix.basename(f.location), (await buffer(storage.openRead(f.location))).toString('utf8')])));
    };

    it('runs os_requests.q over s3:// input into s3:// output in this thread (workers: 1), as a local run does', async () => {
      // Arrange
      const expected = await localOutput({ workers: 1 });
      await put('results/w1/os_requests/stale', 'old');

      // Act
      const result = await run({ INPUT: uri('samples'), OUTPUT: uri('results/w1') }, { workers: 1 });

      // Assert
      expect(Object.keys(expected)).toEqual(['000000_0']);
      expect(await s3Output('results/w1')).toEqual(expected);
      expect(result.counters.get('inputFiles')).toBe(6);
      expect(await keysUnder('results/w1/')).toEqual(['results/w1/os_requests/000000_0']);
      expect((await keysUnder('results/')).filter((k) => k.includes('.loghive'))).toEqual([]);
    });

    it('runs it on worker threads (workers: 2, small splits, two reducers) that rebuild the S3 backend', async () => {
      // Arrange
      const expected = await localOutput({ workers: 1, reducers: 2 });
      const messages: WorkerMessage[] = [];

      // Act
      await run({ INPUT: uri('samples'), OUTPUT: uri('results/w2') }, { workers: 2, reducers: 2, splitSize: 65536, onWorkerTask: (_w, m) => messages.push(m) });

      // Assert
      expect(Object.keys(expected)).toEqual(['000000_0', '000001_0']);
      expect(await s3Output('results/w2')).toEqual(expected);
      expect(messages.filter((m) => m.kind === 'map').length).toBeGreaterThan(6);
      expect(messages.filter((m) => m.kind === 'reduce').length).toBe(2);
      expect(messages[0]!.job.storage).toEqual([{ kind: 's3', settings: server.settings }]);
      expect((await keysUnder('results/')).filter((k) => k.includes('.loghive'))).toEqual([]);
    });

    it('registers partitions with MSCK REPAIR from S3 prefixes and reads gzip objects on worker threads', async () => {
      // Arrange: partition prefixes as ingest writes them, a hidden object and a non-partition prefix beside them
      const lines = (dt: string, n: number) => Array.from({ length: n }, (_, i) => `${dt}\tGET\t${200 + (i % 2)}`).join('\n') + '\n';
      await Promise.all([
        put('logs/t/dt=2014-07-05/a.gz', gzipSync(lines('2014-07-05', 3))),
        put('logs/t/dt=2014-07-06/b.gz', gzipSync(lines('2014-07-06', 5))),
        put('logs/t/dt=2014-07-06/c.gz', gzipSync(lines('2014-07-06', 2))),
        put('logs/t/dt=2014-07-07/_tmp.gz', gzipSync(lines('2014-07-07', 9))),
        put('logs/t/other/x', 'not a partition\n'),
      ]);
      const script = `CREATE EXTERNAL TABLE t (d STRING, method STRING, status INT) PARTITIONED BY (dt STRING)
          ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION '${uri('logs/t/')}';
        MSCK REPAIR TABLE t;
        SELECT dt, COUNT(*), SUM(status) FROM t GROUP BY dt;`;
      let stdout = '';
      const session = new HiveSession({ storage: new StorageRegistry([storage]), stdout: (t) => (stdout += t), stderr: () => {}, workers: 2 });

      // Act
      const result = await session.run(script);

      // Assert
      expect(stdout).toBe('2014-07-05\t3\t601\n2014-07-06\t7\t1403\n');
      expect(result.counters.get('inputFiles')).toBe(3);
    });

    it('reads a missing input bucket as an empty table, and commits an empty output directory that exists', async () => {
      // Arrange: a map-only query over no input writes no file at all
      await put('results/empty/rows/000000_0', 'old');
      const script = `CREATE EXTERNAL TABLE t (line STRING) LOCATION 's3://no-such-bucket/in';
        INSERT OVERWRITE DIRECTORY '${uri('results/empty/rows')}' SELECT * FROM t;`;
      const variables = new HiveVariables({});
      let stderr = '';
      const session = new HiveSession({ variables, storage: new StorageRegistry([storage]), stdout: () => {}, stderr: (t) => (stderr += t), workers: 2 });

      // Act
      await session.run(script);

      // Assert
      expect(stderr).toContain('s3://no-such-bucket/in does not exist');
      expect(await storage.listFiles(uri('results/empty/rows'))).toEqual([]);
      expect(await storage.listDirectories(uri('results/empty'))).toEqual([uri('results/empty/rows')]);
    });

    it('fails with a typed error when a task fails in a worker thread, leaving the old output in place', async () => {
      // Arrange: input the engine refuses (bzip2), read by the worker threads
      await Promise.all(['log1', 'log2.bz2'].map((f) => put(`bad/cloudfront/data/${f}`, 'x\n')));
      await put('results/kept/os_requests/000000_0', 'old');

      // Act
      const failure: unknown = await run({ INPUT: uri('bad'), OUTPUT: uri('results/kept') }, { workers: 2 }).catch((err: unknown) => err);

      // Assert
      expect(failure).toBeInstanceOf(LoghiveError);
      expect((failure as Error).message).toMatch(/bzip2-compressed input is not supported/);
      expect(await keysUnder('results/kept/')).toEqual(['results/kept/os_requests/000000_0']);
      expect((await get('results/kept/os_requests/000000_0')).toString()).toBe('old');
      expect((await keysUnder('results/')).filter((k) => k.includes('.loghive'))).toEqual([]);
    });
  });
});
