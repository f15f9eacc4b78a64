/**
 * A result as an HTML table whose column headers are sort buttons (the
 * script in table-sort-script.ts sorts it; buttons work with Enter and
 * Space). Each cell keeps its raw value in data-v, so sorting is by value,
 * not by the formatted text. Pure string building: browser-safe.
 */
import { escapeXml, formatNumber, formatNumericText } from './format.js';
import { cellText, isNumericType, type Cell, type ResultTable } from './result-table.js';

export const DEFAULT_TABLE_ROWS = 1000;

export interface TableOptions {
  /** The table's id, unique on the page. */
  readonly id: string;
  readonly caption?: string;
  /** Rows shown at most. Default 1000. */
  readonly maxRows?: number;
  /** The result's total row count, when more than the rows given. */
  readonly totalRows?: number;
}

export function renderResultTable(table: ResultTable, options: TableOptions): string {
  const id = escapeXml(options.id);
  const max = options.maxRows ?? DEFAULT_TABLE_ROWS;
  const rows = table.rows.slice(0, max);
  const total = Math.max(options.totalRows ?? table.rows.length, table.rows.length);
  const numeric = table.columns.map((c) => isNumericType(c.type));
  const out: string[] = [];
  // A focusable scroll region: a keyboard user can scroll a wide table sideways.
  out.push(`<div class="lh-table-wrap" role="region" tabindex="0" aria-labelledby="${id}-caption">`);
  out.push(`<table class="lh-table lh-sortable" id="${id}">`);
  out.push(`<caption id="${id}-caption">${escapeXml(options.caption ?? 'Results')}</caption>`);
  out.push('<thead><tr>');
  table.columns.forEach((c, i) => {
    out.push(
      `<th scope="col" aria-sort="none" data-type="${numeric[i] ? 'num' : 'text'}"${numeric[i] ? ' class="lh-num"' : ''}>` +
        `<button type="button" data-col="${i}" title="Sort by ${escapeXml(c.name)}"><span class="lh-name">${escapeXml(c.name)}</span><span class="lh-type">${escapeXml(c.type)}</span></button></th>`,
    );
  });
  out.push('</tr></thead><tbody>');
  for (const row of rows) {
    out.push('<tr>');
    table.columns.forEach((_, i) => out.push(cellHtml(row[i] ?? null, numeric[i]!)));
    out.push('</tr>');
  }
  out.push('</tbody></table></div>');
  if (rows.length === 0) out.push('<p class="lh-note">No rows.</p>');
  else if (total > rows.length) out.push(`<p class="lh-note">Showing the first ${formatNumber(rows.length)} of ${formatNumber(total)} rows; all of them are in the output files.</p>`);
  return out.join('');
}

function cellHtml(cell: Cell, numeric: boolean): string {
  if (cell === null) return `<td class="lh-null${numeric ? ' lh-num' : ''}">NULL</td>`;
  const raw = cellText(cell);
  if (!numeric) return `<td data-v="${escapeXml(raw)}">${escapeXml(raw)}</td>`;
  const shown = typeof cell === 'number' ? formatNumber(cell) : formatNumericText(raw);
  return `<td class="lh-num" data-v="${escapeXml(raw)}">${escapeXml(shown)}</td>`;
}
