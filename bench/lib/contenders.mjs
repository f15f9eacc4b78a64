// @ts-check
/**
 * The queries and, for each, how every contender answers it. Each contender is
 * a command line, run as a child process; its answer ends up in a file as Hive
 * text (^A between columns, \N for NULL), so all answers compare the same way.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FROM = '2014-07-05';
export const TO = '2014-08-05';

/**
 * @typedef {object} Query
 * @property {string} job        jobs/<job>.q and tests/parity/<job>.sql
 * @property {string} title
 * @property {boolean} ordered   the job fixes the row order (ORDER BY), else rows compare as a set keyed by the first column
 * @property {string} duckdbTab  the SELECT a DuckDB user would write over tab-separated columns (SOURCE stands for read_csv(...))
 * @property {string} mawk       the awk program; its output goes through `post` if set
 * @property {string} [post]     a shell pipeline after mawk
 */

/** @type {Record<string, Query>} */
export const QUERIES = {
  os_requests: {
    job: 'os_requests',
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
    job: 'top_uris',
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
 * lenient dates and INT conversion) as a view, and the job's own query file.
 * @param {string} root
 * @param {string} input  the jobs' INPUT
 * @param {string} job
 * @returns {{ setup: string, query: string }}
 */
function exactSql(root, input, job) {
  const dir = path.join(root, 'tests/parity');
  /** @param {string} sql */
  const substitute = (sql) => sql.replace(/\$\{(\w+)\}/g, (whole, name) => ({ INPUT: input, FROM, TO })[/** @type {'INPUT'} */ (name)] ?? whole);
  const tables = readFileSync(path.join(dir, '_tables.sql'), 'utf8');
  const m = /CREATE TABLE cloudfront_logs AS\s([\s\S]*?\nFROM parsed;)/.exec(tables);
  if (!m) throw new Error('tests/parity/_tables.sql no longer has "CREATE TABLE cloudfront_logs AS ... FROM parsed;": update bench/lib/contenders.mjs');
  const setup = `${readFileSync(path.join(dir, '_hive_semantics.sql'), 'utf8')}\n\nCREATE VIEW cloudfront_logs AS\n${substitute(m[1])}\n`;
  const query = substitute(readFileSync(path.join(dir, `${job}.sql`), 'utf8'));
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
 * @property {boolean} [exact]     the DuckDB formulation of Hive's exact semantics
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
 * @param {string} options.mawk
 * @param {number} options.exactRuns  0: leave the exact formulation out
 * @param {number} options.exactTimeout
 * @returns {Contender[]}
 */
export function contenders({ root, query, data, runs, cores, workers, mawk, exactRuns, exactTimeout }) {
  const node = process.execPath;
  const cli = path.join(root, 'bin/loghive.js');
  const jobFile = path.join(root, 'jobs', `${query.job}.q`);

  /** @param {number | null} n */
  const loghive = (n) => /** @type {Contender} */ ({
    id: n === null ? 'loghive' : `loghive-${n}`,
    name: n === null ? 'loghive (default workers)' : `loghive, ${n} worker${n === 1 ? '' : 's'}`,
    description: `node bin/loghive.js run -f jobs/${query.job}.q -d INPUT=… -d OUTPUT=… -d FROM=${FROM} -d TO=${TO} --quiet${n === null ? '' : ` --workers ${n}`}`,
    runs,
    prepare: (scratch, run) => {
      const output = path.join(scratch, `loghive-${n ?? 'default'}-run${run}`);
      const args = [cli, 'run', '-f', jobFile, '-d', `INPUT=${data.input}`, '-d', `OUTPUT=${output}`, '-d', `FROM=${FROM}`, '-d', `TO=${TO}`, '--quiet'];
      if (n !== null) args.push('--workers', String(n));
      return {
        command: node,
        args,
        // Every output file of the job, in order (000000_0, 000001_0, ...), concatenated.
        answer: () => {
          const dir = path.join(output, query.job);
          const files = readdirSync(dir).filter((f) => !f.startsWith('.') && !f.startsWith('_')).sort();
          const joined = path.join(scratch, `loghive-${n ?? 'default'}-run${run}.rows`);
          writeFileSync(joined, Buffer.concat(files.map((f) => readFileSync(path.join(dir, f)))));
          return joined;
        },
      };
    },
  });

  /**
   * @param {string} id @param {string} name @param {string} description
   * @param {{ setup?: string, query: string }} sql @param {Partial<Contender>} extra
   * @returns {Contender}
   */
  const duck = (id, name, description, sql, extra = {}) => ({
    id,
    name,
    description,
    runs,
    ...extra,
    prepare: (scratch) => {
      const args = [path.join(root, 'bench/duckdb-query.mjs'), '--threads', String(cores)];
      if (sql.setup !== undefined) {
        const setupFile = path.join(scratch, `${id}-setup.sql`);
        writeFileSync(setupFile, sql.setup);
        args.push('--setup', setupFile);
      }
      const queryFile = path.join(scratch, `${id}-query.sql`);
      writeFileSync(queryFile, sql.query);
      args.push('--query', queryFile);
      return { command: node, args, answer: (stdoutFile) => stdoutFile };
    },
  });

  /** @type {Contender[]} */
  const list = [];
  if (workers === true) {
    list.push(loghive(1));
    if (cores > 1) list.push(loghive(cores));
  } else {
    list.push(loghive(null));
  }
  list.push(
    duck('duckdb-tab', 'DuckDB, tab-separated columns', `read_csv(delim='\\t', quote='', escape='', typed columns, ignore_errors=true)${query.job === 'os_requests' ? ", OS by regexp_extract(ua, '\\(([^;]+)', 1)" : ''}; ${cores} threads`, {
      query: query.duckdbTab.replace('SOURCE', tabSource(data.dataDir)),
    }),
  );
  if (exactRuns > 0) {
    list.push(
      duck('duckdb-exact', 'DuckDB, Hive-exact formulation', `tests/parity formulation: whole-line tutorial regex (RE2), Hadoop line splitting, Hive casts; ${cores} threads`, exactSql(root, data.input, query.job), {
        exact: true,
        runs: Math.min(exactRuns, runs),
        timeoutSeconds: exactTimeout,
      }),
    );
  }
  list.push({
    id: 'mawk',
    name: query.post ? 'mawk, then sort and head' : 'mawk',
    description: query.post ? `mawk -F'\\t' '…' files | ${query.post}` : `mawk -F'\\t' '…' files`,
    runs,
    prepare: () => {
      if (!query.post) return { command: mawk, args: ['-F', '\t', query.mawk, ...data.files], answer: (f) => f };
      // sh -c SCRIPT sh MAWK PROGRAM FILES...: the program and file names stay out of the shell's parsing.
      const script = `m="$1"; p="$2"; shift 2; "$m" -F "$(printf '\\t')" "$p" "$@" | ${query.post}`;
      return { command: '/bin/sh', args: ['-c', script, 'sh', mawk, query.mawk, ...data.files], answer: (f) => f };
    },
  });
  return list;
}
