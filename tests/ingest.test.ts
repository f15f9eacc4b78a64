import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { HiveSession } from '../src/engine/session.js';
import { HiveVariables, splitStatements } from '../src/hive/script.js';
import { contentCoding, decodeRequestBody, decodeStream } from '../src/ingest/decode-body.js';
import {
  LogTableDefinitionError,
  MalformedBodyError,
  PayloadTooLargeError,
  TooManyMalformedLinesError,
  TooManyPartitionsError,
  UnknownTableError,
  UnsupportedEncodingError,
} from '../src/ingest/errors.js';
import { ingestLogs, ingestObject, type IngestLogsRequest } from '../src/ingest/ingest.js';
import { loadLogTables, logTablesFromScripts, type LogTables } from '../src/ingest/log-tables.js';
import { LocalStorage } from '../src/storage/local-storage.js';
import { tempDir } from './helpers.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const JOBS = path.join(REPO, 'jobs');
const SAMPLE = path.join(REPO, 'sample-data');
const storage = new LocalStorage();

/** One line of the tutorial's sample format (11 tab-separated fields). */
function tutorialLine(date: string, os = 'Windows', time = '20:00:00'): string {
  return [date, time, 'LHR3', '4260', '10.0.0.15', 'GET', 'eabcd12345678.cloudfront.net', '/a.jpeg', '200', '-', `Mozilla/5.0%20(${os};%20U;%20en-US)%20Gecko/2009040821%20IE/3.0.9`].join('\t');
}

/** One combined-format line at a given time (`dd/MMM/yyyy:HH:mm:ss Z`). */
function combinedLine(time: string, page = '/index.html'): string {
  return `10.0.0.1 - - [${time}] "GET ${page} HTTP/1.1" 200 123 "-" "curl/8.0"`;
}

/** Every stored object under `root/logs/table`, as `dt → lines` (objects gunzipped, in name order). */
function storedLines(root: string, table: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const dir = path.join(root, 'logs', table);
  if (!existsSync(dir)) return out;
  for (const part of readdirSync(dir).sort()) {
    const lines: string[] = [];
    for (const f of readdirSync(path.join(dir, part)).sort()) {
      const text = gunzipSync(readFileSync(path.join(dir, part, f))).toString('utf8');
      lines.push(...text.split('\n').slice(0, -1));
    }
    out.set(part.replace(/^dt=/, ''), lines);
  }
  return out;
}

/** Every file below a directory (relative paths), to show that nothing was written. */
function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Runs a script with the local engine in this thread; returns the rows of its last query as tab-joined text, sorted. */
async function hiveRows(script: string, defines: Record<string, string>): Promise<string[]> {
  const variables = new HiveVariables({});
  for (const [k, v] of Object.entries(defines)) variables.hivevar.set(k, v);
  const session = new HiveSession({ file: 'test.q', variables, workers: 1, stdout: () => undefined, stderr: () => undefined });
  const result = await session.run(script);
  const last = result.queries[result.queries.length - 1]!;
  return last.preview.map((r) => r.map((v) => (v === null ? 'NULL' : String(v))).join('\t')).sort();
}

/** The CREATE TABLE statement of a job, as written. */
function jobDdl(job: string): string {
  return splitStatements(readFileSync(path.join(JOBS, `${job}.q`), 'utf8'))[0]!.text;
}

/** A gzip stream that inflates to `gib` GiB of zeros: 16 MiB of zeros compressed once, as concatenated gzip members (valid gzip, ~1 MB). */
function gzipBomb(gib = 1): Buffer {
  const member = gzipSync(Buffer.alloc(16 << 20), { level: 9 });
  return Buffer.concat(new Array<Buffer>(64 * gib).fill(member));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

let tables: LogTables;
beforeAll(async () => {
  tables = await loadLogTables(JOBS);
});

function request(root: string, table: string, body: string, extra: Partial<IngestLogsRequest> = {}): IngestLogsRequest {
  return { table, body, isBase64Encoded: false, storage, root, tables, ...extra };
}

describe('the table catalog from jobs/*.q', () => {
  it('has each table the jobs define, with its SerDe, header lines and partition rule', () => {
    // Assert
    expect(tables.names()).toEqual(['cloudfront_logs', 'cloudfront_standard_logs', 'combined_logs']);
    const cf = tables.get('cloudfront_logs');
    expect(cf.partition).toEqual({ column: 'dateobject', columnIndex: 0, columnType: 'date' });
    expect(cf.skipHeaderLines).toBe(0);
    expect(cf.createSerDe().className).toBe('org.apache.hadoop.hive.serde2.RegexSerDe');
    expect(cf.definedIn.length).toBeGreaterThan(5);
    const std = tables.get('cloudfront_standard_logs');
    expect(std.skipHeaderLines).toBe(2);
    expect(std.partition.column).toBe('date');
    expect(std.createSerDe().className).toBe('org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe');
    expect(tables.get('combined_logs').partition).toEqual({ column: 'request_time', columnIndex: 3, columnType: 'string', format: 'dd/MMM/yyyy:HH:mm:ss Z' });
  });

  it('rejects two jobs that define one table differently, naming both files', () => {
    // Arrange
    const a = { file: 'jobs/a.q', text: "CREATE EXTERNAL TABLE t (d DATE, x STRING) LOCATION '${INPUT}/t';\nSELECT x FROM t;" };
    const b = { file: 'jobs/b.q', text: "CREATE EXTERNAL TABLE t (d DATE, x INT) LOCATION '${INPUT}/t';" };

    // Act
    const act = () => logTablesFromScripts([a, b]);

    // Assert
    expect(act).toThrow(LogTableDefinitionError);
    expect(act).toThrow(/jobs\/a\.q, jobs\/b\.q.*columns/);
  });

  it('reports a bad partition property as a definition error, and a table without a day as unknown', () => {
    // Arrange
    const badFormat = { file: 'x.q', text: "CREATE EXTERNAL TABLE t (s STRING) LOCATION '/x' TBLPROPERTIES ('loghive.partition.column'='s', 'loghive.partition.format'='yyyy-qq');" };
    const noFormat = { file: 'y.q', text: "CREATE EXTERNAL TABLE t (s STRING) LOCATION '/x' TBLPROPERTIES ('loghive.partition.column'='s');" };
    const noDate = { file: 'z.q', text: "CREATE EXTERNAL TABLE u (s STRING) LOCATION '/x';" };
    const dtColumn = { file: 'w.q', text: "CREATE EXTERNAL TABLE v (dt DATE) LOCATION '/x';" };

    // Act / Assert
    expect(() => logTablesFromScripts([badFormat])).toThrow(/Illegal pattern character 'q'/);
    expect(() => logTablesFromScripts([noFormat])).toThrow(/loghive\.partition\.format/);
    expect(() => logTablesFromScripts([noDate]).get('u')).toThrow(/no DATE column/);
    expect(() => logTablesFromScripts([dtColumn]).get('v')).toThrow(UnknownTableError);
    expect(() => logTablesFromScripts([{ file: 'broken.q', text: 'CREATE EXTERNAL TABLE t (d DATE' }])).toThrow(LogTableDefinitionError);
  });

  it.each(['../x', 'a/b', 'Cloudfront_Logs', 'x%2F..', '', 'a'.repeat(65), 'cloudfront_logs/../x', 'no_such_table'])('answers 404 for the table name %j and stores nothing', async (name) => {
    // Arrange
    const root = tempDir('loghive-ingest-');

    // Act
    const act = ingestLogs(request(root, name, tutorialLine('2014-07-05') + '\n'));

    // Assert
    await expect(act).rejects.toThrow(UnknownTableError);
    await expect(act).rejects.toMatchObject({ httpStatus: 404 });
    expect(allFiles(root)).toEqual([]);
  });
});

describe('lines over the regex step budget', () => {
  it('are counted as malformed with the reason, and the valid lines are stored', async () => {
    // Arrange: a pattern with a backreference (outside the compiled class) that backtracks cubically on a long run of a's.
    const ddl = String.raw`CREATE EXTERNAL TABLE budgeted (d DATE, a STRING, b STRING, c STRING)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES ('input.regex' = '(\\d{4}-\\d{2}-\\d{2}) (.*)(.*)(.*)\\4x') LOCATION '` + '${INPUT}/budgeted' + "';";
    const root = tempDir('loghive-ingest-');
    const valid = Array.from({ length: 10 }, (_, i) => `2014-07-0${(i % 3) + 1} row${i}x`);
    const body = [...valid.slice(0, 5), `2014-07-05 ${'a'.repeat(400)}`, ...valid.slice(5)].join('\n') + '\n';

    // Act
    const result = await ingestLogs({ ...request(root, 'budgeted', body), tables: logTablesFromScripts([{ file: 'budgeted.q', text: ddl }]) });

    // Assert
    expect(result).toMatchObject({ linesRead: 11, linesStored: 10, linesMalformed: 1 });
    expect(result.malformed).toEqual([{ line: 6, reason: expect.stringContaining('regex step budget') }]);
    expect([...storedLines(root, 'budgeted').values()].flat().sort()).toEqual([...valid].sort());
  });
});

describe('decoding bodies', () => {
  it('reads plain, base64, gzip and x-gzip bodies to the same bytes', async () => {
    // Arrange
    const text = 'a\nb\n';
    const limits = { maxBodyBytes: 1000, maxInflatedBytes: 1000 };

    // Act
    const decoded = await Promise.all([
      readAll(decodeRequestBody({ body: text, isBase64Encoded: false }, limits)),
      readAll(decodeRequestBody({ body: Buffer.from(text).toString('base64'), isBase64Encoded: true, contentEncoding: 'identity' }, limits)),
      readAll(decodeRequestBody({ body: gzipSync(text).toString('base64'), isBase64Encoded: true, contentEncoding: 'gzip' }, limits)),
      readAll(decodeRequestBody({ body: gzipSync(text).toString('base64'), isBase64Encoded: true, contentEncoding: 'X-GZIP' }, limits)),
      // No header: gzip is recognised by its magic bytes (S3 objects).
      readAll(decodeRequestBody({ body: gzipSync(text).toString('base64'), isBase64Encoded: true }, limits)),
      readAll(decodeStream(Readable.from([gzipSync(text)]), 'detect', 1000)),
    ]);

    // Assert
    for (const d of decoded) expect(d.toString()).toBe(text);
  });

  it('knows identity and gzip only', () => {
    expect(contentCoding(undefined)).toBe('detect');
    expect(contentCoding('identity')).toBe('identity');
    expect(contentCoding(' gzip ')).toBe('gzip');
    expect(contentCoding('identity, gzip')).toBe('gzip');
    for (const e of ['br', 'deflate', 'compress', 'gzip, gzip', 'zstd']) expect(() => contentCoding(e)).toThrow(UnsupportedEncodingError);
  });

  it('stops inflating a gzip bomb at the limit, having inflated at most one chunk more', async () => {
    // Arrange
    const bomb = gzipBomb(1);
    const limit = 8 << 20;
    let seen = 0;
    const started = performance.now();

    // Act
    const stream = decodeStream(Readable.from([bomb]), 'gzip', limit);
    const act = (async () => {
      for await (const c of stream as AsyncIterable<Buffer>) seen += c.length;
    })();

    // Assert
    await expect(act).rejects.toThrow(PayloadTooLargeError);
    await expect(act).rejects.toMatchObject({ httpStatus: 413, kind: 'inflated' });
    expect(seen).toBeLessThanOrEqual(limit);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('calls a broken gzip stream or bad base64 a malformed body (400)', async () => {
    // Arrange
    const whole = gzipSync(Array.from({ length: 500 }, (_v, i) => `line ${i * 7919}`).join('\n'));
    const truncated = whole.subarray(0, whole.length >> 1);
    const limits = { maxBodyBytes: 1 << 20, maxInflatedBytes: 1 << 20 };

    // Act / Assert
    await expect(readAll(decodeRequestBody({ body: truncated.toString('base64'), isBase64Encoded: true, contentEncoding: 'gzip' }, limits))).rejects.toThrow(MalformedBodyError);
    await expect(readAll(decodeRequestBody({ body: Buffer.from('plain').toString('base64'), isBase64Encoded: true, contentEncoding: 'gzip' }, limits))).rejects.toThrow(MalformedBodyError);
    expect(() => decodeRequestBody({ body: 'not base64!', isBase64Encoded: true }, limits)).toThrow(MalformedBodyError);
  });
});

describe('ingestLogs', () => {
  it.each([
    ['cloudfront_logs', 'cloudfront/data', 'dateobject', false],
    ['cloudfront_standard_logs', 'cloudfront-standard', '`date`', true],
  ] as const)('stores the sample %s lines by day exactly as the engine reads them', async (table, dir, dateColumn, gzip) => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const files = readdirSync(path.join(SAMPLE, dir)).sort();
    const job = table === 'cloudfront_logs' ? 'os_requests' : 'cloudfront_standard_status';

    // Act
    let read = 0;
    let stored = 0;
    let headers = 0;
    for (const f of files) {
      const bytes = readFileSync(path.join(SAMPLE, dir, f));
      const r = await ingestLogs(request(root, table, bytes.toString('base64'), { isBase64Encoded: true, contentEncoding: gzip ? 'gzip' : undefined }));
      read += r.linesRead;
      stored += r.linesStored;
      headers += r.headerLinesSkipped;
      expect(r.linesRead).toBe(r.linesStored + r.linesMalformed);
      expect(r.partitions.every((p) => p.created && p.location.startsWith(path.join(root, 'logs', table, `dt=${p.dt}`)))).toBe(true);
    }

    // Assert: per day, the stored lines are the rows the engine reads with a non-NULL date.
    const byDay = storedLines(root, table);
    const expected = await hiveRows(`${jobDdl(job)};\nSELECT ${dateColumn}, COUNT(*) FROM ${table} WHERE ${dateColumn} IS NOT NULL GROUP BY ${dateColumn};`, { INPUT: SAMPLE });
    expect([...byDay].map(([dt, lines]) => `${dt}\t${lines.length}`).sort()).toEqual(expected);
    expect(stored).toBe([...byDay.values()].reduce((n, l) => n + l.length, 0));
    expect(read + headers).toBe(files.map((f) => readFileSync(path.join(SAMPLE, dir, f))).reduce((n, b) => n + (gzip ? gunzipSync(b) : b).toString().split('\n').length - 1, 0));
    expect(headers).toBe(gzip ? 2 * files.length : 0);
  });

  it('partitions combined logs by the UTC day of request_time, as unix_timestamp computes it', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const files = readdirSync(path.join(SAMPLE, 'combined')).sort();

    // Act
    for (const f of files) await ingestLogs(request(root, 'combined_logs', readFileSync(path.join(SAMPLE, 'combined', f), 'utf8')));

    // Assert: the engine, over the stored partitions, finds every line in the partition of its own UTC day.
    const ddl = jobDdl('combined_top_pages')
      .replace('ROW FORMAT', 'PARTITIONED BY (dt STRING)\nROW FORMAT')
      .replace("'${INPUT}/combined'", `'${root}/logs/combined_logs'`);
    const day = "from_unixtime(unix_timestamp(request_time, 'dd/MMM/yyyy:HH:mm:ss Z'), 'yyyy-MM-dd')";
    const mismatched = await hiveRows(`${ddl};\nMSCK REPAIR TABLE combined_logs;\nSELECT COUNT(*) FROM combined_logs WHERE dt <> ${day} OR ${day} IS NULL;`, {});
    expect(mismatched).toEqual(['0']);
    const perDay = await hiveRows(`${jobDdl('combined_top_pages')};\nSELECT d, COUNT(*) FROM (SELECT ${day} AS d FROM combined_logs) x WHERE d IS NOT NULL GROUP BY d;`, { INPUT: SAMPLE });
    expect([...storedLines(root, 'combined_logs')].map(([dt, lines]) => `${dt}\t${lines.length}`).sort()).toEqual(perDay);
  });

  it('puts a line near midnight in its UTC day, and reads impossible dates leniently like Hive', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');

    // Act
    const combined = await ingestLogs(request(root, 'combined_logs', [combinedLine('01/Jul/2014:23:30:00 -0700'), combinedLine('02/Jul/2014:00:30:00 +0200')].join('\n')));
    const tutorial = await ingestLogs(request(root, 'cloudfront_logs', [tutorialLine('2014-07-32'), tutorialLine('2014-02-29')].join('\n')));

    // Assert
    expect(combined.partitions.map((p) => [p.dt, p.lines])).toEqual([
      ['2014-07-01', 1],
      ['2014-07-02', 1],
    ]);
    expect(tutorial.partitions.map((p) => [p.dt, p.lines])).toEqual([
      ['2014-03-01', 1],
      ['2014-08-01', 1],
    ]);
  });

  it('stores the same content once: a second identical body creates nothing, whatever its line endings or encoding', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const lines = [tutorialLine('2014-07-05', 'Linux'), tutorialLine('2014-07-06'), tutorialLine('2014-07-05', 'MacOS')];

    // Act
    const first = await ingestLogs(request(root, 'cloudfront_logs', lines.join('\n') + '\n'));
    const crlf = await ingestLogs(request(root, 'cloudfront_logs', lines.join('\r\n')));
    const gz = await ingestLogs(request(root, 'cloudfront_logs', gzipSync(lines.join('\n')).toString('base64'), { isBase64Encoded: true, contentEncoding: 'gzip' }));

    // Assert
    expect(first.partitions.map((p) => [p.dt, p.lines, p.created])).toEqual([
      ['2014-07-05', 2, true],
      ['2014-07-06', 1, true],
    ]);
    expect(crlf.partitions.map((p) => p.created)).toEqual([false, false]);
    expect(gz.partitions.map((p) => p.location)).toEqual(first.partitions.map((p) => p.location));
    expect(allFiles(path.join(root, 'logs'))).toHaveLength(2);
    expect(path.basename(first.partitions[0]!.location)).toMatch(/^[0-9a-f]{32}\.gz$/);
    // Lines keep their order within a day, without \r.
    expect(storedLines(root, 'cloudfront_logs').get('2014-07-05')).toEqual([lines[0], lines[2]]);
  });

  it('never rewrites an existing object, even one with other bytes under the same name', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const body = tutorialLine('2014-07-05') + '\n';
    const { partitions } = await ingestLogs(request(root, 'cloudfront_logs', body));
    writeFileSync(partitions[0]!.location, 'sentinel');

    // Act
    const again = await ingestLogs(request(root, 'cloudfront_logs', body));

    // Assert
    expect(again.partitions[0]).toMatchObject({ created: false, bytes: 8 });
    expect(readFileSync(partitions[0]!.location, 'utf8')).toBe('sentinel');
    expect(allFiles(root)).toHaveLength(1);
  });

  it('rejects a body with too many malformed lines (400, first line numbers) and stores nothing', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const lines = [tutorialLine('2014-07-05'), 'garbage', tutorialLine('2014-07-06'), '', tutorialLine('yesterday'), tutorialLine('2014-07-07')];

    // Act
    const act = ingestLogs(request(root, 'cloudfront_logs', lines.join('\n'), { limits: { maxMalformedShare: 0.4 } }));

    // Assert
    await expect(act).rejects.toThrow(TooManyMalformedLinesError);
    await expect(act).rejects.toMatchObject({
      httpStatus: 400,
      linesRead: 6,
      linesMalformed: 3,
      malformed: [
        { line: 2, reason: "does not match the table's input.regex" },
        { line: 4, reason: "does not match the table's input.regex" },
        { line: 5, reason: 'dateobject is not a valid DATE', column: 'dateobject', field: 1 },
      ],
    });
    await expect(act).rejects.toThrow(/3 of 6 lines.*First bad lines: 2, 4, 5/);
    expect(allFiles(root)).toEqual([]);
  });

  it('stores the valid lines and reports the malformed ones when the share is within the limit', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const lines = [tutorialLine('2014-07-05'), 'garbage', tutorialLine('2014-07-06'), tutorialLine('2014-07-06')];

    // Act
    const r = await ingestLogs(request(root, 'cloudfront_logs', lines.join('\n'), { limits: { maxMalformedShare: 0.25 } }));

    // Assert
    expect(r).toMatchObject({ table: 'cloudfront_logs', linesRead: 4, linesStored: 3, linesMalformed: 1, malformed: [{ line: 2 }] });
    expect(r.partitions.map((p) => [p.dt, p.lines])).toEqual([
      ['2014-07-05', 1],
      ['2014-07-06', 2],
    ]);
  });

  it('reports the column and field of a CloudFront standard line without a valid date, counting header lines', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const text = gunzipSync(readFileSync(path.join(SAMPLE, 'cloudfront-standard', readdirSync(path.join(SAMPLE, 'cloudfront-standard')).sort()[0]!))).toString();
    const lines = text.split('\n');
    lines.splice(4, 0, lines[3]!.replace(/^[^\t]+/, '2014-99-99x'));

    // Act
    const r = await ingestLogs(request(root, 'cloudfront_standard_logs', lines.join('\n')));

    // Assert
    expect(r.malformed[0]).toEqual({ line: 5, reason: 'date is not a valid DATE', column: 'date', field: 1 });
  });

  it('skips header lines, but keeps valid data lines sent without a header', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const file = readdirSync(path.join(SAMPLE, 'cloudfront-standard')).sort()[0]!;
    const lines = gunzipSync(readFileSync(path.join(SAMPLE, 'cloudfront-standard', file))).toString().split('\n');
    const header = lines.slice(0, 2);
    const data = lines.slice(2, 7);

    // Act
    const withHeader = await ingestLogs(request(root, 'cloudfront_standard_logs', [...header, ...data].join('\n')));
    const without = await ingestLogs(request(root, 'cloudfront_standard_logs', data.join('\n')));

    // Assert
    expect(header[0]).toMatch(/^#Version/);
    expect(withHeader).toMatchObject({ headerLinesSkipped: 2, linesRead: 5, linesStored: 5 });
    expect(without).toMatchObject({ headerLinesSkipped: 0, linesRead: 5, linesStored: 5 });
    expect(without.partitions.every((p) => !p.created)).toBe(true);
  });

  it('accepts an empty body: nothing read, nothing stored', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');

    // Act
    const results = [
      await ingestLogs(request(root, 'cloudfront_logs', '')),
      await ingestLogs(request(root, 'cloudfront_logs', '', { isBase64Encoded: true, contentEncoding: 'gzip' })),
      await ingestLogs({ ...request(root, 'cloudfront_logs', ''), body: undefined }),
    ];

    // Assert
    for (const r of results) expect(r).toMatchObject({ linesRead: 0, linesStored: 0, linesMalformed: 0, partitions: [] });
    expect(allFiles(root)).toEqual([]);
  });

  it('answers 413 for a 20 MB body, plain or base64, before decoding it', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const big = (tutorialLine('2014-07-05') + '\n').repeat(Math.ceil((20 << 20) / 150));

    // Act / Assert
    await expect(ingestLogs(request(root, 'cloudfront_logs', big))).rejects.toMatchObject({ httpStatus: 413, kind: 'body' });
    await expect(ingestLogs(request(root, 'cloudfront_logs', Buffer.from(big).toString('base64'), { isBase64Encoded: true }))).rejects.toMatchObject({ httpStatus: 413, kind: 'body' });
    expect(allFiles(root)).toEqual([]);
  });

  it('answers 413 quickly for a gzip bomb (1 GiB of zeros), storing nothing', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const body = gzipBomb(1).toString('base64');
    const started = performance.now();

    // Act
    const act = ingestLogs(request(root, 'cloudfront_logs', body, { isBase64Encoded: true, contentEncoding: 'gzip' }));

    // Assert: it stops at the line limit (1 MiB of zeros is one endless line) long before the inflation limit.
    await expect(act).rejects.toThrow(PayloadTooLargeError);
    await expect(act).rejects.toMatchObject({ httpStatus: 413 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(allFiles(root)).toEqual([]);
  });

  it('answers 413 when the inflated lines pass the inflation limit', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const body = gzipSync((tutorialLine('2014-07-05') + '\n').repeat(20_000)).toString('base64');

    // Act
    const act = ingestLogs(request(root, 'cloudfront_logs', body, { isBase64Encoded: true, contentEncoding: 'gzip', limits: { maxInflatedBytes: 1 << 20 } }));

    // Assert
    await expect(act).rejects.toMatchObject({ httpStatus: 413, kind: 'inflated', limitBytes: 1 << 20 });
    expect(allFiles(root)).toEqual([]);
  });

  it('answers 413 for a line longer than the line limit, naming it', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const body = [tutorialLine('2014-07-05'), tutorialLine('2014-07-05'), 'x'.repeat(5000), tutorialLine('2014-07-05')].join('\r\n');

    // Act
    const act = ingestLogs(request(root, 'cloudfront_logs', body, { limits: { maxLineBytes: 4096 } }));

    // Assert
    await expect(act).rejects.toMatchObject({ httpStatus: 413, kind: 'line', line: 3 });
  });

  it('answers 415 for an unknown content encoding', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');

    // Act
    const act = ingestLogs(request(root, 'cloudfront_logs', tutorialLine('2014-07-05'), { contentEncoding: 'br' }));

    // Assert
    await expect(act).rejects.toThrow(UnsupportedEncodingError);
    await expect(act).rejects.toMatchObject({ httpStatus: 415, encoding: 'br' });
  });

  it('caps the number of days one ingest writes', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const lines = ['2014-07-01', '2014-07-02', '2014-07-03', '2014-07-04'].map((d) => tutorialLine(d));

    // Act
    const act = ingestLogs(request(root, 'cloudfront_logs', lines.join('\n'), { limits: { maxPartitions: 3 } }));

    // Assert
    await expect(act).rejects.toThrow(TooManyPartitionsError);
    await expect(act).rejects.toMatchObject({ httpStatus: 400, line: 4 });
    expect(allFiles(root)).toEqual([]);
  });
});

describe('temporary files', () => {
  it('are removed after an ingest, whether it succeeds or fails', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const tmpDir = tempDir('loghive-ingest-tmp-');
    const good = [tutorialLine('2014-07-05'), tutorialLine('2014-07-06')].join('\n');
    const bad = [tutorialLine('2014-07-05'), 'junk', 'junk'].join('\n');

    // Act
    await ingestLogs(request(root, 'cloudfront_logs', good, { tmpDir }));
    await expect(ingestLogs(request(root, 'cloudfront_logs', bad, { tmpDir }))).rejects.toThrow(TooManyMalformedLinesError);
    await expect(ingestLogs(request(root, 'cloudfront_logs', good, { tmpDir, limits: { maxPartitions: 1 } }))).rejects.toThrow(TooManyPartitionsError);

    // Assert
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(allFiles(root).every((f) => !path.basename(f).startsWith('_'))).toBe(true);
  });
});

describe('ingested partitions read by the local engine', () => {
  it('os_requests over the ingested, partitioned cloudfront_logs gives the same rows as over sample-data', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const out = tempDir('loghive-ingest-out-');
    const dir = path.join(SAMPLE, 'cloudfront/data');
    for (const f of readdirSync(dir).sort()) await ingestLogs(request(root, 'cloudfront_logs', readFileSync(path.join(dir, f), 'utf8')));
    const job = readFileSync(path.join(JOBS, 'os_requests.q'), 'utf8');
    const partitioned = job
      .replace(/\)\s*ROW FORMAT SERDE/, ')\nPARTITIONED BY (dt STRING)\nROW FORMAT SERDE')
      .replace("LOCATION '${INPUT}/cloudfront/data';", "LOCATION '${INPUT}/logs/cloudfront_logs';\nMSCK REPAIR TABLE cloudfront_logs;");
    expect(partitioned).toContain('PARTITIONED BY');
    expect(partitioned).toContain('MSCK REPAIR');
    const dates = { FROM: '2014-07-05', TO: '2014-08-05' };

    // Act
    const original = await hiveRows(job, { INPUT: SAMPLE, OUTPUT: path.join(out, 'a'), ...dates });
    const ingested = await hiveRows(partitioned, { INPUT: root, OUTPUT: path.join(out, 'b'), ...dates });

    // Assert
    expect(ingested).toEqual(original);
    expect(original.length).toBeGreaterThan(3);
    const text = (d: string) => readFileSync(path.join(out, d, 'os_requests', '000000_0'), 'utf8').split('\n').sort();
    expect(text('b')).toEqual(text('a'));
  });
});

describe('ingestObject (uploads)', () => {
  function upload(root: string, table: string, name: string, data: Buffer | string): string {
    const location = path.join(root, 'incoming', table, 'upload-1', name);
    mkdirSync(path.dirname(location), { recursive: true });
    writeFileSync(location, data);
    return location;
  }

  it('streams a CloudFront gzip file, stores its days, then deletes the upload', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const name = readdirSync(path.join(SAMPLE, 'cloudfront-standard')).sort()[0]!;
    const location = upload(root, 'cloudfront_standard_logs', name, readFileSync(path.join(SAMPLE, 'cloudfront-standard', name)));

    // Act
    const r = await ingestObject({ location, storage, root, tables });

    // Assert
    expect(r).toMatchObject({ table: 'cloudfront_standard_logs', source: location, uploadId: 'upload-1', originalRemoved: true, headerLinesSkipped: 2 });
    expect(r.linesStored).toBeGreaterThan(200);
    expect(existsSync(location)).toBe(false);
    expect([...storedLines(root, 'cloudfront_standard_logs').values()].reduce((n, l) => n + l.length, 0)).toBe(r.linesStored);
  });

  it('keeps the upload when the ingest fails, and stores nothing', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const bomb = upload(root, 'cloudfront_logs', 'bomb.gz', gzipBomb(1));
    const unknown = upload(root, 'no_such_table', 'x.log', tutorialLine('2014-07-05'));

    // Act / Assert
    await expect(ingestObject({ location: bomb, storage, root, tables })).rejects.toMatchObject({ httpStatus: 413 });
    await expect(ingestObject({ location: unknown, storage, root, tables })).rejects.toThrow(UnknownTableError);
    await expect(ingestObject({ location: path.join(root, 'elsewhere', 'x'), storage, root, tables })).rejects.toMatchObject({ httpStatus: 400 });
    expect(existsSync(bomb)).toBe(true);
    expect(existsSync(unknown)).toBe(true);
    expect(existsSync(path.join(root, 'logs'))).toBe(false);
  });

  it('stores the valid lines of a mostly malformed upload but keeps the upload for inspection', async () => {
    // Arrange
    const root = tempDir('loghive-ingest-');
    const location = upload(root, 'cloudfront_logs', 'mixed.log', [tutorialLine('2014-07-05'), 'junk', 'junk'].join('\n'));

    // Act
    const r = await ingestObject({ location, storage, root, tables });

    // Assert
    expect(r).toMatchObject({ linesRead: 3, linesStored: 1, linesMalformed: 2, originalRemoved: false });
    expect(r.keptBecause).toMatch(/2 of 3 lines/);
    expect(existsSync(location)).toBe(true);
    expect(storedLines(root, 'cloudfront_logs').get('2014-07-05')).toHaveLength(1);
  });
});
