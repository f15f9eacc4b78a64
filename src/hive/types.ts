/**
 * Hive's primitive types and how their values live in JavaScript.
 *
 * Values are plain JS primitives so that rows stay cheap arrays:
 * - STRING, VARCHAR, CHAR: `string`
 * - TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL: `number`
 *   (BIGINT is exact up to 2^53; FLOAT values are kept rounded with `Math.fround`)
 * - BOOLEAN: `boolean`
 * - DATE: `string` in canonical `YYYY-MM-DD` form (so ordering is string ordering)
 * - TIMESTAMP: `string` in canonical `YYYY-MM-DD HH:MM:SS[.fffffffff]` form
 * - NULL: `null`
 * The static type of every expression is known after analysis, so a value never
 * needs to carry its type with it.
 */
export type HiveValue = string | number | boolean | null | readonly string[];

export type HiveTypeName =
  | 'void'
  | 'string'
  | 'varchar'
  | 'char'
  | 'tinyint'
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'float'
  | 'double'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'array<string>';

export interface HiveType {
  readonly name: HiveTypeName;
  /** VARCHAR/CHAR length, DECIMAL precision. */
  readonly length?: number;
  /** DECIMAL scale. */
  readonly scale?: number;
}

export const T = {
  void: { name: 'void' },
  string: { name: 'string' },
  tinyint: { name: 'tinyint' },
  smallint: { name: 'smallint' },
  int: { name: 'int' },
  bigint: { name: 'bigint' },
  float: { name: 'float' },
  double: { name: 'double' },
  boolean: { name: 'boolean' },
  date: { name: 'date' },
  timestamp: { name: 'timestamp' },
  stringArray: { name: 'array<string>' },
} as const satisfies Record<string, HiveType>;

export function decimalType(precision = 10, scale = 0): HiveType {
  return { name: 'decimal', length: precision, scale };
}

const INTEGRAL_RANK: Partial<Record<HiveTypeName, number>> = { tinyint: 1, smallint: 2, int: 3, bigint: 4 };
const NUMERIC_RANK: Partial<Record<HiveTypeName, number>> = {
  tinyint: 1,
  smallint: 2,
  int: 3,
  bigint: 4,
  decimal: 5,
  float: 6,
  double: 7,
};

export function isIntegral(t: HiveType): boolean {
  return INTEGRAL_RANK[t.name] !== undefined;
}

export function isNumeric(t: HiveType): boolean {
  return NUMERIC_RANK[t.name] !== undefined;
}

export function isStringFamily(t: HiveType): boolean {
  return t.name === 'string' || t.name === 'varchar' || t.name === 'char';
}

export function isDateFamily(t: HiveType): boolean {
  return t.name === 'date' || t.name === 'timestamp';
}

/** The wider of two numeric types, as Hive's arithmetic promotes them. */
export function widerNumeric(a: HiveType, b: HiveType): HiveType {
  if (a.name === 'void') return b;
  if (b.name === 'void') return a;
  const ra = NUMERIC_RANK[a.name] ?? NUMERIC_RANK.double!;
  const rb = NUMERIC_RANK[b.name] ?? NUMERIC_RANK.double!;
  if (!isNumeric(a) || !isNumeric(b)) return T.double;
  return ra >= rb ? a : b;
}

/** Hive's type names as users write them, e.g. `decimal(10,2)`, `varchar(20)`. */
export function typeToString(t: HiveType): string {
  if (t.name === 'decimal') return `decimal(${t.length ?? 10},${t.scale ?? 0})`;
  if ((t.name === 'varchar' || t.name === 'char') && t.length !== undefined) return `${t.name}(${t.length})`;
  return t.name;
}
