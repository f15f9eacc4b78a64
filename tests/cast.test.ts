import { describe, expect, it } from 'vitest';
import {
  CastError,
  castValue,
  compareForSort,
  compareValues,
  formatValue,
  makeCast,
  makeFieldParser,
  parseFieldForSerDe,
} from '../src/hive/cast.js';
import { T, decimalType, type HiveType, type HiveValue } from '../src/hive/types.js';

const varchar = (n: number): HiveType => ({ name: 'varchar', length: n });
const char = (n: number): HiveType => ({ name: 'char', length: n });

describe('CAST(string AS integral): UDFToInteger/UDFToLong/UDFToByte', () => {
  // LazyUtils.isNumberMaybe, then LazyInteger/LazyLong.parse*(bytes, ..., trim=true):
  // ASCII whitespace trimmed, optional sign, a '.digits' tail truncated, overflow NULL.
  it.each<[string, HiveType, HiveValue]>([
    ['42', T.int, 42],
    ['+42', T.int, 42],
    ['-42', T.int, -42],
    [' 42\t', T.int, 42],
    ['1.9', T.int, 1],
    ['-1.9', T.int, -1],
    ['.5', T.int, 0],
    ['1.', T.int, 1],
    ['.', T.int, null],
    ['1.5x', T.int, null],
    ['1e3', T.int, null],
    ['', T.int, null],
    ['-', T.int, null],
    ['abc', T.int, null],
    ['2147483647', T.int, 2147483647],
    ['2147483648', T.int, null],
    ['-2147483648', T.int, -2147483648],
    ['9223372036854775807', T.bigint, 9223372036854775807],
    ['9223372036854775808', T.bigint, null],
    ['127', T.tinyint, 127],
    ['128', T.tinyint, null],
    ['-32768', T.smallint, -32768],
    ['٣', T.int, null],
  ])('%j -> %s is %s', (text, to, expected) => {
    expect(castValue(text, T.string, to)).toBe(expected);
  });
});

describe('numeric narrowing and conversions', () => {
  it.each<[HiveValue, HiveType, HiveType, HiveValue]>([
    // (int) of a double: truncation toward zero, clamping, NaN is 0 (JLS 5.1.3).
    [3.9, T.double, T.int, 3],
    [-3.9, T.double, T.int, -3],
    [3e9, T.double, T.int, 2147483647],
    [-3e9, T.double, T.int, -2147483648],
    [NaN, T.double, T.int, 0],
    [1e20, T.double, T.bigint, 9223372036854775807],
    // UDFToByte(DoubleWritable): (byte) d, i.e. (byte)(int) d.
    [300.7, T.double, T.tinyint, 44],
    // (int) of a long keeps the low 32 bits.
    [4294967297, T.bigint, T.int, 1],
    [40000, T.int, T.smallint, -25536],
    [200, T.int, T.tinyint, -56],
    [true, T.boolean, T.int, 1],
    [false, T.boolean, T.double, 0],
    [7, T.int, T.double, 7],
    [0.1, T.double, T.float, Math.fround(0.1)],
    // Decimal to int: fraction truncated; out of range NULL (HiveDecimalWritable.isInt()).
    [12.75, decimalType(10, 2), T.int, 12],
    [3000000000, decimalType(12, 0), T.int, null],
    // Dates have no numeric conversion: Hive converts them to text, which never parses.
    ['2019-01-01', T.date, T.int, null],
  ])('%s %s -> %s is %s', (v, from, to, expected) => {
    expect(castValue(v, from, to)).toBe(expected);
  });

  it('string -> double follows Double.parseDouble after isNumberMaybe', () => {
    expect(castValue(' 1.5 ', T.string, T.double)).toBe(1.5);
    expect(castValue('1e3', T.string, T.double)).toBe(1000);
    expect(castValue('NaN', T.string, T.double)).toBeNaN();
    expect(castValue('2d', T.string, T.double)).toBe(2);
    // Four chars starting with N/n are NULL before parsing (LazyUtils.isNumberMaybe).
    expect(castValue('NaN ', T.string, T.double)).toBeNull();
    expect(castValue('abc', T.string, T.double)).toBeNull();
  });
});

describe('CAST(... AS BOOLEAN): UDFToBoolean', () => {
  // PrimitiveObjectInspectorUtils.parseBoolean: '', false, off, no, 0 (any case) are false.
  it.each<[HiveValue, HiveType, HiveValue]>([
    ['', T.string, false],
    ['false', T.string, false],
    ['FALSE', T.string, false],
    ['Off', T.string, false],
    ['no', T.string, false],
    ['0', T.string, false],
    ['true', T.string, true],
    ['yes', T.string, true],
    ['x', T.string, true],
    [' false', T.string, true],
    [0, T.int, false],
    [-2, T.int, true],
    [NaN, T.double, true],
    ['1970-01-01 00:00:00', T.timestamp, false],
    ['1970-01-01 00:00:00.1', T.timestamp, true],
    ['2019-01-01', T.date, null],
  ])('%j (%s) is %s', (v, from, expected) => {
    expect(castValue(v, from, T.boolean)).toBe(expected);
  });
});

describe('CAST(... AS STRING): UDFToString', () => {
  it.each<[HiveValue, HiveType, string]>([
    [true, T.boolean, 'TRUE'],
    [false, T.boolean, 'FALSE'],
    [1.0, T.double, '1.0'],
    [1e7, T.double, '1.0E7'],
    [Math.fround(0.1), T.float, '0.1'],
    [-5, T.int, '-5'],
    [1.5, decimalType(10, 2), '1.5'],
    ['2019-01-01 10:00:00.5', T.timestamp, '2019-01-01 10:00:00.5'],
    ['ab  ', char(4), 'ab'],
  ])('%j (%s) is %j', (v, from, expected) => {
    expect(castValue(v, from, T.string)).toBe(expected);
  });

  it('varchar truncates by code points; char pads with spaces', () => {
    expect(castValue('a😀bc', T.string, varchar(2))).toBe('a😀');
    expect(castValue('ab', T.string, char(4))).toBe('ab  ');
    expect(castValue('abcdef', T.string, char(3))).toBe('abc');
    // VARCHAR/CHAR targets go through PrimitiveObjectInspectorUtils.getString: decimals padded to scale.
    expect(castValue(1.5, decimalType(10, 2), varchar(10))).toBe('1.50');
  });
});

describe('CAST(string AS DATE / TIMESTAMP)', () => {
  // common.type.Date.valueOf: trim, cut at ' ' or 'T', y-M-d with a LENIENT resolver.
  it.each<[string, HiveValue]>([
    ['2019-01-01', '2019-01-01'],
    [' 2019-1-5 ', '2019-01-05'],
    ['2019-02-30', '2019-03-02'],
    ['2019-13-01', '2020-01-01'],
    ['2019-00-10', '2018-12-10'],
    ['2019-01-01 10:00:00', '2019-01-01'],
    ['2019-01-01T10:00:00', '2019-01-01'],
    ['2019/01/01', null],
    ['20190101', null],
    ['', null],
  ])('date %j is %j', (text, expected) => {
    expect(castValue(text, T.string, T.date)).toBe(expected);
  });

  // PrimitiveObjectInspectorUtils.getTimestampFromString: a date is midnight, a
  // 19-character timestamp goes through Timestamp.valueOf (LENIENT, ISO fallback),
  // other text falls back to Date.valueOf.
  it.each<[string, HiveValue]>([
    ['2019-01-01 10:11:12', '2019-01-01 10:11:12'],
    ['2019-01-01 10:11:12.500', '2019-01-01 10:11:12.5'],
    ['2019-01-01 10:11:12.000', '2019-01-01 10:11:12'],
    ['2019-01-01 10:11:12.1234567891', '2019-01-01 10:11:12.123456789'],
    ['2019-01-01', '2019-01-01 00:00:00'],
    ['2019-01-01 24:00:00', '2019-01-02 00:00:00'],
    ['2019-01-01T10:11:12', '2019-01-01 10:11:12'],
    ['2019-01-01 10:11', '2019-01-01 00:00:00'],
    ['2019-01-01 10:11:12+01:00', '2019-01-01 10:11:12'],
    ['garbage', null],
  ])('timestamp %j is %j', (text, expected) => {
    expect(castValue(text, T.string, T.timestamp)).toBe(expected);
  });

  it('converts between dates, timestamps and numbers', () => {
    expect(castValue('2019-03-04 05:06:07.8', T.timestamp, T.date)).toBe('2019-03-04');
    expect(castValue('2019-03-04', T.date, T.timestamp)).toBe('2019-03-04 00:00:00');
    // Seconds since the epoch, with the fraction for DOUBLE.
    expect(castValue('1970-01-01 00:00:01.5', T.timestamp, T.double)).toBe(1.5);
    expect(castValue('1970-01-02 00:00:00', T.timestamp, T.bigint)).toBe(86400);
    // Double/decimal are seconds (TimestampUtils.doubleToTimestamp, digits of Double.toString)...
    expect(castValue(1.5, T.double, T.timestamp)).toBe('1970-01-01 00:00:01.5');
    expect(castValue(-0.5, T.double, T.timestamp)).toBe('1969-12-31 23:59:59.5');
    // ...but integers are milliseconds (hive.int.timestamp.conversion.in.seconds=false).
    expect(castValue(1500, T.int, T.timestamp)).toBe('1970-01-01 00:00:01.5');
    expect(() => makeCast(T.int, T.date)).toThrow(CastError);
  });
});

describe('DECIMAL', () => {
  it.each<[HiveValue, HiveType, HiveType, HiveValue]>([
    // HALF_UP to the scale; more integer digits than precision - scale is NULL.
    ['1.005', T.string, decimalType(10, 2), 1.01],
    ['-1.005', T.string, decimalType(10, 2), -1.01],
    [' 12.5 ', T.string, decimalType(10, 0), 13],
    ['1e2', T.string, decimalType(10, 1), 100],
    ['12345', T.string, decimalType(4, 0), null],
    ['abc', T.string, decimalType(10, 2), null],
    [2.675, T.double, decimalType(10, 2), 2.68],
    [NaN, T.double, decimalType(10, 2), null],
    [Math.fround(0.1), T.float, decimalType(10, 9), 0.1],
  ])('%j (%s) -> %s is %s', (v, from, to, expected) => {
    expect(castValue(v, from, to)).toBe(expected);
  });
});

describe('formatValue', () => {
  it.each<[HiveValue, HiveType, string]>([
    [1, T.double, '1.0'],
    [0.5, T.double, '0.5'],
    [12345678, T.double, '1.2345678E7'],
    [Math.fround(1.1), T.float, '1.1'],
    [true, T.boolean, 'true'],
    [false, T.boolean, 'false'],
    [-7, T.bigint, '-7'],
    [-9223372036854775808, T.bigint, '-9223372036854775808'],
    // Hive 3 pads decimals to the column's scale (HiveDecimal.toFormatString).
    [1.5, decimalType(10, 2), '1.50'],
    [0, decimalType(5, 3), '0.000'],
    [-0.5, decimalType(4, 1), '-0.5'],
    [12, decimalType(10, 0), '12'],
    ['2019-01-01', T.date, '2019-01-01'],
    ['2019-01-01 00:00:00', T.timestamp, '2019-01-01 00:00:00'],
    ['a\tb', T.string, 'a\tb'],
    [['a', 'b"c'], T.stringArray, '["a","b\\"c"]'],
  ])('%j (%s) is %j', (v, t, expected) => {
    expect(formatValue(v, t)).toBe(expected);
  });

  it('joins arrays with the collection separator when given, and refuses NULL', () => {
    expect(formatValue(['a', 'b'], T.stringArray, { collectionSeparator: '\x02' })).toBe('a\x02b');
    expect(() => formatValue(null, T.string)).toThrow();
  });
});

describe('parseFieldForSerDe', () => {
  // LazySimpleSerDe: LazyInteger without trimming, LazyDouble via Double.parseDouble,
  // LazyBoolean only true/false, LazyDate/LazyTimestamp need 8+ chars.
  it.each<[string, HiveType, HiveValue]>([
    ['42', T.int, 42],
    [' 42', T.int, null],
    ['4.2', T.int, 4],
    ['99999999999', T.int, null],
    [' 4.5 ', T.double, 4.5],
    ['TRUE', T.boolean, true],
    ['False', T.boolean, false],
    ['1', T.boolean, null],
    ['2019-01-01', T.date, '2019-01-01'],
    ['2019-1-1', T.date, '2019-01-01'],
    ['2019-01-01 10:00:00', T.timestamp, '2019-01-01 10:00:00'],
    // common.type.Timestamp.valueOf needs the time: a bare date is NULL here.
    ['2019-01-01', T.timestamp, null],
    [' 1.5', decimalType(5, 2), null],
    ['1.555', decimalType(5, 2), 1.56],
  ])('lazy %j as %s is %j', (text, t, expected) => {
    expect(parseFieldForSerDe(text, t, 'lazy')).toEqual(expected);
  });

  // RegexSerDe: Integer.valueOf & co.; a failure makes just that column NULL.
  it.each<[string | null, HiveType, HiveValue]>([
    ['42', T.int, 42],
    ['4.2', T.int, null],
    [' 42', T.int, null],
    ['-', T.bigint, null],
    ['300', T.tinyint, null],
    [' 4.5 ', T.double, 4.5],
    ['1.5f', T.float, 1.5],
    ['TRUE', T.boolean, true],
    ['yes', T.boolean, false],
    [null, T.boolean, false],
    [null, T.int, null],
    [' 1.5 ', decimalType(5, 2), 1.5],
    ['2019-02-30', T.date, '2019-03-02'],
    ['2019-01-01 10:00:00.100', T.timestamp, '2019-01-01 10:00:00.1'],
    ['x', T.timestamp, null],
  ])('regex %j as %s is %j', (text, t, expected) => {
    expect(parseFieldForSerDe(text, t, 'regex')).toEqual(expected);
  });

  it('makeFieldParser returns the same pre-resolved parser for a type', () => {
    const p = makeFieldParser(T.int, 'lazy');
    expect(makeFieldParser(T.int, 'lazy')).toBe(p);
    expect(p('7')).toBe(7);
  });
});

describe('ordering', () => {
  it.each<[HiveValue, HiveValue, number]>([
    [1, 2, -1],
    [2, 1, 1],
    [-0, 0, -1],
    [NaN, Infinity, 1],
    ['a', 'b', -1],
    ['ab', 'a', 1],
    // Code point order: U+FFFF sorts below U+10000 though its UTF-16 unit is larger.
    ['\uffff', '😀', -1],
    [false, true, -1],
    ['2019-01-01 00:00:00', '2019-01-01 00:00:00.5', -1],
  ])('compareValues(%j, %j) is %i', (a, b, expected) => {
    expect(Math.sign(compareValues(a, b))).toBe(expected);
  });

  it('sorts NULL first', () => {
    const values: HiveValue[] = [3, null, 1];
    values.sort(compareForSort);
    expect(values).toEqual([null, 1, 3]);
  });
});
