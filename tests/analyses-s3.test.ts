/**
 * The analyses path against a real S3 API (s3rver): rendering from the
 * bucket's listing, the script and record objects, the local engine reading
 * the partitions as S3 streams inside "the Lambda", and results paged with
 * ranged GETs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HiveSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAnalysisId } from '../src/analyses/analysis-record.js';
import { getAnalysis, type EmrStepControl } from '../src/analyses/analysis-status.js';
import { NoDataInRangeError, RecordNotFoundError } from '../src/analyses/errors.js';
import { loadJobCatalog } from '../src/analyses/job-catalog.js';
import { RecordStore } from '../src/analyses/record-store.js';
import { renderForS3 } from '../src/analyses/render-for-s3.js';
import { readResultsCsv, readResultsPage } from '../src/analyses/results-reader.js';
import { startAnalysis, type EmrSubmitter } from '../src/analyses/start-analysis.js';
import type { EmrAnalysisRunner } from '../src/cloud/emr/index.js';
import { splitStatements } from '../src/hive/script.js';
import { StorageRegistry } from '../src/storage/registry.js';
import { partitionedSample, runOnSampleData, writePartitioned } from './fixtures/analyses/partitioned-sample.js';
import { tempDir } from './helpers.js';
import { startS3Server, type S3TestServer } from './support/s3-server.js';

const JOBS_DIR = fileURLToPath(new URL('../jobs', import.meta.url));
const RANGE = { FROM: '2014-07-05', TO: '2014-08-05' };
const ROOT = 's3://test-bucket';

// Compile-time: the EMR runner fits the small interfaces the analyses module depends on.
export const runnerFits: (runner: EmrAnalysisRunner) => EmrSubmitter & EmrStepControl = (runner) => runner;

let server: S3TestServer;
let storage: StorageRegistry;

beforeAll(async () => {
  server = await startS3Server();
  storage = new StorageRegistry([server.storage]);
  await writePartitioned(server.storage, ROOT, partitionedSample());
});

afterAll(async () => {
  await server?.stop();
});

async function referenceLines(job: string): Promise<string[]> {
  const out = tempDir();
  await runOnSampleData(readFileSync(path.join(JOBS_DIR, `${job}.q`), 'utf8'), RANGE, out);
  return readdirSync(path.join(out, job))
    .sort()
    .flatMap((f) => readFileSync(path.join(out, job, f), 'utf8').split('\n').filter((l) => l !== ''));
}

describe('analyses on S3 (s3rver)', () => {
  const config = { bucketRoot: ROOT, defaultEngine: 'auto' as const, lambdaMaxBytes: 64 * 1024 * 1024 };

  it('renders, uploads, runs in the Lambda engine and serves the same rows as loghive run, paged with ranged reads', async () => {
    // Act
    const record = await startAnalysis({ request: { job: 'status_codes', vars: RANGE }, config, storage, jobsDir: JOBS_DIR, lambda: { log: () => undefined } });

    // Assert
    expect(record).toMatchObject({ engine: 'lambda', state: 'SUCCEEDED', outputLocation: `${ROOT}/results/${record.id}/status_codes/`, scriptLocation: `${ROOT}/scripts/${record.id}.q` });
    expect(await getAnalysis(record.id, { storage, bucketRoot: ROOT })).toEqual(record);
    const script = await readObject(record.scriptLocation);
    expect(script).toContain(`LOCATION '${ROOT}/logs/cloudfront_logs/';`);
    expect(script).toContain(`ALTER TABLE cloudfront_logs ADD IF NOT EXISTS PARTITION (dt='2014-07-05') LOCATION '${ROOT}/logs/cloudfront_logs/dt=2014-07-05/';`);
    const parser = new HiveSQL();
    for (const raw of splitStatements(script)) {
      const sql = raw.text.replace(/^\s*--[^\n]*$/gm, '').trim().replace(/\$\{(\w+)\}/g, (_, n: string) => record.hiveVariables[n]!);
      expect(parser.validate(sql), sql).toEqual([]);
    }
    const expected = (await referenceLines('status_codes')).map((l) => l.split('\u0001').map(Number));
    const rows: unknown[][] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await readResultsPage(record, storage, { limit: 3, cursor });
      rows.push(...page.rows.map((r) => [r.status, r.requests, r.total_bytes]));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(rows).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 3));
    const csv = await readResultsCsv(record, storage, { limit: 1 });
    expect(csv.body).toBe(`status,requests,total_bytes\r\n${expected[0]!.join(',')}\r\n`);
  });

  it('renders every job from the bucket listing to valid Hive with s3:// locations', async () => {
    const catalog = await loadJobCatalog(JOBS_DIR);
    const parser = new HiveSQL();
    for (const name of catalog.names()) {
      const rendered = await renderForS3({ job: catalog.get(name), bucketRoot: ROOT, storage, range: { from: RANGE.FROM, to: RANGE.TO } });
      expect(rendered.partitions.length, name).toBeGreaterThan(0);
      expect(rendered.inputBytes, name).toBeGreaterThan(0);
      for (const p of rendered.partitions) expect(p.location).toBe(`${ROOT}/logs/${p.table}/dt=${p.day}/`);
      for (const raw of splitStatements(rendered.script)) {
        const sql = raw.text.replace(/^\s*--[^\n]*$/gm, '').trim().replace(/\$\{(\w+)\}/g, (_, n: string) => ({ ...RANGE, OUTPUT: `${ROOT}/results/x` })[n]!);
        expect(parser.validate(sql), sql).toEqual([]);
      }
    }
  });

  it('answers a range without stored days before writing anything', async () => {
    const err = await startAnalysis({ request: { job: 'os_requests', vars: { FROM: '2019-01-01', TO: '2019-01-02' } }, config, storage, jobsDir: JOBS_DIR }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoDataInRangeError);
  });

  it('answers a missing record with RecordNotFoundError', async () => {
    await expect(new RecordStore(storage, ROOT).load(newAnalysisId())).rejects.toThrow(RecordNotFoundError);
  });
});

async function readObject(location: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of server.storage.openRead(location) as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}
