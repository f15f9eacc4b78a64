/**
 * The analyses half of the API: job catalog, variables, rendering for the
 * bucket's partitions, records, engine choice, the Lambda engine and the
 * results reader. The bucket is a local directory here (the same Storage
 * interface S3Storage implements); tests/analyses-s3.test.ts runs the same
 * path against s3rver.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { HiveSQL } from 'dt-sql-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { newAnalysisId, type AnalysisRecord } from '../src/analyses/analysis-record.js';
import { cancelAnalysis, getAnalysis, type EmrStepControl, type EmrStepStatus } from '../src/analyses/analysis-status.js';
import { csvField, csvRecord } from '../src/analyses/csv.js';
import { chooseEngine } from '../src/analyses/engine-choice.js';
import {
  AnalysisStateError,
  EngineUnavailableError,
  InvalidCursorError,
  InvalidRequestError,
  InvalidVariableError,
  JobRenderError,
  MissingVariableError,
  NoDataInRangeError,
  RecordNotFoundError,
  ReservedVariableError,
  ResultsNotReadyError,
  UnknownJobError,
  UnknownVariableError,
} from '../src/analyses/errors.js';
import { JobCatalog, jobsPayload, loadJobCatalog, parseJob } from '../src/analyses/job-catalog.js';
import { runPendingAnalysis } from '../src/analyses/lambda-analysis.js';
import { RecordStore } from '../src/analyses/record-store.js';
import { renderForS3, tableLocation } from '../src/analyses/render-for-s3.js';
import { decodeCursor, encodeCursor } from '../src/analyses/results-cursor.js';
import { parseLimit, readResultsCsv, readResultsPage } from '../src/analyses/results-reader.js';
import { lambdaMemoryBudget, runInLambda } from '../src/analyses/run-in-lambda.js';
import { startAnalysis, type EmrSubmitter } from '../src/analyses/start-analysis.js';
import { validateVariables } from '../src/analyses/variables.js';
import { splitStatements } from '../src/hive/script.js';
import { StorageRegistry } from '../src/storage/registry.js';
import { partitionedSample, runOnSampleData } from './fixtures/analyses/partitioned-sample.js';
import { tempDir } from './helpers.js';

const JOBS_DIR = fileURLToPath(new URL('../jobs', import.meta.url));
const RANGE = { FROM: '2014-07-05', TO: '2014-08-05' };
const storage = new StorageRegistry();

/** Writes logs/{table}/dt=…/x.gz under a local bucket root, synchronously (describe bodies build their buckets). */
function writePartitions(root: string, table: string, days: ReadonlyMap<string, readonly string[]>): void {
  for (const [day, lines] of days) {
    const dir = path.join(root, 'logs', table, `dt=${day}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'x.gz'), gzipSync(lines.join('\n') + '\n'));
  }
}

function readLines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && !f.startsWith('_'))
    .sort()
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l !== ''));
}

/** A bucket (local directory) holding the sample data partitioned by day. */
function sampleBucket(): string {
  const root = tempDir('loghive-bucket-');
  for (const [table, days] of partitionedSample()) writePartitions(root, table, days);
  return root;
}

/** Statements as the Hive CLI sends them (comments dropped), for dt-sql-parser. */
function hiveStatements(script: string): string[] {
  return splitStatements(script).map((s) => s.text.replace(/^\s*--[^\n]*$/gm, '').trim());
}

function substitute(sql: string, vars: Record<string, string>): string {
  return sql.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n: string) => {
    const v = vars[n];
    if (v === undefined) throw new Error(`no value for \${${n}}`);
    return v;
  });
}

let catalog: JobCatalog;
beforeAll(async () => {
  catalog = await loadJobCatalog(JOBS_DIR);
});

describe('job catalog', () => {
  it('lists every job in jobs/ with its description, variables and tables from the header', async () => {
    // Act
    const payload = jobsPayload(catalog);

    // Assert
    const files = readdirSync(JOBS_DIR).filter((f) => f.endsWith('.q')).map((f) => f.slice(0, -2)).sort();
    expect(payload.jobs.map((j) => j.name)).toEqual(files);
    const os = payload.jobs.find((j) => j.name === 'os_requests')!;
    expect(os.description).toMatch(/^How many requests did each operating system make between FROM and TO\? The analysis of the EMR tutorial/);
    expect(os.tables).toEqual(['cloudfront_logs']);
    expect(os.variables.map((v) => [v.name, v.example, v.setByService])).toEqual([
      ['INPUT', 's3://us-east-1.elasticmapreduce.samples', true],
      ['OUTPUT', 's3://amzn-s3-demo-bucket/loghive', true],
      ['FROM', '2014-07-05', false],
      ['TO', '2014-08-05', false],
    ]);
    expect(os.variables[2]!.description).toBe('first day included, yyyy-MM-dd, e.g. 2014-07-05');
    expect(payload.jobs.find((j) => j.name === 'cloudfront_standard_status')!.tables).toEqual(['cloudfront_standard_logs']);
    expect(payload.jobs.find((j) => j.name === 'combined_top_pages')!.tables).toEqual(['combined_logs']);
    for (const job of payload.jobs) expect(job.description, job.name).not.toBe('');
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
  });

  it('refuses an unknown job with a 404 naming the known ones', () => {
    // Act
    const err = (() => {
      try {
        catalog.get('../os_requests');
      } catch (e) {
        return e;
      }
    })();

    // Assert
    expect(err).toBeInstanceOf(UnknownJobError);
    expect((err as UnknownJobError).httpStatus).toBe(404);
    expect((err as UnknownJobError).message).toContain('os_requests');
  });
});

describe('variables', () => {
  const job = () => catalog.get('os_requests');

  it('accepts the job’s caller variables and returns the date range', () => {
    expect(validateVariables(job(), RANGE)).toEqual({ values: RANGE, range: { from: '2014-07-05', to: '2014-08-05' } });
    expect(validateVariables(job(), { FROM: '2014-07-05', TO: '2014-07-05' }).range).toEqual({ from: '2014-07-05', to: '2014-07-05' });
  });

  it.each([
    [{ ...RANGE, LIMIT: '10' }, UnknownVariableError, 'LIMIT'],
    [{ FROM: '2014-07-05' }, MissingVariableError, 'TO'],
    [{ ...RANGE, INPUT: 's3://elsewhere' }, ReservedVariableError, 'INPUT'],
    [{ ...RANGE, OUTPUT: 's3://elsewhere' }, ReservedVariableError, 'OUTPUT'],
    [{ FROM: '2014-7-5', TO: '2014-08-05' }, InvalidVariableError, 'FROM'],
    [{ FROM: '2014-02-30', TO: '2014-08-05' }, InvalidVariableError, 'FROM'],
    [{ FROM: '2014-08-06', TO: '2014-08-05' }, InvalidVariableError, 'FROM'],
    [{ FROM: "2014-07-05' OR '1'='1", TO: '2014-08-05' }, InvalidVariableError, 'FROM'],
    [{ FROM: '2014-07-05', TO: '2014-08-05\n' }, InvalidVariableError, 'TO'],
    [{ FROM: '${env:AWS_SECRET_ACCESS_KEY}', TO: '2014-08-05' }, InvalidVariableError, 'FROM'],
    [{ FROM: 20140705, TO: '2014-08-05' }, InvalidVariableError, 'FROM'],
  ] as const)('refuses %j with a typed error naming the variable', (vars, type, variable) => {
    // Act
    let err: unknown;
    try {
      validateVariables(job(), vars);
    } catch (e) {
      err = e;
    }

    // Assert
    expect(err).toBeInstanceOf(type);
    expect((err as { variable: string }).variable).toBe(variable);
    expect((err as { httpStatus: number }).httpStatus).toBe(400);
  });

  it('refuses vars that are not an object', () => {
    expect(() => validateVariables(job(), ['2014-07-05'])).toThrow(InvalidRequestError);
  });
});

describe('rendering a job for the bucket', () => {
  const root = sampleBucket();

  it.each(readdirSync(JOBS_DIR).filter((f) => f.endsWith('.q')).map((f) => f.slice(0, -2)))('%s renders to valid Hive (dt-sql-parser) that the local engine runs', async (name) => {
    // Arrange
    const job = catalog.get(name);

    // Act
    const rendered = await renderForS3({ job, bucketRoot: root, storage, range: { from: RANGE.FROM, to: RANGE.TO } });

    // Assert
    expect(rendered.variables).toEqual(['FROM', 'OUTPUT', 'TO']);
    expect(rendered.script).not.toContain('${INPUT}');
    expect(rendered.script).not.toContain('skip.header.line.count');
    const vars = { ...RANGE, OUTPUT: 's3://amzn-s3-demo-bucket/results/x' };
    const parser = new HiveSQL();
    for (const sql of hiveStatements(rendered.script)) {
      const errors = parser.validate(substitute(sql, vars)).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`);
      expect(errors, sql).toEqual([]);
    }
    const out = tempDir();
    const result = await runInLambda({ script: rendered.script, variables: { ...RANGE, OUTPUT: out }, storage, log: () => undefined });
    expect(result.error).toBeUndefined();
    expect(result.state).toBe('SUCCEEDED');
  });

  it.each([
    ...readdirSync(JOBS_DIR)
      .filter((f) => f.endsWith('.q'))
      .map((f) => [f.slice(0, -2), RANGE.FROM, RANGE.TO]),
    // One local day: combined logs are filed under UTC days, so lines of the evening of the 5th (-0700) are in dt=2014-07-06.
    ['combined_top_pages', '2014-07-05', '2014-07-05'],
    ['daily_traffic', '2014-07-31', '2014-08-01'],
  ])('%s from %s to %s gives the same rows over the partitions as loghive run over sample-data', async (name, from, to) => {
    // Arrange
    const vars = { FROM: from, TO: to };
    const reference = tempDir();
    const ref = await runOnSampleData(catalog.get(name).script, vars, reference);
    const rendered = await renderForS3({ job: catalog.get(name), bucketRoot: root, storage, range: { from, to } });
    const out = tempDir();

    // Act
    const run = await runInLambda({ script: rendered.script, variables: { ...vars, OUTPUT: out }, storage, log: () => undefined });

    // Assert
    expect(run.state).toBe('SUCCEEDED');
    const expected = readLines(path.join(reference, name));
    const actual = readLines(path.join(out, name));
    expect(expected.length).toBeGreaterThan(0);
    if (/ORDER BY/.test(catalog.get(name).script)) expect(actual).toEqual(expected);
    else expect([...actual].sort()).toEqual([...expected].sort());
    expect(run.rowCount).toBe(ref.queries[0]!.rowCount);
    expect(run.counters!.recordsRead).toBeLessThan(ref.counters.get('recordsRead'));
  });

  it('registers one more day on each side for a table partitioned from text with a zone (combined logs)', async () => {
    const rendered = await renderForS3({ job: catalog.get('combined_top_pages'), bucketRoot: root, storage, range: { from: '2014-07-05', to: '2014-07-05' } });
    expect(rendered.partitions.map((p) => p.day)).toEqual(['2014-07-04', '2014-07-05', '2014-07-06']);
    expect(rendered.script).toContain('-- Rendered for S3: 3 stored day(s) of combined_logs from 2014-07-04 to 2014-07-06.');
  });

  it('registers only the stored days in [FROM, TO], replaces the DDL and counts the pruned bytes', async () => {
    // Act
    const rendered = await renderForS3({ job: catalog.get('os_requests'), bucketRoot: root, storage, range: { from: '2014-07-05', to: '2014-07-07' } });

    // Assert
    const location = tableLocation(root, 'cloudfront_logs');
    expect(rendered.partitions.map((p) => p.day)).toEqual(['2014-07-05', '2014-07-06', '2014-07-07']);
    const sizes = rendered.partitions.map((p) => readdirSync(path.join(root, 'logs/cloudfront_logs', `dt=${p.day}`)).length);
    expect(sizes).toEqual([1, 1, 1]);
    const expectedBytes = rendered.partitions.reduce((n, p) => n + readFileSync(path.join(root, 'logs/cloudfront_logs', `dt=${p.day}`, 'x.gz')).length, 0);
    expect(rendered.inputBytes).toBe(expectedBytes);
    const s = rendered.script;
    expect(s.startsWith('-- Job:     os_requests\n')).toBe(true);
    expect(s).toContain('DROP TABLE IF EXISTS cloudfront_logs;\nCREATE EXTERNAL TABLE cloudfront_logs (\n');
    expect(s).toContain(`) PARTITIONED BY (dt STRING)\nROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'`);
    expect(s).toContain(`) LOCATION '${location}';\n`);
    expect(s).toContain(`ALTER TABLE cloudfront_logs ADD IF NOT EXISTS PARTITION (dt='2014-07-05') LOCATION '${location}dt=2014-07-05/';\n`);
    expect(s.match(/^ALTER TABLE/gm)).toHaveLength(3);
    expect(s).toContain("INSERT OVERWRITE DIRECTORY '${OUTPUT}/os_requests/'\nSELECT os, COUNT(*) count\nFROM cloudfront_logs\nWHERE dateobject BETWEEN '${FROM}' AND '${TO}'\nGROUP BY os;\n");
    // The SerDe regex is kept byte for byte.
    expect(s).toContain(catalog.get('os_requests').script.match(/"input\.regex" = "[^\n]*"/)![0]);
  });

  it('drops TBLPROPERTIES that only skipped headers (ingest stores data lines only)', async () => {
    const rendered = await renderForS3({ job: catalog.get('cloudfront_standard_status'), bucketRoot: root, storage, range: { from: RANGE.FROM, to: RANGE.TO } });
    expect(rendered.script).not.toContain('TBLPROPERTIES');
    expect(rendered.script).toContain(`FIELDS TERMINATED BY '\\t'\nLOCATION '${tableLocation(root, 'cloudfront_standard_logs')}';`);
  });

  it('keeps other table properties, puts PARTITIONED BY after a table COMMENT, and uses MSCK REPAIR without FROM/TO', async () => {
    // Arrange
    const job = parseJob(
      'custom',
      `-- Job:     custom
-- Answers: A test job.
-- Variables:
--   OUTPUT  where results go, e.g. output

CREATE EXTERNAL TABLE IF NOT EXISTS cloudfront_logs (d DATE, s STRING COMMENT 'a (column)') COMMENT 'the; table'
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
LOCATION '\${INPUT}/x'
TBLPROPERTIES ('skip.header.line.count'='1', "loghive.partition.format"='yyyy-MM-dd');

INSERT OVERWRITE DIRECTORY '\${OUTPUT}/custom/' SELECT COUNT(*) FROM cloudfront_logs;
`,
    );

    // Act
    const rendered = await renderForS3({ job, bucketRoot: root, storage });

    // Assert
    expect(rendered.script).toContain(`CREATE EXTERNAL TABLE cloudfront_logs (d DATE, s STRING COMMENT 'a (column)') COMMENT 'the; table' PARTITIONED BY (dt STRING)\n`);
    expect(rendered.script).toContain(`TBLPROPERTIES ("loghive.partition.format"='yyyy-MM-dd');\nMSCK REPAIR TABLE cloudfront_logs;`);
    expect(rendered.variables).toEqual(['OUTPUT']);
    expect(rendered.partitions.length).toBe(readdirSync(path.join(root, 'logs/cloudfront_logs')).length);
    for (const sql of hiveStatements(rendered.script)) expect(new HiveSQL().validate(substitute(sql, { OUTPUT: '/tmp/o' })), sql).toEqual([]);
  });

  it('passes statements the local engine does not support through untouched, for EMR', async () => {
    // Arrange: a JOIN and a window function, which only Hive runs.
    const insert = `INSERT OVERWRITE DIRECTORY '\${OUTPUT}/emr_only/'\nSELECT a.os, COUNT(*) OVER (PARTITION BY a.os) AS n\nFROM cloudfront_logs a JOIN cloudfront_logs b ON a.uri = b.uri\nWHERE a.dateobject BETWEEN '\${FROM}' AND '\${TO}'`;
    const job = parseJob('emr_only', `${catalog.get('os_requests').script.split('INSERT OVERWRITE')[0]}${insert};\n`);

    // Act
    const rendered = await renderForS3({ job, bucketRoot: root, storage, range: { from: RANGE.FROM, to: RANGE.TO } });

    // Assert
    expect(job.tables).toEqual(['cloudfront_logs']);
    expect(rendered.script.endsWith(`\n\n${insert};\n`)).toBe(true);
    for (const sql of hiveStatements(rendered.script)) expect(new HiveSQL().validate(substitute(sql, { ...RANGE, OUTPUT: '/o' })), sql).toEqual([]);
  });

  it('refuses a job whose table already has a dt column', async () => {
    const job = parseJob('bad', `CREATE EXTERNAL TABLE cloudfront_logs (dt STRING) LOCATION '\${INPUT}/x';\nINSERT OVERWRITE DIRECTORY '\${OUTPUT}/bad/' SELECT dt FROM cloudfront_logs;\n`);
    await expect(renderForS3({ job, bucketRoot: root, storage })).rejects.toThrow(JobRenderError);
  });

  it('answers a date range without stored days with NoDataInRangeError (404) saying which days exist', async () => {
    // Act
    const err = await renderForS3({ job: catalog.get('daily_traffic'), bucketRoot: root, storage, range: { from: '2020-01-01', to: '2020-01-31' } }).catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(NoDataInRangeError);
    expect((err as NoDataInRangeError).httpStatus).toBe(404);
    expect((err as NoDataInRangeError).message).toMatch(/^no logs stored between 2020-01-01 and 2020-01-31 for cloudfront_logs \(cloudfront_logs has days \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)$/);
  });

  it('does not count a day directory that holds no objects', async () => {
    const bucket = tempDir();
    mkdirSync(path.join(bucket, 'logs/cloudfront_logs/dt=2014-07-05'), { recursive: true });
    await expect(renderForS3({ job: catalog.get('os_requests'), bucketRoot: bucket, storage, range: { from: RANGE.FROM, to: RANGE.TO } })).rejects.toThrow(NoDataInRangeError);
  });

  it('refuses a bucket root that could end a Hive string literal', async () => {
    await expect(renderForS3({ job: catalog.get('os_requests'), bucketRoot: "s3://b'x", storage })).rejects.toThrow(/cannot be used in a Hive string literal/);
  });
});

function baseRecord(overrides: Partial<AnalysisRecord> = {}): AnalysisRecord {
  const id = overrides.id ?? newAnalysisId();
  return {
    id,
    job: 'os_requests',
    vars: { ...RANGE },
    requestedEngine: 'auto',
    engine: 'lambda',
    engineReason: 'test',
    state: 'SUCCEEDED',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    scriptLocation: `/nowhere/scripts/${id}.q`,
    hiveVariables: { ...RANGE, OUTPUT: `/nowhere/results/${id}` },
    outputLocation: `/nowhere/results/${id}/os_requests/`,
    outputFormat: { fieldSeparator: '\u0001', nullText: '\\N', collectionSeparator: '\u0002' },
    columns: [
      { name: 'os', type: { name: 'string' } },
      { name: 'count', type: { name: 'bigint' } },
    ],
    input: { bytes: 1, partitions: 1, tables: ['cloudfront_logs'] },
    ...overrides,
  };
}

describe('record store', () => {
  const root = tempDir();
  const store = new RecordStore(storage, root);

  it('saves analyses/{id}.json and loads it back', async () => {
    // Arrange
    const record = baseRecord();

    // Act
    await store.save(record);
    const loaded = await store.load(record.id);

    // Assert
    expect(loaded).toEqual(record);
    expect(existsSync(path.join(root, 'analyses', `${record.id}.json`))).toBe(true);
  });

  it.each([newAnalysisId(), '../../etc/passwd', 'ABC', `${newAnalysisId()}/../x`])('answers %s with RecordNotFoundError (404)', async (id) => {
    const err = await store.load(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordNotFoundError);
    expect((err as RecordNotFoundError).httpStatus).toBe(404);
  });

  it('refuses to save a record that does not fit the schema', async () => {
    await expect(store.save({ ...baseRecord(), state: 'DONE' as never })).rejects.toThrow();
    await expect(store.save({ ...baseRecord(), id: 'not-a-uuid' })).rejects.toThrow();
  });
});

describe('engine choice', () => {
  it.each([
    ['auto', 10, true, 'lambda'],
    ['auto', 64, true, 'lambda'],
    ['auto', 65, true, 'emr'],
    ['lambda', 10_000, false, 'lambda'],
    ['emr', 1, true, 'emr'],
  ] as const)('%s with %i bytes (threshold 64, EMR %s) → %s', (requested, inputBytes, emrAvailable, engine) => {
    expect(chooseEngine({ requested, inputBytes, lambdaMaxBytes: 64, emrAvailable }).engine).toBe(engine);
  });

  it('sends a job the local planner refuses to EMR under auto, and refuses it for lambda', () => {
    const refused = { inputBytes: 1, lambdaMaxBytes: 64, lambdaRefusal: 'JOIN is not supported' };
    expect(chooseEngine({ ...refused, requested: 'auto', emrAvailable: true })).toEqual({ engine: 'emr', reason: 'auto: the Lambda engine cannot run this job (JOIN is not supported)' });
    expect(() => chooseEngine({ ...refused, requested: 'lambda', emrAvailable: true })).toThrow(EngineUnavailableError);
    expect(() => chooseEngine({ ...refused, requested: 'auto', emrAvailable: false })).toThrow(/cannot run this job: JOIN/);
    expect(chooseEngine({ ...refused, requested: 'emr', emrAvailable: true }).engine).toBe('emr');
  });

  it('is a 501 when EMR is needed but not configured', () => {
    expect(() => chooseEngine({ requested: 'emr', inputBytes: 1, lambdaMaxBytes: 64, emrAvailable: false })).toThrow(EngineUnavailableError);
    expect(() => chooseEngine({ requested: 'auto', inputBytes: 65, lambdaMaxBytes: 64, emrAvailable: false })).toThrow(/needs EMR/);
  });
});

describe('results reader', () => {
  const root = tempDir();
  const typed = (id = newAnalysisId()) =>
    baseRecord({
      id,
      outputLocation: path.join(root, id, 'job') + '/',
      rowCount: 5,
      columns: [
        { name: 's', type: { name: 'string' } },
        { name: 'n', type: { name: 'bigint' } },
        { name: 'd', type: { name: 'double' } },
        { name: 'b', type: { name: 'boolean' } },
        { name: 'day', type: { name: 'date' } },
        { name: 'parts', type: { name: 'array<string>' } },
        { name: 'dec', type: { name: 'decimal', length: 10, scale: 2 } },
      ],
    });
  const write = (record: AnalysisRecord, files: Record<string, string>) => {
    mkdirSync(record.outputLocation, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(record.outputLocation, name), text);
  };
  const line = (...fields: string[]) => fields.join('\u0001') + '\n';

  it('types each column, reads \\N as null and keeps what JSON numbers cannot hold as text', async () => {
    // Arrange
    const record = typed();
    write(record, {
      '000000_0': line('a,"b"', '42', '1.5', 'true', '2014-07-05', 'x\u0002y', '12.30') + line('\\N', '\\N', 'NaN', 'false', '\\N', '', '\\N'),
      '000001_0': line('é', '9007199254740993', '1.0E10', 'true', '2014-07-06', 'z', '1.00'),
      _SUCCESS: '',
    });

    // Act
    const page = await readResultsPage(record, storage);

    // Assert
    expect(page.columns).toEqual([
      { name: 's', type: 'string' },
      { name: 'n', type: 'bigint' },
      { name: 'd', type: 'double' },
      { name: 'b', type: 'boolean' },
      { name: 'day', type: 'date' },
      { name: 'parts', type: 'array<string>' },
      { name: 'dec', type: 'decimal(10,2)' },
    ]);
    expect(page.rows).toEqual([
      { s: 'a,"b"', n: 42, d: 1.5, b: true, day: '2014-07-05', parts: ['x', 'y'], dec: 12.3 },
      { s: null, n: null, d: 'NaN', b: false, day: null, parts: [], dec: null },
      { s: 'é', n: '9007199254740993', d: 1e10, b: true, day: '2014-07-06', parts: ['z'], dec: 1 },
    ]);
    expect(page.nextCursor).toBeUndefined();
    expect(page.rowCount).toBe(5);
  });

  it('paginates across output files with an opaque cursor', async () => {
    // Arrange
    const record = baseRecord({ outputLocation: path.join(root, 'paged') + '/' });
    write(record, { '000000_0': line('a', '1') + line('b', '2') + line('c', '3'), '000001_0': '', '000002_0': line('d', '4') + line('e', '5') });

    // Act
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await readResultsPage(record, storage, { limit: 2, cursor });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor);

    // Assert
    expect(pages.map((p) => p.rows.map((r) => r.os))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(pages.map((p) => p.offset)).toEqual([0, 2, 4]);
    expect(pages[0]!.rows[0]).toEqual({ os: 'a', count: 1 });
  });

  it('ends without a cursor when the last page is exactly full', async () => {
    const record = baseRecord({ outputLocation: path.join(root, 'exact') + '/' });
    write(record, { '000000_0': line('a', '1') + line('b', '2') });
    const page = await readResultsPage(record, storage, { limit: 2 });
    expect(page.rows).toHaveLength(2);
    expect(page.nextCursor).toBeUndefined();
  });

  it('reads the separator and NULL marker the INSERT chose', async () => {
    const record = baseRecord({ outputLocation: path.join(root, 'delimited') + '/', outputFormat: { fieldSeparator: ',', nullText: 'NULL', collectionSeparator: '|' } });
    write(record, { '000000_0': 'a,1\nNULL,NULL\n' });
    expect((await readResultsPage(record, storage)).rows).toEqual([
      { os: 'a', count: 1 },
      { os: null, count: null },
    ]);
  });

  it('writes CSV with RFC 4180 quoting, NULL as an empty field', async () => {
    // Arrange
    const record = baseRecord({ outputLocation: path.join(root, 'csv') + '/' });
    write(record, { '000000_0': line('plain', '1') + line('with, comma', '2') + line('say "hi"', '3') + line('\\N', '4') });

    // Act
    const { body, nextCursor } = await readResultsCsv(record, storage, { limit: 3 });

    // Assert
    expect(body).toBe('os,count\r\nplain,1\r\n"with, comma",2\r\n"say ""hi""",3\r\n');
    const rest = await readResultsCsv(record, storage, { cursor: nextCursor });
    expect(rest.body).toBe('os,count\r\n,4\r\n');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField('')).toBe('');
    expect(csvRecord(['x', 'y"'])).toBe('x,"y"""\r\n');
  });

  it('refuses forged, foreign and misaligned cursors and bad limits', async () => {
    // Arrange
    const record = baseRecord({ outputLocation: path.join(root, 'cursors') + '/' });
    write(record, { '000000_0': line('abc', '1') + line('def', '2') });

    // Act / Assert
    for (const cursor of ['garbage!', Buffer.from('{"v":1}').toString('base64url'), encodeCursor(newAnalysisId(), { file: 0, offset: 0, row: 0 }), encodeCursor(record.id, { file: 0, offset: 3, row: 1 }), encodeCursor(record.id, { file: 5, offset: 0, row: 1 }), encodeCursor(record.id, { file: 0, offset: 999, row: 1 })]) {
      await expect(readResultsPage(record, storage, { cursor }), cursor).rejects.toThrow(InvalidCursorError);
    }
    expect(decodeCursor(record.id, encodeCursor(record.id, { file: 1, offset: 6, row: 2 }))).toEqual({ file: 1, offset: 6, row: 2 });
    for (const limit of [0, 10_001, '1e3', 'x', 2.5]) expect(() => parseLimit(limit)).toThrow(InvalidRequestError);
    expect(parseLimit(undefined)).toBe(1000);
    expect(parseLimit('10000')).toBe(10_000);
  });

  it('serves text columns named _c0, _c1, … when the planner had no columns (a job only EMR runs)', async () => {
    const record = baseRecord({ outputLocation: path.join(root, 'untyped') + '/', columns: undefined });
    write(record, { '000000_0': line('a', '1') + line('\\N', '2') });
    const page = await readResultsPage(record, storage);
    expect(page.columns).toEqual([
      { name: '_c0', type: 'string' },
      { name: '_c1', type: 'string' },
    ]);
    expect(page.rows).toEqual([
      { _c0: 'a', _c1: '1' },
      { _c0: null, _c1: '2' },
    ]);
  });

  it('is a 409 until the analysis has succeeded', async () => {
    const err = await readResultsPage(baseRecord({ state: 'RUNNING' }), storage).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResultsNotReadyError);
    expect((err as ResultsNotReadyError).httpStatus).toBe(409);
  });
});

describe('the Lambda engine', () => {
  const root = sampleBucket();

  it('records an engine error with its position in the script', async () => {
    // Act
    const result = await runInLambda({
      script: `CREATE EXTERNAL TABLE t (a STRING) LOCATION '${root}/logs/none';\nINSERT OVERWRITE DIRECTORY '\${OUTPUT}/x/'\nSELECT nope FROM t;\n`,
      variables: { OUTPUT: tempDir() },
      storage,
      file: 'scripts/x.q',
      log: () => undefined,
    });

    // Assert
    expect(result.state).toBe('FAILED');
    expect(result.error).toMatchObject({ type: 'SemanticError', position: { line: 3, column: 8 } });
    expect(result.error!.message).toContain('scripts/x.q:3:8');
  });

  it('fails clearly at its deadline instead of being killed', async () => {
    // Arrange
    const rendered = await renderForS3({ job: catalog.get('top_uris'), bucketRoot: root, storage, range: { from: '2014-07-01', to: '2014-08-31' } });

    const out = tempDir();

    // Act
    const late = await runInLambda({ script: rendered.script, variables: { ...RANGE, OUTPUT: out }, storage, deadline: Date.now() + 5, log: () => undefined });
    const over = await runInLambda({ script: rendered.script, variables: { ...RANGE, OUTPUT: tempDir() }, storage, deadline: Date.now() - 1, log: () => undefined });

    // Assert
    expect(late.state).toBe('FAILED');
    expect(late.error).toMatchObject({ type: 'AnalysisDeadlineError' });
    expect(over.error!.message).toMatch(/did not finish within the Lambda's 0 s; run it again with engine "emr"/);
    // The run stopped: it never commits its output later.
    await new Promise((r) => setTimeout(r, 1000));
    expect(readdirSync(out)).toEqual([]);
  });

  it('sizes its buffers from the function memory', () => {
    expect(lambdaMemoryBudget({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769' })).toBe(Math.floor(1769 * 1024 * 1024 * 0.4));
    expect(lambdaMemoryBudget({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '64' })).toBe(32 * 1024 * 1024);
    expect(lambdaMemoryBudget({})).toBe(256 * 1024 * 1024);
  });

  it('never lets ${env:…} read the Lambda environment', async () => {
    process.env.LOGHIVE_TEST_SECRET = 'secret';
    const out = tempDir();
    const result = await runInLambda({ script: `INSERT OVERWRITE DIRECTORY '${out}/x' SELECT '\${env:LOGHIVE_TEST_SECRET}' FROM (SELECT 1 AS one FROM t) s;`, variables: {}, storage, log: () => undefined });
    expect(result.state).toBe('FAILED');
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});

describe('starting, following and reading an analysis', () => {
  const root = sampleBucket();
  const config = { bucketRoot: root, defaultEngine: 'auto' as const, lambdaMaxBytes: 64 * 1024 * 1024 };
  const fixedNow = () => new Date('2026-11-26T06:00:00.000Z');

  class FakeEmr implements EmrSubmitter, EmrStepControl {
    submitted: Parameters<EmrSubmitter['submit']>[0][] = [];
    cancelled: string[] = [];
    next: EmrStepStatus = { state: 'RUNNING', startedAt: '2026-11-26T06:01:00Z' };
    failSubmit = false;
    async submit(input: Parameters<EmrSubmitter['submit']>[0]) {
      if (this.failSubmit) throw new Error('ThrottlingException: Rate exceeded');
      this.submitted.push(input);
      return { clusterId: 'j-1', stepId: 's-1', transient: true };
    }
    async status() {
      return this.next;
    }
    async cancel(step: { stepId: string }) {
      this.cancelled.push(step.stepId);
    }
  }

  it('runs os_requests in the Lambda and serves its rows with the SELECT’s names and types', async () => {
    // Act
    const record = await startAnalysis({ request: { job: 'os_requests', vars: RANGE }, config, storage, jobsDir: JOBS_DIR, lambda: { log: () => undefined } });

    // Assert
    expect(record).toMatchObject({ job: 'os_requests', engine: 'lambda', requestedEngine: 'auto', state: 'SUCCEEDED', rowCount: 6 });
    expect(record.columns).toEqual([
      { name: 'os', type: { name: 'string' } },
      { name: 'count', type: { name: 'bigint' } },
    ]);
    expect(record.hiveVariables).toEqual({ ...RANGE, OUTPUT: `${root}/results/${record.id}` });
    expect(record.outputLocation).toBe(`${root}/results/${record.id}/os_requests/`);
    expect(record.counters!.recordsRead).toBeGreaterThan(0);
    expect(record.input.partitions).toBe(32);
    expect(readFileSync(path.join(root, 'scripts', `${record.id}.q`), 'utf8')).toContain('ALTER TABLE cloudfront_logs ADD IF NOT EXISTS');
    const status = await getAnalysis(record.id, { storage, bucketRoot: root });
    expect(status).toEqual(record);
    const page = await readResultsPage(status, storage);
    const reference = tempDir();
    await runOnSampleData(catalog.get('os_requests').script, RANGE, reference);
    const expected = readLines(path.join(reference, 'os_requests')).map((l) => [l.split('\u0001')[0], Number(l.split('\u0001')[1])]);
    expect(page.rows.map((r) => [r.os, r.count]).sort()).toEqual(expected.sort());
  });

  it('refuses bad requests before writing anything', async () => {
    const cases: [unknown, new (...args: never[]) => Error][] = [
      [{ job: 'nope', vars: RANGE }, UnknownJobError],
      [{ job: 'os_requests', vars: RANGE, engine: 'spark' }, InvalidRequestError],
      [{ job: 'os_requests', vars: RANGE, extra: 1 }, InvalidRequestError],
      [{ job: 'os_requests', vars: { FROM: '2014-07-05' } }, MissingVariableError],
      [{ job: 'os_requests', vars: { FROM: '2020-01-01', TO: '2020-01-02' } }, NoDataInRangeError],
      [{ job: 'os_requests', vars: RANGE, engine: 'emr' }, EngineUnavailableError],
      ['not json', InvalidRequestError],
    ];
    const bare = tempDir();
    writePartitions(bare, 'cloudfront_logs', new Map([['2014-07-05', ['2014-07-05\tx']]]));
    for (const [request, type] of cases) {
      await expect(startAnalysis({ request, config: { ...config, bucketRoot: bare }, storage, jobsDir: JOBS_DIR }), JSON.stringify(request)).rejects.toThrow(type);
    }
    expect(readdirSync(bare)).toEqual(['logs']);
  });

  it('submits big inputs to EMR and follows the step until it ends', async () => {
    // Arrange
    const emr = new FakeEmr();

    // Act
    const record = await startAnalysis({ request: { job: 'status_codes', vars: RANGE }, config: { ...config, lambdaMaxBytes: 10 }, storage, jobsDir: JOBS_DIR, emr, now: fixedNow });
    const running = await getAnalysis(record.id, { storage, bucketRoot: root, emr, now: fixedNow });
    emr.next = { state: 'FAILED', failureReason: 'Hive: Table not found', endedAt: new Date('2026-11-26T06:05:00Z') };
    const failed = await getAnalysis(record.id, { storage, bucketRoot: root, emr, now: fixedNow });
    emr.next = { state: 'SUCCEEDED' };
    const stillFailed = await getAnalysis(record.id, { storage, bucketRoot: root, emr });

    // Assert
    expect(record).toMatchObject({ engine: 'emr', state: 'PENDING', emr: { clusterId: 'j-1', stepId: 's-1', transient: true } });
    expect(record.engineReason).toMatch(/^auto: .* of input, threshold 10 B$/);
    expect(emr.submitted).toEqual([{ analysisId: record.id, scriptLocation: `${root}/scripts/${record.id}.q`, variables: { ...RANGE, OUTPUT: `${root}/results/${record.id}` } }]);
    expect(running).toMatchObject({ state: 'RUNNING', startedAt: '2026-11-26T06:01:00.000Z' });
    expect(failed).toMatchObject({ state: 'FAILED', finishedAt: '2026-11-26T06:05:00.000Z', error: { type: 'EmrStepFailed', message: 'Hive: Table not found' } });
    expect(stillFailed).toEqual(failed);
    await expect(cancelAnalysis(record.id, { storage, bucketRoot: root, emr })).rejects.toThrow(AnalysisStateError);
  });

  it('sends a job only Hive can run to EMR, with untyped results', async () => {
    // Arrange
    const insert = `INSERT OVERWRITE DIRECTORY '\${OUTPUT}/emr_only/'\nSELECT a.os, COUNT(*) OVER (PARTITION BY a.os) AS n\nFROM cloudfront_logs a JOIN cloudfront_logs b ON a.uri = b.uri\nWHERE a.dateobject BETWEEN '\${FROM}' AND '\${TO}'`;
    const job = parseJob('emr_only', `${catalog.get('os_requests').script.split('INSERT OVERWRITE')[0]}${insert};\n`);
    const emr = new FakeEmr();

    // Act
    const record = await startAnalysis({ request: { job: 'emr_only', vars: RANGE }, config, storage, jobsDir: JOBS_DIR, catalog: new JobCatalog([job]), emr });
    const refused = await startAnalysis({ request: { job: 'emr_only', vars: RANGE, engine: 'lambda' }, config, storage, jobsDir: JOBS_DIR, catalog: new JobCatalog([job]), emr }).catch((e: unknown) => e);

    // Assert
    expect(record).toMatchObject({ engine: 'emr', state: 'PENDING', outputLocation: `${root}/results/${record.id}/emr_only/` });
    expect(record.engineReason).toMatch(/^auto: the Lambda engine cannot run this job \(.*\)$/);
    expect(record.columns).toBeUndefined();
    expect(refused).toBeInstanceOf(EngineUnavailableError);
  });

  it('cancels a running EMR step', async () => {
    const emr = new FakeEmr();
    const record = await startAnalysis({ request: { job: 'status_codes', vars: RANGE, engine: 'emr' }, config, storage, jobsDir: JOBS_DIR, emr });
    const cancelled = await cancelAnalysis(record.id, { storage, bucketRoot: root, emr });
    expect(cancelled.state).toBe('CANCELLED');
    expect(emr.cancelled).toEqual(['s-1']);
    expect((await getAnalysis(record.id, { storage, bucketRoot: root, emr })).state).toBe('CANCELLED');
  });

  it('records a failed EMR submission as a FAILED analysis', async () => {
    const emr = new FakeEmr();
    emr.failSubmit = true;
    const record = await startAnalysis({ request: { job: 'status_codes', vars: RANGE, engine: 'emr' }, config, storage, jobsDir: JOBS_DIR, emr });
    expect(record).toMatchObject({ state: 'FAILED', error: { message: 'ThrottlingException: Rate exceeded' } });
    expect(await getAnalysis(record.id, { storage, bucketRoot: root })).toEqual(record);
  });

  it('defers a Lambda run to a separate invocation, and marks a lost one FAILED', async () => {
    // Act
    const pending = await startAnalysis({ request: { job: 'daily_traffic', vars: RANGE, engine: 'lambda' }, config, storage, jobsDir: JOBS_DIR, lambda: { defer: true } });
    const done = await runPendingAnalysis({ id: pending.id, store: new RecordStore(storage, root), storage, lambda: { log: () => undefined } });
    const lost = await startAnalysis({ request: { job: 'daily_traffic', vars: RANGE, engine: 'lambda' }, config, storage, jobsDir: JOBS_DIR, lambda: { defer: true }, now: () => new Date('2026-01-01T00:00:00Z') });
    const later = await getAnalysis(lost.id, { storage, bucketRoot: root, now: () => new Date('2026-01-01T00:20:00Z') });

    // Assert
    expect(pending.state).toBe('PENDING');
    expect(done).toMatchObject({ state: 'SUCCEEDED', rowCount: 32 });
    expect((await readResultsPage(done, storage, { limit: 1 })).rows).toEqual([{ dateobject: '2014-07-05', requests: expect.any(Number), total_bytes: expect.any(Number) }]);
    await expect(runPendingAnalysis({ id: pending.id, store: new RecordStore(storage, root), storage })).rejects.toThrow(AnalysisStateError);
    expect(later).toMatchObject({ state: 'FAILED', error: { type: 'LambdaLostError' } });
  });
});
