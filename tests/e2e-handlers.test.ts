/**
 * The end-to-end check through the handlers, with events shaped as API Gateway HTTP API v2
 * sends them and a real S3-compatible server: ingest the sample logs, run the tutorial job with the
 * Lambda engine, read the results page by page, and compare with `loghive run` on the same files.
 * Then every kind of bad input, and proof that none of it changed what was stored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as getAnalysis } from '../handlers/get-analysis.js';
import { handler as getResults } from '../handlers/get-results.js';
import { handler as ingestLogs } from '../handlers/ingest-logs.js';
import { handler as startAnalysis } from '../handlers/start-analysis.js';
import { createContext, setCloudContext } from '../src/api/context.js';
import { body, httpEvent, lambdaContext, useS3rverCredentials } from './support/api-events.js';
import { parseHiveText, runScript, tempDir } from './helpers.js';
import { startS3Server, type S3TestServer } from './support/s3-server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUCKET = 'loghive-e2e';
const SAMPLE_DIR = path.join(ROOT, 'sample-data/cloudfront/data');
const LOGS = readdirSync(SAMPLE_DIR).sort();

describe('the pipeline through its handlers', () => {
  const dir = tempDir();
  let s3: S3TestServer;
  let restoreEnv: () => void = () => {};

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: [BUCKET] });
    restoreEnv = useS3rverCredentials();
    setCloudContext(
      createContext({
        LOGHIVE_BUCKET: BUCKET,
        LOGHIVE_S3_ENDPOINT: s3.endpoint,
        AWS_REGION: 'us-east-1',
        LOGHIVE_JOBS_DIR: path.join(ROOT, 'jobs'),
        LOGHIVE_MAX_BODY_BYTES: '6m',
        LOGHIVE_MAX_INFLATED_BYTES: '64m',
      }),
    );
  }, 60_000);

  afterAll(async () => {
    setCloudContext(undefined);
    restoreEnv();
    await s3?.stop();
  });

  /** Every object in the bucket with its content, to prove bad requests change nothing. */
  async function snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const got = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key! }));
        out.set(o.Key!, Buffer.from(await got.Body!.transformToByteArray()).toString('base64'));
      }
      token = page.NextContinuationToken;
    } while (token);
    return out;
  }

  it('ingests the sample logs, runs the tutorial job in the Lambda engine, and returns the rows loghive run gives', async () => {
    // Arrange: what `loghive run` writes for the same files
    const local = await runScript(readFileSync(path.join(ROOT, 'jobs/os_requests.q'), 'utf8'), { INPUT: path.join(ROOT, 'sample-data'), OUTPUT: dir, FROM: '2014-07-05', TO: '2014-08-05' });
    const outDir = local.result.queries[0]!.directory!;
    const expected = readdirSync(outDir).flatMap((f) => parseHiveText(readFileSync(path.join(outDir, f), 'utf8')));

    // Act: half the files as plain text, half as gzip in base64, as API Gateway delivers binary bodies
    const ingested = [];
    for (const [i, name] of LOGS.entries()) {
      const text = readFileSync(path.join(SAMPLE_DIR, name));
      const event =
        i % 2 === 0
          ? httpEvent('POST /logs/{table}', { pathParameters: { table: 'cloudfront_logs' }, headers: { 'content-type': 'text/plain' }, body: text.toString('utf8') })
          : httpEvent('POST /logs/{table}', { pathParameters: { table: 'cloudfront_logs' }, headers: { 'content-encoding': 'gzip' }, body: gzipSync(text).toString('base64'), isBase64Encoded: true });
      ingested.push(await ingestLogs(event));
    }
    const start = await startAnalysis(
      httpEvent('POST /analyses', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ job: 'os_requests', vars: { FROM: '2014-07-05', TO: '2014-08-05' }, engine: 'lambda' }) }),
      lambdaContext(28_000),
    );
    const { id } = body<{ id: string }>(start);
    const status = await getAnalysis(httpEvent('GET /analyses/{id}', { pathParameters: { id } }));
    const rows: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await getResults(httpEvent('GET /analyses/{id}/results', { pathParameters: { id }, query: { limit: '4', ...(cursor ? { cursor } : {}) } }));
      expect(page.statusCode).toBe(200);
      const parsed = body<{ rows: Record<string, unknown>[]; nextCursor?: string }>(page);
      rows.push(...parsed.rows);
      cursor = parsed.nextCursor;
      pages++;
    } while (cursor);

    // Assert
    for (const res of ingested) expect(res.statusCode, res.body).toBe(201);
    const counts = ingested.map((res) => body<{ linesRead: number; linesStored: number; linesMalformed: number }>(res));
    // Every line the engine reads is read at ingest, and is either stored or reported as malformed.
    expect(counts.reduce((n, c) => n + c.linesRead, 0)).toBe(local.result.counters.get('recordsRead'));
    expect(counts.every((c) => c.linesStored + c.linesMalformed === c.linesRead && c.linesStored > 0)).toBe(true);
    expect(start.statusCode, start.body).toBe(202);
    expect(body<{ state: string }>(status)).toMatchObject({ state: 'SUCCEEDED' });
    expect(pages).toBe(2);
    expect(rows.map((r) => [String(r.os), String(r.count)]).sort()).toEqual(expected.sort());
  }, 120_000);

  it('answers bad input with a clear 4xx, and nothing already stored is overwritten or lost', async () => {
    // Arrange
    const before = await snapshot();
    const sample = readFileSync(path.join(SAMPLE_DIR, LOGS[0]!), 'utf8');
    const bomb = gzipSync(Buffer.alloc(512 * 2 ** 20), { level: 9 }).toString('base64');
    const twentyMb = sample.repeat(Math.ceil((20 * 2 ** 20) / sample.length));
    const post = (table: string, options: Parameters<typeof httpEvent>[1]) => ingestLogs(httpEvent('POST /logs/{table}', { pathParameters: { table }, ...options }));
    const analyse = (payload: string) => startAnalysis(httpEvent('POST /analyses', { headers: { 'content-type': 'application/json' }, body: payload }), lambdaContext(28_000));

    // Act
    const answers = {
      malformedJson: await analyse('{"job": "os_requests", "vars": {"FROM": "2014-07-05",}}'),
      unknownJob: await analyse(JSON.stringify({ job: 'no_such_job', vars: {} })),
      unknownVariable: await analyse(JSON.stringify({ job: 'os_requests', vars: { FROM: '2014-07-05', TO: '2014-08-05', COLOR: 'red' } })),
      noData: await analyse(JSON.stringify({ job: 'os_requests', vars: { FROM: '2001-01-01', TO: '2001-12-31' }, engine: 'lambda' })),
      gzipBomb: await post('cloudfront_logs', { headers: { 'content-encoding': 'gzip' }, body: bomb, isBase64Encoded: true }),
      twentyMegabytes: await post('cloudfront_logs', { body: twentyMb }),
      pathInTable: await post('../analyses', { body: sample }),
      encodedPathInTable: await post('cloudfront_logs%2F..%2F..%2Fscripts', { body: sample }),
    };
    const after = await snapshot();

    // Assert
    const statusOf = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.statusCode]));
    expect(statusOf).toEqual({ malformedJson: 400, unknownJob: 404, unknownVariable: 400, noData: 404, gzipBomb: 413, twentyMegabytes: 413, pathInTable: 404, encodedPathInTable: 404 });
    expect(body(answers.malformedJson).message).toMatch(/line 1, column \d+/);
    expect(body(answers.unknownJob).message).toContain('no_such_job');
    expect(body(answers.unknownVariable).message).toContain('COLOR');
    expect(body(answers.noData).message).toMatch(/2001-01-01/);
    expect(after).toEqual(before);
  }, 120_000);
});
