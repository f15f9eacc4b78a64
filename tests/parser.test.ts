import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CreateTableStatement, InsertDirectoryStatement, QueryStatement } from '../src/hive/ast.js';
import { HiveParseError, UnsupportedError } from '../src/hive/errors.js';
import { parseStatement } from '../src/hive/parser.js';
import { HiveVariables, splitStatements, substituteVariables } from '../src/hive/script.js';
import { SourceText } from '../src/hive/source-text.js';

const parse = (sql: string) => parseStatement(new SourceText(sql, 'test.q'));

describe('parseStatement: the tutorial script', () => {
  const script = readFileSync(new URL('./fixtures/Hive_CloudFront.q', import.meta.url), 'utf8');
  const vars = new HiveVariables({});
  vars.hivevar.set('INPUT', 'sample-data');
  vars.hivevar.set('OUTPUT', 'out');
  const parsed = splitStatements(script).map((s) => parseStatement(substituteVariables(s, script, vars, 'Hive_CloudFront.q')));

  it('reads the CREATE TABLE with the RegexSerDe and the unescaped regex', () => {
    // Assert
    const create = parsed[0]!.statement as CreateTableStatement;
    expect(create.kind).toBe('create-table');
    expect(create.external).toBe(true);
    expect(create.ifNotExists).toBe(true);
    expect(create.columns.map((c) => `${c.name}:${c.type.name}`)).toEqual([
      'dateobject:date', 'time:string', 'location:string', 'bytes:int', 'requestip:string', 'method:string', 'host:string',
      'uri:string', 'status:int', 'referrer:string', 'os:string', 'browser:string', 'browserversion:string',
    ]);
    expect(create.rowFormat).toMatchObject({ kind: 'serde', className: 'org.apache.hadoop.hive.serde2.RegexSerDe' });
    const regex = (create.rowFormat as unknown as { properties: Map<string, string> }).properties.get('input.regex');
    expect(regex).toBe('^(?!#)([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+[^(]+[(]([^;]+).*\\%20([^/]+)[/](.*)$');
    expect(create.location).toBe('sample-data/cloudfront/data');
  });

  it('warns, with the position, that the column name Time is reserved in Hive 3', () => {
    expect(parsed[0]!.warnings).toHaveLength(1);
    expect(parsed[0]!.warnings[0]!.position).toEqual({ file: 'Hive_CloudFront.q', line: 6, column: 3 });
    expect(parsed[0]!.warnings[0]!.message).toMatch(/reserved word in Hive 3/);
  });

  it('reads the INSERT with an alias written without AS', () => {
    const insert = parsed[1]!.statement as InsertDirectoryStatement;
    expect(insert.path).toBe('out/os_requests/');
    const items = insert.query.items;
    expect(items[1]).toMatchObject({ kind: 'expr', alias: 'count', expr: { kind: 'call', name: 'count', star: true } });
    expect(insert.query.where).toMatchObject({ kind: 'between', operand: { kind: 'column', name: 'dateobject' } });
    expect(insert.query.groupBy).toMatchObject([{ kind: 'column', name: 'os' }]);
  });
});

describe('parseStatement: expressions', () => {
  const expr = (sql: string) => (parse(`SELECT ${sql} FROM t`).statement as QueryStatement).query.items[0];

  it('gives AND precedence over OR and comparisons over AND', () => {
    expect(expr('a = 1 OR b = 2 AND c = 3')).toMatchObject({
      expr: { kind: 'binary', op: 'OR', right: { kind: 'binary', op: 'AND', left: { op: '=' } } },
    });
  });

  it('gives * precedence over + and folds negative literals', () => {
    expect(expr('-1 + 2 * 3')).toMatchObject({ expr: { op: '+', left: { kind: 'literal', value: -1 }, right: { op: '*' } } });
  });

  it('types numeric literals as Hive does', () => {
    expect(expr('1')).toMatchObject({ expr: { type: { name: 'int' } } });
    expect(expr('3000000000')).toMatchObject({ expr: { type: { name: 'bigint' } } });
    expect(expr('1.5')).toMatchObject({ expr: { type: { name: 'double' } } });
    expect(expr('10L')).toMatchObject({ expr: { type: { name: 'bigint' } } });
    expect(expr('1.50BD')).toMatchObject({ expr: { type: { name: 'decimal', scale: 2 } } });
  });

  it('reads NOT LIKE, NOT IN, NOT BETWEEN, IS NOT NULL, RLIKE, REGEXP', () => {
    expect(expr("a NOT LIKE 'x%'")).toMatchObject({ expr: { kind: 'like', op: 'LIKE', negated: true } });
    expect(expr('a NOT IN (1, 2)')).toMatchObject({ expr: { kind: 'in', negated: true } });
    expect(expr('a NOT BETWEEN 1 AND 2')).toMatchObject({ expr: { kind: 'between', negated: true } });
    expect(expr('a IS NOT NULL')).toMatchObject({ expr: { kind: 'isnull', negated: true } });
    expect(expr("a RLIKE 'x'")).toMatchObject({ expr: { kind: 'like', op: 'RLIKE' } });
    expect(expr("a REGEXP 'x'")).toMatchObject({ expr: { kind: 'like', op: 'RLIKE' } });
  });

  it('reads CASE, CAST, DATE literals, backquoted names and split(…)[i]', () => {
    expect(expr("CASE WHEN a > 1 THEN 'x' ELSE 'y' END")).toMatchObject({ expr: { kind: 'case', whens: [{ when: { op: '>' } }] } });
    expect(expr('CAST(a AS BIGINT)')).toMatchObject({ expr: { kind: 'cast', type: { name: 'bigint' } } });
    expect(expr("DATE '2014-07-05'")).toMatchObject({ expr: { kind: 'cast', type: { name: 'date' } } });
    expect(expr('`Time` AS `t`')).toMatchObject({ expr: { kind: 'column', name: 'time' }, alias: 't' });
    expect(expr("split(a, ',')[1]")).toMatchObject({ expr: { kind: 'index', operand: { kind: 'call', name: 'split' } } });
  });

  it('concatenates adjacent string literals', () => {
    expect(expr("'a' 'b'")).toMatchObject({ expr: { kind: 'literal', value: 'ab' } });
  });
});

describe('parseStatement: DDL', () => {
  it('reads ROW FORMAT DELIMITED with its options, PARTITIONED BY and TBLPROPERTIES', () => {
    const s = parse(
      "CREATE EXTERNAL TABLE logs (a STRING, b DECIMAL(10,2), c VARCHAR(20)) PARTITIONED BY (dt STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' NULL DEFINED AS '-' STORED AS TEXTFILE LOCATION 's3://b/logs' TBLPROPERTIES ('skip.header.line.count'='2')",
    ).statement as CreateTableStatement;
    expect(s.rowFormat).toEqual({ kind: 'delimited', fieldsTerminatedBy: '\t', escapedBy: '\\', nullDefinedAs: '-' });
    expect(s.partitionedBy.map((c) => c.name)).toEqual(['dt']);
    expect(s.columns[1]!.type).toEqual({ name: 'decimal', length: 10, scale: 2 });
    expect(s.tblProperties.get('skip.header.line.count')).toBe('2');
    expect(s.storedAs).toBe('TEXTFILE');
  });

  it('reads MSCK REPAIR TABLE and ALTER TABLE ADD PARTITION', () => {
    expect(parse('MSCK REPAIR TABLE logs').statement).toMatchObject({ kind: 'msck-repair', name: 'logs' });
    expect(parse("ALTER TABLE logs ADD IF NOT EXISTS PARTITION (dt='2014-07-05') LOCATION 'x' PARTITION (dt='2014-07-06')").statement).toMatchObject({
      kind: 'add-partition',
      ifNotExists: true,
      partitions: [{ location: 'x' }, { location: undefined }],
    });
  });

  it('reads SET key=value with anything in the value', () => {
    expect(parse('SET hive.exec.reducers.bytes.per.reducer = 1000').statement).toMatchObject({ kind: 'set', key: 'hive.exec.reducers.bytes.per.reducer', value: '1000' });
  });
});

describe('parseStatement: errors and unsupported constructs', () => {
  it.each([
    ['SELECT a FROM t JOIN u ON t.a = u.a', 'JOIN', 1, 17],
    ['SELECT a FROM t\nUNION ALL SELECT a FROM u', 'UNION', 2, 1],
    ['SELECT rank() OVER (ORDER BY a) FROM t', 'window function rank() OVER', 1, 15],
    ['SELECT TRANSFORM(a) USING "cat" FROM t', 'SELECT TRANSFORM (streaming scripts)', 1, 8],
    ['WITH x AS (SELECT 1 FROM t) SELECT * FROM x', 'WITH (common table expressions)', 1, 1],
    ['SELECT a FROM t LATERAL VIEW explode(b) x AS y', 'LATERAL VIEW', 1, 17],
    ['INSERT INTO TABLE t SELECT a FROM u', 'INSERT INTO (only INSERT OVERWRITE [LOCAL] DIRECTORY is)', 1, 1],
    ['SELECT a FROM t WHERE a IN (SELECT b FROM u)', 'IN (subquery)', 1, 29],
    ['ADD JAR s3://x.jar', 'ADD statement', 1, 1],
  ])('%s → "%s is not supported by the local engine" at %i:%i', (sql, construct, line, column) => {
    const act = () => parse(sql);
    expect(act).toThrow(UnsupportedError);
    expect(act).toThrow(`test.q:${line}:${column}: ${construct} is not supported by the local engine`);
  });

  it('reports a syntax error with its position', () => {
    const act = () => parse('SELECT a FROM t WHERE');
    expect(act).toThrow(HiveParseError);
    expect(act).toThrow(/test\.q:1:22: expected an expression but found end of statement/);
  });

  it('rejects a reserved word used as a column without backquotes', () => {
    expect(() => parse('SELECT a FROM t WHERE select = 1')).toThrow(HiveParseError);
  });
});
