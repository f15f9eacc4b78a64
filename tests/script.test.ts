import { describe, expect, it } from 'vitest';
import { UndefinedVariableError } from '../src/hive/errors.js';
import { HiveVariables, splitStatements, substituteVariables } from '../src/hive/script.js';
import { unescapeHiveString } from '../src/hive/string-literal.js';

describe('splitStatements', () => {
  it('splits on semicolons outside quotes and comments, like the hive CLI', () => {
    // Arrange
    const script = "SET a=1;\n-- a comment; with a semicolon\nSELECT 'x;y', \"p;q\" FROM t; -- trailing; comment\n\n";

    // Act
    const statements = splitStatements(script);

    // Assert
    expect(statements.map((s) => s.text.trim())).toEqual(['SET a=1', "-- a comment; with a semicolon\nSELECT 'x;y', \"p;q\" FROM t"]);
    expect(statements[1]!.offset).toBe(8);
  });

  it('keeps an escaped quote inside a literal (the tutorial regex has \\; inside a string)', () => {
    const statements = splitStatements("SELECT 'it\\'s; fine', '[^\\;]+' FROM t;");
    expect(statements).toHaveLength(1);
  });

  it('drops statements that are only comments or whitespace', () => {
    expect(splitStatements('-- only a comment\n;  ;\n')).toEqual([]);
  });
});

describe('substituteVariables', () => {
  const script = "SELECT '${INPUT}/x' FROM t WHERE d = '${hiveconf:DAY}' AND e = '${env:LOGHIVE_TEST_ENV}';";

  it('substitutes -d, hiveconf and env variables', () => {
    // Arrange
    const vars = new HiveVariables({ LOGHIVE_TEST_ENV: 'from-env' });
    vars.hivevar.set('INPUT', 's3://bucket/in');
    vars.hiveconf.set('DAY', '2014-07-05');
    const [stmt] = splitStatements(script);

    // Act
    const source = substituteVariables(stmt!, script, vars, 'job.q');

    // Assert
    expect(source.text).toBe("SELECT 's3://bucket/in/x' FROM t WHERE d = '2014-07-05' AND e = 'from-env'");
  });

  it('maps positions after a substitution back to the original script', () => {
    const vars = new HiveVariables({ LOGHIVE_TEST_ENV: 'e' });
    vars.hivevar.set('INPUT', 'a-much-longer-value-than-the-variable');
    vars.hiveconf.set('DAY', 'd');
    const [stmt] = splitStatements(script);
    const source = substituteVariables(stmt!, script, vars, 'job.q');
    const fromOffset = source.text.indexOf('FROM');
    expect(source.position(fromOffset)).toEqual({ file: 'job.q', line: 1, column: script.indexOf('FROM') + 1 });
  });

  it('names an undefined variable and its line', () => {
    const text = "SET x=1;\n\nSELECT '${OUTPUT}' FROM t;";
    const statements = splitStatements(text);
    const act = () => substituteVariables(statements[1]!, text, new HiveVariables({}), 'job.q');
    expect(act).toThrow(UndefinedVariableError);
    expect(act).toThrow(/job\.q:3:9: variable \$\{OUTPUT\} is not defined/);
  });

  it('substitutes values that themselves contain variables, as Hive does', () => {
    const vars = new HiveVariables({});
    vars.hivevar.set('BASE', 's3://b');
    vars.hivevar.set('INPUT', '${BASE}/logs');
    const text = "SELECT '${INPUT}' FROM t";
    const source = substituteVariables(splitStatements(text)[0]!, text, vars, undefined);
    expect(source.text).toBe("SELECT 's3://b/logs' FROM t");
  });
});

describe('unescapeHiveString (BaseSemanticAnalyzer.unescapeSQLString)', () => {
  it.each([
    ['\\\\s+', '\\s+'],
    ['[^\\(]+[\\(]', '[^(]+[(]'],
    ['([^\\;]+)', '([^;]+)'],
    ['\\%20', '\\%20'],
    ['a\\_b', 'a\\_b'],
    ['\\t\\n\\r', '\t\n\r'],
    ["it\\'s", "it's"],
    ['\\001', '\u0001'],
    ['\\u0041', 'A'],
    ['\\/', '/'],
  ])('unescapes %s to %s', (input, expected) => {
    expect(unescapeHiveString(input)).toBe(expected);
  });
});
