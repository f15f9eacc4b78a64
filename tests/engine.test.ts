import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { SemanticError, UnsupportedError } from '../src/hive/errors.js';
import { parseHiveText, runScript, tempDir } from './helpers.js';

const TUTORIAL = readFileSync(new URL('./fixtures/Hive_CloudFront.q', import.meta.url), 'utf8');

/** Lines of the tutorial's sample format (11 tab-separated fields). */
function sampleLine(date: string, os: string, opts: { bytes?: string; browser?: string; uri?: string; status?: string } = {}): string {
  return [date, '20:00:00', 'LHR3', opts.bytes ?? '4260', '10.0.0.15', 'GET', 'eabcd12345678.cloudfront.net', opts.uri ?? '/test-image-1.jpeg', opts.status ?? '200', '-', `Mozilla/5.0%20(${os};%20U;%20Windows%20NT%205.1;%20en-US;%20rv:1.9.0.9)%20Gecko/2009040821%20${opts.browser ?? 'IE'}/3.0.9`].join('\t');
}

describe('the tutorial script, unchanged', () => {
  const dir = tempDir();
  const input = path.join(dir, 'in');
  const output = path.join(dir, 'out');

  beforeAll(() => {
    mkdirSync(path.join(input, 'cloudfront/data'), { recursive: true });
    const lines = [
      sampleLine('2014-07-05', 'Windows'),
      sampleLine('2014-07-06', 'Linux'),
      sampleLine('2014-07-07', 'Windows', { bytes: '-' }),
      sampleLine('2014-08-06', 'Windows'), // after the range
      sampleLine('2014-07-04', 'iOS'), // before the range
      '#Version: 1.0', // does not match: (?!#)
      'garbage without tabs',
      sampleLine('2014-08-05', 'MacOS'), // the range is inclusive
    ];
    writeFileSync(path.join(input, 'cloudfront/data/log1'), lines.slice(0, 4).join('\n') + '\n');
    writeFileSync(path.join(input, 'cloudfront/data/log2'), lines.slice(4).join('\r\n'));
    writeFileSync(path.join(input, 'cloudfront/data/_SUCCESS'), 'not data\n');
    writeFileSync(path.join(input, 'cloudfront/data/.hidden'), 'not data\n');
  });

  it('writes os_requests/000000_0 in Hive format: \\x01 between fields, groups in key order', async () => {
    // Act
    const { result, stderr } = await runScript(TUTORIAL, { INPUT: input, OUTPUT: output });

    // Assert
    const files = readdirSync(path.join(output, 'os_requests'));
    expect(files).toEqual(['000000_0']);
    const text = readFileSync(path.join(output, 'os_requests/000000_0'), 'utf8');
    expect(text).toBe('Linux\u00011\nMacOS\u00011\nWindows\u00012\n');
    expect(result.counters.get('inputFiles')).toBe(2);
    expect(result.counters.get('recordsRead')).toBe(8);
    expect(result.counters.get('malformedRecords')).toBe(2);
    expect(result.counters.get('outputRecords')).toBe(3);
    expect(result.malformedSamples.map((m) => m.line)).toEqual([2, 3]);
    expect(stderr).toMatch(/test\.q:6:3: column name Time is a reserved word in Hive 3/);
  });

  it('replaces the output directory on a second run', async () => {
    mkdirSync(path.join(output, 'os_requests'), { recursive: true });
    writeFileSync(path.join(output, 'os_requests/stale_file'), 'old');
    await runScript(TUTORIAL, { INPUT: input, OUTPUT: output });
    expect(readdirSync(path.join(output, 'os_requests'))).toEqual(['000000_0']);
    expect(readdirSync(output).filter((f) => f.startsWith('.loghive'))).toEqual([]);
  });
});

describe('queries', () => {
  const dir = tempDir();
  const data = path.join(dir, 'people');
  const ddl = `CREATE EXTERNAL TABLE people (name STRING, age INT, city STRING, score DOUBLE)
    ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '${data}';`;

  beforeAll(() => {
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(data, 'part1.csv'), 'ann,30,Paris,1.5\nbob,\\N,Paris,2\ncid,25,Oslo,\ndan,x,,0.25\n');
    writeFileSync(path.join(data, 'part2.csv.gz'), gzipSync('eve,41,Oslo,10000000\nfay,30,Paris\n'));
  });

  const rows = async (select: string) => {
    const { stdout } = await runScript(`${ddl}\n${select};`);
    return stdout === '' ? [] : stdout.replace(/\n$/, '').split('\n');
  };

  it('prints a plain SELECT tab-separated, NULL as NULL, doubles as Java prints them', async () => {
    expect(await rows('SELECT name, age, score FROM people')).toEqual([
      'ann\t30\t1.5',
      'bob\tNULL\t2.0',
      'cid\t25\tNULL',
      'dan\tNULL\t0.25',
      'eve\t41\t1.0E7',
      'fay\t30\tNULL',
    ]);
  });

  it('compares strings in code-point order, with ASCII literals and without', async () => {
    // Arrange: U+FF21 (a BMP unit above the surrogates) must sort below U+1F600 (a surrogate pair), unlike JS's code-unit order
    const words = path.join(dir, 'words');
    mkdirSync(words, { recursive: true });
    writeFileSync(path.join(words, 'w.txt'), ['b', 'B', 'b\uff21', 'b\u{1f600}', '\uff21', '\u{1f600}', 'ba', ''].join('\n') + '\n');
    const table = `CREATE EXTERNAL TABLE words (w STRING) LOCATION '${words}';`;
    const run = async (where: string) => {
      const { stdout } = await runScript(`${table}\nSELECT w FROM words WHERE ${where};`);
      return stdout.replace(/\n$/, '').split('\n').sort();
    };

    // Act + Assert: an ASCII literal on either side (the fast path) and a non-ASCII literal (the general path)
    expect(await run("w > 'b'")).toEqual(['ba', 'b\u{1f600}', 'b\uff21', '\u{1f600}', '\uff21'].sort());
    expect(await run("'b' <= w")).toEqual(['b', 'ba', 'b\u{1f600}', 'b\uff21', '\u{1f600}', '\uff21'].sort());
    expect(await run("w BETWEEN 'b' AND 'bz'")).toEqual(['b', 'ba'].sort());
    expect(await run("w < '\uff21'")).toEqual(['', 'B', 'b', 'ba', 'b\u{1f600}', 'b\uff21'].sort());
    expect(await run("w > '\uff21'")).toEqual(['\u{1f600}']);
  });

  it('applies three-valued logic: NULL comparisons drop rows, IS NULL finds them', async () => {
    expect(await rows('SELECT name FROM people WHERE age > 26')).toEqual(['ann', 'eve', 'fay']);
    expect(await rows('SELECT name FROM people WHERE NOT (age > 26)')).toEqual(['cid']);
    expect(await rows('SELECT name FROM people WHERE age IS NULL OR age < 26')).toEqual(['bob', 'cid', 'dan']);
  });

  it('aggregates with COUNT(*), COUNT(x), COUNT(DISTINCT x), SUM, AVG, MIN, MAX', async () => {
    expect(await rows('SELECT city, COUNT(*), COUNT(age), COUNT(DISTINCT age), SUM(age), AVG(age), MIN(name), MAX(score) FROM people GROUP BY city')).toEqual([
      '\t1\t0\t0\tNULL\tNULL\tdan\t0.25',
      'Oslo\t2\t2\t2\t66\t33.0\tcid\t1.0E7',
      'Paris\t3\t2\t1\t60\t30.0\tann\t2.0',
    ]);
  });

  it('gives one row for a global aggregate over no rows', async () => {
    expect(await rows("SELECT COUNT(*), SUM(age), MAX(name) FROM people WHERE city = 'Nowhere'")).toEqual(['0\tNULL\tNULL']);
  });

  it('orders with NULLs first ascending and last descending, and limits', async () => {
    expect(await rows('SELECT name, age FROM people ORDER BY age, name')).toEqual(['bob\tNULL', 'dan\tNULL', 'cid\t25', 'ann\t30', 'fay\t30', 'eve\t41']);
    expect(await rows('SELECT name, age FROM people ORDER BY age DESC, name LIMIT 3')).toEqual(['eve\t41', 'ann\t30', 'fay\t30']);
  });

  it('filters groups with HAVING and orders by an aggregate alias', async () => {
    expect(await rows('SELECT city, COUNT(*) AS n FROM people GROUP BY city HAVING n > 1 ORDER BY n DESC')).toEqual(['Paris\t3', 'Oslo\t2']);
  });

  it('runs a subquery in FROM', async () => {
    expect(await rows("SELECT c, n FROM (SELECT city AS c, COUNT(*) AS n FROM people WHERE city <> '' GROUP BY city) t WHERE n >= 2 ORDER BY c")).toEqual(['Oslo\t2', 'Paris\t3']);
  });

  it('divides integers into DOUBLE and compares strings with numbers as doubles', async () => {
    expect(await rows("SELECT age / 4, age DIV 4, age % 7 FROM people WHERE name = 'ann'")).toEqual(['7.5\t7\t2']);
    expect(await rows("SELECT name FROM people WHERE age = '30.0'")).toEqual(['ann', 'fay']);
  });

  it('supports SELECT DISTINCT', async () => {
    expect(await rows('SELECT DISTINCT city FROM people')).toEqual(['', 'Oslo', 'Paris']);
  });

  it('writes INSERT OVERWRITE DIRECTORY with ROW FORMAT DELIMITED and \\N for NULL', async () => {
    const out = path.join(dir, 'out-csv');
    await runScript(`${ddl}\nINSERT OVERWRITE DIRECTORY '${out}' ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' SELECT name, age FROM people WHERE city = 'Paris';`);
    // A map-only job writes one file per map task (one per input file here).
    expect(readdirSync(out)).toEqual(['000000_0', '000001_0']);
    expect(readFileSync(path.join(out, '000000_0'), 'utf8')).toBe('ann,30\nbob,\\N\n');
    expect(readFileSync(path.join(out, '000001_0'), 'utf8')).toBe('fay,30\n');
  });

  it('honours mapreduce.job.reduces: one output file per reducer, each in key order', async () => {
    const out = path.join(dir, 'out-reducers');
    await runScript(`${ddl}\nSET mapreduce.job.reduces=3;\nINSERT OVERWRITE DIRECTORY '${out}' SELECT name, COUNT(*) FROM people GROUP BY name;`);
    const files = readdirSync(out);
    expect(files).toEqual(['000000_0', '000001_0', '000002_0']);
    const all = files.flatMap((f) => parseHiveText(readFileSync(path.join(out, f), 'utf8')));
    expect(all.map((r) => r[0]).sort()).toEqual(['ann', 'bob', 'cid', 'dan', 'eve', 'fay']);
    for (const f of files) {
      const names = parseHiveText(readFileSync(path.join(out, f), 'utf8')).map((r) => r[0]!);
      expect(names).toEqual([...names].sort());
    }
  });
});

describe('tables: partitions, headers, CSV', () => {
  const dir = tempDir();
  const root = path.join(dir, 'logs');

  beforeAll(() => {
    for (const dt of ['2014-07-05', '2014-07-06', '2014-07-07']) {
      mkdirSync(path.join(root, `dt=${dt}`), { recursive: true });
      writeFileSync(path.join(root, `dt=${dt}`, 'part-0'), `#header\n${dt}\tGET\t200\n${dt}\tPOST\t404\n`);
    }
    mkdirSync(path.join(dir, 'csv'), { recursive: true });
    writeFileSync(path.join(dir, 'csv/a.csv'), 'id,comment\n1,"hello, world"\n2,"say ""hi"""\n3\n');
  });

  const partitioned = (root: string) => `CREATE EXTERNAL TABLE logs (d STRING, method STRING, status INT) PARTITIONED BY (dt STRING)
      ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION '${root}' TBLPROPERTIES ('skip.header.line.count'='1');`;

  it('registers partitions with MSCK REPAIR and prunes them by the WHERE clause', async () => {
    const { result, stdout } = await runScript(`${partitioned(root)}\nMSCK REPAIR TABLE logs;\nSELECT dt, COUNT(*) FROM logs WHERE dt >= '2014-07-06' GROUP BY dt;`);
    expect(stdout).toBe('2014-07-06\t2\n2014-07-07\t2\n');
    expect(result.counters.get('inputFiles')).toBe(2);
    expect(result.counters.get('skippedHeaderLines')).toBe(2);
  });

  it('reads nothing from a partitioned table whose partitions are not registered, as Hive does', async () => {
    const { stdout } = await runScript(`${partitioned(root)}\nSELECT COUNT(*) FROM logs;`);
    expect(stdout).toBe('0\n');
  });

  it('registers partitions with ALTER TABLE ADD PARTITION', async () => {
    const { stdout } = await runScript(`${partitioned(root)}\nALTER TABLE logs ADD PARTITION (dt='2014-07-05');\nSELECT dt, method, status FROM logs WHERE status = 404;`);
    expect(stdout).toBe('2014-07-05\tPOST\t404\n');
  });

  it('reads CSV with the OpenCSVSerde (quotes, doubled quotes, missing fields as NULL)', async () => {
    const { stdout } = await runScript(`CREATE EXTERNAL TABLE c (id INT, comment STRING) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
      LOCATION '${path.join(dir, 'csv')}' TBLPROPERTIES ('skip.header.line.count'='1');\nSELECT id, comment FROM c;`);
    expect(stdout).toBe('1\thello, world\n2\tsay "hi"\n3\tNULL\n');
  });
});

describe('bad input', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out');
  const table = (loc: string) => `CREATE EXTERNAL TABLE t (a STRING, b INT) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe' WITH SERDEPROPERTIES ('input.regex'='(\\\\w+) (\\\\d+)') LOCATION '${loc}';`;

  it('names an unknown table with its position', async () => {
    await expect(runScript('SELECT a\nFROM missing_table;')).rejects.toThrow(SemanticError);
    await expect(runScript('SELECT a\nFROM missing_table;')).rejects.toThrow("test.q:2:6: Table not found 'missing_table'");
  });

  it('names an unknown column with its position', async () => {
    mkdirSync(path.join(dir, 'in'), { recursive: true });
    await expect(runScript(`${table(path.join(dir, 'in'))}\nSELECT nope FROM t;`)).rejects.toThrow("test.q:2:8: Invalid column reference 'nope'");
  });

  it('fails an unsupported construct before touching existing output', async () => {
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'keep'), 'previous results');
    const script = `${table(path.join(dir, 'in'))}\nINSERT OVERWRITE DIRECTORY '${out}' SELECT a FROM t;\nSELECT a FROM t JOIN t u ON t.a = u.a;`;
    await expect(runScript(script)).rejects.toThrow(UnsupportedError);
    expect(readFileSync(path.join(out, 'keep'), 'utf8')).toBe('previous results');
  });

  it('rejects a regex whose group count does not match the columns', async () => {
    const script = `CREATE EXTERNAL TABLE t (a STRING) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe' WITH SERDEPROPERTIES ('input.regex'='(a)(b)') LOCATION '${dir}';`;
    await expect(runScript(script)).rejects.toThrow(/2 capturing groups but the table has 1 columns/);
  });

  it('rejects an invalid regex', async () => {
    const script = `CREATE EXTERNAL TABLE t (a STRING) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe' WITH SERDEPROPERTIES ('input.regex'='(a') LOCATION '${dir}';`;
    await expect(runScript(script)).rejects.toThrow(/regex/i);
  });

  it('warns about a missing input path and writes an empty result, as Hive does', async () => {
    const { stdout, stderr } = await runScript(`${table(path.join(dir, 'does-not-exist'))}\nSELECT COUNT(*) FROM t;`);
    expect(stdout).toBe('0\n');
    expect(stderr).toMatch(/does-not-exist does not exist/);
  });

  it('reads empty files, binary garbage and a 1 MB line without crashing, counting what does not match', async () => {
    const inDir = path.join(dir, 'odd');
    mkdirSync(inDir, { recursive: true });
    writeFileSync(path.join(inDir, 'empty'), '');
    writeFileSync(path.join(inDir, 'garbage'), Buffer.from([0, 255, 254, 10, 0x80, 0x81, 13, 10, 65, 32, 49, 10]));
    writeFileSync(path.join(inDir, 'long'), `${'x'.repeat(1 << 20)} 5\n`);
    const { result, stdout } = await runScript(`${table(inDir)}\nSELECT a, b FROM t WHERE a IS NOT NULL;`);
    expect(stdout).toBe(`A\t1\n${'x'.repeat(1 << 20)}\t5\n`);
    expect(result.counters.get('recordsRead')).toBe(4);
    expect(result.counters.get('malformedRecords')).toBe(2);
  });

  it('gives NULL for a field that fails conversion without making the line malformed', async () => {
    const inDir = path.join(dir, 'overflow');
    mkdirSync(inDir, { recursive: true });
    writeFileSync(path.join(inDir, 'f'), 'a 99999999999\n');
    const { result, stdout } = await runScript(`${table(inDir)}\nSELECT a, b FROM t;`);
    expect(stdout).toBe('a\tNULL\n');
    expect(result.counters.get('malformedRecords')).toBe(0);
  });

  it('leaves no output directory when a query fails while reading', async () => {
    const inDir = path.join(dir, 'bz');
    mkdirSync(inDir, { recursive: true });
    writeFileSync(path.join(inDir, 'f.bz2'), 'BZh9');
    const target = path.join(dir, 'never');
    await expect(runScript(`${table(inDir)}\nINSERT OVERWRITE DIRECTORY '${target}' SELECT a FROM t;`)).rejects.toThrow(/bzip2-compressed input is not supported/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.loghive'))).toEqual([]);
  });
});
