/**
 * One self-contained HTML page for a run: what ran, with which variables, the
 * counters, and per query a chart and a sortable table. Everything is inline
 * (CSS, SVG, one small script), with no external resource, so the file can be
 * mailed, archived or opened offline. Pure string building: browser-safe.
 */
import type { ResolvedChart } from './chart-spec.js';
import { escapeXml, formatNumber } from './format.js';
import { DEFAULT_TABLE_ROWS, renderResultTable } from './html-table.js';
import { REPORT_CSS } from './report-style.js';
import type { ResultTable } from './result-table.js';
import { renderChart } from './svg-chart.js';
import { TABLE_SORT_SCRIPT } from './table-sort-script.js';

export interface ReportCounters {
  readonly recordsRead: number;
  readonly malformedRecords: number;
  readonly outputRecords: number;
  readonly wallMs: number;
  /** Further counters, shown under "All counters". */
  readonly all?: readonly { readonly label: string; readonly value: number }[];
}

export interface ReportQuery {
  /** A heading for the query, e.g. its output directory. */
  readonly title: string;
  /** The first rows of the result, in output order (the table shows up to maxTableRows of them). */
  readonly table: ResultTable;
  /** All rows the query produced. */
  readonly rowCount: number;
  readonly chart: ResolvedChart;
}

export interface ReportInput {
  /** The job's name (the script's file name without .q). */
  readonly job: string;
  /** The script's path as given. */
  readonly script?: string;
  /** What the job answers (its header's `-- Answers:`). */
  readonly description?: string;
  readonly variables: readonly { readonly name: string; readonly value: string }[];
  readonly counters: ReportCounters;
  readonly queries: readonly ReportQuery[];
  /** When the report was made (shown as given); omitted, the page has no date, so the same run gives the same bytes. */
  readonly generatedAt?: string;
  /** Table rows per query. Default 1000. */
  readonly maxTableRows?: number;
}

export function renderHtmlReport(input: ReportInput): string {
  const title = `loghive report: ${input.job}`;
  const c = input.counters;
  const counters: [string, string][] = [
    ['Records read', formatNumber(c.recordsRead)],
    ['Malformed records', formatNumber(c.malformedRecords)],
    ['Output rows', formatNumber(c.outputRecords)],
    ['Wall time', `${(c.wallMs / 1000).toFixed(3)} s`],
  ];
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeXml(title)}</h1>`,
  );
  if (input.description) out.push(`<p>${escapeXml(input.description)}</p>`);
  const meta = [input.script ? `Script <code>${escapeXml(input.script)}</code>` : '', input.generatedAt ? `generated ${escapeXml(input.generatedAt)}` : ''].filter((s) => s !== '');
  if (meta.length > 0) out.push(`<p class="lh-muted">${meta.join(', ')}</p>`);
  if (input.variables.length > 0) {
    out.push('<table class="lh-vars"><caption class="lh-muted" style="text-align:left">Variables</caption><tbody>');
    for (const v of input.variables) out.push(`<tr><th scope="row"><code>${escapeXml(v.name)}</code></th><td><code>${escapeXml(v.value)}</code></td></tr>`);
    out.push('</tbody></table>');
  }
  out.push('<section aria-labelledby="counters-heading"><h2 id="counters-heading">Counters</h2><dl class="lh-counters">');
  for (const [label, value] of counters) out.push(`<div><dt>${escapeXml(label)}</dt><dd>${escapeXml(value)}</dd></div>`);
  out.push('</dl>');
  if (c.all && c.all.length > 0) {
    out.push('<details><summary>All counters</summary><table class="lh-vars"><tbody>');
    for (const a of c.all) out.push(`<tr><th scope="row">${escapeXml(a.label)}</th><td>${escapeXml(formatNumber(a.value))}</td></tr>`);
    out.push('</tbody></table></details>');
  }
  out.push('</section>');
  if (input.queries.length === 0) out.push('<p>The script ran no query.</p>');
  input.queries.forEach((q, i) => {
    const id = `q${i + 1}`;
    const rows = q.table.rows.length;
    out.push(`<section aria-labelledby="${id}-heading"><h2 id="${id}-heading">${escapeXml(q.title)}</h2>`);
    out.push(`<p class="lh-muted">${formatNumber(q.rowCount)} ${q.rowCount === 1 ? 'row' : 'rows'}</p>`);
    const svg = renderChart(q.table, q.chart, { id: `${id}-chart`, xmlns: false, totalRows: Math.max(q.rowCount, rows) });
    if (svg !== '') out.push(`<figure>${svg}</figure>`);
    out.push(renderResultTable(q.table, { id: `${id}-table`, caption: `Rows of ${q.title}`, maxRows: input.maxTableRows ?? DEFAULT_TABLE_ROWS, totalRows: q.rowCount }));
    out.push('</section>');
  });
  out.push('</main>', `<script>${TABLE_SORT_SCRIPT}</script>`, '</body>', '</html>', '');
  return out.join('\n');
}
