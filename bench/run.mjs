// @ts-check
/**
 * npm run bench [-- --size 1g --runs 3 --exact-timeout 300 --queries os_requests,top_uris,ip_uri --workers 1,2,4,8,16]
 *
 * Compares loghive's local engine (through its real CLI) with DuckDB and mawk
 * on the same generated logs in the same run, and prints median wall time,
 * throughput, peak memory, whether each answer equals Hive's exact answer, and
 * the ratio to DuckDB. With --workers, also a scaling table per query (loghive
 * --workers N against DuckDB threads=N). Writes the same report to bench/results.md.
 * See bench/README.md for what is measured and how.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { digestEqualsText, digestRows, equalsText, readRows } from './lib/answers.mjs';
import { contenders, FROM, loghiveHasWorkers, QUERIES, TO } from './lib/contenders.mjs';
import { ensureData, parseSize, warmPageCache } from './lib/data.mjs';
import { HAVE_GNU_TIME, measure } from './lib/measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values: opts } = parseArgs({
  options: {
    size: { type: 'string', default: '1g' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20140705' },
    files: { type: 'string', default: '8' },
    'exact-timeout': { type: 'string', default: '300' },
    'exact-runs': { type: 'string', default: '1' },
    queries: { type: 'string', default: Object.keys(QUERIES).join(',') },
    workers: { type: 'string' },
    'low-memory': { type: 'string', default: '64m' },
    out: { type: 'string', default: path.join(ROOT, 'bench/results.md') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (opts.help) {
  process.stdout.write(`usage: npm run bench [-- options]
  --size <n>            data size, decimal units: 1g (default), 256m, 100m, 20m
  --runs <n>            timed runs per contender; the median is reported (default 3)
  --seed <n>            generator seed (default 20140705)
  --files <n>           number of log files (default 8)
  --exact-timeout <s>   time budget for each run of DuckDB's Hive-exact formulation (default 300; 0 = none)
  --exact-runs <n>      runs of the Hive-exact formulation, at most --runs (default 1; 0 leaves it out)
  --queries <list>      ${Object.keys(QUERIES).join(',')} (default: all)
  --workers <list>      e.g. 1,2,4,8,16: loghive --workers N and DuckDB threads=N at each N, and a
                        scaling table per query (default: loghive at 1 and all cores, DuckDB at all cores)
  --low-memory <size>   loghive's --memory for the low-memory row, all cores (default 64m; none leaves it out)
  --out <file>          markdown report (default bench/results.md)
`);
  process.exit(0);
}

/** @param {string} name @param {string} value @param {number} min */
function intOption(name, value, min) {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`--${name}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

const size = parseSize(opts.size);
const runs = intOption('runs', opts.runs, 1);
const seed = intOption('seed', opts.seed, 0);
const fileCount = intOption('files', opts.files, 1);
const exactTimeout = intOption('exact-timeout', opts['exact-timeout'], 0);
const exactRuns = intOption('exact-runs', opts['exact-runs'], 0);
const queryNames = opts.queries.split(',').map((q) => q.trim()).filter(Boolean);
for (const q of queryNames) if (!(q in QUERIES)) throw new RangeError(`--queries: unknown query ${q} (known: ${Object.keys(QUERIES).join(', ')})`);
const cores = os.availableParallelism();
/** @type {number[] | null} */
const workerCounts = opts.workers === undefined ? null : [...new Set(opts.workers.split(',').map((w) => intOption('workers', w.trim(), 1)))].sort((a, b) => a - b);
if (workerCounts && workerCounts.length === 0) throw new RangeError('--workers: expected a list such as 1,2,4,8,16');
const lowMemory = ['', 'none', '0'].includes(opts['low-memory'].trim()) ? null : opts['low-memory'].trim();

/** @param {string} s */
const log = (s) => process.stdout.write(s + '\n');

function findMawk() {
  if (existsSync('/usr/bin/mawk')) return '/usr/bin/mawk';
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(path.join(dir, 'mawk'))) return path.join(dir, 'mawk');
  return null;
}

/** @param {string} command @param {string[]} args */
function firstLine(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

// ---- data ----
log(`Data: ${size.label} (${(size.bytes / 1e6).toFixed(0)} MB), seed ${seed}, ${fileCount} files`);
const data = await ensureData({ root: ROOT, size, seed, files: fileCount });
log(data.cached
  ? `  cached in ${path.relative(ROOT, data.dataDir)} (generated earlier in ${data.generateSeconds.toFixed(1)} s)`
  : `  generated ${data.lines.toLocaleString('en-US')} lines, ${(data.bytes / 1e6).toFixed(1)} MB in ${data.generateSeconds.toFixed(1)} s into ${path.relative(ROOT, data.dataDir)}`);
const warmStart = process.hrtime.bigint();
await warmPageCache(data.files);
log(`  page cache warmed (read once, untimed) in ${(Number(process.hrtime.bigint() - warmStart) / 1e9).toFixed(1)} s`);

// ---- tools ----
/** @type {string[]} */
const notes = [];
const workers = loghiveHasWorkers(ROOT);
if (!workers) {
  const note = "This build's `loghive run` has no `--workers` option: loghive ran once per run with its default parallelism.";
  notes.push(note);
  log(`Note: ${note}`);
}
const mawk = findMawk();
if (!mawk) throw new Error('mawk not found (apt-get install -y mawk)');
if (!HAVE_GNU_TIME) {
  const note = '/usr/bin/time is missing: peak RSS is only the 100 ms sampled sum of VmRSS over the process tree (it can miss short peaks).';
  notes.push(note);
  log(`Note: ${note}`);
}
const duckdbVersion = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@duckdb/node-api/package.json'), 'utf8')).version;
const mawkVersion = firstLine(mawk, ['-W', 'version']);
const cpus = os.cpus();
const machine = `${cpus[0]?.model ?? 'unknown CPU'}, ${cores} cores (${cpus.length} logical CPUs), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;

// Other work on the machine slows contenders down unevenly: the report shows the load around the runs.
const loadAtStart = os.loadavg()[0];
const scratchRoot = mkdtempSync(path.join(os.tmpdir(), 'loghive-bench-'));
// Also when interrupted (measure.mjs exits on SIGINT/SIGTERM after killing the running contender).
process.on('exit', () => rmSync(scratchRoot, { recursive: true, force: true }));
let failed = false;

/**
 * @typedef {object} ContenderResult
 * @property {import('./lib/contenders.mjs').Contender} contender
 * @property {import('./lib/measure.mjs').Measurement[]} measurements
 * @property {Answer | null} answer   rows (or their digest) of the first successful run
 * @property {boolean} unstable           successful runs gave different answers
 * @property {string | null} error
 * @property {string | null} firstErrorLine  the first line of the error (a DuckDB probe's out-of-memory message)
 * @property {boolean} timedOut
 */

/**
 * An answer as rows, or as a digest for queries with millions of rows (query.digest).
 * @typedef {{ rows: string[][], digest?: undefined } | { digest: import('./lib/answers.mjs').Digest, rows?: undefined }} Answer
 */

/** @param {import('./lib/contenders.mjs').Query} query @param {string} file @returns {Answer} */
function readAnswer(query, file) {
  return query.digest ? { digest: digestRows(file) } : { rows: readRows(file) };
}

/** @param {Answer} answer */
function rowCount(answer) {
  return answer.digest ? answer.digest.rows : answer.rows.length;
}

/** @param {import('./lib/contenders.mjs').Query} query @param {Answer} answer @param {Answer} reference */
function compareAnswers(query, answer, reference) {
  if (answer.digest && reference.digest) return digestEqualsText(answer.digest, reference.digest);
  if (answer.rows && reference.rows) return equalsText(answer.rows, reference.rows, query.ordered);
  throw new Error('an answer as rows compared with one as a digest');
}

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * One run of one contender; the result's fields are updated.
 * @param {import('./lib/contenders.mjs').Query} query
 * @param {ContenderResult} result
 * @param {number} run
 * @param {string} label  printed before the outcome
 * @param {boolean} expectFailure  a probe that may fail: its failure does not make the bench exit 1
 */
async function runOnce(query, result, run, label, expectFailure) {
  const c = result.contender;
  const scratch = mkdtempSync(path.join(scratchRoot, `${query.outputDir}-${c.id}-`));
  try {
    const { command, args, answer } = c.prepare(scratch, run);
    const stdoutFile = path.join(scratch, 'stdout');
    const m = await measure({ command, args, cwd: ROOT, stdoutFile, scratchDir: scratch, timeoutSeconds: c.timeoutSeconds ?? 0 });
    result.measurements.push(m);
    if (m.timedOut) {
      result.timedOut = true;
      log(`${label}  timeout after ${c.timeoutSeconds} s (killed)`);
    } else if (m.exitCode !== 0) {
      // DuckDB's message is its first line (bench/duckdb-query.mjs prints nothing else; the rest is advice);
      // for the others the last lines (a stack, loghive's error) say most.
      const lines = m.stderr.trim().split('\n');
      result.firstErrorLine = lines[0] || `exit ${m.exitCode ?? m.signal}`;
      result.error = `exit ${m.exitCode ?? m.signal}: ${c.engine === 'duckdb' ? result.firstErrorLine : lines.slice(-5).join(' | ')}`;
      if (!expectFailure) failed = true;
      log(`${label}  FAILED ${result.error}`);
    } else {
      /** @type {Answer} */
      let got;
      try {
        got = readAnswer(query, answer(stdoutFile));
      } catch (err) {
        result.error = `no answer: ${/** @type {Error} */ (err).message}`;
        result.firstErrorLine = result.error;
        if (!expectFailure) failed = true;
        log(`${label}  FAILED ${result.error}`);
        return;
      }
      if (result.answer === null) result.answer = got;
      else if (compareAnswers(query, got, result.answer) !== 'yes') result.unstable = true;
      log(`${label}  ${m.wallSeconds.toFixed(2).padStart(8)} s wall  ${(m.cpuSeconds ?? NaN).toFixed(2).padStart(8)} s CPU  ${formatRss(m).padStart(8)} MiB  ${rowCount(got)} rows`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Before the timed runs, one untimed run of a memory-limited DuckDB contender
 * at its thread count; while it runs out of memory, again at half the threads
 * (what DuckDB's error advises: each thread's CSV reader needs 30.5 MiB blocks,
 * so 16 threads fail at 256MB before any aggregation). The result is switched
 * to the first thread count that passes.
 * @param {import('./lib/contenders.mjs').Query} query
 * @param {ContenderResult} result
 * @param {number} width
 * @returns {Promise<string[]>}  "N threads: <error>" for each count that failed
 */
async function fitThreads(query, result, width) {
  const failures = [];
  let contender = result.contender;
  /** @type {ContenderResult} */
  let trial;
  for (;;) {
    trial = { contender, measurements: [], answer: null, unstable: false, error: null, firstErrorLine: null, timedOut: false };
    await runOnce(query, trial, 0, `  ${contender.name.padEnd(width)}  fitting threads (untimed)`, true);
    if (trial.answer !== null && !trial.error && !trial.timedOut) break;
    const n = contender.threads ?? cores;
    failures.push(`${plural(n, 'thread')}: ${trial.firstErrorLine ?? 'timed out'}`);
    if (n === 1 || !/out of memory/i.test(trial.firstErrorLine ?? '') || !contender.withThreads) {
      // Nothing left to lower, or another error: no timed runs, the table says failed. Running out
      // of memory under a deliberate limit is an outcome, like the exact formulation's time-out, so
      // it does not make the bench exit 1; another error does.
      result.contender = contender;
      result.error = trial.error ?? 'timed out';
      result.firstErrorLine = trial.firstErrorLine;
      if (!/out of memory/i.test(trial.firstErrorLine ?? '')) failed = true;
      return failures;
    }
    contender = contender.withThreads(Math.max(1, Math.floor(n / 2)));
  }
  result.contender = contender;
  return failures;
}

/**
 * @param {import('./lib/contenders.mjs').Query} query
 * @returns {Promise<{ results: ContenderResult[], probes: ContenderResult[], fitted: string[] }>}
 */
async function runQuery(query) {
  const list = contenders({ root: ROOT, query, data, runs, cores, workers, workerCounts, lowMemory, mawk: /** @type {string} */ (mawk), exactRuns, exactTimeout });
  /** @param {import('./lib/contenders.mjs').Contender} contender @returns {ContenderResult} */
  const fresh = (contender) => ({ contender, measurements: [], answer: null, unstable: false, error: null, firstErrorLine: null, timedOut: false });
  const results = list.filter((c) => !c.probe).map(fresh);
  const probes = list.filter((c) => c.probe).map(fresh);
  const width = Math.max(...list.map((c) => c.name.length));
  /** @type {string[]} */
  let fitted = [];
  const limitedResult = results.find((r) => r.contender.withThreads && r.contender.baseline);
  if (limitedResult) {
    fitted = await fitThreads(query, limitedResult, width);
    // The lower limits are tried at the same thread count, so that only the limit differs.
    const threads = limitedResult.contender.threads;
    for (const p of probes) if (p.contender.withThreads && threads) p.contender = p.contender.withThreads(threads);
  }
  // Interleaved: run 1 of every contender, then run 2, ..., so drift in the machine's speed hits all alike.
  for (let run = 1; run <= runs; run++) {
    for (const result of results) {
      const c = result.contender;
      if (run > c.runs || result.error || result.timedOut) continue;
      await runOnce(query, result, run, `  ${c.name.padEnd(width)}  run ${run}/${c.runs}`, false);
    }
  }
  // After the timed runs, so that a probe's failure (or its swapping) cannot disturb them.
  for (const probe of probes) await runOnce(query, probe, 1, `  ${probe.contender.name.padEnd(width)}  probe`, true);
  return { results, probes, fitted };
}

/** @param {import('./lib/measure.mjs').Measurement} m */
function formatRss(m) {
  if (m.peakRssKiB === null) return '?';
  const mib = (m.peakRssKiB / 1024).toFixed(0);
  // Marked when the sampled sum over several processes is what is reported.
  return m.sampledTreeKiB > (m.maxRssKiB ?? 0) && m.maxProcesses > 1 ? `${mib}*` : mib;
}

/** @param {number} n */
const int = (n) => Math.round(n).toLocaleString('en-US');

/**
 * @param {string[]} header
 * @param {string[][]} rows
 * @param {boolean[]} right  right-aligned columns
 */
function markdownTable(header, rows, right) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  /** @param {string[]} cells */
  const line = (cells) => `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const ok = (/** @type {ContenderResult} */ r) => r.answer !== null && !r.error && !r.timedOut;
/** @param {ContenderResult} r */
const medianWall = (r) => median(r.measurements.map((m) => m.wallSeconds));
/** @param {ContenderResult} r */
const peakOf = (r) => r.measurements.reduce((a, m) => ((m.peakRssKiB ?? 0) > (a.peakRssKiB ?? 0) ? m : a));
/** @param {number} n */
const plural = (n, /** @type {string} */ word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * @param {import('./lib/contenders.mjs').Query} query
 * @param {ContenderResult[]} results
 * @param {ContenderResult[]} probes
 * @param {string[]} fitted  thread counts at which the memory-limited DuckDB ran out of memory
 * @returns {string}
 */
function report(query, results, probes, fitted) {
  const exact = results.find((r) => r.contender.exact);
  const firstLoghive = results.find((r) => r.contender.engine === 'loghive');
  /** @type {ContenderResult | undefined} */
  let reference;
  let referenceNote;
  if (exact && ok(exact)) {
    reference = exact;
    referenceNote = `Hive's exact answer: DuckDB's Hive-exact formulation (tests/parity), which finished; the loghive rows say whether loghive agrees with it.`;
  } else if (firstLoghive && ok(firstLoghive)) {
    reference = firstLoghive;
    const why = !exact ? 'was left out (--exact-runs 0)' : exact.timedOut ? `timed out after ${exact.contender.timeoutSeconds} s` : `failed (${exact.error})`;
    referenceNote = `Hive's exact answer taken to be loghive's (${firstLoghive.contender.name}), NOT verified: DuckDB's Hive-exact formulation ${why}.`;
  } else {
    referenceNote = 'No reference answer: neither DuckDB\'s Hive-exact formulation nor loghive finished.';
  }
  if (query.digest && reference?.answer?.digest) {
    const d = reference.answer.digest;
    referenceNote += ` Compared through a digest (row count, sum of the counts, order-independent hash of the rows: bench/lib/answers.mjs); the reference has ${d.rows.toLocaleString('en-US')} rows counting ${d.total.toLocaleString('en-US')} requests.`;
  }

  // The query's DuckDB contender; if it failed (out of memory under its limit), the unlimited one with the most threads.
  const unlimited = results
    .filter((r) => r.contender.engine === 'duckdb' && !r.contender.exact && !r.contender.memoryLimit && ok(r))
    .sort((a, b) => (b.contender.threads ?? 0) - (a.contender.threads ?? 0));
  const designated = results.find((r) => r.contender.baseline);
  const baseline = designated && ok(designated) ? designated : unlimited[0];
  const baselineWall = baseline ? medianWall(baseline) : null;
  const rows = results.map((r) => {
    const c = r.contender;
    const runsText = c.runs < runs ? `${c.runs} of ${runs}` : String(c.runs);
    if (r.timedOut) return [c.name, runsText, `timeout (> ${c.timeoutSeconds} s)`, '—', '—', '—', '—', '—', '—'];
    if (r.error || r.answer === null) return [c.name, runsText, 'failed', '—', '—', '—', '—', '—', '—'];
    const wall = medianWall(r);
    const cpuTimes = r.measurements.map((m) => m.cpuSeconds).filter((x) => x !== null);
    const cpu = cpuTimes.length === r.measurements.length ? median(/** @type {number[]} */ (cpuTimes)) : null;
    let equals = '?';
    if (reference && r === reference) equals = 'yes (reference)';
    else if (reference?.answer) equals = compareAnswers(query, r.answer, reference.answer);
    if (r.unstable) equals += ', answers varied between runs';
    return [
      c.name,
      runsText,
      wall.toFixed(2),
      cpu === null ? '?' : cpu.toFixed(2),
      (data.bytes / 1e6 / wall).toFixed(1),
      int(data.lines / wall),
      formatRss(peakOf(r)),
      equals,
      baselineWall === null ? '—' : `${(wall / baselineWall).toFixed(2)}×`,
    ];
  });
  const table = markdownTable(
    ['contender', 'runs', 'median wall (s)', 'CPU (s)', 'MB/s', 'records/s', 'peak RSS (MiB)', 'equals Hive?', 'time vs DuckDB'],
    rows,
    [false, true, true, true, true, true, true, false, true],
  );
  let baselineNote = '';
  if (baseline) {
    baselineNote = `"time vs DuckDB" is over the median of ${baseline.contender.name}`;
    if (baseline === designated && baseline.contender.memoryLimit) baselineNote += ` (this query's DuckDB contender runs with memory_limit ${baseline.contender.memoryLimit}; the unlimited one is shown for reference).`;
    else if (designated && baseline !== designated) baselineNote += `, because ${designated.contender.name} failed.`;
    else baselineNote += '.';
  }

  // Lower DuckDB memory limits, tried once each after the timed runs.
  const probeLines = probes.map((p) => {
    const c = p.contender;
    if (p.timedOut) return `- ${c.name}: timed out after ${c.timeoutSeconds} s`;
    if (p.error || p.answer === null) return `- ${c.name}: fails: ${p.firstErrorLine ?? p.error}`;
    const m = p.measurements[0];
    const equals = reference?.answer ? `; equals Hive? ${compareAnswers(query, p.answer, reference.answer)}` : '';
    return `- ${c.name}: passes, ${m.wallSeconds.toFixed(2)} s wall, peak RSS ${formatRss(m)} MiB${equals}`;
  });
  const limited = results.find((r) => r.contender.withThreads && r.contender.baseline);
  const fittedLines = fitted.map((f) => `- memory_limit ${limited?.contender.memoryLimit} at ${f}`);
  const fittedNote = limited
    ? fitted.length
      ? [
          `DuckDB with memory_limit ${limited.contender.memoryLimit} ran out of memory (untimed runs before the timed ones) at:`,
          '',
          ...fittedLines,
          '',
          limited.error ? 'so it has no timed runs.' : `so it ran with ${plural(limited.contender.threads ?? cores, 'thread')}, as the error advises.`,
        ]
      : [`DuckDB with memory_limit ${limited.contender.memoryLimit} ran with all ${cores} threads (an untimed run before the timed ones passed).`]
    : [];
  const probeSection = probeLines.length
    ? ['', `Lower memory limits for DuckDB (one run each, after the timed runs, at the same thread count, ${data.label} of data):`, '', ...probeLines]
    : [];

  const errors = results.filter((r) => r.error).map((r) => `- ${r.contender.name} failed: ${r.error}`);
  const commands = [...results, ...probes].map((r) => `- ${r.contender.name}: ${r.contender.description}`);
  return [
    `## ${query.title}`,
    '',
    table,
    '',
    referenceNote,
    ...(baselineNote ? ['', baselineNote] : []),
    ...(fittedNote.length ? ['', ...fittedNote] : []),
    ...probeSection,
    ...(errors.length ? ['', ...errors] : []),
    '',
    'Commands:',
    '',
    ...commands,
    ...(workerCounts ? ['', scalingReport(query, results)] : []),
  ].join('\n');
}

/**
 * The --workers table: loghive with --workers N against DuckDB with threads=N
 * (tab columns, no memory limit), each N on its own line.
 * @param {import('./lib/contenders.mjs').Query} query
 * @param {ContenderResult[]} results
 */
function scalingReport(query, results) {
  const counts = /** @type {number[]} */ (workerCounts);
  /** @param {'loghive' | 'duckdb'} engine @param {number} n */
  const find = (engine, n) => results.find((r) => r.contender.scaling && r.contender.engine === engine && r.contender.threads === n);
  /** @param {ContenderResult | undefined} r */
  const wallOf = (r) => (r && ok(r) ? medianWall(r) : null);
  const first = counts[0];
  const loghiveFirst = wallOf(find('loghive', first));
  const duckFirst = wallOf(find('duckdb', first));
  /** @param {number | null} w */
  const secs = (w) => (w === null ? 'failed' : w.toFixed(2));
  /** @param {number | null} base @param {number | null} w */
  const speedUp = (base, w) => (base === null || w === null ? '—' : `${(base / w).toFixed(2)}×`);
  const rows = counts.map((n) => {
    const l = find('loghive', n);
    const d = find('duckdb', n);
    const lw = wallOf(l);
    const dw = wallOf(d);
    return [
      String(n),
      l ? secs(lw) : '—',
      l ? speedUp(loghiveFirst, lw) : '—',
      l && lw !== null ? formatRss(peakOf(l)) : '—',
      d ? secs(dw) : '—',
      d ? speedUp(duckFirst, dw) : '—',
      d && dw !== null ? formatRss(peakOf(d)) : '—',
      lw !== null && dw !== null ? `${(lw / dw).toFixed(2)}×` : '—',
    ];
  });
  const table = markdownTable(
    ['N', 'loghive wall (s)', `loghive speed-up vs ${first}`, 'loghive peak RSS (MiB)', 'DuckDB wall (s)', `DuckDB speed-up vs ${first}`, 'DuckDB peak RSS (MiB)', 'loghive / DuckDB'],
    rows,
    [true, true, true, true, true, true, true, true],
  );
  const noWorkers = workers ? [] : ['', "This build's loghive has no --workers option: it ran once with its default, so its column is empty."];
  return [
    `### Scaling: ${query.outputDir}, loghive --workers N against DuckDB threads=N`,
    '',
    `Machine: ${machine}. Median wall time of ${plural(runs, 'run')} at each N (the same runs as the table above); speed-up is over the time at N = ${first}. DuckDB reads tab-separated columns${query.duckdbMemoryLimit ? ` without a memory limit (DuckDB's default), as loghive runs with its default --memory; the memory_limit ${query.duckdbMemoryLimit} contender above runs at ${cores} threads only` : ''}.${counts.some((n) => n > cores) ? ` N above ${cores} runs more threads than the machine has cores.` : ''}`,
    ...noWorkers,
    '',
    table,
  ].join('\n');
}

// ---- run ----
/** @type {string[]} */
const sections = [];
try {
  for (const name of queryNames) {
    const query = QUERIES[name];
    log(`\n${query.title}`);
    const { results, probes, fitted } = await runQuery(query);
    sections.push(report(query, results, probes, fitted));
  }
} finally {
  rmSync(scratchRoot, { recursive: true, force: true });
}

const loadAtEnd = os.loadavg()[0];
const oddShare = data.lines ? ((100 * data.oddLines) / data.lines).toFixed(2) : '0';
const header = [
  '# loghive benchmark results',
  '',
  `Run ${new Date().toISOString()} with \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`.`,
  '',
  `- Machine: ${machine}, ${os.type()} ${os.release()}`,
  `- Software: node ${process.version}, DuckDB ${duckdbVersion} (@duckdb/node-api; ${cores} threads unless a row says otherwise), ${mawkVersion}`,
  `- Data: ${size.label} asked, ${data.bytes.toLocaleString('en-US')} bytes (${(data.bytes / 1e6).toFixed(1)} MB) in ${data.files.length} files, ${data.lines.toLocaleString('en-US')} lines of which ${data.oddLines.toLocaleString('en-US')} odd (${oddShare}%: comments, truncated, empty, space-separated, '-' bytes, bad dates); format cloudfront-sample, seed ${data.seed}; generated in ${data.generateSeconds.toFixed(1)} s${data.cached ? ' (in an earlier run; reused)' : ''}`,
  `- Date range: ${FROM} to ${TO}. Runs per contender: ${runs}, interleaved; the median wall time is shown, and the highest peak RSS of the runs.`,
  `- Wall time is the whole child process (start-up included), from spawn to exit. MB/s and records/s are data size and line count over the median wall time.`,
  HAVE_GNU_TIME
    ? `- Peak RSS: the kernel's high-water mark of the process (GNU time's %M, \`/usr/bin/time -f "%U %S %M"\`), or, marked *, the larger 100 ms sampled sum of VmRSS over a process tree.`
    : `- Peak RSS: 100 ms sampled sum of VmRSS over the process tree (/usr/bin/time missing).`,
  `- CPU (s): median user + system time of the contender's processes (GNU time %U + %S); CPU over wall is how many cores it kept busy, and it is less affected than wall time by other work on the machine.`,
  `- "time vs DuckDB": median wall time over that of DuckDB's tab-columns contender (named under each table); above 1× is slower.`,
  `- Load average (1 min) when the timed runs started: ${loadAtStart.toFixed(2)}, when they ended: ${loadAtEnd.toFixed(2)} (with ${cores} cores; the benchmark itself adds up to its contenders' parallelism, anything more is other work on the machine).`,
  ...notes.map((n) => `- ${n}`),
  '',
  'How to read this and how it is measured: bench/README.md.',
];
const markdown = [...header, '', ...sections.flatMap((s) => [s, ''])].join('\n');
log('\n' + markdown);
writeFileSync(opts.out, markdown);
log(`Written to ${path.relative(process.cwd(), opts.out) || opts.out}`);
process.exitCode = failed ? 1 : 0;
