import { afterEach, describe, expect, it } from 'vitest';
import { makeCast } from '../src/hive/cast.js';
import { T, decimalType, type HiveType, type HiveValue } from '../src/hive/types.js';
import { commonType, commonTypeForComparison } from '../src/functions/conditional.js';
import { javaDateFormat, setQueryTime } from '../src/functions/date.js';
import { FunctionRuntimeError, FunctionTypeError, functionNames, lookupFunction } from '../src/functions/registry.js';

type Arg = readonly [HiveValue, HiveType];
const s = (v: string | null): Arg => [v, T.string];
const i = (v: number | null): Arg => [v, T.int];
const d = (v: number | null): Arg => [v, T.double];
const b = (v: number | null): Arg => [v, T.bigint];
const dt = (v: string): Arg => [v, T.date];
const ts = (v: string): Arg => [v, T.timestamp];
const nul: Arg = [null, T.void];

/** Calls a function the way the analyzer does: argTypes, casts with makeCast, then impl. */
function call(name: string, ...args: readonly Arg[]): HiveValue {
  const f = lookupFunction(name);
  if (!f) throw new Error(`no function ${name}`);
  const actual = args.map((a) => a[1]);
  const wanted = f.argTypes(actual);
  return f.impl(args.map((a, k) => makeCast(a[1], wanted[k] ?? a[1])(a[0])));
}

function resultType(name: string, ...types: HiveType[]): HiveType {
  return lookupFunction(name)!.returnType(types);
}

describe('registry', () => {
  it('finds functions case-insensitively and lists them', () => {
    expect(lookupFunction('UPPER')?.name).toBe('upper');
    expect(lookupFunction('no_such_function')).toBeUndefined();
    expect(functionNames()).toContain('regexp_extract');
    expect(functionNames()).toContain('ucase');
  });

  it('reports a bad argument type with its index', () => {
    const f = lookupFunction('substr')!;
    let err: unknown;
    try {
      f.argTypes([T.string, T.double]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FunctionTypeError);
    expect((err as FunctionTypeError).argumentIndex).toBe(1);
  });
});

describe('string functions', () => {
  // Examples from the functions' @Description and from UDFSubstr/StringSubstrColStartLen.
  it.each<[string, Arg[], HiveValue]>([
    ['substr', [s('Facebook'), i(5)], 'book'],
    ['substr', [s('Facebook'), i(-5)], 'ebook'],
    ['substr', [s('Facebook'), i(5), i(1)], 'b'],
    ['substring', [s('abc'), i(0), i(2)], 'ab'],
    ['substr', [s('abc'), i(-4)], ''],
    ['substr', [s('abc'), i(4)], ''],
    ['substr', [s('abc'), i(1), i(-1)], ''],
    ['substr', [s('a😀b'), i(2), i(1)], '😀'],
    ['substr', [s('abc'), [3000000000, T.bigint]], null],
    ['substr', [s(null), i(1)], null],
    ['upper', [s('abc')], 'ABC'],
    ['ucase', [s('ß')], 'SS'],
    ['lcase', [s('ABC')], 'abc'],
    ['length', [s('a😀')], 2],
    ['concat', [s('a'), i(1), d(1.5), [true, T.boolean]], 'a11.5TRUE'],
    ['concat', [s('a'), s(null)], null],
    ['concat_ws', [s(','), s('a'), s(null), [['x', 'y'], T.stringArray]], 'a,x,y'],
    ['concat_ws', [s(null), s('a')], null],
    ['trim', [s(' \ta ')], '\ta'],
    ['ltrim', [s('  a ')], 'a '],
    ['rtrim', [s('  a ')], '  a'],
    ['reverse', [s('ab😀')], '😀ba'],
    // GenericUDFUtils.findText works on UTF-8 bytes: 'é' takes two.
    ['instr', [s('éa'), s('a')], 3],
    ['instr', [s('abc'), s('x')], 0],
    ['locate', [s('b'), s('abcb'), i(3)], 4],
    ['locate', [s('b'), s('abcb')], 2],
    ['lpad', [s('hi'), i(5), s('??')], '???hi'],
    ['lpad', [s('hi'), i(1), s('??')], 'h'],
    ['rpad', [s('hi'), i(5), s('??')], 'hi???'],
    ['rpad', [s('hi'), i(5), s('')], null],
    ['replace', [s('abcb'), s('b'), s('$1')], 'a$1c$1'],
    ['replace', [s('abc'), s(''), s('-')], '-a-b-c-'],
    ['repeat', [s('ab'), i(3)], 'ababab'],
    ['repeat', [s('ab'), i(-1)], ''],
    ['space', [i(2)], '  '],
    ['ascii', [s('A')], 65],
    ['ascii', [s('é')], -61],
    ['ascii', [s('')], 0],
    ['initcap', [s('hELLO wORLD')], 'Hello World'],
    ['size', [[['a', 'b'], T.stringArray]], 2],
    ['size', [nul], -1],
  ])('%s(%j) is %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it.each<[Arg[], HiveValue]>([
    // String.split(regex, -1): trailing empty strings stay.
    [[s('a,b,,'), s(',')], ['a', 'b', '', '']],
    [[s('oneAtwoBthreeC'), s('[ABC]')], ['one', 'two', 'three', '']],
    [[s('a1b22c'), s('\\d+')], ['a', 'b', 'c']],
    [[s(''), s(',')], ['']],
    [[s('abc'), s('')], ['a', 'b', 'c', '']],
    [[s('aaa'), s('a')], ['', '', '', '']],
  ])('split(%j) is %j', (args, expected) => {
    expect(call('split', ...args)).toEqual(expected);
  });

  it('regexp_extract: default group 1, empty string without a match, NULL for a group that did not take part', () => {
    expect(call('regexp_extract', s('100-200'), s('(\\d+)-(\\d+)'))).toBe('100');
    expect(call('regexp_extract', s('100-200'), s('(\\d+)-(\\d+)'), i(2))).toBe('200');
    expect(call('regexp_extract', s('100-200'), s('(\\d+)-(\\d+)'), i(0))).toBe('100-200');
    expect(call('regexp_extract', s('abc'), s('x(\\d)'))).toBe('');
    expect(call('regexp_extract', s('ab'), s('a(x)?b'))).toBeNull();
    expect(() => call('regexp_extract', s('ab'), s('a(b)'), i(2))).toThrow(FunctionRuntimeError);
  });

  it('regexp_replace uses Java replacement syntax', () => {
    expect(call('regexp_replace', s('100-200'), s('(\\d+)'), s('num'))).toBe('num-num');
    expect(call('regexp_replace', s('a-b'), s('(\\w)-(\\w)'), s('$2-$1'))).toBe('b-a');
  });

  // java.net.URL parts as UDFParseUrl reads them (checked against JDK 17).
  it.each<[string, string, HiveValue]>([
    ['http://facebook.com/path/p1.php?query=1', 'HOST', 'facebook.com'],
    ['http://facebook.com/path/p1.php?query=1', 'PATH', '/path/p1.php'],
    ['http://facebook.com/path/p1.php?query=1', 'QUERY', 'query=1'],
    ['http://facebook.com/path/p1.php?query=1#Ref', 'REF', 'Ref'],
    ['http://facebook.com/path/p1.php?query=1#Ref', 'PROTOCOL', 'http'],
    ['http://facebook.com/path/p1.php?query=1#Ref', 'FILE', '/path/p1.php?query=1'],
    ['https://user:pw@www.example.com:8080/a?x=1', 'AUTHORITY', 'user:pw@www.example.com:8080'],
    ['https://user:pw@www.example.com:8080/a?x=1', 'USERINFO', 'user:pw'],
    ['https://user:pw@www.example.com:8080/a?x=1', 'HOST', 'www.example.com'],
    ['HTTP://Example.COM', 'PROTOCOL', 'http'],
    ['http://example.com', 'PATH', ''],
    ['http://example.com', 'QUERY', null],
    ['http://example.com', 'host', null],
    ['www.google.com', 'HOST', null],
    ['foo://bar/x', 'HOST', null],
    ['http://host:abc/', 'HOST', null],
    ['http://a@b@c/x', 'HOST', ''],
    ['mailto:someone@x.com', 'PATH', 'someone@x.com'],
  ])('parse_url(%j, %j) is %j', (url, part, expected) => {
    expect(call('parse_url', s(url), s(part))).toBe(expected);
  });

  it('parse_url with a query key (the key is a regex: "(&|^)key=([^&]*)")', () => {
    expect(call('parse_url', s('http://x.com/p?query=1&k=v'), s('QUERY'), s('query'))).toBe('1');
    expect(call('parse_url', s('http://x.com/p?query=1&k=v'), s('QUERY'), s('k'))).toBe('v');
    expect(call('parse_url', s('http://x.com/p?kk=1'), s('QUERY'), s('k'))).toBeNull();
    expect(call('parse_url', s('http://x.com/p?k=1'), s('HOST'), s('k'))).toBeNull();
  });
});

describe('date functions', () => {
  afterEach(() => setQueryTime(undefined));

  it.each<[string, Arg[], HiveValue]>([
    ['to_date', [s('2009-07-30 04:17:52')], '2009-07-30'],
    ['to_date', [ts('2019-02-03 04:05:06')], '2019-02-03'],
    ['to_date', [s('bogus')], null],
    ['year', [s('2009-07-30')], 2009],
    ['month', [ts('2009-07-30 04:17:52')], 7],
    ['day', [dt('2009-07-30')], 30],
    ['dayofmonth', [s('2009-07-30 04:17:52')], 30],
    ['hour', [s('2009-07-30 12:58:59')], 12],
    // UDFHour converts strings with the timestamp converter: a bare time is NULL in Hive 3.
    ['hour', [s('12:58:59')], null],
    ['minute', [ts('2009-07-30 12:58:59')], 58],
    ['second', [s('2009-07-30 12:58:59')], 59],
    ['second', [dt('2009-07-30')], 0],
    // UDFWeekOfYear examples: weeks start Monday, week 1 has more than 3 days.
    ['weekofyear', [s('2008-02-20')], 8],
    ['weekofyear', [s('1980-12-31 12:59:59')], 1],
    ['datediff', [s('2009-07-30'), s('2009-07-31')], -1],
    ['datediff', [s('2019-03-01'), s('2019-02-01 23:59:59')], 28],
    ['date_add', [s('2008-12-31'), i(1)], '2009-01-01'],
    ['date_sub', [dt('2008-12-31'), i(1)], '2008-12-30'],
    ['date_add', [s('2008-12-31'), nul], null],
    // GenericUDFAddMonths: the last day of a month maps to the last day of the target month.
    ['add_months', [s('2009-08-31'), i(1)], '2009-09-30'],
    ['add_months', [s('2019-02-28'), i(1)], '2019-03-31'],
    ['add_months', [s('2019-01-30'), i(1)], '2019-02-28'],
    ['add_months', [s('2009-08-31 10:11:12'), i(1), s('yyyy-MM-dd HH:mm:ss')], '2009-09-30 10:11:12'],
    ['last_day', [s('2020-02-10')], '2020-02-29'],
    ['date_format', [s('2015-04-08'), s('y')], '2015'],
    ['date_format', [ts('2019-03-04 05:06:07.089'), s("EEE, dd MMM yyyy HH:mm:ss.SSS z")], 'Mon, 04 Mar 2019 05:06:07.089 UTC'],
    // A pattern SimpleDateFormat rejects makes date_format NULL (GenericUDFDateFormat).
    ['date_format', [s('2015-04-08'), s('b')], null],
    ['unix_timestamp', [s('2009-03-20 11:30:01')], 1237548601],
    ['unix_timestamp', [s('2009-03-20'), s('yyyy-MM-dd')], 1237507200],
    ['unix_timestamp', [s('2009-03-20'), s('yyyy-MM-dd HH:mm:ss')], null],
    ['unix_timestamp', [s('10/Oct/2000:13:55:36 -0700'), s('dd/MMM/yyyy:HH:mm:ss Z')], 971211336],
    ['unix_timestamp', [dt('2009-03-20')], 1237507200],
    ['unix_timestamp', [ts('1969-12-31 23:59:59.5')], -1],
    ['from_unixtime', [b(0)], '1970-01-01 00:00:00'],
    ['from_unixtime', [i(1237548601), s('yyyyMMdd HH')], '20090320 11'],
  ])('%s(%j) is %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it('current_date, current_timestamp and unix_timestamp() read the query clock', () => {
    setQueryTime(Date.UTC(2020, 1, 29, 23, 59, 58, 250));
    expect(call('current_date')).toBe('2020-02-29');
    expect(call('current_timestamp')).toBe('2020-02-29 23:59:58.25');
    expect(call('unix_timestamp')).toBe(1583020798);
  });

  it('date functions have the Hive 3.1 result types', () => {
    expect(resultType('to_date', T.string)).toEqual(T.date);
    expect(resultType('date_add', T.string, T.int)).toEqual(T.date);
    expect(resultType('add_months', T.string, T.int)).toEqual(T.string);
    expect(resultType('unix_timestamp', T.string)).toEqual(T.bigint);
    expect(() => lookupFunction('from_unixtime')!.argTypes([T.double])).toThrow(FunctionTypeError);
  });

  // java.text.SimpleDateFormat in UTC, Locale.US (expected strings from JDK 17).
  it.each<[string, number, string]>([
    ['yyyy-MM-dd HH:mm:ss', 0, '1970-01-01 00:00:00'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 1546300800123, '2019-01-01T00:00:00.123Z'],
    ['dd/MMM/yyyy:HH:mm:ss Z', 971185536000, '10/Oct/2000:13:45:36 +0000'],
    ['EEEE MMMM d yy h a k K', 1546300800000, 'Tuesday January 1 19 12 AM 24 0'],
    ['G YYYY ww u D', 1577750400000, 'AD 2020 01 2 365'],
    ["'o''clock' hh", 43200000, "o'clock 12"],
  ])('format %j at %i is %j', (pattern, ms, expected) => {
    expect(javaDateFormat(pattern).format(ms)).toBe(expected);
  });

  it('lenient parsing: overflowing fields roll over, trailing text is ignored', () => {
    const f = javaDateFormat('yyyy-MM-dd HH:mm:ss');
    expect(f.parse('2019-02-30 25:61:61')).toBe(Date.UTC(2019, 2, 3, 2, 2, 1));
    expect(f.parse('2019-01-01 10:00:00 garbage')).toBe(Date.UTC(2019, 0, 1, 10));
    expect(f.parse('2019-01-01')).toBeNull();
    expect(javaDateFormat('yyyyMMdd').parse('20190102')).toBe(Date.UTC(2019, 0, 2));
  });
});

describe('math functions', () => {
  it.each<[string, Arg[], HiveValue]>([
    ['abs', [i(-3)], 3],
    ['abs', [i(-2147483648)], -2147483648],
    ['abs', [d(-2.5)], 2.5],
    // RoundUtils.round: BigDecimal.valueOf(d).setScale(n, HALF_UP) on Double.toString's digits.
    ['round', [d(2.675), i(2)], 2.68],
    ['round', [d(2.5)], 3],
    ['round', [d(-2.5)], -3],
    ['round', [d(-0.4)], 0],
    ['round', [d(1234.5678), i(-2)], 1200],
    ['round', [i(15), i(-1)], 20],
    ['round', [i(-15), i(-1)], -20],
    ['round', [i(17), i(1)], 17],
    ['round', [s('2.5')], 3],
    ['round', [d(NaN)], NaN],
    ['floor', [d(-1.5)], -2],
    ['ceil', [d(1.2)], 2],
    ['ceiling', [s('1.2')], 2],
    ['ceil', [d(NaN)], 0],
    ['pow', [i(2), i(10)], 1024],
    ['power', [d(4), d(0.5)], 2],
    ['sqrt', [i(4)], 2],
    ['sqrt', [i(-1)], null],
    ['ln', [i(0)], null],
    ['log10', [i(1000)], 3],
    ['log2', [i(8)], 3],
    ['exp', [i(0)], 1],
    ['pmod', [i(-7), i(3)], 2],
    ['pmod', [i(7), i(-3)], -2],
    ['pmod', [d(-7.5), i(2)], 0.5],
    ['pmod', [i(1), i(0)], null],
    ['greatest', [i(1), d(2.5), s('3')], 3],
    ['least', [s('b'), s('a')], 'a'],
    ['greatest', [i(1), nul], null],
  ])('%s(%j) is %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it('result types follow GenericUDFFloorCeilBase, GenericUDFRound and GenericUDFAbs', () => {
    expect(resultType('floor', T.double)).toEqual(T.bigint);
    expect(resultType('ceil', T.int)).toEqual(T.bigint);
    expect(resultType('ceil', decimalType(10, 2))).toEqual(decimalType(9, 0));
    expect(resultType('round', T.int)).toEqual(T.int);
    expect(resultType('round', T.string)).toEqual(T.double);
    expect(resultType('abs', T.smallint)).toEqual(T.int);
    expect(resultType('pmod', T.int, T.bigint)).toEqual(T.bigint);
    expect(resultType('greatest', T.int, T.string)).toEqual(T.double);
  });
});

describe('conditional functions and common types', () => {
  it.each<[string, Arg[], HiveValue]>([
    ['coalesce', [nul, i(1), b(2)], 1],
    ['coalesce', [nul, nul], null],
    ['nvl', [s(null), i(5)], '5'],
    ['nvl', [i(3), i(5)], 3],
    ['if', [[true, T.boolean], i(1), d(2)], 1],
    ['if', [[null, T.boolean], i(1), d(2)], 2],
    ['if', [[false, T.boolean], s('a'), s('b')], 'b'],
    ['nullif', [i(1), i(1)], null],
    ['nullif', [i(1), i(2)], 1],
    ['nullif', [d(NaN), d(NaN)], NaN],
    ['isnull', [nul], true],
    ['isnotnull', [i(0)], true],
  ])('%s(%j) is %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  // FunctionRegistry.getCommonClass: numeric order tinyint < ... < double < decimal < string.
  it.each<[HiveType, HiveType, HiveType | undefined]>([
    [T.int, T.bigint, T.bigint],
    [T.int, T.double, T.double],
    [T.string, T.int, T.string],
    [T.void, T.date, T.date],
    [{ name: 'varchar', length: 5 }, T.string, T.string],
    [T.date, T.string, undefined],
    [T.boolean, T.int, undefined],
    [T.int, decimalType(5, 2), decimalType(12, 2)],
  ])('commonType(%j, %j) is %j', (a, bt, expected) => {
    expect(commonType(a, bt)).toEqual(expected);
  });

  // FunctionRegistry.getCommonClassForComparison: string vs number compares as double.
  it.each<[HiveType, HiveType, HiveType | undefined]>([
    [T.string, T.int, T.double],
    [T.int, T.bigint, T.bigint],
    [T.date, T.string, T.string],
    [T.timestamp, T.int, T.double],
    [T.boolean, T.int, undefined],
    [T.stringArray, T.string, undefined],
  ])('commonTypeForComparison(%j, %j) is %j', (a, bt, expected) => {
    expect(commonTypeForComparison(a, bt)).toEqual(expected);
  });

  it('if() rejects a non-boolean condition', () => {
    expect(() => lookupFunction('if')!.argTypes([T.int, T.int, T.int])).toThrow(FunctionTypeError);
    expect(() => lookupFunction('coalesce')!.argTypes([T.date, T.int])).toThrow(FunctionTypeError);
  });
});
