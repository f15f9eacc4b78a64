/**
 * The API layer: error mapping (one place), request parsing, responses, configuration, and the
 * handlers themselves driven by API Gateway HTTP API v2 events (and an S3 event) against s3rver.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { AddJobFlowStepsCommand, CancelStepsCommand, DescribeStepCommand, EMRClient } from '@aws-sdk/client-emr';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { handler as cancelAnalysis } from '../handlers/cancel-analysis.js';
import { handler as createUpload } from '../handlers/create-upload.js';
import { handler as getAnalysis } from '../handlers/get-analysis.js';
import { handler as getResults } from '../handlers/get-results.js';
import { handler as ingestLogs } from '../handlers/ingest-logs.js';
import { handler as ingestUpload } from '../handlers/ingest-upload.js';
import { handler as listJobs } from '../handlers/list-jobs.js';
import { handler as startAnalysis } from '../handlers/start-analysis.js';
import { createContext, setCloudContext } from '../src/api/context.js';
import { errorResponse, errorStatus, httpHandler } from '../src/api/http-errors.js';
import { engineDeadline } from '../src/api/lambda-deadline.js';
import { BadRequestError, bodySize, header, jsonBody, jsonErrorOffset, queryInt, tableParam, type HttpEvent } from '../src/api/request.js';
import { csv, json, noContent, text } from '../src/api/responses.js';
import { decodeS3Key, uploadedObjects } from '../src/api/s3-events.js';
import { createUpload as signUpload, UPLOAD_EXPIRY_SECONDS } from '../src/api/uploads.js';
import { ResultsNotReadyError, UnknownJobError } from '../src/analyses/errors.js';
import { ConfigError, loadConfig } from '../src/cloud/config.js';
import { createEmrClient } from '../src/cloud/emr/client.js';
import { EmrAnalysisRunner } from '../src/cloud/emr/emr-runner.js';
import { EmrUnavailableError, StepNotCancellableError } from '../src/cloud/emr/errors.js';
import { createS3Client } from '../src/cloud/s3-client.js';
import { S3StorageError } from '../src/cloud/s3-storage-error.js';
import { HiveParseError, InputError, SemanticError, TaskFailedError, UndefinedVariableError, UnsupportedError, UsageError } from '../src/hive/errors.js';
import { PayloadTooLargeError as IngestPayloadTooLarge, UnknownTableError } from '../src/ingest/errors.js';
import { body, httpEvent, lambdaContext, s3Event, useS3rverCredentials } from './support/api-events.js';
import { startS3Server, type S3TestServer } from './support/s3-server.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function quietLog(): { entries: Record<string, unknown>[]; log: (e: Record<string, unknown>) => void } {
  const entries: Record<string, unknown>[] = [];
  return { entries, log: (e) => entries.push(e) };
}

// ---------------------------------------------------------------------------------------------

describe('error mapping', () => {
  const pos = { line: 3, column: 7 };

  it('answers errors that carry an httpStatus with that status, their name and message', () => {
    const cases: [Error, number][] = [
      [new UnknownTableError('nope', 'no job defines it'), 404],
      [new IngestPayloadTooLarge('body', 10), 413],
      [new StepNotCancellableError('s-1', 'it has ended'), 409],
      [new UnknownJobError('x', ['a', 'b']), 404],
      [new ResultsNotReadyError('id', 'RUNNING'), 409],
      [new ConfigError('LOGHIVE_BUCKET', 'is required'), 500],
      [new BadRequestError('bad'), 400],
    ];
    for (const [err, status] of cases) {
      const { log } = quietLog();
      const res = errorResponse(err, log);
      expect(res.statusCode, err.name).toBe(status);
      expect(body(res), err.name).toEqual({ error: err.name, message: err.message });
      expect(errorStatus(err)).toBe(status);
    }
  });

  it('maps the engine’s errors: script problems 400, missing input 404, failed tasks 500', () => {
    const cases: [Error, number][] = [
      [new HiveParseError('unexpected FROM', pos), 400],
      [new SemanticError('no column x', pos), 400],
      [new UnsupportedError('TRANSFORM', pos), 400],
      [new UndefinedVariableError('FROM', pos), 400],
      [new UsageError('bad usage'), 400],
      [new InputError('cannot read: EACCES', { file: 's3://b/logs/x' }), 400],
      [new InputError('cannot open: missing', { file: '/data/x' }, { cause: Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }) }), 404],
      [new InputError('cannot open', { file: 's3://b/k' }, { cause: Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }) }), 404],
      [new TaskFailedError('map task 3 failed on every attempt', 1, { file: 's3://b/logs/x', offset: 0 }), 500],
    ];
    for (const [err, status] of cases) {
      const { log } = quietLog();
      const res = errorResponse(err, log);
      expect(res.statusCode, `${err.name}: ${err.message}`).toBe(status);
      expect(body(res)).toEqual({ error: err.name, message: err.message });
    }
  });

  it('answers a ZodError with 400 and the path of each issue', () => {
    const schema = z.strictObject({ job: z.string(), vars: z.object({ FROM: z.string() }) });
    const err = schema.safeParse({ job: 3, vars: { FROM: 1 } }).error!;
    const res = errorResponse(err, quietLog().log);
    expect(res.statusCode).toBe(400);
    const b = body(res);
    expect(b.error).toBe('ValidationError');
    expect(b.issues!.map((i) => i.path)).toEqual(['job', 'vars.FROM']);
    expect(b.message).toContain('vars.FROM');
  });

  it('answers anything else with a generic 500 and logs the details, never the stack', () => {
    const { entries, log } = quietLog();
    const err = new Error('AccessDenied: arn:aws:s3:::secret-bucket/internal/key');
    const res = errorResponse(err, log, { requestId: 'req-9' });
    expect(res.statusCode).toBe(500);
    expect(body(res)).toEqual({ error: 'InternalError', message: 'internal error; the details are in the function log' });
    expect(res.body).not.toContain('secret-bucket');
    expect(res.body).not.toContain('at ');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 'error', status: 500, requestId: 'req-9', message: err.message });
    expect(String(entries[0]!.stack)).toContain('api.test.ts');
    // An SDK error says its HTTP status in $metadata, not httpStatus: still a generic 500.
    const sdk = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(errorResponse(sdk, log).statusCode).toBe(500);
    expect(errorResponse('a string', log).statusCode).toBe(500);
    expect(errorResponse(undefined, log).statusCode).toBe(500);
  });

  it('logs typed 5xx errors with their stack and answers with their message', () => {
    const { entries, log } = quietLog();
    const err = new EmrUnavailableError('AddJobFlowSteps', 5, false, { cause: new Error('ThrottlingException') });
    const res = errorResponse(err, log);
    expect(res.statusCode).toBe(503);
    expect(body(res).message).toContain('AddJobFlowSteps');
    expect(entries).toHaveLength(1);
  });

  it('keeps other LoghiveErrors (SDK detail inside) generic', () => {
    const { entries, log } = quietLog();
    const err = new S3StorageError('head', 's3://bucket/logs/x', { cause: Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }) });
    const res = errorResponse(err, log);
    expect(res.statusCode).toBe(500);
    expect(body(res).error).toBe('InternalError');
    expect(res.body).not.toContain('AccessDenied');
    expect(entries[0]).toMatchObject({ name: 'S3StorageError' });
    expect(errorStatus(err)).toBe(500);
  });

  it('ignores an httpStatus outside 400-599', () => {
    const weird = Object.assign(new Error('odd'), { httpStatus: 200 });
    expect(errorResponse(weird, quietLog().log).statusCode).toBe(500);
  });

  it('httpHandler turns a throw into the mapped response', async () => {
    const { entries, log } = quietLog();
    const h = httpHandler(async () => {
      throw new Error('boom');
    }, log);
    const res = await h(httpEvent('GET /jobs'));
    expect(res.statusCode).toBe(500);
    expect(entries[0]).toMatchObject({ requestId: 'req-1', route: 'GET /jobs' });
  });
});

describe('request parsing', () => {
  const ev = (b: string | undefined, headers: Record<string, string> = {}, isBase64Encoded = false): HttpEvent => ({ headers, body: b, isBase64Encoded });

  const parseError = (b: string): string => {
    try {
      jsonBody(ev(b));
    } catch (err) {
      expect(errorStatus(err)).toBe(400);
      return (err as Error).message;
    }
    throw new Error('no error');
  };

  it('says where malformed JSON goes wrong: line, column and position', () => {
    expect(parseError('{"job": }')).toMatch(/^malformed JSON body at line 1, column 9 \(position 8\): Unexpected token/);
    expect(parseError('{\n  "job": "os_requests",\n  "vars": {"FROM": 2014-07-05}\n}')).toContain('at line 3, column 24 (position 49)');
    expect(parseError('{"job": "x"')).toContain('at line 1, column 12 (position 11)');
    expect(parseError('{"job": "x"} trailing')).toContain('at line 1, column 14 (position 13)');
    expect(parseError('[1, 2,]')).toContain('(position 6)');
    expect(parseError('{"a": "\\x"}')).toContain('(position 8)');
  });

  it('finds the offset of the first JSON error, and none in valid JSON', () => {
    expect(jsonErrorOffset('{"a": [1, true, null, "x\\u00e9", -1.5e3, {}]}')).toBeUndefined();
    expect(jsonErrorOffset('  ')).toBe(2);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('tru')).toBe(3);
    expect(jsonErrorOffset('"a\tb"')).toBe(2);
    expect(jsonErrorOffset('01')).toBe(1);
  });

  it('accepts JSON with or without a JSON content type; refuses other types with 415', () => {
    expect(jsonBody(ev('{"a":1}'))).toEqual({ a: 1 });
    expect(jsonBody(ev('{"a":1}', { 'Content-Type': 'application/json; charset=utf-8' }))).toEqual({ a: 1 });
    expect(jsonBody(ev('{"a":1}', { 'content-type': 'application/vnd.api+json' }))).toEqual({ a: 1 });
    expect(() => jsonBody(ev('a=1', { 'CONTENT-TYPE': 'application/x-www-form-urlencoded' }))).toThrow(expect.objectContaining({ httpStatus: 415 }));
  });

  it('reads an empty body as {}', () => {
    expect(jsonBody(ev(undefined))).toEqual({});
    expect(jsonBody(ev('  \n'))).toEqual({});
  });

  it('refuses a body over the limit with 413 before decoding it', () => {
    const big = JSON.stringify({ pad: 'x'.repeat(100) });
    expect(() => jsonBody(ev(big), 50)).toThrow(expect.objectContaining({ httpStatus: 413 }));
    const res = errorResponse((() => {
      try {
        jsonBody(ev(big), 50);
      } catch (err) {
        return err;
      }
    })(), quietLog().log);
    expect(res.statusCode).toBe(413);
    expect(body(res).message).toBe(`request body is ${big.length} bytes; the limit is 50`);
    // base64 bodies are measured by their decoded size.
    const b64 = Buffer.from('{"a":"0123456789"}').toString('base64');
    expect(bodySize({ body: b64, isBase64Encoded: true })).toBe(18);
    expect(jsonBody(ev(b64, {}, true), 18)).toEqual({ a: '0123456789' });
    expect(() => jsonBody(ev(b64, {}, true), 17)).toThrow(expect.objectContaining({ httpStatus: 413 }));
    // Multi-byte characters count as bytes.
    expect(bodySize({ body: 'é', isBase64Encoded: false })).toBe(2);
  });

  it('validates with a schema (ZodError → 400 with paths)', () => {
    const schema = z.strictObject({ fileName: z.string() });
    expect(jsonBody(ev('{"fileName":"a.gz"}'), undefined, schema)).toEqual({ fileName: 'a.gz' });
    let caught: unknown;
    try {
      jsonBody(ev('{"fileName":1,"x":2}'), undefined, schema);
    } catch (err) {
      caught = err;
    }
    const res = errorResponse(caught, quietLog().log);
    expect(res.statusCode).toBe(400);
    expect(body(res).issues!.map((i) => i.path).sort()).toEqual(['(body)', 'fileName']);
  });

  it('reads headers case-insensitively', () => {
    const e = ev('', { 'Content-Encoding': 'gzip', accept: 'text/csv', 'X-Custom-HEADER': 'v' });
    expect(header(e, 'content-encoding')).toBe('gzip');
    expect(header(e, 'ACCEPT')).toBe('text/csv');
    expect(header(e, 'x-custom-header')).toBe('v');
    expect(header(e, 'missing')).toBeUndefined();
    expect(header({ headers: undefined as unknown as Record<string, string> }, 'a')).toBeUndefined();
  });

  it('checks query integers and table names', () => {
    const q = (v: string) => ({ queryStringParameters: { limit: v } });
    expect(queryInt(q('10'), 'limit', { min: 1, max: 100 })).toBe(10);
    expect(queryInt({}, 'limit', { min: 1, max: 100 })).toBeUndefined();
    expect(() => queryInt(q('1e3'), 'limit', { min: 1, max: 100 })).toThrow(/whole number/);
    expect(() => queryInt(q('0'), 'limit', { min: 1, max: 100 })).toThrow(/between 1 and 100/);
    expect(tableParam({ pathParameters: { table: 'cloudfront_logs' } })).toBe('cloudfront_logs');
    for (const bad of ['../logs', 'Cloudfront', '1abc', 'a/b', 'a'.repeat(65)]) {
      expect(() => tableParam({ pathParameters: { table: bad } })).toThrow(expect.objectContaining({ httpStatus: 404 }));
    }
    expect(() => tableParam({ pathParameters: {} })).toThrow(expect.objectContaining({ httpStatus: 400 }));
  });
});

describe('responses', () => {
  it('carry the security headers and the right content types', () => {
    for (const res of [json(200, { a: 1 }), csv(200, 'a\n1\n', 'x y.csv'), text(200, 'ok'), noContent()]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    }
    expect(json(201, { a: 1 }).headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json(201, { a: 1 }).body).toBe('{"a":1}');
    const c = csv(200, 'a\n', 'os_requests "1".csv');
    expect(c.headers['content-type']).toMatch(/^text\/csv/);
    expect(c.headers['content-disposition']).toBe('attachment; filename="os_requests__1_.csv"');
    expect(text(200, 'x').headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(noContent().statusCode).toBe(204);
  });
});

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ LOGHIVE_BUCKET: 'my-data-bucket' });
    expect(c).toMatchObject({
      bucket: 'my-data-bucket',
      s3Endpoint: undefined,
      region: 'us-east-1',
      defaultEngine: 'auto',
      lambdaMaxBytes: 64 * 2 ** 20,
      maxBodyBytes: 6 * 2 ** 20,
      maxInflatedBytes: 256 * 2 ** 20,
      maxMalformedShare: 0.1,
      emr: { clusterId: undefined, releaseLabel: 'emr-7.12.0', instanceType: 'm5.xlarge', instanceCount: 3, subnetId: undefined, logUri: 's3://my-data-bucket/emr-logs/', jobFlowRole: 'EMR_EC2_DefaultRole', serviceRole: 'EMR_DefaultRole' },
    });
    expect(c.jobsDir).toBe(path.join(process.cwd(), 'jobs'));
  });

  it('reads every variable', () => {
    const c = loadConfig({
      LOGHIVE_BUCKET: 'b-1.example',
      LOGHIVE_S3_ENDPOINT: 'http://127.0.0.1:4569',
      AWS_REGION: 'eu-west-3',
      LOGHIVE_JOBS_DIR: '/opt/jobs',
      LOGHIVE_DEFAULT_ENGINE: 'emr',
      LOGHIVE_LAMBDA_MAX_BYTES: '32m',
      LOGHIVE_EMR_CLUSTER_ID: 'j-2AXXXXXXGAPLF',
      LOGHIVE_EMR_RELEASE_LABEL: 'emr-6.15.0',
      LOGHIVE_EMR_INSTANCE_TYPE: 'r6g.2xlarge',
      LOGHIVE_EMR_INSTANCE_COUNT: '5',
      LOGHIVE_EMR_SUBNET_ID: 'subnet-0123abcd',
      LOGHIVE_EMR_LOG_URI: 's3://other-bucket/logs/',
      LOGHIVE_EMR_JOB_FLOW_ROLE: 'MyEc2Role',
      LOGHIVE_EMR_SERVICE_ROLE: 'arn:aws:iam::123456789012:role/MyEmrRole',
      LOGHIVE_MAX_BODY_BYTES: '1048576',
      LOGHIVE_MAX_INFLATED_BYTES: '1g',
      LOGHIVE_MAX_MALFORMED_SHARE: '0',
    });
    expect(c).toMatchObject({ s3Endpoint: 'http://127.0.0.1:4569', region: 'eu-west-3', jobsDir: '/opt/jobs', defaultEngine: 'emr', lambdaMaxBytes: 32 * 2 ** 20, maxBodyBytes: 1048576, maxInflatedBytes: 2 ** 30, maxMalformedShare: 0 });
    expect(c.emr).toEqual({ clusterId: 'j-2AXXXXXXGAPLF', releaseLabel: 'emr-6.15.0', instanceType: 'r6g.2xlarge', instanceCount: 5, subnetId: 'subnet-0123abcd', logUri: 's3://other-bucket/logs/', jobFlowRole: 'MyEc2Role', serviceRole: 'arn:aws:iam::123456789012:role/MyEmrRole' });
  });

  it('names the variable of a bad value (ConfigError, a 500)', () => {
    const bad: [Record<string, string>, string][] = [
      [{ LOGHIVE_BUCKET: '' }, 'LOGHIVE_BUCKET'],
      [{ LOGHIVE_BUCKET: 'Bad_Bucket' }, 'LOGHIVE_BUCKET'],
      [{ LOGHIVE_DEFAULT_ENGINE: 'spark' }, 'LOGHIVE_DEFAULT_ENGINE'],
      [{ LOGHIVE_LAMBDA_MAX_BYTES: 'lots' }, 'LOGHIVE_LAMBDA_MAX_BYTES'],
      [{ LOGHIVE_EMR_INSTANCE_COUNT: '2.5' }, 'LOGHIVE_EMR_INSTANCE_COUNT'],
      [{ LOGHIVE_EMR_CLUSTER_ID: 'cluster-1' }, 'LOGHIVE_EMR_CLUSTER_ID'],
      [{ LOGHIVE_EMR_SUBNET_ID: 'sn-1' }, 'LOGHIVE_EMR_SUBNET_ID'],
      [{ LOGHIVE_EMR_LOG_URI: 'https://x/' }, 'LOGHIVE_EMR_LOG_URI'],
      [{ LOGHIVE_MAX_MALFORMED_SHARE: '1.5' }, 'LOGHIVE_MAX_MALFORMED_SHARE'],
      [{ LOGHIVE_S3_ENDPOINT: 'not a url' }, 'LOGHIVE_S3_ENDPOINT'],
      [{ AWS_REGION: 'mars' }, 'AWS_REGION'],
    ];
    for (const [env, variable] of bad) {
      let caught: unknown;
      try {
        loadConfig({ LOGHIVE_BUCKET: 'ok-bucket', ...env });
      } catch (err) {
        caught = err;
      }
      expect(caught, variable).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).variable).toBe(variable);
      expect((caught as ConfigError).message).toContain(variable);
      expect(errorResponse(caught, quietLog().log).statusCode).toBe(500);
    }
  });

  it('treats empty variables as unset (serverless writes unset parameters as "")', () => {
    const c = loadConfig({ LOGHIVE_BUCKET: 'ok-bucket', LOGHIVE_EMR_CLUSTER_ID: '', LOGHIVE_S3_ENDPOINT: '', LOGHIVE_EMR_LOG_URI: '', LOGHIVE_JOBS_DIR: '' });
    expect(c.emr.clusterId).toBeUndefined();
    expect(c.s3Endpoint).toBeUndefined();
    expect(c.emr.logUri).toBe('s3://ok-bucket/emr-logs/');
  });

  it('finds the jobs in the Lambda task root when they are there, else in the working directory', async () => {
    const task = await mkdtemp(path.join(tmpdir(), 'loghive-task-'));
    try {
      await mkdir(path.join(task, 'jobs'));
      expect(loadConfig({ LOGHIVE_BUCKET: 'ok-bucket', LAMBDA_TASK_ROOT: task }).jobsDir).toBe(path.join(task, 'jobs'));
      // serverless-offline sets LAMBDA_TASK_ROOT=/var/task, which has no jobs here.
      expect(loadConfig({ LOGHIVE_BUCKET: 'ok-bucket', LAMBDA_TASK_ROOT: path.join(task, 'missing') }).jobsDir).toBe(path.join(process.cwd(), 'jobs'));
    } finally {
      await rm(task, { recursive: true, force: true });
    }
  });
});

describe('helpers for events', () => {
  it('decodes S3 notification keys', () => {
    expect(decodeS3Key('incoming/t/u/my+file%2B1.log')).toBe('incoming/t/u/my file+1.log');
  });

  it('keeps only objects created under incoming/ of our bucket', () => {
    const ev: S3Event = { Records: [...s3Event('data', 'incoming/t/u/a.log', 3).Records, ...s3Event('other', 'incoming/t/u/b.log', 3).Records, ...s3Event('data', 'logs/t/x.gz', 3).Records, ...s3Event('data', 'incoming/t/u/c', 3, 'ObjectRemoved:Delete').Records] };
    const { objects, skipped } = uploadedObjects(ev, 'data');
    expect(objects).toEqual([{ location: 's3://data/incoming/t/u/a.log', size: 3 }]);
    expect(skipped).toHaveLength(3);
  });

  it('keeps a margin before the invocation’s deadline for the engine', () => {
    expect(engineDeadline(lambdaContext(28_000), 1000)).toBe(1000 + 25_000);
    expect(engineDeadline(undefined, 0)).toBe(26_000);
    expect(engineDeadline(lambdaContext(1000), 0)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The handlers, end to end against s3rver.

const BUCKET = 'loghive-api-test';
let s3: S3TestServer;

function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { LOGHIVE_BUCKET: BUCKET, LOGHIVE_S3_ENDPOINT: s3.endpoint, AWS_REGION: 'us-east-1', LOGHIVE_JOBS_DIR: path.join(ROOT, 'jobs'), LOGHIVE_MAX_BODY_BYTES: String(256 * 1024), ...extra };
}
let restoreEnv: () => void = () => {};

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [BUCKET] });
  restoreEnv = useS3rverCredentials();
  setCloudContext(createContext(testEnv()));
}, 60_000);

afterAll(async () => {
  setCloudContext(undefined);
  restoreEnv();
  await s3?.stop();
});

async function keys(prefix: string): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

describe('handlers', () => {
  let sample: string;
  beforeAll(async () => {
    sample = await readFile(path.join(ROOT, 'sample-data/cloudfront/data/log1'), 'utf8');
  });

  it('GET /jobs lists the job catalog', async () => {
    const res = await listJobs(httpEvent('GET /jobs'));
    expect(res.statusCode).toBe(200);
    const { jobs } = body<{ jobs: { name: string; variables: unknown[] }[] }>(res);
    expect(jobs.map((j) => j.name)).toContain('os_requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('POST /logs/{table} stores a gzip body (Content-Encoding in any case) by day', async () => {
    const gz = gzipSync(sample).toString('base64');
    const res = await ingestLogs(httpEvent('POST /logs/{table}', { pathParameters: { table: 'cloudfront_logs' }, headers: { 'Content-Encoding': 'gzip' }, body: gz, isBase64Encoded: true }));
    expect(res.statusCode).toBe(201);
    const result = body<{ table: string; linesStored: number; partitions: { dt: string }[] }>(res);
    expect(result.table).toBe('cloudfront_logs');
    expect(result.linesStored).toBeGreaterThan(600);
    expect((await keys('logs/cloudfront_logs/')).length).toBe(result.partitions.length);
  });

  it('POST /logs/{table}: lines that made the RegExp backtrack for hours are counted as malformed, the rest stored', async () => {
    // Arrange: issue 9's line (tabs and one emoji; exponential for V8's RegExp on the tutorial's pattern) and a longer one, among 20 valid lines.
    const valid = sample.split('\n').filter((l) => l !== '').slice(0, 20);
    const hostile = [`${'a\t\t'.repeat(16)}x(y;z😀`, `${'a\t\t'.repeat(1000)}x(y;z😀`];
    const lines = [...valid.slice(0, 10), ...hostile, ...valid.slice(10)];

    // Act
    const res = await ingestLogs(httpEvent('POST /logs/{table}', { pathParameters: { table: 'cloudfront_logs' }, body: lines.join('\n') + '\n' }));

    // Assert
    expect(res.statusCode).toBe(201);
    const result = body<{ linesRead: number; linesStored: number; linesMalformed: number; malformed: { line: number; reason: string }[] }>(res);
    expect(result).toMatchObject({ linesRead: 22, linesStored: 20, linesMalformed: 2 });
    expect(result.malformed.map((m) => m.line)).toEqual([11, 12]);
    expect(result.malformed[0]!.reason).toContain('does not match');
  });

  it('POST /logs/{table}: unknown table 404, body over LOGHIVE_MAX_BODY_BYTES 413, unknown encoding 415', async () => {
    const unknown = await ingestLogs(httpEvent('POST /logs/{table}', { pathParameters: { table: 'no_such_table' }, body: sample }));
    expect(unknown.statusCode).toBe(404);
    expect(body(unknown).error).toBe('UnknownTableError');
    const traversal = await ingestLogs(httpEvent('POST /logs/{table}', { pathParameters: { table: '..%2Fscripts' }, body: sample }));
    expect(traversal.statusCode).toBe(404);
    const big = await ingestLogs(httpEvent('POST /logs/{table}', { pathParameters: { table: 'cloudfront_logs' }, body: sample.repeat(2000).slice(0, 300 * 1024) }));
    expect(big.statusCode).toBe(413);
    const br = await ingestLogs(httpEvent('POST /logs/{table}', { pathParameters: { table: 'cloudfront_logs' }, headers: { 'content-encoding': 'br' }, body: sample }));
    expect(br.statusCode).toBe(415);
  });

  it('POST /uploads/{table} signs a 15-minute PUT under incoming/{table}/{uuid}/ that works, and the S3 event ingests it', async () => {
    const res = await createUpload(httpEvent('POST /uploads/{table}', { pathParameters: { table: 'cloudfront_logs' }, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'log1.gz' }) }));
    expect(res.statusCode).toBe(201);
    const upload = body<{ url: string; key: string; uploadId: string; expiresAt: string; method: string }>(res);
    expect(upload.method).toBe('PUT');
    expect(upload.key).toMatch(/^incoming\/cloudfront_logs\/[0-9a-f-]{36}\/log1\.gz$/);
    expect(upload.key).toBe(`incoming/cloudfront_logs/${upload.uploadId}/log1.gz`);
    const url = new URL(upload.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(UPLOAD_EXPIRY_SECONDS));
    expect(UPLOAD_EXPIRY_SECONDS).toBe(900);
    // No checksum of an empty body signed into the URL (S3 would reject the real upload).
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);

    // The client's upload, with nothing but the URL.
    const gz = gzipSync(sample);
    const put = await fetch(upload.url, { method: 'PUT', body: gz });
    expect(put.status).toBe(200);
    expect(await keys(`incoming/cloudfront_logs/${upload.uploadId}/`)).toEqual([upload.key]);

    const summary = await ingestUpload(s3Event(BUCKET, upload.key, gz.length));
    expect(summary.rejected).toEqual([]);
    expect(summary.ingested).toHaveLength(1);
    expect(summary.ingested[0]!.originalRemoved).toBe(true);
    expect(summary.ingested[0]!.linesStored).toBeGreaterThan(600);
    expect(await keys('incoming/')).toEqual([]);
  });

  it('POST /uploads/{table}: bad file names 400, unknown tables 404, malformed JSON 400 with its position', async () => {
    const post = (table: string, b: string) => createUpload(httpEvent('POST /uploads/{table}', { pathParameters: { table }, body: b }));
    for (const name of ['../x', '.hidden', 'a/b', '', 'a b']) {
      const res = await post('cloudfront_logs', JSON.stringify({ fileName: name }));
      expect(res.statusCode, name).toBe(400);
      expect(body(res).issues?.[0]?.path, name).toBe('fileName');
    }
    expect((await post('nope', JSON.stringify({ fileName: 'a.log' }))).statusCode).toBe(404);
    expect((await post('Bad..Name', JSON.stringify({ fileName: 'a.log' }))).statusCode).toBe(404);
    const malformed = await post('cloudfront_logs', '{"fileName": "a.log",}');
    expect(malformed.statusCode).toBe(400);
    expect(body(malformed).message).toContain('line 1, column 22 (position 21)');
  });

  it('an upload the catalog cannot take is kept and reported, not retried', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'incoming/no_such_table/u1/a.log', Body: 'x\n' }));
    const summary = await ingestUpload(s3Event(BUCKET, 'incoming/no_such_table/u1/a.log', 2));
    expect(summary.ingested).toEqual([]);
    expect(summary.rejected).toEqual([expect.objectContaining({ location: `s3://${BUCKET}/incoming/no_such_table/u1/a.log`, error: 'UnknownTableError' })]);
    expect(await keys('incoming/no_such_table/')).toEqual(['incoming/no_such_table/u1/a.log']);
    // Another bucket's event is ignored.
    expect((await ingestUpload(s3Event('someone-else', 'incoming/x/y/z', 1))).skipped).toHaveLength(1);
  });

  it('POST /analyses runs a small job with the Lambda engine; GET /analyses/{id} and its results as JSON and CSV', async () => {
    const start = await startAnalysis(
      httpEvent('POST /analyses', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ job: 'os_requests', vars: { FROM: '2014-07-01', TO: '2014-08-05' } }) }),
      lambdaContext(28_000),
    );
    expect(start.statusCode).toBe(202);
    const record = body<{ id: string; engine: string; state: string; rowCount: number }>(start);
    expect(record.engine).toBe('lambda');
    expect(record.state).toBe('SUCCEEDED');
    expect(start.headers.location).toBe(`/analyses/${record.id}`);
    expect(await keys(`scripts/${record.id}.q`)).toEqual([`scripts/${record.id}.q`]);

    const got = await getAnalysis(httpEvent('GET /analyses/{id}', { pathParameters: { id: record.id } }));
    expect(got.statusCode).toBe(200);
    expect(body<{ id: string; state: string }>(got)).toMatchObject({ id: record.id, state: 'SUCCEEDED' });

    const page = await getResults(httpEvent('GET /analyses/{id}/results', { pathParameters: { id: record.id }, query: { limit: '2' } }));
    expect(page.statusCode).toBe(200);
    const rows = body<{ columns: { name: string }[]; rows: Record<string, unknown>[]; nextCursor?: string }>(page);
    expect(rows.columns.map((c) => c.name)).toEqual(['os', 'count']);
    expect(rows.rows).toHaveLength(2);
    expect(rows.nextCursor).toBeTruthy();

    const all = await getResults(httpEvent('GET /analyses/{id}/results', { pathParameters: { id: record.id }, headers: { Accept: 'text/csv' } }));
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toMatch(/^text\/csv/);
    // RFC 4180 line ends.
    expect(all.body.split('\r\n')[0]).toBe('os,count');
    const counts = Object.fromEntries(all.body.trim().split('\r\n').slice(1).map((l) => l.split(',') as [string, string]));
    expect(Object.keys(counts).sort()).toEqual(['Android', 'Linux', 'MacOS', 'OSX', 'Windows', 'iOS']);

    // A Lambda analysis has no step to cancel.
    const cancel = await cancelAnalysis(httpEvent('DELETE /analyses/{id}', { pathParameters: { id: record.id } }));
    expect(cancel.statusCode).toBe(409);
  });

  it('analyses routes: malformed JSON 400 with position, unknown job 404, unknown id 404, bad format 400, EMR offline 501', async () => {
    const bad = await startAnalysis(httpEvent('POST /analyses', { body: '{"job": "os_requests", "vars": {"FROM": 2014-07-01}}' }), lambdaContext(28_000));
    expect(bad.statusCode).toBe(400);
    expect(body(bad).message).toMatch(/line 1, column 45 \(position 44\)/);
    const unknown = await startAnalysis(httpEvent('POST /analyses', { body: JSON.stringify({ job: 'nope', vars: {} }) }), lambdaContext(28_000));
    expect(unknown.statusCode).toBe(404);
    // Behind a custom S3 endpoint there is no EMR: asking for it is "not implemented here".
    const emr = await startAnalysis(httpEvent('POST /analyses', { body: JSON.stringify({ job: 'os_requests', vars: { FROM: '2014-07-01', TO: '2014-08-05' }, engine: 'emr' }) }), lambdaContext(28_000));
    expect(emr.statusCode).toBe(501);
    const id = '0b0e4a6e-5d5c-4a57-9a57-6f7c9c1a2b3c';
    expect((await getAnalysis(httpEvent('GET /analyses/{id}', { pathParameters: { id } }))).statusCode).toBe(404);
    expect((await getAnalysis(httpEvent('GET /analyses/{id}', { pathParameters: { id: '../../logs' } }))).statusCode).toBe(404);
    expect((await getResults(httpEvent('GET /analyses/{id}/results', { pathParameters: { id } }))).statusCode).toBe(404);
    expect((await getResults(httpEvent('GET /analyses/{id}/results', { pathParameters: { id }, query: { format: 'xml' } }))).statusCode).toBe(400);
    expect((await cancelAnalysis(httpEvent('DELETE /analyses/{id}', { pathParameters: { id } }))).statusCode).toBe(404);
  });

  it('presigns without checksum parameters against AWS too', async () => {
    const client = createS3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    const ctx = createContext({ LOGHIVE_BUCKET: 'example-bucket', AWS_REGION: 'us-east-1' }, { s3: client });
    const upload = await signUpload(ctx.presignS3, 'example-bucket', 'cloudfront_logs', 'a.log', { now: new Date('2026-11-26T05:00:00Z'), uploadId: '00000000-0000-4000-8000-000000000000' });
    expect(upload.url).toMatch(/^https:\/\/example-bucket\.s3\.us-east-1\.amazonaws\.com\/incoming\/cloudfront_logs\/00000000-0000-4000-8000-000000000000\/a\.log\?/);
    expect(upload.url).not.toMatch(/checksum/i);
    expect(upload.expiresAt).toBe('2026-11-26T05:15:00.000Z');
  });
});

describe('handlers on the EMR path (EMR mocked, S3 real)', () => {
  const CLUSTER = 'j-2AXXXXXXGAPLF';
  const emr = mockClient(EMRClient);

  beforeAll(async () => {
    // Logs in range, whatever ran before.
    const res = await ingestLogs(httpEvent('POST /logs/{table}', { pathParameters: { table: 'cloudfront_logs' }, body: await readFile(path.join(ROOT, 'sample-data/cloudfront/data/log1'), 'utf8') }));
    expect(res.statusCode).toBe(201);
    const ctx = createContext(testEnv({ LOGHIVE_EMR_CLUSTER_ID: CLUSTER }));
    const runner = new EmrAnalysisRunner({
      client: createEmrClient({ region: 'us-east-1' }),
      clusterId: CLUSTER,
      transient: { releaseLabel: 'emr-7.12.0', instanceType: 'm5.xlarge', instanceCount: 3, logUri: `s3://${BUCKET}/emr-logs/`, jobFlowRole: 'EMR_EC2_DefaultRole', serviceRole: 'EMR_DefaultRole' },
      logStorage: ctx.storage.resolve(`s3://${BUCKET}/emr-logs/`),
      retry: { sleep: async () => undefined },
    });
    setCloudContext(createContext(testEnv({ LOGHIVE_EMR_CLUSTER_ID: CLUSTER }), { emrRunner: runner, storage: ctx.storage }));
  });

  afterAll(() => {
    emr.restore();
    setCloudContext(createContext(testEnv()));
  });

  it('POST /analyses with engine emr submits a step; GET follows it; DELETE cancels it', async () => {
    emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1ABCDEF'] });
    const start = await startAnalysis(
      httpEvent('POST /analyses', { body: JSON.stringify({ job: 'os_requests', vars: { FROM: '2014-07-01', TO: '2014-08-05' }, engine: 'emr' }) }),
      lambdaContext(28_000),
    );
    expect(start.statusCode).toBe(202);
    const record = body<{ id: string; engine: string; state: string; emr: { clusterId: string; stepId: string } }>(start);
    expect(record).toMatchObject({ engine: 'emr', state: 'PENDING', emr: { clusterId: CLUSTER, stepId: 's-1ABCDEF' } });
    const submitted = emr.commandCalls(AddJobFlowStepsCommand)[0]!.args[0].input;
    expect(submitted.JobFlowId).toBe(CLUSTER);
    expect(submitted.Steps![0]!.HadoopJarStep!.Args).toContain(`s3://${BUCKET}/scripts/${record.id}.q`);

    emr.on(DescribeStepCommand).resolves({ Step: { Id: 's-1ABCDEF', Status: { State: 'RUNNING', Timeline: { StartDateTime: new Date('2026-11-26T05:00:00Z') } } } });
    const running = await getAnalysis(httpEvent('GET /analyses/{id}', { pathParameters: { id: record.id } }));
    expect(running.statusCode).toBe(200);
    expect(body<{ state: string }>(running).state).toBe('RUNNING');

    // Results before success: 409.
    const early = await getResults(httpEvent('GET /analyses/{id}/results', { pathParameters: { id: record.id } }));
    expect(early.statusCode).toBe(409);
    expect(body(early).error).toBe('ResultsNotReadyError');

    emr.on(CancelStepsCommand).resolves({ CancelStepsInfoList: [{ StepId: 's-1ABCDEF', Status: 'SUBMITTED' }] });
    const cancelled = await cancelAnalysis(httpEvent('DELETE /analyses/{id}', { pathParameters: { id: record.id } }));
    expect(cancelled.statusCode).toBe(200);
    expect(body<{ state: string }>(cancelled).state).toBe('CANCELLED');
    expect(emr.commandCalls(CancelStepsCommand)[0]!.args[0].input).toMatchObject({ ClusterId: CLUSTER, StepIds: ['s-1ABCDEF'] });

    // Cancelling again: the record is final.
    expect((await cancelAnalysis(httpEvent('DELETE /analyses/{id}', { pathParameters: { id: record.id } }))).statusCode).toBe(409);
  });

  it('maps EMR refusing a cancel to 409 and EMR throttling to 503', async () => {
    emr.reset();
    emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-2'] });
    const start = await startAnalysis(httpEvent('POST /analyses', { body: JSON.stringify({ job: 'os_requests', vars: { FROM: '2014-07-01', TO: '2014-08-05' }, engine: 'emr' }) }), lambdaContext(28_000));
    const { id } = body<{ id: string }>(start);
    emr.on(DescribeStepCommand).resolves({ Step: { Id: 's-2', Status: { State: 'RUNNING' } } });
    emr.on(CancelStepsCommand).resolves({ CancelStepsInfoList: [{ StepId: 's-2', Status: 'FAILED', Reason: 'too late' }] });
    const refused = await cancelAnalysis(httpEvent('DELETE /analyses/{id}', { pathParameters: { id } }));
    expect(refused.statusCode).toBe(409);
    expect(body(refused).error).toBe('StepNotCancellableError');

    emr.on(DescribeStepCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    const throttled = await getAnalysis(httpEvent('GET /analyses/{id}', { pathParameters: { id } }));
    expect(throttled.statusCode).toBe(503);
    expect(body(throttled).error).toBe('EmrUnavailableError');
  });
});
