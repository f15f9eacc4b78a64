import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { tempDir } from './helpers.js';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'loghive', ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

describe('loghive run', () => {
  const dir = tempDir();

  it('runs the os_requests job on the bundled sample data and prints a table and counters', async () => {
    // Act
    const { code, stdout, stderr } = await cli('run', '-f', 'jobs/os_requests.q', '-d', 'INPUT=sample-data', '-d', `OUTPUT=${dir}`, '-d', 'FROM=2014-07-05', '-d', 'TO=2014-08-05', '--table');

    // Assert
    expect(code).toBe(0);
    const file = readFileSync(path.join(dir, 'os_requests/000000_0'), 'utf8');
    const rows = file.trimEnd().split('\n').map((l) => l.split('\u0001'));
    expect(rows.map((r) => r[0])).toEqual(['Android', 'Linux', 'MacOS', 'OSX', 'Windows', 'iOS']);
    expect(stdout).toMatch(/^os\s+count$/m);
    expect(stdout).toMatch(/\(6 rows\)/);
    expect(stderr).toMatch(/Map input records\s+4,000/);
    expect(stderr).toMatch(/Malformed records \(did not match the SerDe\)\s+\d+/);
  });

  it('exits 1 naming an undefined variable and its line', async () => {
    const { code, stderr } = await cli('run', '-f', 'jobs/os_requests.q', '-d', 'INPUT=sample-data', '-d', `OUTPUT=${dir}`, '-d', 'FROM=2014-07-05');
    expect(code).toBe(1);
    expect(stderr).toMatch(/jobs\/os_requests\.q:\d+:\d+: variable \$\{TO\} is not defined/);
  });

  it('exits 2 for a construct the local engine does not run, before reading any data', async () => {
    const script = path.join(dir, 'join.q');
    writeFileSync(script, "CREATE EXTERNAL TABLE a (x STRING) LOCATION '/nonexistent';\nSELECT * FROM a\n  JOIN a b ON a.x = b.x;\n");
    const { code, stderr } = await cli('run', '-f', script);
    expect(code).toBe(2);
    expect(stderr).toContain(`${script}:3:3: JOIN is not supported by the local engine`);
  });

  it('exits 64 for wrong usage', async () => {
    expect((await cli('run')).code).toBe(64);
    expect((await cli('run', '-f', path.join(dir, 'missing.q'))).stderr).toMatch(/cannot read script .*missing\.q: no such file/);
    expect((await cli('run', '-f', 'jobs/os_requests.q', '-d', 'NOEQUALS')).code).toBe(64);
  });

  it('runs HiveQL given with -e and prints rows like the hive CLI', async () => {
    const data = path.join(dir, 'e');
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(data, 'f'), 'a\u00011\nb\u0001\\N\n');
    const { code, stdout } = await cli('run', '-q', '-e', `CREATE EXTERNAL TABLE t (k STRING, v INT) LOCATION '${data}'; SELECT k, v, v / 2 FROM t;`);
    expect(code).toBe(0);
    expect(stdout).toBe('a\t1\t0.5\nb\tNULL\tNULL\n');
  });
});

describe('loghive explain', () => {
  it('prints the map-reduce stages of the tutorial query without reading data', async () => {
    const { code, stdout } = await cli('explain', '-f', 'jobs/os_requests.q', '-d', 'INPUT=/nonexistent', '-d', 'OUTPUT=/tmp/x', '-d', 'FROM=2014-07-05', '-d', 'TO=2014-08-05');
    expect(code).toBe(0);
    expect(stdout).toContain('Stage-1 is a root stage');
    expect(stdout).toContain('alias: cloudfront_logs');
    expect(stdout).toContain('columns read: dateobject, os');
    expect(stdout).toMatch(/predicate: \(dateobject BETWEEN '2014-07-05' AND '2014-08-05'\)/);
    expect(stdout).toContain('Group By Operator (mode: hash, the map-side combiner)');
    expect(stdout).toContain('aggregations: count(*)');
    expect(stdout).toContain('Group By Operator (mode: mergepartial)');
    expect(stdout).toContain("directory: /tmp/x/os_requests/");
  });

  it('adds a single-reducer ordering stage for ORDER BY … LIMIT', async () => {
    const { stdout } = await cli('explain', '-f', 'jobs/top_uris.q', '-d', 'INPUT=/x', '-d', 'OUTPUT=/y', '-d', 'FROM=2014-07-05', '-d', 'TO=2014-08-05');
    expect(stdout).toContain('Stage-2 depends on stages: Stage-1');
    expect(stdout).toContain('Reduce Operator Tree (reducers: 1)');
    expect(stdout).toContain('number of rows: 100');
  });
});

describe('loghive generate', () => {
  it('writes the requested lines deterministically', async () => {
    const dir = tempDir();
    const a = await cli('generate', '--format', 'combined', '--lines', '50', '--seed', '3', '--out', path.join(dir, 'a'));
    await cli('generate', '--format', 'combined', '--lines', '50', '--seed', '3', '--out', path.join(dir, 'b'));
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/wrote 50 lines/);
    expect(readFileSync(path.join(dir, 'a/access.log.1'))).toEqual(readFileSync(path.join(dir, 'b/access.log.1')));
  });
});
