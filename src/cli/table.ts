import { formatValue } from '../hive/cast.js';
import { isNumeric, type HiveValue } from '../hive/types.js';
import type { OutputColumn } from '../plan/compiled.js';

/** A readable, aligned table of result rows (numbers right-aligned), for people rather than programs. */
export function renderTable(columns: readonly OutputColumn[], rows: readonly (readonly HiveValue[])[]): string {
  const cells = rows.map((r) => columns.map((c, i) => (r[i] === null || r[i] === undefined ? 'NULL' : formatValue(r[i]!, c.type, { collectionSeparator: ',' }))));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((row) => row[i]!.length)));
  const right = columns.map((c) => isNumeric(c.type));
  const line = (vals: readonly string[]) => vals.map((v, i) => (right[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(columns.map((c) => c.name)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}
