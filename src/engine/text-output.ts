import { formatValue } from '../hive/cast.js';
import type { HiveValue } from '../hive/types.js';
import type { OutputColumn } from '../plan/compiled.js';

export interface TextFormat {
  /** Between fields: \x01 in Hive's files, a tab on the CLI. */
  readonly fieldSeparator: string;
  /** \N in Hive's files, NULL on the CLI. */
  readonly nullText: string;
  /** Between array items: \x02 in Hive's files, a comma on the CLI. */
  readonly collectionSeparator: string;
}

/** What INSERT OVERWRITE DIRECTORY writes by default (LazySimpleSerDe). */
export const HIVE_FILE_FORMAT: TextFormat = { fieldSeparator: '\u0001', nullText: '\\N', collectionSeparator: '\u0002' };
/** What the hive CLI prints for a plain SELECT. */
export const HIVE_CLI_FORMAT: TextFormat = { fieldSeparator: '\t', nullText: 'NULL', collectionSeparator: ',' };

/** Formats one row as Hive writes it, without the line terminator. */
export function formatRow(row: readonly HiveValue[], columns: readonly OutputColumn[], format: TextFormat): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += format.fieldSeparator;
    const v = row[i] ?? null;
    line += v === null ? format.nullText : formatValue(v, columns[i]!.type, { collectionSeparator: format.collectionSeparator });
  }
  return line;
}
