import { parse } from 'csv-parse/sync';
import type { ColumnDef } from '../hive/ast.js';
import type { HiveValue } from '../hive/types.js';
import type { SerDe } from './serde.js';

export const OPEN_CSV_SERDE = 'org.apache.hadoop.hive.serde2.OpenCSVSerde';

/**
 * Hive's OpenCSVSerde: every column is read as a STRING whatever type the
 * DDL declares (Hive reports them as string too); missing fields are NULL.
 * Each line is parsed on its own because TextInputFormat already split them.
 */
export class OpenCsvSerDe implements SerDe {
  readonly className = OPEN_CSV_SERDE;
  private readonly options: { delimiter: string; quote: string; escape: string };

  constructor(
    readonly columns: readonly ColumnDef[],
    properties: ReadonlyMap<string, string>,
  ) {
    this.options = {
      delimiter: properties.get('separatorChar') ?? ',',
      quote: properties.get('quoteChar') ?? '"',
      // OpenCSVSerde's default escape is opencsv's writer default, the quote itself.
      escape: properties.get('escapeChar') ?? '"',
    };
  }

  deserialize(line: string, row: HiveValue[]): boolean {
    let fields: string[];
    try {
      const records = parse(line, { ...this.options, relax_quotes: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
      fields = records[0] ?? [''];
    } catch {
      // opencsv is lenient: an unbalanced quote leaves the raw text in the field.
      fields = line.split(this.options.delimiter);
    }
    for (let i = 0; i < this.columns.length; i++) row[i] = i < fields.length ? fields[i]! : null;
    return true;
  }
}
