/**
 * The jobs a caller can run: every `jobs/*.q`, described by its header block
 * (jobs/README.md documents it; tests/jobs-grammar.test.ts checks it). The
 * header is the one source of a job's description and variables, so GET /jobs
 * never drifts from the scripts.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { findChartHeader, type ChartSpec } from '../report/chart-spec.js';
import { UnknownJobError } from './errors.js';
import { scriptStatements } from './script-statements.js';

/** Variables the service sets itself (the bucket's prefixes); callers give the others. */
export const SERVICE_VARIABLES: ReadonlySet<string> = new Set(['INPUT', 'OUTPUT']);

export interface JobVariable {
  readonly name: string;
  /** The header's text for it, as written. */
  readonly description: string;
  /** The value after `e.g.` (its first word). */
  readonly example: string;
  /** INPUT and OUTPUT: set by the service, not accepted from callers. */
  readonly setByService: boolean;
}

/** What GET /jobs shows of a job. */
export interface JobSummary {
  readonly name: string;
  /** The `-- Answers:` text, continuation lines joined. */
  readonly description: string;
  readonly variables: readonly JobVariable[];
  /** Tables the job's CREATE TABLE statements define (the logs/{table}/ prefixes it reads). */
  readonly tables: readonly string[];
  /** The header's `-- Chart:` (jobs/README.md); null without one, and the page picks a default from the result's columns. */
  readonly chart: ChartSpec | null;
}

export interface JobDefinition extends JobSummary {
  /** The script as stored in jobs/. */
  readonly script: string;
  readonly file: string;
}

const JOB_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export class JobCatalog {
  private readonly jobs: ReadonlyMap<string, JobDefinition>;

  constructor(jobs: readonly JobDefinition[]) {
    this.jobs = new Map([...jobs].sort((a, b) => (a.name < b.name ? -1 : 1)).map((j) => [j.name, j]));
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  /** The job, or UnknownJobError (404) listing the known ones. */
  get(name: string): JobDefinition {
    const job = this.jobs.get(name);
    if (!job) throw new UnknownJobError(name, this.names());
    return job;
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map(({ name, description, variables, tables, chart }) => ({ name, description, variables, tables, chart }));
  }
}

/** The GET /jobs payload. */
export function jobsPayload(catalog: JobCatalog): { jobs: JobSummary[] } {
  return { jobs: catalog.list() };
}

/** Reads every `*.q` in `jobsDir` (names that are not valid job names are skipped: they could never be requested). */
export async function loadJobCatalog(jobsDir: string): Promise<JobCatalog> {
  const files = (await readdir(jobsDir)).filter((f) => f.endsWith('.q') && JOB_NAME.test(f.slice(0, -2))).sort();
  const jobs = await Promise.all(
    files.map(async (f) => {
      const file = path.join(jobsDir, f);
      return parseJob(f.slice(0, -2), await readFile(file, 'utf8'), file);
    }),
  );
  return new JobCatalog(jobs);
}

const cache = new Map<string, Promise<JobCatalog>>();

/** The catalog read once per directory: the jobs ship with the code, so a warm Lambda need not read them again. */
export function cachedJobCatalog(jobsDir: string): Promise<JobCatalog> {
  let c = cache.get(jobsDir);
  if (!c) {
    c = loadJobCatalog(jobsDir);
    cache.set(jobsDir, c);
    c.catch(() => cache.delete(jobsDir));
  }
  return c;
}

/** One job from its file name (without `.q`) and text. */
export function parseJob(name: string, script: string, file = `${name}.q`): JobDefinition {
  const header = parseJobHeader(script);
  // A malformed chart line fails here, naming the file and line, as a malformed CREATE TABLE does.
  const chart = findChartHeader(script, file)?.spec ?? null;
  return { name, description: header.answers, variables: header.variables, tables: createdTables(script, file), chart, script, file };
}

export interface JobHeader {
  readonly job?: string;
  readonly answers: string;
  readonly variables: JobVariable[];
}

/** The leading `--` block: `-- Section: text` lines, continued by `--` lines indented under them. */
export function parseJobHeader(script: string): JobHeader {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of script.split(/\r?\n/)) {
    if (!line.startsWith('--')) break;
    const section = /^--\s?([A-Z][A-Za-z]*):\s*(.*)$/.exec(line);
    if (section) {
      current = [];
      sections.set(section[1]!, current);
      if (section[2]!.trim() !== '') current.push(section[2]!.trim());
    } else if (current && /^--\s+\S/.test(line)) current.push(line.slice(2));
  }
  const variables: JobVariable[] = [];
  for (const line of sections.get('Variables') ?? []) {
    const m = /^\s{3}([A-Z][A-Z0-9_]*)\s+(\S.*)$/.exec(line);
    if (!m) continue;
    const description = m[2]!.trim();
    const example = /\be\.g\.\s+(\S+)/.exec(description)?.[1] ?? '';
    variables.push({ name: m[1]!, description, example, setByService: SERVICE_VARIABLES.has(m[1]!) });
  }
  const answers = (sections.get('Answers') ?? []).map((l) => l.trim()).join(' ');
  return { job: sections.get('Job')?.[0], answers, variables };
}

/** Table names from the script's CREATE TABLE statements, parsed by the engine's own parser. */
function createdTables(script: string, file: string): string[] {
  const tables: string[] = [];
  for (const { create } of scriptStatements(script, file)) {
    if (create && !tables.includes(create.statement.name)) tables.push(create.statement.name);
  }
  return tables;
}
