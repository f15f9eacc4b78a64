/**
 * The report code the web page uses in the browser: everything here is pure
 * (strings in, strings out; no DOM, no Node APIs). Bundle it as a plain ES
 * module, e.g. `esbuild src/report/browser.ts --bundle --format=esm
 * --platform=browser`; tests/report.test.ts checks that such a bundle
 * builds without Node built-ins and draws a chart.
 */
export { CHART_KINDS, ChartSpecError, chartForColumns, defaultChartSpec, findChartHeader, parseChartSpec, resolveChart } from './chart-spec.js';
export type { ChartHeader, ChartKind, ChartSpec, ResolvedChart } from './chart-spec.js';
export { escapeXml, formatNumber } from './format.js';
export { renderHtmlReport } from './html-report.js';
export type { ReportCounters, ReportInput, ReportQuery } from './html-report.js';
export { DEFAULT_TABLE_ROWS, renderResultTable } from './html-table.js';
export type { TableOptions } from './html-table.js';
export { REPORT_CSS } from './report-style.js';
export { cellNumber, cellText, isDateType, isNumericType, isStringType } from './result-table.js';
export type { Cell, ResultColumn, ResultTable } from './result-table.js';
export { renderBarChart, renderChart, renderLineChart, SERIES_COLORS } from './svg-chart.js';
export type { BarChartData, ChartOptions, LineChartData, LineXKind } from './svg-chart.js';
export { TABLE_SORT_SCRIPT } from './table-sort-script.js';
