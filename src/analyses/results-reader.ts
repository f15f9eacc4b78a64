/**
 * GET /analyses/{id}/results: the output files (000000_0, …, in order) read
 * as Hive text (fields split on the INSERT's separator, \x01 by default; the
 * NULL marker, \N by default, is null), typed by the query's columns as the
 * planner saw them at submit time (stored in the record, so nothing is
 * re-planned here). Files are streamed line by line and a page stops reading
 * as soon as it is full, so a huge result is never loaded at once.
 */
import type { StorageRegistry } from '../storage/registry.js';
import type { Storage } from '../storage/storage.js';
import type { AnalysisRecord, OutputFormat, ResultColumn } from './analysis-record.js';
import { csvRecord } from './csv.js';
import { InvalidCursorError, InvalidRequestError, ResultsNotReadyError } from './errors.js';
import { decodeCursor, encodeCursor, type ResultsPosition } from './results-cursor.js';

export const DEFAULT_PAGE_ROWS = 1000;
export const MAX_PAGE_ROWS = 10_000;
/** A page holds whole rows; one row this long is not a result anyone can page through. */
const MAX_LINE_BYTES = 64 << 20;

/** A value in a JSON row. BIGINT and DECIMAL beyond 2^53, NaN and ±Infinity stay strings (JSON numbers cannot hold them exactly). */
export type JsonCell = string | number | boolean | null | readonly string[];

export interface ResultsQuery {
  /** Rows per page: 1..10000, default 1000 (a query-string value is accepted as text). */
  readonly limit?: number | string;
  /** From the previous page's nextCursor. */
  readonly cursor?: string;
}

export interface ResultsPage {
  readonly analysisId: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: Record<string, JsonCell>[];
  /** Row number (0-based) of the first row of this page. */
  readonly offset: number;
  /** Total rows, when the engine reported it. */
  readonly rowCount?: number;
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

export async function readResultsPage(record: AnalysisRecord, storage: StorageRegistry, query: ResultsQuery = {}): Promise<ResultsPage> {
  const page = await readRows(record, storage, query);
  const names = uniqueNames(page.columns.map((c) => c.name));
  return {
    analysisId: record.id,
    columns: page.columns.map((c, i) => ({ name: names[i]!, type: typeName(c) })),
    rows: page.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null]))),
    offset: page.offset,
    rowCount: record.rowCount,
    nextCursor: page.nextCursor,
  };
}

/** The same page as CSV: a header line, then the rows (NULL is an empty field, arrays are JSON). */
export async function readResultsCsv(record: AnalysisRecord, storage: StorageRegistry, query: ResultsQuery = {}): Promise<{ body: string; nextCursor?: string }> {
  const page = await readRows(record, storage, query);
  let body = csvRecord(page.columns.map((c) => c.name));
  for (const row of page.rows) body += csvRecord(page.columns.map((_, i) => csvText(row[i] ?? null)));
  return { body, nextCursor: page.nextCursor };
}

/** `limit` from a query string or a number; InvalidRequestError (400) outside 1..10000. */
export function parseLimit(raw: number | string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_ROWS;
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_ROWS) throw new InvalidRequestError(`limit must be an integer from 1 to ${MAX_PAGE_ROWS}`);
  return n;
}

interface RawPage {
  readonly columns: readonly ResultColumn[];
  readonly rows: JsonCell[][];
  readonly offset: number;
  readonly nextCursor?: string;
}

async function readRows(record: AnalysisRecord, storage: StorageRegistry, query: ResultsQuery): Promise<RawPage> {
  if (record.state !== 'SUCCEEDED') throw new ResultsNotReadyError(record.id, record.state);
  const limit = parseLimit(query.limit);
  const start = query.cursor ? decodeCursor(record.id, query.cursor) : { file: 0, offset: 0, row: 0 };
  const backend = storage.resolve(record.outputLocation);
  const files = (await backend.listFiles(record.outputLocation)) ?? [];
  if (start.file > files.length || (start.file === files.length && start.offset > 0) || (files[start.file] && start.offset > files[start.file]!.size)) {
    throw new InvalidCursorError('it points past the end of the results');
  }
  let columns = record.columns;
  const decode = columns ? rowDecoder(columns, record.outputFormat) : undefined;
  const rows: JsonCell[][] = [];
  let position: ResultsPosition = start;
  let more = false;
  for await (const line of readLines(backend, files, start)) {
    if (rows.length === limit) {
      more = true;
      break;
    }
    rows.push(decode ? decode(line.text) : untypedRow(line.text, record.outputFormat));
    position = { file: line.next.file, offset: line.next.offset, row: start.row + rows.length };
  }
  // Without planner columns (EMR-only jobs), every field is text named as Hive names unnamed columns.
  columns ??= Array.from({ length: Math.max(0, ...rows.map((r) => r.length)) }, (_, i) => ({ name: `_c${i}`, type: { name: 'string' as const } }));
  return { columns, rows, offset: start.row, nextCursor: more ? encodeCursor(record.id, position) : undefined };
}

interface Line {
  readonly text: string;
  /** Where the line after this one starts. */
  readonly next: { readonly file: number; readonly offset: number };
}

/** Lines of the files from `start` on, split on \n bytes (which never occur inside a UTF-8 sequence), with the byte position after each. */
async function* readLines(storage: Storage, files: readonly { location: string; size: number }[], start: ResultsPosition): AsyncGenerator<Line> {
  for (let f = start.file; f < files.length; f++) {
    const file = files[f]!;
    let offset = f === start.file ? start.offset : 0;
    if (offset >= file.size) continue;
    // Reading from the byte before a resumed position proves it is a line start.
    const from = offset > 0 ? offset - 1 : 0;
    const stream = storage.openRead(file.location, { start: from, end: file.size });
    let carry: Buffer | undefined;
    let checkBoundary = offset > 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let buf = chunk;
        if (checkBoundary) {
          if (buf[0] !== 10) throw new InvalidCursorError('it does not point at the start of a row');
          buf = buf.subarray(1);
          checkBoundary = false;
        }
        let pos = 0;
        for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
          const piece = buf.subarray(pos, nl);
          const bytes = carry ? Buffer.concat([carry, piece]) : piece;
          carry = undefined;
          offset += bytes.length + 1;
          yield { text: bytes.toString('utf8'), next: { file: f, offset } };
          pos = nl + 1;
        }
        if (pos < buf.length) carry = carry ? Buffer.concat([carry, buf.subarray(pos)]) : Buffer.from(buf.subarray(pos));
        if (carry && carry.length > MAX_LINE_BYTES) throw new Error(`${file.location}: a result row longer than ${MAX_LINE_BYTES} bytes`);
      }
      if (carry && carry.length > 0) {
        offset += carry.length;
        yield { text: carry.toString('utf8'), next: { file: f, offset } };
      }
    } finally {
      stream.destroy();
    }
  }
}

/** A line → typed cells, resolved once per column. */
export function rowDecoder(columns: readonly ResultColumn[], format: OutputFormat): (line: string) => JsonCell[] {
  const converters = columns.map((c) => cellConverter(c, format));
  return (line) => {
    const fields = line.split(format.fieldSeparator);
    return converters.map((convert, i) => {
      const text = fields[i];
      return text === undefined || text === format.nullText ? null : convert(text);
    });
  };
}

function untypedRow(line: string, format: OutputFormat): JsonCell[] {
  return line.split(format.fieldSeparator).map((t) => (t === format.nullText ? null : t));
}

const INTEGER = /^-?\d+$/;
/** Java's Double.toString and plain decimals: 1.5, 1.0E10, -2.5E-4. */
const FLOATING = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function cellConverter(column: ResultColumn, format: OutputFormat): (text: string) => JsonCell {
  switch (column.type.name) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return (t) => {
        const n = Number(t);
        return INTEGER.test(t) && Number.isSafeInteger(n) ? n : t;
      };
    case 'float':
    case 'double':
      // NaN and Infinity have no JSON number.
      return (t) => (FLOATING.test(t) ? Number(t) : t);
    case 'decimal':
      // Up to 15 significant digits a double holds exactly; longer decimals stay text.
      return (t) => (FLOATING.test(t) && t.replace(/[-.]|^-?0+/g, '').length <= 15 ? Number(t) : t);
    case 'boolean':
      return (t) => (t === 'true' ? true : t === 'false' ? false : t);
    case 'array<string>':
      return (t) => (t === '' ? [] : t.split(format.collectionSeparator));
    case 'void':
      return () => null;
    default:
      // STRING, VARCHAR, CHAR, DATE (yyyy-MM-dd) and TIMESTAMP are text as Hive wrote them.
      return (t) => t;
  }
}

function csvText(cell: JsonCell): string {
  if (cell === null) return '';
  if (Array.isArray(cell)) return JSON.stringify(cell);
  return String(cell);
}

function typeName(c: ResultColumn): string {
  const t = c.type;
  if (t.name === 'decimal') return `decimal(${t.length ?? 10},${t.scale ?? 0})`;
  if ((t.name === 'varchar' || t.name === 'char') && t.length !== undefined) return `${t.name}(${t.length})`;
  return t.name;
}

/** Object keys must be distinct: a repeated name gets _2, _3, … */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });
}
