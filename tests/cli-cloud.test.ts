import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHiveText, tempDir } from './helpers.js';
import { startS3Server, type S3TestServer } from './support/s3-server.js';

const BUCKET = 'loghive-cli';
const LOGS = readdirSync('sample-data/cloudfront/data').map((f) => path.join('sample-data/cloudfront/data', f));

/** The real CLI in a child process, as a user runs it: credentials and the bucket from the environment. */
function loghive(args: readonly string[], env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/loghive.js', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

describe('loghive ingest / submit / status / results against an S3-compatible server', () => {
  const dir = tempDir();
  let server: S3TestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startS3Server({ buckets: [BUCKET] });
    env = {
      LOGHIVE_BUCKET: BUCKET,
      LOGHIVE_S3_ENDPOINT: server.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      TMPDIR: dir,
    };
  });
  afterAll(async () => server?.stop());

  it('ingests the sample logs, runs the tutorial job with the local engine, and reads the same rows as loghive run', async () => {
    // Arrange: the reference, loghive run on the same files
    const reference = await loghive(['run', '-f', 'jobs/os_requests.q', '-d', 'INPUT=sample-data', '-d', `OUTPUT=${dir}`, '-d', 'FROM=2014-07-05', '-d', 'TO=2014-08-05', '--quiet'], {});
    expect(reference.status, reference.stderr).toBe(0);
    const expected = readdirSync(path.join(dir, 'os_requests')).flatMap((f) => parseHiveText(readFileSync(path.join(dir, 'os_requests', f), 'utf8')));

    // Act
    const ingest = await loghive(['ingest', 'cloudfront_logs', ...LOGS, '--json'], env);
    const again = await loghive(['ingest', 'cloudfront_logs', LOGS[0]!], env);
    const submit = await loghive(['submit', 'os_requests', '-d', 'FROM=2014-07-05', '-d', 'TO=2014-08-05', '--engine', 'lambda', '--json'], env);
    const record = JSON.parse(submit.stdout) as { id: string; state: string };
    const status = await loghive(['status', record.id], env);
    const results = await loghive(['results', record.id, '--json'], env);
    const csv = await loghive(['results', record.id, '--csv'], env);

    // Assert
    expect(ingest.status, ingest.stderr).toBe(0);
    const ingested = JSON.parse(ingest.stdout) as { file: string; linesRead: number; linesStored: number; partitions: { dt: string; created: boolean }[] }[];
    expect(ingested.map((r) => path.basename(r.file))).toEqual(LOGS.map((f) => path.basename(f)));
    expect(ingested.every((r) => r.linesStored > 0 && r.partitions.every((p) => p.created))).toBe(true);
    expect(again.status, again.stderr).toBe(0);
    const days = again.stdout.split('\n').filter((l) => l.trimStart().startsWith('dt='));
    expect(days.length).toBeGreaterThan(0);
    expect(days.every((l) => l.includes('already stored'))).toBe(true);

    expect(submit.status, submit.stderr).toBe(0);
    expect(record.state).toBe('SUCCEEDED');
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(`analysis ${record.id}: SUCCEEDED`);

    expect(results.status, results.stderr).toBe(0);
    const page = JSON.parse(results.stdout) as { columns: { name: string }[]; rows: Record<string, string | number>[] };
    expect(page.columns.map((c) => c.name)).toEqual(['os', 'count']);
    const actual = page.rows.map((r) => [String(r.os), String(r.count)]);
    expect(actual.sort()).toEqual(expected.sort());
    expect(csv.stdout.split('\r\n')[0]).toBe('os,count');
  }, 120_000);

  it('says what is wrong: an unknown table, an unknown job variable, no bucket configured, a missing file', async () => {
    // Arrange
    const bad = path.join(dir, 'bad.log');
    writeFileSync(bad, 'not a log line\n');

    // Act
    const unknownTable = await loghive(['ingest', '../etc', bad], env);
    const unknownVariable = await loghive(['submit', 'os_requests', '-d', 'FROM=2014-07-05', '-d', 'TO=2014-08-05', '-d', 'COLOR=red', '--engine', 'lambda'], env);
    const noBucket = await loghive(['status', '00000000-0000-4000-8000-000000000000'], { ...env, LOGHIVE_BUCKET: '' });
    const missingFile = await loghive(['ingest', 'cloudfront_logs', path.join(dir, 'nope.log')], env);
    const malformed = await loghive(['ingest', 'cloudfront_logs', bad], env);

    // Assert
    expect(unknownTable.status).toBe(1);
    expect(unknownTable.stderr).toMatch(/table/i);
    expect(unknownVariable.status).toBe(1);
    expect(unknownVariable.stderr).toContain('COLOR');
    expect(noBucket.status).toBe(64);
    expect(noBucket.stderr).toContain('LOGHIVE_BUCKET');
    expect(missingFile.status).toBe(64);
    expect(missingFile.stderr).toContain('no such file');
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toMatch(/not valid cloudfront_logs lines.*nothing was stored.*line 1: does not match/);
    expect(malformed.stderr).not.toContain('NodeVersionSupportWarning');
  }, 60_000);
});
