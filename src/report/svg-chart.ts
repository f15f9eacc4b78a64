/**
 * Charts as SVG text: pure functions from rows to a string, with no DOM and
 * no Node APIs, so the CLI report and the web page (in the browser) draw the
 * same charts. Output is deterministic (no random ids, no locale, coordinates
 * rounded to 0.01) so tests can assert on structure.
 *
 * Accessibility: the root has role="img" with <title> and <desc>; every bar
 * is a <g class="lh-bar" data-label="…"> and every point a <circle
 * data-label="…">, with a <title> tooltip giving the full label and values.
 * Text uses currentColor, so the chart follows the page's colour scheme.
 */
import type { ResolvedChart } from './chart-spec.js';
import { coord, escapeXml, formatNumber, textLength, truncate } from './format.js';
import { dayTicks, niceTicks } from './nice-scale.js';
import { baseType, cellNumber, cellText, isIntegralType, type Cell, type ResultTable } from './result-table.js';

export interface ChartOptions {
  /** Prefix of the chart's element ids; give each chart on a page its own. Default `lh-chart`. */
  readonly id?: string;
  /** The accessible title (also shown as a tooltip); default says what is charted. */
  readonly title?: string;
  /** Put xmlns on the root: needed in a standalone .svg file, not inline in HTML. Default true. */
  readonly xmlns?: boolean;
  /** Bars drawn at most (the first rows, in output order). Default 100. */
  readonly maxBars?: number;
  /** Bar labels longer than this are cut with … (the bar's <title> has the full text). Default 32. */
  readonly maxLabelChars?: number;
  /** The result's total row count when the rows given are only its first ones (said in the chart). */
  readonly totalRows?: number;
}

export interface BarChartData {
  /** One label per bar (row); null shows as NULL. */
  readonly labels: readonly (string | null)[];
  /** One or more value series, each with one value per label; several are grouped bars on one axis. */
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
  /** What the labels are, e.g. `os` (for the description). */
  readonly labelName: string;
}

export type LineXKind = 'date' | 'timestamp' | 'number';

export interface LineChartData {
  readonly xName: string;
  /** How x values are read: DATE text (yyyy-MM-dd), TIMESTAMP text, or numbers (an hour, a minute…). */
  readonly xKind: LineXKind;
  /** Draw x ticks at whole numbers only (an INT hour). */
  readonly xIntegral?: boolean;
  /** One x per row, in any order (points are drawn in x order); rows with a NULL x are left out. */
  readonly x: readonly Cell[];
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
}

/** Series colours: a colour-blind-aware palette readable on light and dark backgrounds. */
export const SERIES_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2'] as const;

const WIDTH = 640;
const FONT = 12;
/** Rough advance of one character at FONT px (no text measuring without a DOM). */
const CHAR_W = 7;
/** Labels get a wider guess: codes such as ORD51 or MAD50 are capitals and digits, wider than average text. */
const LABEL_CHAR_W = 8;
const DEFAULT_MAX_BARS = 100;
const DEFAULT_MAX_LABEL = 32;

/** The chart a resolved spec asks for, from a table's rows; '' for `none`. */
export function renderChart(table: ResultTable, chart: ResolvedChart, options: ChartOptions = {}): string {
  if (chart.kind === 'none') return '';
  const series = chart.values.map((i) => ({ name: table.columns[i]!.name, values: table.rows.map((r) => cellNumber(r[i] ?? null)) }));
  if (chart.kind === 'bar') {
    const labels = table.rows.map((r) => (chart.label.length === 1 ? labelText(r[chart.label[0]!] ?? null) : chart.label.map((i) => cellText(r[i] ?? null)).join(' / ')));
    return renderBarChart({ labels, series, labelName: chart.label.map((i) => table.columns[i]!.name).join(' / ') }, options);
  }
  const xType = table.columns[chart.x]!.type;
  const xKind: LineXKind = baseType(xType) === 'date' ? 'date' : baseType(xType) === 'timestamp' ? 'timestamp' : 'number';
  return renderLineChart({ xName: table.columns[chart.x]!.name, xKind, xIntegral: isIntegralType(xType), x: table.rows.map((r) => r[chart.x] ?? null), series }, options);
}

function labelText(cell: Cell): string | null {
  return cell === null ? null : cellText(cell);
}

/** Horizontal bars, one per label in the order given, with value labels and a value axis. */
export function renderBarChart(data: BarChartData, options: ChartOptions = {}): string {
  const id = options.id ?? 'lh-chart';
  const maxBars = options.maxBars ?? DEFAULT_MAX_BARS;
  const n = Math.min(data.labels.length, maxBars);
  const total = Math.max(options.totalRows ?? data.labels.length, data.labels.length);
  const seriesNames = data.series.map((s) => s.name).join(', ');
  const title = options.title ?? `${seriesNames} by ${data.labelName}`;
  if (n === 0 || data.series.length === 0) return emptyChart(id, title, `Bar chart of ${seriesNames} by ${data.labelName}: no rows.`, options);

  const labels = data.labels.slice(0, n).map((l) => l ?? 'NULL');
  const values = data.series.map((s) => s.values.slice(0, n));
  const all = values.flat().filter((v): v is number => v !== null);
  const valueText = (v: number | null) => (v === null ? 'NULL' : formatNumber(v, 2));

  const maxLabel = options.maxLabelChars ?? DEFAULT_MAX_LABEL;
  const labelW = Math.min(Math.max(40, Math.min(maxLabel, maxOf(labels.map(textLength))) * LABEL_CHAR_W + 12), Math.round(WIDTH * 0.45));
  const fitChars = Math.max(4, Math.min(maxLabel, Math.floor((labelW - 12) / LABEL_CHAR_W)));
  const valueW = maxOf(values.flat().map((v) => valueText(v).length)) * CHAR_W + 10;
  const plotX = labelW;
  const plotW = Math.max(80, WIDTH - labelW - valueW);
  const ticks = niceTicks(Math.min(0, minOf(all)), Math.max(0, maxOf(all)), 5);
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const sx = (v: number) => plotX + ((v - lo) / (hi - lo)) * plotW;

  const k = data.series.length;
  const legendH = k > 1 ? 22 : 0;
  const top = 8 + legendH;
  const barH = k === 1 ? 16 : 12;
  const rowH = k * barH + 8;
  const plotBottom = top + n * rowH;
  const note = total > n ? `Showing the first ${formatNumber(n)} of ${formatNumber(total)} rows.` : '';
  const height = plotBottom + 36 + (note ? 16 : 0);

  const out: string[] = [];
  out.push(svgOpen(id, WIDTH, height, options), `<title id="${escapeXml(id)}-title">${escapeXml(title)}</title>`);
  out.push(`<desc id="${escapeXml(id)}-desc">${escapeXml(barDescription(data, labels, values, total, n))}</desc>`);
  if (k > 1) out.push(legend(data.series.map((s) => s.name), plotX, 8 + FONT));
  out.push('<g class="lh-axis" font-size="11">');
  for (const t of ticks) {
    const x = coord(sx(t));
    out.push(`<line x1="${x}" x2="${x}" y1="${top - 4}" y2="${plotBottom}" stroke="currentColor" stroke-opacity="${t === 0 ? 0.5 : 0.12}"/>`);
    out.push(`<text x="${x}" y="${plotBottom + 14}" text-anchor="middle">${escapeXml(formatNumber(t))}</text>`);
  }
  out.push(`<text class="lh-axis-title" x="${coord(plotX + plotW)}" y="${plotBottom + 30}" text-anchor="end">${escapeXml(seriesNames)}</text>`);
  out.push('</g>');
  const zero = sx(0);
  for (let row = 0; row < n; row++) {
    const label = labels[row]!;
    const y = top + row * rowH + 4;
    const shown = truncate(label, fitChars);
    const tip = `${label}: ${data.series.map((s, i) => `${s.name} ${valueText(values[i]![row] ?? null)}`).join(', ')}`;
    const isNull = data.labels[row] === null;
    out.push(`<g class="lh-bar${isNull ? ' lh-null' : ''}" data-label="${escapeXml(label)}" data-index="${row}"><title>${escapeXml(tip)}</title>`);
    out.push(`<text class="lh-label" x="${plotX - 6}" y="${coord(y + (k * barH) / 2 + 4)}" text-anchor="end"${isNull ? ' font-style="italic"' : ''}>${escapeXml(shown.text)}</text>`);
    for (let s = 0; s < k; s++) {
      const v = values[s]![row] ?? null;
      const by = y + s * barH;
      const x0 = v === null ? zero : Math.min(sx(v), zero);
      const w = v === null ? 0 : Math.abs(sx(v) - zero);
      out.push(
        `<rect class="lh-bar-rect" data-series="${escapeXml(data.series[s]!.name)}" data-value="${v === null ? 'NULL' : String(v)}" x="${coord(x0)}" y="${coord(by)}" width="${coord(w)}" height="${barH - 2}" fill="${SERIES_COLORS[s % SERIES_COLORS.length]}"/>`,
      );
      const tx = (v === null || v >= 0 ? Math.max(sx(v ?? 0), zero) : zero) + 4;
      out.push(`<text class="lh-value" x="${coord(tx)}" y="${coord(by + barH / 2 + 3)}" font-size="11">${escapeXml(valueText(v))}</text>`);
    }
    out.push('</g>');
  }
  if (note) out.push(`<text class="lh-note" x="0" y="${height - 4}" font-size="11">${escapeXml(note)}</text>`);
  out.push('</svg>');
  return out.join('');
}

function barDescription(data: BarChartData, labels: readonly string[], values: readonly (readonly (number | null)[])[], total: number, n: number): string {
  const first = data.series[0]!;
  let best = -1;
  values[0]!.forEach((v, i) => {
    if (v !== null && (best < 0 || v > values[0]![best]!)) best = i;
  });
  const rows = total > n ? `the first ${formatNumber(n)} of ${formatNumber(total)} rows` : `${formatNumber(n)} ${n === 1 ? 'row' : 'rows'}`;
  const top = best >= 0 ? ` Largest ${first.name}: ${labels[best]} with ${formatNumber(values[0]![best]!, 2)}.` : '';
  return `Bar chart of ${data.series.map((s) => s.name).join(', ')} by ${data.labelName}, ${rows}.${top}`;
}

interface Point {
  readonly x: number;
  readonly text: string;
  readonly row: number;
}

/** Lines over a date, timestamp or numeric x, with nice y ticks and a point (with a tooltip) per row. */
export function renderLineChart(data: LineChartData, options: ChartOptions = {}): string {
  const id = options.id ?? 'lh-chart';
  const seriesNames = data.series.map((s) => s.name).join(', ');
  const title = options.title ?? `${seriesNames} by ${data.xName}`;
  const points: Point[] = [];
  data.x.forEach((cell, row) => {
    const x = xPosition(cell, data.xKind);
    if (x !== null) points.push({ x, text: cellText(cell), row });
  });
  // Stable sort: equal x keep their row order.
  points.sort((a, b) => a.x - b.x || a.row - b.row);
  const ys = data.series.flatMap((s) => points.map((p) => s.values[p.row] ?? null)).filter((v): v is number => v !== null);
  if (points.length === 0 || data.series.length === 0 || ys.length === 0) {
    return emptyChart(id, title, `Line chart of ${seriesNames} by ${data.xName}: no rows.`, options);
  }

  const yTicks = niceTicks(Math.min(0, minOf(ys)), maxOf(ys), 5);
  const y0 = yTicks[0]!;
  const y1 = yTicks[yTicks.length - 1]!;
  const minX = points[0]!.x;
  const maxX = points[points.length - 1]!.x;
  const xTicks = axisTicks(data, minX, maxX);
  const xLabel = (v: number) => xTickText(v, data.xKind, maxX - minX);
  const lastXText = xLabel(xTicks[xTicks.length - 1] ?? maxX);

  const height = 320;
  const left = Math.max(...yTicks.map((t) => formatNumber(t).length)) * CHAR_W + 14;
  const right = Math.max(16, Math.ceil((lastXText.length * CHAR_W) / 2) + 4);
  const top = 34;
  const bottom = 44;
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  // One point, or all at one x: centre them rather than divide by zero.
  const xLo = minX === maxX ? minX - 1 : Math.min(minX, xTicks[0] ?? minX);
  const xHi = minX === maxX ? maxX + 1 : Math.max(maxX, xTicks[xTicks.length - 1] ?? maxX);
  const sx = (v: number) => left + ((v - xLo) / (xHi - xLo)) * plotW;
  const sy = (v: number) => top + plotH - ((v - y0) / (y1 - y0)) * plotH;

  const out: string[] = [];
  out.push(svgOpen(id, WIDTH, height, options), `<title id="${escapeXml(id)}-title">${escapeXml(title)}</title>`);
  out.push(`<desc id="${escapeXml(id)}-desc">${escapeXml(lineDescription(data, points, options.totalRows))}</desc>`);
  out.push(legend(data.series.map((s) => s.name), left, 16));
  out.push('<g class="lh-axis" font-size="11">');
  for (const t of yTicks) {
    const y = coord(sy(t));
    out.push(`<line x1="${left}" x2="${coord(left + plotW)}" y1="${y}" y2="${y}" stroke="currentColor" stroke-opacity="${t === 0 ? 0.5 : 0.12}"/>`);
    out.push(`<text class="lh-y-tick" x="${left - 6}" y="${coord(sy(t) + 4)}" text-anchor="end">${escapeXml(formatNumber(t))}</text>`);
  }
  for (const t of xTicks) {
    const x = coord(sx(t));
    out.push(`<line x1="${x}" x2="${x}" y1="${top + plotH}" y2="${top + plotH + 4}" stroke="currentColor" stroke-opacity="0.5"/>`);
    out.push(`<text class="lh-x-tick" x="${x}" y="${top + plotH + 16}" text-anchor="middle">${escapeXml(xLabel(t))}</text>`);
  }
  out.push(`<text class="lh-axis-title" x="${coord(left + plotW)}" y="${height - 6}" text-anchor="end">${escapeXml(data.xName)}</text>`);
  out.push('</g>');
  data.series.forEach((s, si) => {
    const color = SERIES_COLORS[si % SERIES_COLORS.length]!;
    let d = '';
    let pen = false;
    const circles: string[] = [];
    for (const p of points) {
      const v = s.values[p.row] ?? null;
      // A NULL value breaks the line rather than dropping to zero.
      if (v === null) {
        pen = false;
        continue;
      }
      const x = coord(sx(p.x));
      const y = coord(sy(v));
      d += `${pen ? 'L' : 'M'}${x} ${y}`;
      pen = true;
      circles.push(
        `<circle class="lh-point" data-label="${escapeXml(p.text)}" data-value="${String(v)}" cx="${x}" cy="${y}" r="3" fill="${color}"><title>${escapeXml(`${p.text}: ${s.name} ${formatNumber(v, 2)}`)}</title></circle>`,
      );
    }
    out.push(`<g class="lh-series" data-series="${escapeXml(s.name)}">`);
    if (d !== '') out.push(`<path class="lh-line" d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
    out.push(...circles, '</g>');
  });
  out.push('</svg>');
  return out.join('');
}

function lineDescription(data: LineChartData, points: readonly Point[], totalRows?: number): string {
  const first = points[0]!.text;
  const last = points[points.length - 1]!.text;
  const shown = totalRows !== undefined && totalRows > data.x.length ? ` (the first ${formatNumber(data.x.length)} of ${formatNumber(totalRows)} rows)` : '';
  const skipped = data.x.length - points.length;
  const nulls = skipped > 0 ? ` ${formatNumber(skipped)} ${skipped === 1 ? 'row has' : 'rows have'} no ${data.xName} and ${skipped === 1 ? 'is' : 'are'} not drawn.` : '';
  return `Line chart of ${data.series.map((s) => s.name).join(', ')} by ${data.xName}, ${formatNumber(points.length)} ${points.length === 1 ? 'point' : 'points'} from ${first} to ${last}${shown}.${nulls}`;
}

const DAY_MS = 86_400_000;

/** Where a cell sits on the x axis: days since 1970 for dates and timestamps (UTC, as Hive writes them), the number itself otherwise. */
function xPosition(cell: Cell, kind: LineXKind): number | null {
  if (cell === null) return null;
  if (kind === 'number') return cellNumber(cell);
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d(?:\.\d+)?))?)?/.exec(String(cell));
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), 0) + Number(m[6] ?? 0) * 1000;
  return Number.isFinite(ms) ? ms / DAY_MS : null;
}

function axisTicks(data: LineChartData, minX: number, maxX: number): number[] {
  if (data.xKind === 'date' || (data.xKind === 'timestamp' && maxX - minX >= 3)) return dayTicks(Math.floor(minX), Math.ceil(maxX), 6);
  if (minX === maxX) return [minX];
  // Short timestamp spans: ticks in hours.
  if (data.xKind === 'timestamp') return niceTicks(minX * 24, maxX * 24, 6, { integer: true }).map((h) => h / 24).filter((t) => t >= minX - 1e-9 && t <= maxX + 1e-9);
  // The axis spans the data exactly (hour 0 to 23, not to 25), so only ticks inside it are drawn.
  return niceTicks(minX, maxX, 8, { integer: data.xIntegral }).filter((t) => t >= minX - 1e-9 && t <= maxX + 1e-9);
}

function xTickText(v: number, kind: LineXKind, span: number): string {
  if (kind === 'number') return formatNumber(v, 2);
  const iso = new Date(Math.round(v * DAY_MS)).toISOString();
  return kind === 'date' || span >= 3 ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

// Loops rather than Math.max(...xs): a page of 10,000 rows times several series would overflow the argument stack.
function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return xs.length === 0 ? 0 : m;
}

function minOf(xs: readonly number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return xs.length === 0 ? 0 : m;
}

function legend(names: readonly string[], x: number, y: number): string {
  let at = x;
  const items = names.map((name, i) => {
    const item = `<rect x="${coord(at)}" y="${y - 9}" width="10" height="10" fill="${SERIES_COLORS[i % SERIES_COLORS.length]}"/><text x="${coord(at + 14)}" y="${y}">${escapeXml(name)}</text>`;
    at += 14 + textLength(name) * CHAR_W + 16;
    return item;
  });
  return `<g class="lh-legend" font-size="${FONT}">${items.join('')}</g>`;
}

function svgOpen(id: string, width: number, height: number, options: ChartOptions): string {
  const ns = options.xmlns === false ? '' : ' xmlns="http://www.w3.org/2000/svg"';
  return (
    `<svg${ns} class="lh-chart" id="${escapeXml(id)}" role="img" aria-labelledby="${escapeXml(id)}-title ${escapeXml(id)}-desc" viewBox="0 0 ${width} ${height}" width="100%" ` +
    `preserveAspectRatio="xMinYMin meet" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="${FONT}" fill="currentColor" style="max-width:${width * 1.5}px;height:auto">`
  );
}

/** Same root and title as a chart, with a message instead of marks: never a NaN coordinate. */
function emptyChart(id: string, title: string, desc: string, options: ChartOptions): string {
  const height = 80;
  return (
    svgOpen(id, WIDTH, height, options) +
    `<title id="${escapeXml(id)}-title">${escapeXml(title)}</title><desc id="${escapeXml(id)}-desc">${escapeXml(desc)}</desc>` +
    `<text class="lh-empty" x="${WIDTH / 2}" y="${height / 2 + 4}" text-anchor="middle">No rows to chart</text></svg>`
  );
}
