import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { AnalysisRecord } from '../analyses/analysis-record.js';
import type { CloudContext } from '../api/context.js';
import { LoghiveError, UsageError } from '../hive/errors.js';
import type { IngestResult } from '../ingest/ingest.js';

/**
 * The API's verbs for a terminal with AWS credentials: the same src/ modules
 * the Lambda handlers call, run here against the bucket (and EMR) named by the
 * LOGHIVE_* environment of docs/cloud.md, or by --bucket / --endpoint.
 * The cloud modules (and the AWS SDK) are imported when a verb runs, so that
 * `loghive run` never pays for loading them.
 */

interface CloudOptions {
  bucket?: string;
  endpoint?: string;
  region?: string;
  json?: boolean;
}

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };

/** An AWS or configuration failure outside loghive's own typed errors, for exit status 1 with its message. */
export class CloudCommandError extends LoghiveError {
  readonly exitCode: number = 1;
}

function withCloudOptions(cmd: Command): Command {
  return cmd
    .option('--bucket <name>', 'the data bucket (default: $LOGHIVE_BUCKET)')
    .option('--endpoint <url>', 'an S3-compatible endpoint instead of AWS (default: $LOGHIVE_S3_ENDPOINT)')
    .option('--region <region>', 'AWS region (default: $AWS_REGION)')
    .option('--json', 'print JSON instead of text');
}

async function contextFor(opts: CloudOptions): Promise<CloudContext> {
  const env = { ...process.env };
  if (opts.bucket) env.LOGHIVE_BUCKET = opts.bucket;
  if (opts.endpoint) env.LOGHIVE_S3_ENDPOINT = opts.endpoint;
  if (opts.region) env.AWS_REGION = opts.region;
  // The SDK warns on every run that its releases after January 2027 need node 22; the versions this
  // package pins run on node 20, so the CLI keeps that notice out of its users' output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { createContext } = await import('../api/context.js');
  const { ConfigError } = await import('../cloud/config.js');
  const ctx = createContext(env);
  try {
    void ctx.config;
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`${err.message} (set it in the environment, or pass --bucket for LOGHIVE_BUCKET)`, { cause: err });
    throw err;
  }
  return ctx;
}

/** Errors from the AWS SDK (no credentials, access denied, no such bucket) carry a name and a message worth showing as they are. */
async function cloudCall<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof LoghiveError) throw err;
    const e = err as Error & { $metadata?: unknown; httpStatus?: number };
    if (e.$metadata !== undefined || e.name === 'CredentialsProviderError' || e.httpStatus !== undefined) {
      throw new CloudCommandError(`${what}: ${e.name}: ${e.message}`, { cause: err });
    }
    throw err;
  }
}

function keyValues(pairs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const kv of pairs) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`-d expects KEY=VALUE, got '${kv}'`);
    vars[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return vars;
}

function printIngest(io: Io, file: string, r: IngestResult): void {
  io.stdout(`${file}: ${r.linesRead} lines read, ${r.linesStored} stored, ${r.linesMalformed} malformed, ${r.partitions.length} day(s)\n`);
  for (const p of r.partitions) io.stdout(`  dt=${p.dt}  ${p.lines} lines  ${p.created ? 'stored' : 'already stored'}  ${p.location}\n`);
  for (const m of r.malformed) io.stdout(`  malformed line ${m.line}: ${m.reason}\n`);
}

function printRecord(io: Io, r: AnalysisRecord): void {
  const lines = [
    `analysis ${r.id}: ${r.state}`,
    `  job        ${r.job} ${Object.entries(r.vars).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `  engine     ${r.engine} (${r.engineReason})`,
    `  input      ${r.input.bytes} bytes in ${r.input.partitions} partition(s) of ${r.input.tables.join(', ')}`,
    `  output     ${r.outputLocation}`,
  ];
  if (r.emr) lines.push(`  emr        cluster ${r.emr.clusterId}, step ${r.emr.stepId}${r.emr.transient ? ' (transient cluster)' : ''}`);
  if (r.rowCount !== undefined) lines.push(`  rows       ${r.rowCount}`);
  if (r.error) lines.push(`  error      ${r.error.message}`);
  io.stdout(lines.join('\n') + '\n');
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export function addCloudCommands(program: Command, io: Io): void {
  withCloudOptions(program.command('ingest').description('validate log files and store them in the bucket as daily partitions (like POST /logs/{table})'))
    .argument('<table>', 'the table the lines belong to (cloudfront_logs, cloudfront_standard_logs, combined_logs)')
    .argument('<files...>', 'log files, plain or gzip')
    .action(async (table: string, files: string[], opts: CloudOptions) => {
      const ctx = await contextFor(opts);
      const { ingestStream } = await import('../ingest/ingest.js');
      const tables = await ctx.logTables();
      const results: (IngestResult & { file: string })[] = [];
      for (const file of files) {
        await stat(file).catch((err: NodeJS.ErrnoException) => {
          throw new UsageError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { cause: err });
        });
        const r = await cloudCall(`ingesting ${file}`, () =>
          ingestStream({ table, input: createReadStream(file), storage: ctx.storage.resolve(ctx.root), root: ctx.root, tables, limits: { maxInflatedBytes: Number.MAX_SAFE_INTEGER } }),
        );
        results.push({ file, ...r });
        if (!opts.json) printIngest(io, path.basename(file), r);
      }
      if (opts.json) io.stdout(JSON.stringify(results, null, 2) + '\n');
    });

  withCloudOptions(program.command('submit').description('start an analysis of a job over the ingested logs (like POST /analyses)'))
    .argument('<job>', 'a job name from jobs/ (os_requests, top_uris, …)')
    .option('-d, --define <key=value>', "the job's variables, e.g. -d FROM=2014-07-05; repeatable", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--engine <engine>', 'emr, lambda (the local engine, here) or auto (default: $LOGHIVE_DEFAULT_ENGINE)')
    .option('--wait', 'wait until the analysis has finished')
    .action(async (job: string, opts: CloudOptions & { define: string[]; engine?: string; wait?: boolean }) => {
      const ctx = await contextFor(opts);
      const { startAnalysis } = await import('../analyses/start-analysis.js');
      const { getAnalysis } = await import('../analyses/analysis-status.js');
      const { config } = ctx;
      let record = await cloudCall('starting the analysis', () =>
        startAnalysis({
          request: { job, vars: keyValues(opts.define), ...(opts.engine ? { engine: opts.engine } : {}) },
          config: { bucketRoot: ctx.root, defaultEngine: config.defaultEngine, lambdaMaxBytes: config.lambdaMaxBytes },
          storage: ctx.storage,
          jobsDir: config.jobsDir,
          emr: ctx.emrRunner,
        }),
      );
      while (opts.wait && !TERMINAL.has(record.state)) {
        await sleep(10_000);
        record = await cloudCall('reading the status', () => getAnalysis(record.id, { storage: ctx.storage, bucketRoot: ctx.root, emr: ctx.emrRunner }));
      }
      io.stdout(opts.json ? JSON.stringify(record, null, 2) + '\n' : '');
      if (!opts.json) printRecord(io, record);
      if (record.state === 'FAILED') throw new CloudCommandError(`analysis ${record.id} failed`);
    });

  withCloudOptions(program.command('status').description('the state of an analysis, with the cause of a failure (like GET /analyses/{id})'))
    .argument('<id>', 'the analysis id')
    .action(async (id: string, opts: CloudOptions) => {
      const ctx = await contextFor(opts);
      const { getAnalysis } = await import('../analyses/analysis-status.js');
      const record = await cloudCall('reading the status', () => getAnalysis(id, { storage: ctx.storage, bucketRoot: ctx.root, emr: ctx.emrRunner }));
      if (opts.json) io.stdout(JSON.stringify(record, null, 2) + '\n');
      else printRecord(io, record);
    });

  withCloudOptions(program.command('results').description("an analysis's result rows (like GET /analyses/{id}/results)"))
    .argument('<id>', 'the analysis id')
    .option('--csv', 'print CSV')
    .option('--limit <n>', 'rows per page (default 1000, at most 10000)')
    .option('--cursor <cursor>', 'the page after the one that printed this cursor')
    .action(async (id: string, opts: CloudOptions & { csv?: boolean; limit?: string; cursor?: string }) => {
      const ctx = await contextFor(opts);
      const { getAnalysis } = await import('../analyses/analysis-status.js');
      const { readResultsCsv, readResultsPage } = await import('../analyses/results-reader.js');
      // Status first, so that an EMR analysis that has just finished is seen as SUCCEEDED.
      const record = await cloudCall('reading the status', () => getAnalysis(id, { storage: ctx.storage, bucketRoot: ctx.root, emr: ctx.emrRunner }));
      const query = { ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.cursor ? { cursor: opts.cursor } : {}) };
      if (opts.csv) {
        const page = await cloudCall('reading the results', () => readResultsCsv(record, ctx.storage, query));
        io.stdout(page.body);
        if (page.nextCursor) io.stderr(`more rows: --cursor ${page.nextCursor}\n`);
        return;
      }
      const page = await cloudCall('reading the results', () => readResultsPage(record, ctx.storage, query));
      if (opts.json) {
        io.stdout(JSON.stringify(page, null, 2) + '\n');
        return;
      }
      const names = page.columns.map((c) => c.name);
      const cells = page.rows.map((row) => Object.values(row).map((v) => (v === null ? 'NULL' : Array.isArray(v) ? `[${v.join(',')}]` : String(v))));
      const widths = names.map((n, i) => Math.max(n.length, ...cells.map((c) => c[i]!.length)));
      const line = (vals: readonly string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
      io.stdout([line(names), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n');
      if (page.nextCursor) io.stderr(`more rows: --cursor ${page.nextCursor}\n`);
    });

  withCloudOptions(program.command('cancel').description('cancel a pending or running analysis (like DELETE /analyses/{id})'))
    .argument('<id>', 'the analysis id')
    .action(async (id: string, opts: CloudOptions) => {
      const ctx = await contextFor(opts);
      const { cancelAnalysis } = await import('../analyses/analysis-status.js');
      const record = await cloudCall('cancelling', () => cancelAnalysis(id, { storage: ctx.storage, bucketRoot: ctx.root, emr: ctx.emrRunner }));
      if (opts.json) io.stdout(JSON.stringify(record, null, 2) + '\n');
      else printRecord(io, record);
    });
}
