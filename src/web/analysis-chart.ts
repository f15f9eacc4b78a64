/**
 * GET analyses/{id}/chart: the chart of a SUCCEEDED analysis as SVG, drawn
 * on the server by src/report (the same code as `loghive run --report`), so
 * the page needs no chart code of its own and no build step. The job's
 * `-- Chart:` line decides the kind; when it does not fit the stored columns
 * (untyped EMR results, a job edited since) the default for the columns is
 * used, and '' means there is nothing to chart.
 */
import type { AnalysisRecord } from '../analyses/analysis-record.js';
import type { JobCatalog } from '../analyses/job-catalog.js';
import { readResultsPage } from '../analyses/results-reader.js';
import { ChartSpecError, chartForColumns, type ChartSpec, type ResolvedChart } from '../report/chart-spec.js';
import type { ResultTable } from '../report/result-table.js';
import { renderChart } from '../report/svg-chart.js';
import type { StorageRegistry } from '../storage/registry.js';

/** Rows read for a chart: bar charts draw the first 100, a per-day line over three years still fits. */
export const CHART_ROWS = 1000;

export async function renderAnalysisChart(record: AnalysisRecord, storage: StorageRegistry, catalog: JobCatalog): Promise<string> {
  // Throws ResultsNotReadyError (409) unless the analysis SUCCEEDED.
  const page = await readResultsPage(record, storage, { limit: CHART_ROWS });
  const table: ResultTable = { columns: page.columns, rows: page.rows.map((row) => page.columns.map((c) => row[c.name] ?? null)) };
  const spec: ChartSpec | undefined = catalog.names().includes(record.job) ? (catalog.get(record.job).chart ?? undefined) : undefined;
  let chart: ResolvedChart;
  try {
    chart = chartForColumns(table.columns, spec);
  } catch (err) {
    if (!(err instanceof ChartSpecError)) throw err;
    chart = chartForColumns(table.columns);
  }
  const svg = renderChart(table, chart, { id: 'lh-chart', title: `${record.job}: ${chartTitle(chart, table)}`, ...(page.rowCount !== undefined ? { totalRows: page.rowCount } : {}) });
  return withoutRootStyle(svg);
}

/**
 * The chart root's style attribute (a max-width) removed: the page's CSP allows no inline style
 * attributes, and the page's stylesheet sizes charts (.lh-chart) anyway.
 */
export function withoutRootStyle(svg: string): string {
  return svg.replace(/^(<svg\b[^>]*?) style="[^"]*"/, '$1');
}

function chartTitle(chart: ResolvedChart, table: ResultTable): string {
  if (chart.kind === 'none') return '';
  const values = chart.values.map((i) => table.columns[i]!.name).join(', ');
  const by = chart.kind === 'bar' ? chart.label.map((i) => table.columns[i]!.name).join(' / ') : table.columns[chart.x]!.name;
  return `${values} by ${by}`;
}
