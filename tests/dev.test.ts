/**
 * `npm run dev` end to end: the stack (s3rver + serverless offline on free ports, a temporary data
 * directory) loads the sample logs through its ingest route, runs jobs through the API over HTTP
 * with the Lambda engine, and gives the rows `loghive run` gives on the same files; EMR is a 501
 * that says how to get it; stopping leaves no process behind; `npm run dev` itself (dist/dev/main.js)
 * restarts on the same data without loading it again and exits 0 on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../src/cloud/s3-client.js';
import { startDevStack, type DevStack } from '../src/dev/dev-stack.js';
import { PortConflictError, PortInUseError, ServiceStartError } from '../src/dev/errors.js';
import { startOfflineApi } from '../src/dev/offline-api.js';
import { freePort } from '../src/dev/ports.js';
import { S3RVER_CREDENTIALS, startS3rver } from '../src/dev/s3-server.js';
import { sampleLogFiles } from '../src/dev/sample-logs.js';
import { parseHiveText, runScript } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SAMPLE_DIR = path.join(ROOT, 'sample-data');
const RANGE = { FROM: '2014-07-05', TO: '2014-08-05' };
/** One job per ingest format: tutorial CloudFront text, CloudFront standard gzip, Apache combined. */
const JOBS = ['os_requests', 'cloudfront_standard_status', 'combined_top_pages'] as const;

type Cell = string | number | boolean | null;
interface ResultsPage {
  readonly columns: readonly { readonly name: string }[];
  readonly rows: Record<string, Cell>[];
  readonly nextCursor?: string;
}

async function http(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function postJson(url: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  return http(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
}

/** Every page of an analysis's JSON results, as Hive text fields (NULL as \N), and how many pages it took. */
async function readAllRows(apiUrl: string, id: string): Promise<{ rows: string[][]; pages: number }> {
  const rows: string[][] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const query = new URLSearchParams({ limit: '5', ...(cursor ? { cursor } : {}) });
    const page = await http(`${apiUrl}/analyses/${id}/results?${query}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const body = page.body as ResultsPage;
    for (const row of body.rows) rows.push(body.columns.map((c) => (row[c.name] === null ? '\\N' : String(row[c.name]))));
    cursor = body.nextCursor;
    pages++;
  } while (cursor);
  return { rows, pages };
}

/** What `loghive run` writes for the job on sample-data, as rows of fields. */
async function localRows(job: string, outDir: string): Promise<string[][]> {
  const script = readFileSync(path.join(ROOT, 'jobs', `${job}.q`), 'utf8');
  const { result } = await runScript(script, { INPUT: SAMPLE_DIR, OUTPUT: path.join(outDir, job), ...RANGE });
  const dir = result.queries.at(-1)!.directory!;
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && !f.startsWith('_'))
    .sort()
    .flatMap((f) => parseHiveText(readFileSync(path.join(dir, f), 'utf8')));
}

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly state: string;
}

/** Every process, from /proc (what the kernel has, not what our handles believe; no procps needed). */
function processTable(): ProcessEntry[] {
  const table: ProcessEntry[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    table.push({ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), state: state! });
  }
  return table;
}

/** Processes in any of `groups`, zombies included (pid and state). */
function processesInGroups(groups: readonly number[]): string[] {
  return processTable()
    .filter((p) => groups.includes(p.pgid))
    .map((p) => `${p.pid} ${p.state}`);
}

async function storedLogTables(s3Endpoint: string, bucket: string): Promise<Map<string, Set<string>>> {
  const client = createS3Client({ endpoint: s3Endpoint, credentials: S3RVER_CREDENTIALS });
  const days = new Map<string, Set<string>>();
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'logs/', ContinuationToken: token }));
      for (const { Key } of page.Contents ?? []) {
        const [, table, dt] = /^logs\/([^/]+)\/dt=([^/]+)\//.exec(Key!) ?? [];
        if (table) days.set(table, (days.get(table) ?? new Set()).add(dt!));
      }
      token = page.NextContinuationToken;
    } while (token);
  } finally {
    client.destroy();
  }
  return days;
}

describe('npm run dev', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'loghive-dev-'));
  const outDir = mkdtempSync(path.join(tmpdir(), 'loghive-dev-local-'));
  let stack: DevStack | undefined;
  const analyses = new Map<string, string>();
  /** Table → stored days after the first start. */
  let firstStored: Map<string, Set<string>> | undefined;

  beforeAll(async () => {
    stack = await startDevStack({ dataDir });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }, 60_000);

  it('listens on 127.0.0.1 only and loaded every sample file through POST /logs/{table}', async () => {
    // Arrange
    const files = await sampleLogFiles(SAMPLE_DIR);

    // An address of this machine other than loopback, if it has one: nothing may answer there.
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    const ports = [new URL(stack!.apiUrl).port, new URL(stack!.s3Endpoint).port];

    // Act
    const jobs = await http(`${stack!.apiUrl}/jobs`);
    const stored = (firstStored = await storedLogTables(stack!.s3Endpoint, stack!.bucket));
    const reachable = outside ? await Promise.all(ports.map((p) => fetch(`http://${outside}:${p}/`, { signal: AbortSignal.timeout(2_000) }).then(() => p, () => undefined))) : [];

    // Assert
    expect(stack!.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack!.s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(reachable.filter(Boolean)).toEqual([]);
    expect(jobs.status).toBe(200);
    expect(stack!.seeded?.files.map((f) => f.path)).toEqual(files.map((f) => f.path));
    for (const f of stack!.seeded!.files) {
      expect(f.linesStored, f.path).toBeGreaterThan(0);
      expect(f.linesStored + f.linesMalformed, f.path).toBe(f.linesRead);
    }
    // Every day a file reported is stored, for each of the three tables.
    expect([...stored.keys()].sort()).toEqual(['cloudfront_logs', 'cloudfront_standard_logs', 'combined_logs']);
    for (const f of stack!.seeded!.files) for (const day of f.days) expect(stored.get(f.table)!.has(day), `${f.table} ${day}`).toBe(true);
    expect(stack!.api.routes.map((r) => `${r.method} ${r.url.slice(stack!.apiUrl.length)}`)).toEqual(
      expect.arrayContaining(['POST /logs/{table}', 'GET /jobs', 'POST /analyses', 'GET /analyses/{id}/results']),
    );
  });

  it.each(JOBS)('runs %s through the API with the Lambda engine and returns the rows loghive run gives', async (job) => {
    // Arrange
    const expected = await localRows(job, outDir);

    // Act
    const started = await postJson(`${stack!.apiUrl}/analyses`, { job, vars: RANGE, engine: 'lambda' });
    const { id } = started.body as { id: string };
    const status = await http(`${stack!.apiUrl}/analyses/${id}`);
    const { rows, pages } = await readAllRows(stack!.apiUrl, id);
    analyses.set(job, id);

    // Assert
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(status.body).toMatchObject({ state: 'SUCCEEDED', engine: 'lambda' });
    expect(expected.length).toBeGreaterThan(0);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(expected.length / 5));
    expect(rows.map((r) => r.join('\u0001')).sort()).toEqual(expected.map((r) => r.join('\u0001')).sort());
  });

  it('answers engine "emr" with a 501 that says why and how to configure a cluster', async () => {
    const answer = await postJson(`${stack!.apiUrl}/analyses`, { job: 'os_requests', vars: RANGE, engine: 'emr' });

    expect(answer.status).toBe(501);
    const { error, message } = answer.body as { error: string; message: string };
    expect(error).toBe('EngineUnavailableError');
    expect(message).toMatch(/EMR cluster cannot read/);
    expect(message).toMatch(/emrClusterId/);
    expect(message).toMatch(/LOGHIVE_EMR_CLUSTER_ID/);
  });

  it('stops both servers and leaves no process behind', async () => {
    // Arrange
    const groups = [stack!.s3.process.pid, stack!.api.process.pid];
    // The two children, and possibly the esbuild service process serverless-esbuild keeps for its watch.
    expect(processesInGroups(groups).length).toBeGreaterThanOrEqual(groups.length);

    // Act
    await stack!.stop();

    // Assert
    expect(processesInGroups(groups)).toEqual([]);
    await expect(fetch(`${stack!.apiUrl}/jobs`)).rejects.toThrow();
  });

  it('restarts with `npm run dev` on the same data: nothing loaded again, earlier results still there, Ctrl-C exits 0', async () => {
    // Arrange
    const main = path.join(ROOT, 'dist/dev/main.js');
    expect(existsSync(main), 'dist/dev/main.js is missing: run `npm run build` first').toBe(true);
    const port = await freePort();
    const s3Port = await freePort([port]);
    const child = spawn(process.execPath, [main, '--port', String(port), '--s3-port', String(s3Port), '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const apiUrl = `http://127.0.0.1:${port}`;

    try {
      // Act
      await expect.poll(() => output, { timeout: 120_000, interval: 250 }).toMatch(/press Ctrl-C to stop|npm run dev: /);
      const stored = await storedLogTables(`http://127.0.0.1:${s3Port}`, 'loghive-offline');
      const { rows } = await readAllRows(apiUrl, analyses.get('os_requests')!);
      const children = processTable()
        .filter((p) => p.ppid === child.pid)
        .map((p) => p.pid);
      child.kill('SIGINT');
      const [code] = await exited;

      // Assert
      expect(output, output).toContain(`API     ${apiUrl}/`);
      expect(output).toContain('kept from the last run');
      expect(output).not.toContain('loading the sample logs');
      expect(stored).toEqual(firstStored);
      expect(rows.length).toBeGreaterThan(0);
      expect(children).toHaveLength(2);
      expect(code, output).toBe(0);
      expect(output).toContain('Stopped.');
      expect(processesInGroups(children)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 150_000);
});

describe('npm run dev when it cannot start', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loghive-dev-fail-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a port in use, the service that wanted it and the flag that moves it, before starting anything', async () => {
    // Arrange
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const dataDir = path.join(dir, 'ports');

    // Act
    const api = await startDevStack({ dataDir, apiPort: port }).catch((e: unknown) => e);
    const s3 = await startDevStack({ dataDir, s3Port: port }).catch((e: unknown) => e);
    busy.close();

    // Assert
    expect(api).toBeInstanceOf(PortInUseError);
    expect((api as Error).message).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*API.*--port <port>`));
    expect(s3).toBeInstanceOf(PortInUseError);
    expect((s3 as Error).message).toMatch(/s3rver.*--s3-port <port>/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses one port for two services', async () => {
    const err = await startDevStack({ dataDir: path.join(dir, 'same'), apiPort: 45_000, s3Port: 45_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortConflictError);
    expect((err as Error).message).toBe('s3rver and the API cannot both listen on port 45000; give them different ports (--port, --s3-port, --lambda-port)');
  });

  it('reports serverless exiting at start-up with its last output', async () => {
    // Arrange: a service whose serverless.yml does not parse
    const serviceDir = path.join(dir, 'broken-service');
    rmSync(serviceDir, { recursive: true, force: true });
    mkdirSync(serviceDir);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(serviceDir, 'node_modules'));
    copyFileSync(path.join(ROOT, 'package.json'), path.join(serviceDir, 'package.json'));
    writeFileSync(path.join(serviceDir, 'serverless.yml'), 'service: broken\nprovider: [\n');
    const httpPort = await freePort();
    const lambdaPort = await freePort([httpPort]);

    // Act
    const err = await startOfflineApi({ serviceDir, httpPort, lambdaPort, bucket: 'b', s3Endpoint: 'http://127.0.0.1:9', readyTimeoutMs: 60_000 }).catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(ServiceStartError);
    expect((err as ServiceStartError).detail).toMatch(/exited \(code 1/);
    expect((err as Error).message).toMatch(/last output of serverless offline[\s\S]*Cannot parse "serverless.yml"/);
  });

  it('reports s3rver failing to start', async () => {
    writeFileSync(path.join(dir, 'a-file'), '');
    const err = await startS3rver({ directory: path.join(dir, 'a-file', 's3') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceStartError);
    expect((err as Error).message).toMatch(/s3rver did not start: cannot create its data directory .*ENOTDIR/);
  });
});
