/**
 * The rows a report shows, in the shape both sides have: the CLI's
 * QueryOutcome (HiveValue rows) and GET /analyses/{id}/results (JSON cells)
 * carry the same values, so charts and tables take this one shape. Pure
 * data and functions, no Node APIs: the web page reuses it in the browser.
 */

/** One value: STRING/DATE/TIMESTAMP as text, numbers, booleans, NULL, array<string>. Big BIGINTs and NaN may arrive as text. */
export type Cell = string | number | boolean | null | readonly string[];

/** A result column: its name and its Hive type as Hive writes it (`bigint`, `decimal(10,2)`, `date`, …). */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  /** Rows in output order; each has one cell per column. */
  readonly rows: readonly (readonly Cell[])[];
}

/** The base type name, lower case, without parameters: `decimal(10,2)` → `decimal`. */
export function baseType(type: string): string {
  return type.trim().toLowerCase().replace(/\(.*$/, '');
}

const NUMERIC = new Set(['tinyint', 'smallint', 'int', 'integer', 'bigint', 'float', 'double', 'decimal']);
const INTEGRAL = new Set(['tinyint', 'smallint', 'int', 'integer', 'bigint']);

export function isNumericType(type: string): boolean {
  return NUMERIC.has(baseType(type));
}

export function isIntegralType(type: string): boolean {
  return INTEGRAL.has(baseType(type));
}

export function isDateType(type: string): boolean {
  const t = baseType(type);
  return t === 'date' || t === 'timestamp';
}

export function isStringType(type: string): boolean {
  const t = baseType(type);
  return t === 'string' || t === 'varchar' || t === 'char';
}

/** A cell as a number for charting; NULL, non-numeric text and non-finite values are null (nothing to draw). */
export function cellNumber(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'string' && cell.trim() !== '') {
    const n = Number(cell);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A cell as plain text, as Hive's CLI shows it (NULL for null, arrays as JSON). */
export function cellText(cell: Cell): string {
  if (cell === null) return 'NULL';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}
