import type { ColumnDef } from '../hive/ast.js';
import { makeFieldParser } from '../hive/cast.js';
import type { HiveValue } from '../hive/types.js';
import type { NeededColumns, SerDe } from './serde.js';

export const LAZY_SIMPLE_SERDE = 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe';

/**
 * Hive's separator strings are bytes: a numeric string is the byte's value
 * ('9' is a tab), anything else its first character (LazySerDeParameters.getByte).
 */
export function separatorChar(spec: string | undefined, fallback: string): string {
  if (spec === undefined || spec === '') return fallback;
  if (/^-?\d+$/.test(spec)) {
    const n = Number(spec);
    if (n >= -128 && n <= 127) return String.fromCharCode(n & 0xff);
  }
  return spec[0]!;
}

export interface DelimitedOptions {
  readonly fieldDelimiter: string;
  readonly escapeChar?: string;
  readonly nullSequence: string;
  readonly collectionDelimiter: string;
}

/**
 * Hive's default text SerDe: fields split on one delimiter character (\x01 by
 * default), an optional escape character, `\N` (or NULL DEFINED AS) for NULL;
 * missing trailing fields are NULL and extra fields are ignored.
 */
export class LazySimpleSerDe implements SerDe {
  readonly className = LAZY_SIMPLE_SERDE;
  private readonly parsers: ((text: string) => HiveValue)[];
  private readonly needed: NeededColumns;
  private readonly lastNeeded: number;

  constructor(
    readonly columns: readonly ColumnDef[],
    readonly options: DelimitedOptions,
    needed?: NeededColumns,
  ) {
    this.parsers = columns.map((c) => {
      if (c.type.name === 'array<string>') {
        const sep = options.collectionDelimiter;
        return (s: string) => s.split(sep);
      }
      return makeFieldParser(c.type, 'lazy');
    });
    this.needed = needed;
    let last = columns.length - 1;
    if (needed) while (last >= 0 && !needed[last]) last--;
    this.lastNeeded = last;
  }

  deserialize(line: string, row: HiveValue[]): boolean {
    const n = this.columns.length;
    const { fieldDelimiter, escapeChar, nullSequence } = this.options;
    let start = 0;
    for (let i = 0; i < n; i++) {
      if (i > this.lastNeeded || start > line.length) {
        row[i] = null;
        continue;
      }
      let end: number;
      let raw: string;
      if (escapeChar === undefined) {
        end = line.indexOf(fieldDelimiter, start);
        if (end < 0) end = line.length;
        raw = line.slice(start, end);
      } else {
        raw = '';
        end = start;
        while (end < line.length && line[end] !== fieldDelimiter) {
          if (line[end] === escapeChar && end + 1 < line.length) {
            raw += line[end + 1];
            end += 2;
          } else raw += line[end++];
        }
      }
      if (this.needed && !this.needed[i]) row[i] = null;
      else row[i] = raw === nullSequence ? null : this.parsers[i]!(raw);
      start = end + 1;
    }
    return true;
  }
}
