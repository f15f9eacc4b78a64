// @ts-check
/**
 * The queries and, for each, how every contender answers it. Each contender is
 * a command line, run as a child process; its answer ends up in a file as Hive
 * text (^A between columns, \N for NULL), so all answers compare the same way.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FROM = '2014-07-05';
export const TO = '2014-08-05';

/**
 * @typedef {object} Query
 * @property {string} script     the Hive script loghive runs, relative to the repository root
 * @property {string} parity     the same query in DuckDB over tests/parity's Hive-exact cloudfront_logs view
 * @property {string} outputDir  the directory the script writes under OUTPUT
 * @property {string} title
 * @property {boolean} ordered   the job fixes the row order (ORDER BY), else rows compare as a set keyed by the first column
 * @property {boolean} [digest]  too many rows to hold: answers are compared through a digest (answers.mjs), as multisets
 * @property {string} [duckdbMemoryLimit]  DuckDB's contender runs with this memory_limit (the unlimited one stays, for reference)
 * @property {string[]} [duckdbProbeLimits]  lower memory_limits tried once each, outside the timed runs, to say whether they fail
 * @property {string} duckdbTab  the SELECT a DuckDB user would write over tab-separated columns (SOURCE stands for read_csv(...))
 * @property {string} mawk       the awk program; its output goes through `post` if set
 * @property {string} [post]     a shell pipeline after mawk
 */

/** @type {Record<string, Query>} */
export const QUERIES = {
  os_requests: {
    script: 'jobs/os_requests.q',
    parity: 'tests/parity/os_requests.sql',
    outputDir: 'os_requests',
    title: `Tutorial query: requests per OS, dateobject BETWEEN '${FROM}' AND '${TO}' (jobs/os_requests.q)`,
    ordered: false,
    duckdbTab: `SELECT regexp_extract(ua, '\\(([^;]+)', 1) AS os, count(*) AS count
FROM SOURCE
WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY os`,
    // The OS is what follows the user agent's first '(' up to the next ';'.
    mawk: `$1 >= "${FROM}" && $1 <= "${TO}" {
  i = index($11, "(")
  if (i) { s = substr($11, i + 1); j = index(s, ";"); c[j ? substr(s, 1, j - 1) : s]++ }
}
END { for (k in c) printf "%s\\001%d\\n", k, c[k] }`,
  },
  top_uris: {
    script: 'jobs/top_uris.q',
    parity: 'tests/parity/top_uris.sql',
    outputDir: 'top_uris',
    title: `High-cardinality query: top 100 URIs by requests, bytes summed (jobs/top_uris.q)`,
    ordered: true,
    duckdbTab: `SELECT uri, count(*) AS requests, sum(bytes) AS total_bytes
FROM SOURCE
WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY uri
ORDER BY requests DESC, uri
LIMIT 100`,
    mawk: `$1 >= "${FROM}" && $1 <= "${TO}" { n[$8]++; b[$8] += $4 }
END { for (u in n) printf "%s\\001%d\\001%.0f\\n", u, n[u], b[u] }`,
    // Byte order for ties, like Hive's and DuckDB's string order.
    post: `LC_ALL=C sort -t "$(printf '\\001')" -k2,2nr -k1,1 | head -n 100`,
  },
  // A bench script, not a product job (jobs/ holds answers people ask for; a
  // few million (ip, uri) rows is a load test): see bench/README.md.
  ip_uri: {
    script: 'bench/queries/ip_uri.q',
    parity: 'bench/queries/ip_uri.sql',
    outputDir: 'ip_uri',
    title: `Shuffle-heavy query: requests per (client IP, URI), millions of groups at 1 GB (bench/queries/ip_uri.q)`,
    ordered: false,
    digest: true,
    // The memory a log-processing box can spare; loghive's contender row is --memory 64m.
    duckdbMemoryLimit: '256MB',
    duckdbProbeLimits: ['64MB', '128MB'],
    duckdbTab: `SELECT requestip, uri, count(*) AS requests
FROM SOURCE
WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY requestip, uri`,
    // SUBSEP is ^A, so each key prints as the two columns of a Hive text row.
    mawk: `BEGIN { SUBSEP = "\\001" }
$1 >= "${FROM}" && $1 <= "${TO}" { c[$5, $8]++ }
END { for (k in c) printf "%s\\001%d\\n", k, c[k] }`,
  },
};

/** @param {string} s */
function sqlString(s) {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * DuckDB over the tab-separated columns, as its documentation suggests for
 * such files: fast, but lines that are not 11 clean tab-separated fields are
 * skipped (ignore_errors) or read differently from Hive's RegexSerDe.
 * @param {string} dataDir
 */
function tabSource(dataDir) {
  return `read_csv(${sqlString(path.join(dataDir, '*'))}, delim = '\\t', header = false, quote = '', escape = '', ignore_errors = true,
  columns = {'dateobject': 'DATE', 'time': 'VARCHAR', 'location': 'VARCHAR', 'bytes': 'BIGINT', 'requestip': 'VARCHAR', 'method': 'VARCHAR',
             'host': 'VARCHAR', 'uri': 'VARCHAR', 'status': 'INTEGER', 'referrer': 'VARCHAR', 'ua': 'VARCHAR'})`;
}

/**
 * Hive's exact semantics in DuckDB, reusing tests/parity: the macros of
 * _hive_semantics.sql, the cloudfront_logs formulation of _tables.sql (the
 * tutorial's whole-line regex adapted to RE2, Hadoop's line splitting, Hive's
 * lenient dates and INT conversion) as a view, and the query's own SQL file.
 * @param {string} root
 * @param {string} input  the jobs' INPUT
 * @param {string} parity  the query's SQL over cloudfront_logs, relative to root
 * @returns {{ setup: string, query: string }}
 */
function exactSql(root, input, parity) {
  const dir = path.join(root, 'tests/parity');
  /** @param {string} sql */
  const substitute = (sql) => sql.replace(/\$\{(\w+)\}/g, (whole, name) => ({ INPUT: input, FROM, TO })[/** @type {'INPUT'} */ (name)] ?? whole);
  const tables = readFileSync(path.join(dir, '_tables.sql'), 'utf8');
  const m = /CREATE TABLE cloudfront_logs AS\s([\s\S]*?\nFROM parsed;)/.exec(tables);
  if (!m) throw new Error('tests/parity/_tables.sql no longer has "CREATE TABLE cloudfront_logs AS ... FROM parsed;": update bench/lib/contenders.mjs');
  const setup = `${readFileSync(path.join(dir, '_hive_semantics.sql'), 'utf8')}\n\nCREATE VIEW cloudfront_logs AS\n${substitute(m[1])}\n`;
  const query = substitute(readFileSync(path.join(root, parity), 'utf8'));
  return { setup, query };
}

/**
 * Whether this build's CLI takes --workers (another change adds it).
 * @param {string} root
 */
export function loghiveHasWorkers(root) {
  const help = execFileSync(process.execPath, [path.join(root, 'bin/loghive.js'), 'run', '--help'], { cwd: root, encoding: 'utf8' });
  return /--workers\b/.test(help);
}

/**
 * @typedef {object} Contender
 * @property {string} id
 * @property {string} name
 * @property {string} description
 * @property {'loghive' | 'duckdb' | 'mawk'} engine
 * @property {number | null} [threads]  loghive's --workers / DuckDB's threads; null: loghive's default
 * @property {boolean} [scaling]   a row of the --workers scaling table (default memory settings, tab columns for DuckDB)
 * @property {boolean} [baseline]  the DuckDB run the "time vs DuckDB" column divides by
 * @property {boolean} [exact]     the DuckDB formulation of Hive's exact semantics
 * @property {boolean} [probe]     run once after the timed runs, to see whether it fails (a lower DuckDB memory_limit)
 * @property {string} [memoryLimit]  DuckDB's memory_limit, or loghive's --memory
 * @property {(threads: number) => Contender} [withThreads]  the same DuckDB run with another thread count:
 *   set on memory-limited ones, whose thread count the bench lowers until the limit suffices (run.mjs)
 * @property {number} runs
 * @property {number} [timeoutSeconds]
 * @property {(scratch: string, run: number) => { command: string, args: string[], answer: (stdoutFile: string) => string }} prepare
 *   the command for one run; answer() gives the path of the file holding the rows
 */

/**
 * @param {object} options
 * @param {string} options.root
 * @param {Query} options.query
 * @param {{ input: string, dataDir: string, files: string[] }} options.data
 * @param {number} options.runs
 * @param {number} options.cores
 * @param {boolean | null} options.workers  whether loghive takes --workers
 * @param {number[] | null} options.workerCounts  --workers list: loghive and DuckDB at each count; null: loghive at 1 and all cores, DuckDB at all cores
 * @param {string | null} options.lowMemory  loghive's --memory for the low-memory row (all cores); null leaves the row out
 * @param {string} options.mawk
 * @param {number} options.exactRuns  0: leave the exact formulation out
 * @param {number} options.exactTimeout
 * @returns {Contender[]}  the timed contenders, then the probes (`probe: true`)
 */
export function contenders({ root, query, data, runs, cores, workers, workerCounts, lowMemory, mawk, exactRuns, exactTimeout }) {
  const node = process.execPath;
  const cli = path.join(root, 'bin/loghive.js');
  const script = path.join(root, query.script);

  /**
   * @param {number | null} n  --workers; null: the CLI's default
   * @param {string | null} memory  --memory; null: the CLI's default
   * @returns {Contender}
   */
  const loghive = (n, memory = null) => {
    const tag = `${n ?? 'default'}${memory ? `-mem${memory}` : ''}`;
    const flags = `${n === null ? '' : ` --workers ${n}`}${memory ? ` --memory ${memory}` : ''}`;
    return {
      id: `loghive-${tag}`,
      name: `${n === null ? 'loghive (default workers)' : `loghive, ${n} worker${n === 1 ? '' : 's'}`}${memory ? `, --memory ${memory}` : ''}`,
      description: `node bin/loghive.js run -f ${query.script} -d INPUT=… -d OUTPUT=… -d FROM=${FROM} -d TO=${TO} --quiet${flags}`,
      engine: 'loghive',
      threads: n,
      scaling: memory === null,
      memoryLimit: memory ?? undefined,
      runs,
      prepare: (scratch, run) => {
        const output = path.join(scratch, `loghive-${tag}-run${run}`);
        const args = [cli, 'run', '-f', script, '-d', `INPUT=${data.input}`, '-d', `OUTPUT=${output}`, '-d', `FROM=${FROM}`, '-d', `TO=${TO}`, '--quiet'];
        if (n !== null) args.push('--workers', String(n));
        if (memory) args.push('--memory', memory);
        return {
          command: node,
          args,
          // Every output file of the job, in order (000000_0, 000001_0, ...), concatenated.
          answer: () => {
            const dir = path.join(output, query.outputDir);
            const files = readdirSync(dir).filter((f) => !f.startsWith('.') && !f.startsWith('_')).sort();
            const joined = path.join(scratch, `loghive-${tag}-run${run}.rows`);
            writeFileSync(joined, '');
            // One file at a time: the (ip, uri) answer is too big to concatenate in memory comfortably.
            for (const f of files) appendFileSync(joined, readFileSync(path.join(dir, f)));
            return joined;
          },
        };
      },
    };
  };

  /**
   * @param {Omit<Contender, 'prepare' | 'runs' | 'engine' | 'withThreads'> & { runs?: number }} contender
   * @param {{ setup?: string, query: string }} sql
   * @returns {Contender}
   */
  const duck = (contender, sql) => ({
    runs,
    engine: 'duckdb',
    ...contender,
    prepare: (scratch) => {
      const args = [path.join(root, 'bench/duckdb-query.mjs'), '--threads', String(contender.threads ?? cores)];
      if (contender.memoryLimit) args.push('--memory-limit', contender.memoryLimit);
      // Spills go to the scratch directory (removed after the run), not ./.tmp in the repository.
      args.push('--temp-directory', path.join(scratch, 'duckdb-tmp'));
      if (sql.setup !== undefined) {
        const setupFile = path.join(scratch, `${contender.id}-setup.sql`);
        writeFileSync(setupFile, sql.setup);
        args.push('--setup', setupFile);
      }
      const queryFile = path.join(scratch, `${contender.id}-query.sql`);
      writeFileSync(queryFile, sql.query);
      args.push('--query', queryFile);
      return { command: node, args, answer: (stdoutFile) => stdoutFile };
    },
  });
  const tabSql = { query: query.duckdbTab.replace('SOURCE', tabSource(data.dataDir)) };
  const tabWhat = `read_csv(delim='\\t', quote='', escape='', typed columns, ignore_errors=true)${query.outputDir === 'os_requests' ? ", OS by regexp_extract(ua, '\\(([^;]+)', 1)" : ''}`;
  /** @param {number} n @param {string} [limit] @returns {Omit<Contender, 'prepare' | 'runs' | 'engine' | 'withThreads'>} */
  const tab = (n, limit) => ({
    id: `duckdb-tab-${n}${limit ? `-${limit}` : ''}`,
    name: `DuckDB, tab-separated columns${workerCounts || limit ? `, ${n} thread${n === 1 ? '' : 's'}` : ''}${limit ? `, memory_limit ${limit}` : ''}`,
    description: `${tabWhat}; ${n} thread${n === 1 ? '' : 's'}${limit ? `; SET memory_limit='${limit}'` : ''}`,
    threads: n,
    memoryLimit: limit,
  });

  /**
   * DuckDB with a memory_limit: each thread's CSV reader takes 30.5 MiB blocks,
   * so at 16 threads even 256MB fails before aggregating anything; run.mjs
   * halves the threads, as DuckDB's error message advises, through withThreads.
   * @param {number} n @param {string} limit @param {{ baseline?: boolean, probe?: boolean, runs?: number }} extra
   * @returns {Contender}
   */
  const limited = (n, limit, extra) => ({ ...duck({ ...tab(n, limit), ...extra }, tabSql), withThreads: (m) => limited(m, limit, extra) });

  const duckThreads = workerCounts ?? [cores];
  const maxThreads = Math.max(...duckThreads);

  /** @type {Contender[]} */
  const list = [];
  if (workers === true) {
    const counts = workerCounts ?? (cores > 1 ? [1, cores] : [1]);
    for (const n of counts) list.push(loghive(n));
    if (lowMemory) list.push(loghive(cores, lowMemory));
  } else {
    list.push(loghive(null));
    if (lowMemory) list.push(loghive(null, lowMemory));
  }
  // With a memory limit, the limited DuckDB (all cores) is the one loghive is measured against;
  // the unlimited ones stay in the table to show what the limit costs DuckDB.
  if (query.duckdbMemoryLimit) list.push(limited(cores, query.duckdbMemoryLimit, { baseline: true }));
  for (const n of duckThreads) list.push(duck({ ...tab(n), scaling: true, baseline: !query.duckdbMemoryLimit && n === maxThreads }, tabSql));
  if (exactRuns > 0) {
    list.push(
      duck({
        id: 'duckdb-exact',
        name: 'DuckDB, Hive-exact formulation',
        description: `tests/parity formulation: whole-line tutorial regex (RE2), Hadoop line splitting, Hive casts; ${query.parity}; ${cores} threads`,
        threads: cores,
        exact: true,
        runs: Math.min(exactRuns, runs),
        timeoutSeconds: exactTimeout,
      }, exactSql(root, data.input, query.parity)),
    );
  }
  list.push({
    id: 'mawk',
    name: query.post ? 'mawk, then sort and head' : 'mawk',
    description: query.post ? `mawk -F'\\t' '…' files | ${query.post}` : `mawk -F'\\t' '…' files`,
    engine: 'mawk',
    runs,
    prepare: () => {
      if (!query.post) return { command: mawk, args: ['-F', '\t', query.mawk, ...data.files], answer: (f) => f };
      // sh -c SCRIPT sh MAWK PROGRAM FILES...: the program and file names stay out of the shell's parsing.
      const script = `m="$1"; p="$2"; shift 2; "$m" -F "$(printf '\\t')" "$p" "$@" | ${query.post}`;
      return { command: '/bin/sh', args: ['-c', script, 'sh', mawk, query.mawk, ...data.files], answer: (f) => f };
    },
  });
  // run.mjs gives them the thread count the memory-limited contender ended up with.
  for (const limit of query.duckdbProbeLimits ?? []) list.push(limited(cores, limit, { probe: true, runs: 1 }));
  return list;
}
