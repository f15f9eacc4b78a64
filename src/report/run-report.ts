/**
 * `loghive run … --report FILE`: the HTML report of a local run. The chart
 * line is checked against the script's queries before any data is read (a
 * bad one fails the run early, naming its line); after a successful run the
 * report is built from each query's outcome (its typed first rows, which is
 * what the table shows and the chart draws) and written atomically, so a
 * reader never sees half a file and a failed run leaves none.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJobHeader } from '../analyses/job-catalog.js';
import { COUNTER_NAMES, type CounterName } from '../engine/counters.js';
import type { HiveSession, QueryOutcome, ScriptResult } from '../engine/session.js';
import { UsageError } from '../hive/errors.js';
import type { HiveVariables } from '../hive/script.js';
import { typeToString } from '../hive/types.js';
import { trackTempPath, untrackTempPath } from '../engine/temp-paths.js';
import type { OutputColumn } from '../plan/compiled.js';
import { chartForColumns, findChartHeader, resolveChart, type ChartHeader, type ResolvedChart } from './chart-spec.js';
import { renderHtmlReport, type ReportQuery } from './html-report.js';
import type { ResultColumn } from './result-table.js';

export interface RunReportRequest {
  /** Where the HTML goes. */
  readonly path: string;
  /** The script's text and its file name as given (`<-e>` for -e). */
  readonly script: string;
  readonly file: string;
}

export interface PreparedReport {
  /** Writes the report of a successful run; returns the path written. */
  write(result: ScriptResult, variables: HiveVariables): Promise<string>;
}

/**
 * Checks, before the run, that the report can be made: the `-- Chart:` line
 * parses and fits the last query (the one a job's header describes; other
 * queries get the default chart) and the target's directory exists.
 */
export async function prepareRunReport(request: RunReportRequest, session: HiveSession): Promise<PreparedReport> {
  const header = findChartHeader(request.script, request.file);
  const explained = (await session.explain(request.script)).filter((e) => e.plan !== undefined);
  const lastIndex = explained[explained.length - 1]?.index;
  if (header && explained.length > 0) resolveChart(header.spec, resultColumns(explained[explained.length - 1]!.plan!.columns), header.position);
  await checkTarget(request.path);
  return {
    write: async (result, variables) => {
      const html = renderHtmlReport({
        job: jobName(request),
        script: request.file,
        description: parseJobHeader(request.script).answers || undefined,
        variables: [...variables.hivevar].map(([name, value]) => ({ name, value })),
        counters: {
          recordsRead: result.counters.get('recordsRead'),
          malformedRecords: result.counters.get('malformedRecords'),
          outputRecords: result.counters.get('outputRecords'),
          wallMs: result.wallMs,
          all: (Object.keys(COUNTER_NAMES) as CounterName[]).map((k) => ({ label: COUNTER_NAMES[k], value: result.counters.get(k) })),
        },
        queries: result.queries.map((q, i) => reportQuery(q, i, q.statementIndex === lastIndex ? header : undefined)),
        generatedAt: new Date().toISOString(),
      });
      await writeFileAtomic(request.path, html);
      return request.path;
    },
  };
}

function reportQuery(q: QueryOutcome, i: number, header: ChartHeader | undefined): ReportQuery {
  const columns = resultColumns(q.columns);
  const chart: ResolvedChart = chartForColumns(columns, header);
  return { title: q.directory ?? `Query ${i + 1} (printed rows)`, table: { columns, rows: q.preview }, rowCount: q.rowCount, chart };
}

function resultColumns(columns: readonly OutputColumn[]): ResultColumn[] {
  return columns.map((c) => ({ name: c.name, type: typeToString(c.type) }));
}

function jobName(request: RunReportRequest): string {
  return parseJobHeader(request.script).job ?? (request.file === '<-e>' ? 'query' : path.basename(request.file).replace(/\.q$/, ''));
}

async function checkTarget(file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new UsageError(`--report ${file}: directory ${dir} does not exist`);
  if ((await stat(file).catch(() => undefined))?.isDirectory()) throw new UsageError(`--report ${file}: is a directory`);
}

/** Writes next to the target, then renames over it: the target is either the old file or the whole new one. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  trackTempPath(tmp);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    untrackTempPath(tmp);
  }
}
