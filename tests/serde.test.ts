import { describe, expect, it } from 'vitest';
import type { ColumnDef } from '../src/hive/ast.js';
import { T, type HiveType, type HiveValue } from '../src/hive/types.js';
import { LazySimpleSerDe, separatorChar } from '../src/serde/lazy-simple-serde.js';
import { OpenCsvSerDe } from '../src/serde/open-csv-serde.js';
import { RegexSerDe } from '../src/serde/regex-serde.js';

const cols = (...types: HiveType[]): ColumnDef[] => types.map((type, i) => ({ name: `c${i}`, type, at: 0 }));
const read = (serde: { deserialize(line: string, row: HiveValue[]): boolean }, line: string) => {
  const row: HiveValue[] = [];
  const ok = serde.deserialize(line, row);
  return { ok, row };
};

describe('RegexSerDe', () => {
  const serde = new RegexSerDe(cols(T.string, T.int, T.date), new Map([['input.regex', '(\\S+) (\\S+) (\\S+)']]), { line: 1, column: 1 });

  it('converts each group to its column type', () => {
    expect(read(serde, 'a 42 2014-07-05')).toEqual({ ok: true, row: ['a', 42, '2014-07-05'] });
  });

  it('gives NULL for a field that fails conversion (Integer.valueOf) without failing the line', () => {
    expect(read(serde, 'a - 2014-07-05')).toEqual({ ok: true, row: ['a', null, '2014-07-05'] });
    expect(read(serde, 'a 1.5 x')).toEqual({ ok: true, row: ['a', null, null] });
  });

  it('needs the whole line to match (Matcher.matches), otherwise the row is all NULL', () => {
    expect(read(serde, 'a 42 2014-07-05 trailing')).toEqual({ ok: false, row: [null, null, null] });
    expect(read(serde, '')).toEqual({ ok: false, row: [null, null, null] });
  });

  it('honours input.regex.case.insensitive', () => {
    const ci = new RegexSerDe(cols(T.string), new Map([['input.regex', '(get|post)'], ['input.regex.case.insensitive', 'true']]), { line: 1, column: 1 });
    expect(read(ci, 'GET')).toEqual({ ok: true, row: ['GET'] });
  });
});

describe('LazySimpleSerDe', () => {
  const options = { fieldDelimiter: ',', nullSequence: '\\N', collectionDelimiter: '\u0002' };

  it('splits on the delimiter, reads \\N as NULL, ignores extra fields and pads missing ones with NULL', () => {
    const serde = new LazySimpleSerDe(cols(T.string, T.int, T.string), options);
    expect(read(serde, 'a,\\N,c,extra').row).toEqual(['a', null, 'c']);
    expect(read(serde, 'a').row).toEqual(['a', null, null]);
  });

  it('keeps an empty string field as an empty string but an empty number as NULL', () => {
    const serde = new LazySimpleSerDe(cols(T.string, T.int), options);
    expect(read(serde, ',').row).toEqual(['', null]);
  });

  it('un-escapes the delimiter with ESCAPED BY', () => {
    const serde = new LazySimpleSerDe(cols(T.string, T.string), { ...options, escapeChar: '\\' });
    expect(read(serde, 'a\\,b,c').row).toEqual(['a,b', 'c']);
  });

  it('uses NULL DEFINED AS', () => {
    const serde = new LazySimpleSerDe(cols(T.string, T.string), { ...options, nullSequence: '-' });
    expect(read(serde, '-,x').row).toEqual([null, 'x']);
  });

  it('reads delimiters as Hive does: a number is a byte value, otherwise the first character', () => {
    expect(separatorChar('9', '\u0001')).toBe('\t');
    expect(separatorChar('\t', '\u0001')).toBe('\t');
    expect(separatorChar(undefined, '\u0001')).toBe('\u0001');
    expect(separatorChar('||', '\u0001')).toBe('|');
  });
});

describe('OpenCSVSerde', () => {
  const serde = new OpenCsvSerDe(cols(T.string, T.string, T.string), new Map());

  it('reads quoted fields with delimiters and doubled quotes, every column as a string', () => {
    expect(read(serde, '1,"a, b","say ""hi"""').row).toEqual(['1', 'a, b', 'say "hi"']);
  });

  it('honours separatorChar and quoteChar', () => {
    const tsv = new OpenCsvSerDe(cols(T.string, T.string), new Map([['separatorChar', '\t'], ['quoteChar', "'"]]));
    expect(read(tsv, "x\t'y\tz'").row).toEqual(['x', 'y\tz']);
  });
});
