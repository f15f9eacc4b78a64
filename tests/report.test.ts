/**
 * The report module: chart lines in job headers, SVG bar and line charts, the
 * self-contained HTML report with its sort script, and `loghive run --report`.
 * Charts and pages are checked by structure (a small XML walk below), not by
 * snapshots.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadJobCatalog } from '../src/analyses/job-catalog.js';
import { HiveSession } from '../src/engine/session.js';
import { HiveVariables } from '../src/hive/script.js';
import { typeToString } from '../src/hive/types.js';
import {
  ChartSpecError,
  chartForColumns,
  defaultChartSpec,
  findChartHeader,
  parseChartSpec,
  resolveChart,
  type ChartSpec,
  type ResolvedChart,
} from '../src/report/chart-spec.js';
import { escapeXml, formatNumber, truncate } from '../src/report/format.js';
import { renderHtmlReport, type ReportInput } from '../src/report/html-report.js';
import { dayTicks, niceTicks } from '../src/report/nice-scale.js';
import type { Cell, ResultColumn, ResultTable } from '../src/report/result-table.js';
import { renderBarChart, renderChart, renderLineChart } from '../src/report/svg-chart.js';
import { TABLE_SORT_SCRIPT } from '../src/report/table-sort-script.js';
import { tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const JOBS_DIR = path.join(ROOT, 'jobs');
const jobFiles = readdirSync(JOBS_DIR).filter((f) => f.endsWith('.q')).sort();

// ---------------------------------------------------------------------------
// A small XML/HTML walk: enough for the markup the report writes.

interface XNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XNode[];
  /** Text directly inside (entities decoded). */
  text: string;
  parent?: XNode;
}

const VOID_ELEMENTS = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
const RAW_TEXT = new Set(['script', 'style']);

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#(\d+));/g, (_, name: string, code?: string) =>
    code ? String.fromCodePoint(Number(code)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" } as Record<string, string>)[name]!,
  );
}

function parseMarkup(markup: string): XNode {
  const root: XNode = { name: '#root', attrs: {}, children: [], text: '' };
  let current = root;
  let i = 0;
  while (i < markup.length) {
    if (markup.startsWith('<!--', i)) {
      i = markup.indexOf('-->', i) + 3;
    } else if (markup.startsWith('<!', i) || markup.startsWith('<?', i)) {
      i = markup.indexOf('>', i) + 1;
    } else if (markup.startsWith('</', i)) {
      const end = markup.indexOf('>', i);
      const name = markup.slice(i + 2, end).trim().toLowerCase();
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}> at ${i}`);
      current = current.parent!;
      i = end + 1;
    } else if (markup[i] === '<') {
      const m = /^<([A-Za-z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*"|='[^']*')?)*)\s*(\/?)>/.exec(markup.slice(i));
      if (!m) throw new Error(`bad tag at ${i}: ${markup.slice(i, i + 60)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2]!.matchAll(/([\w:-]+)(?:="([^"]*)"|='([^']*)')?/g)) attrs[a[1]!] = decodeEntities(a[2] ?? a[3] ?? '');
      const node: XNode = { name: m[1]!.toLowerCase(), attrs, children: [], text: '', parent: current };
      current.children.push(node);
      i += m[0].length;
      if (RAW_TEXT.has(node.name)) {
        const end = markup.indexOf(`</${node.name}>`, i);
        node.text = markup.slice(i, end);
        i = end + node.name.length + 3;
      } else if (m[3] !== '/' && !VOID_ELEMENTS.has(node.name)) current = node;
    } else {
      const next = markup.indexOf('<', i);
      const end = next < 0 ? markup.length : next;
      current.text += decodeEntities(markup.slice(i, end));
      i = end;
    }
  }
  if (current !== root) throw new Error(`<${current.name}> is not closed`);
  return root;
}

function all(node: XNode, pred: (n: XNode) => boolean): XNode[] {
  const out: XNode[] = [];
  const walk = (n: XNode) => {
    for (const c of n.children) {
      if (pred(c)) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

const byName = (name: string) => (n: XNode) => n.name === name;
const byClass = (cls: string) => (n: XNode) => (n.attrs.class ?? '').split(/\s+/).includes(cls);

function textOf(n: XNode): string {
  return n.text + n.children.filter((c) => c.name !== 'title').map(textOf).join('');
}

function childText(n: XNode, name: string): string | undefined {
  const c = n.children.find((k) => k.name === name);
  return c && textOf(c);
}

/** Every number in the chart's geometry: none may be NaN or infinite. */
function expectFiniteGeometry(svg: string): void {
  expect(svg).not.toMatch(/NaN|Infinity/);
  for (const n of all(parseMarkup(svg), (n) => n.name !== 'svg')) {
    for (const a of ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'width', 'height']) {
      if (n.attrs[a] !== undefined) expect(Number.isFinite(Number(n.attrs[a])), `${n.name} ${a}=${n.attrs[a]}`).toBe(true);
    }
  }
}

function svgRoot(svg: string): XNode {
  const root = parseMarkup(svg).children[0]!;
  expect(root.name).toBe('svg');
  return root;
}

const col = (name: string, type: string): ResultColumn => ({ name, type });

function resolved(spec: ChartSpec, table: ResultTable): ResolvedChart {
  return resolveChart(spec, table.columns);
}

// ---------------------------------------------------------------------------

describe('chart spec', () => {
  it('parses bar, line and none with one or more value columns', () => {
    expect(parseChartSpec('bar os count')).toEqual({ kind: 'bar', label: ['os'], values: ['count'] });
    expect(parseChartSpec('  BAR  uri requests clients ')).toEqual({ kind: 'bar', label: ['uri'], values: ['requests', 'clients'] });
    expect(parseChartSpec('bar sc_status+x_edge_result_type requests')).toEqual({ kind: 'bar', label: ['sc_status', 'x_edge_result_type'], values: ['requests'] });
    expect(parseChartSpec('line dateobject visitors requests')).toEqual({ kind: 'line', x: 'dateobject', values: ['visitors', 'requests'] });
    expect(parseChartSpec('none')).toEqual({ kind: 'none' });
  });

  it.each([
    ['pie os count', /:7:13: -- Chart: unknown chart kind 'pie' \(expected bar, line or none\)/],
    ['', /:7:13: -- Chart: expected a chart kind/],
    ['bar', /needs a label column and at least one value column/],
    ['line dateobject', /:7:18: -- Chart: line needs at least one value column after 'dateobject'/],
    ['none os', /:7:18: -- Chart: 'none' takes no columns, found 'os'/],
    ['bar os count,', /:7:20: -- Chart: 'count,' is not a column name/],
    ['line a+b requests', /a line chart has one x column, not 'a\+b'/],
    ['bar os count COUNT', /value column 'COUNT' is listed twice/],
  ])('refuses %j naming the file, line and column', (text, message) => {
    // Act
    const act = () => parseChartSpec(text, { file: 'jobs/x.q', line: 7, column: 13 });

    // Assert
    expect(act).toThrow(ChartSpecError);
    expect(act).toThrow(message);
    expect(act).toThrow(/^jobs\/x\.q:7:/);
  });

  it('finds the chart line in the leading comment block only, and refuses two', () => {
    // Arrange
    const script = '-- Job:     x\n-- Chart:   bar os count\n\nSELECT 1;\n-- Chart:   line a b\n';

    // Act
    const header = findChartHeader(script, 'jobs/x.q');

    // Assert
    expect(header).toEqual({ spec: { kind: 'bar', label: ['os'], values: ['count'] }, position: { file: 'jobs/x.q', line: 2, column: 13 } });
    expect(findChartHeader('SELECT 1;\n-- Chart: bar a b\n')).toBeUndefined();
    expect(() => findChartHeader('-- Chart: bar a b\n-- Chart: none\n', 'two.q')).toThrow(/^two\.q:2:11: -- Chart: a script has one chart line; another is on line 1$/);
  });

  it('resolves against the output columns, case-insensitively, and says what does not fit', () => {
    // Arrange
    const columns = [col('os', 'string'), col('count', 'bigint'), col('day', 'date'), col('avg_bytes', 'double')];
    const at = { file: 'jobs/x.q', line: 3, column: 12 };

    // Act
    const bar = resolveChart(parseChartSpec('bar OS count avg_bytes'), columns, at);
    const line = resolveChart(parseChartSpec('line day count'), columns, at);

    // Assert
    expect(bar).toMatchObject({ kind: 'bar', label: [0], values: [1, 3] });
    expect(line).toMatchObject({ kind: 'line', x: 2, values: [1] });
    expect(() => resolveChart(parseChartSpec('bar browser count'), columns, at)).toThrow(
      "jobs/x.q:3:12: -- Chart: label column 'browser' is not an output column of the query (os, count, day, avg_bytes)",
    );
    expect(() => resolveChart(parseChartSpec('bar count os'), columns, at)).toThrow("value column 'os' is string; values must be numeric");
    expect(() => resolveChart(parseChartSpec('line os count'), columns, at)).toThrow("x column 'os' is string; a line chart needs a date, timestamp or numeric x");
    expect(resolveChart(parseChartSpec('line count avg_bytes'), columns).kind).toBe('line');
  });

  it('defaults to a line over the first date column, else bars over the first string (or first) column, else none', () => {
    expect(defaultChartSpec([col('day', 'date'), col('n', 'bigint'), col('m', 'bigint')])).toEqual({ kind: 'line', x: 'day', values: ['n'] });
    expect(defaultChartSpec([col('n', 'bigint'), col('t', 'timestamp')])).toEqual({ kind: 'line', x: 't', values: ['n'] });
    expect(defaultChartSpec([col('n', 'int'), col('os', 'varchar(10)'), col('b', 'decimal(10,2)')])).toEqual({ kind: 'bar', label: ['os'], values: ['n'] });
    expect(defaultChartSpec([col('status', 'int'), col('requests', 'bigint')])).toEqual({ kind: 'bar', label: ['status'], values: ['requests'] });
    expect(defaultChartSpec([col('a', 'string'), col('b', 'string')])).toEqual({ kind: 'none' });
    expect(defaultChartSpec([col('n', 'bigint')])).toEqual({ kind: 'none' });
    expect(defaultChartSpec([col('day', 'date')])).toEqual({ kind: 'none' });
    expect(chartForColumns([col('os', 'string'), col('count', 'bigint')]).kind).toBe('bar');
  });
});

describe('every job in jobs/', () => {
  const expectedKind: Record<string, ChartSpec['kind']> = {
    os_requests: 'bar',
    status_codes: 'bar',
    top_uris: 'bar',
    top_404_uris: 'bar',
    browsers: 'bar',
    edge_bytes: 'bar',
    cloudfront_standard_status: 'bar',
    combined_top_pages: 'bar',
    daily_traffic: 'line',
    unique_visitors: 'line',
    hourly_requests: 'line',
  };

  it('has a kind expected for every job (a new job gets one here too)', () => {
    expect(Object.keys(expectedKind).sort()).toEqual(jobFiles.map((f) => f.slice(0, -2)));
  });

  it.each(jobFiles)('%s has a chart line that names real output columns of its query', async (file) => {
    // Arrange
    const text = readFileSync(path.join(JOBS_DIR, file), 'utf8');
    const variables = new HiveVariables();
    for (const [k, v] of Object.entries({ INPUT: 'sample-data', OUTPUT: 'output', FROM: '2014-07-05', TO: '2014-08-05' })) variables.hivevar.set(k, v);
    const session = new HiveSession({ file: `jobs/${file}`, variables, stdout: () => {}, stderr: () => {} });

    // Act
    const header = findChartHeader(text, `jobs/${file}`);
    const queries = (await session.explain(text)).filter((e) => e.plan);
    const columns = queries[queries.length - 1]!.plan!.columns.map((c) => ({ name: c.name, type: typeToString(c.type) }));

    // Assert
    expect(header, 'a -- Chart: line').toBeDefined();
    expect(header!.spec.kind).toBe(expectedKind[file.slice(0, -2)]);
    const chart = resolveChart(header!.spec, columns, header!.position);
    if (chart.kind === 'line') expect(['date', 'int', 'timestamp']).toContain(columns[chart.x]!.type);
    if (file === 'daily_traffic.q') expect(header!.spec).toEqual({ kind: 'line', x: 'dateobject', values: ['requests'] });
    if (file === 'hourly_requests.q') expect(header!.spec).toEqual({ kind: 'line', x: 'hour_of_day', values: ['requests'] });
  });

  it('shows each job chart in the catalog (GET /jobs), as plain JSON', async () => {
    // Act
    const jobs = (await loadJobCatalog(JOBS_DIR)).list();

    // Assert
    expect(jobs.find((j) => j.name === 'os_requests')!.chart).toEqual({ kind: 'bar', label: ['os'], values: ['count'] });
    for (const job of jobs) expect(job.chart, job.name).toEqual(findChartHeader(readFileSync(path.join(JOBS_DIR, `${job.name}.q`), 'utf8'))!.spec);
    expect(JSON.parse(JSON.stringify(jobs))).toEqual(jobs);
  });
});

describe('numbers and ticks', () => {
  it('formats numbers with thousands separators, deterministically', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(-1234.5)).toBe('-1,234.5');
    expect(formatNumber(1234.5678, 2)).toBe('1,234.57');
    expect(formatNumber(0.001, 2)).toBe('0');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(truncate('abcdef', 4)).toEqual({ text: 'abc…', truncated: true });
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });

  it.each([
    [0, 883, 5],
    [0, 1, 5],
    [-40, 120, 5],
    [0, 123456789, 5],
    [0.001, 0.0042, 4],
    [5, 5, 5],
    [0, 0, 5],
  ])('nice ticks for %d..%d cover the range with a 1/2/5 step', (min, max, count) => {
    // Act
    const ticks = niceTicks(min, max, count);

    // Assert
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(count * 2 + 2);
    expect(ticks[0]).toBeLessThanOrEqual(Math.min(min, max));
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(Math.max(min, max));
    const step = ticks[1]! - ticks[0]!;
    const mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
    expect([1, 2, 5, 10]).toContainEqual(Number(mantissa.toFixed(6)));
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 9);
  });

  it('steps date ticks by days or weeks', () => {
    expect(dayTicks(0, 31, 6)).toEqual([0, 7, 14, 21, 28]);
    expect(dayTicks(10, 13, 6)).toEqual([10, 11, 12, 13]);
  });
});

describe('bar chart', () => {
  const osTable: ResultTable = {
    columns: [col('os', 'string'), col('count', 'bigint')],
    rows: [
      ['Windows', 883],
      ['Android', 855],
      ['iOS', 1234567],
    ],
  };

  it('draws one bar per row, labelled, in row order, with formatted values', () => {
    // Act
    const svg = renderChart(osTable, resolved({ kind: 'bar', label: ['os'], values: ['count'] }, osTable), { id: 'c1' });

    // Assert
    const root = svgRoot(svg);
    expect(root.attrs).toMatchObject({ role: 'img', width: '100%', 'aria-labelledby': 'c1-title c1-desc', xmlns: 'http://www.w3.org/2000/svg' });
    expect(root.attrs.viewBox).toMatch(/^0 0 640 \d+$/);
    expect(childText(root, 'title')).toBe('count by os');
    expect(childText(root, 'desc')).toContain('3 rows');
    const bars = all(root, byClass('lh-bar'));
    expect(bars.map((b) => b.attrs['data-label'])).toEqual(['Windows', 'Android', 'iOS']);
    expect(bars.map((b) => all(b, byName('rect')).length)).toEqual([1, 1, 1]);
    expect(bars.map((b) => textOf(all(b, byClass('lh-value'))[0]!))).toEqual(['883', '855', '1,234,567']);
    const widths = bars.map((b) => Number(all(b, byName('rect'))[0]!.attrs.width));
    expect(widths[2]).toBeGreaterThan(widths[0]!);
    expect(widths[0]).toBeGreaterThan(widths[1]!);
    expectFiniteGeometry(svg);
  });

  it('keeps markup in labels as text', () => {
    // Arrange
    const label = `<script>alert("x")</script> & 'q'`;

    // Act
    const svg = renderBarChart({ labels: [label], series: [{ name: 'n<b>', values: [1] }], labelName: 'l' });

    // Assert
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    const bar = all(svgRoot(svg), byClass('lh-bar'))[0]!;
    expect(bar.attrs['data-label']).toBe(label);
    expect(childText(bar, 'title')).toBe(`${label}: n<b> 1`);
  });

  it('cuts long labels with … and keeps the full text in the bar title', () => {
    // Arrange
    const long = '/a/very/long/uri/that/goes/on/and/on/for/ever/and/ever/index.html?query=string';

    // Act
    const svg = renderBarChart({ labels: [long, '/short'], series: [{ name: 'requests', values: [10, 5] }], labelName: 'uri' });

    // Assert
    const bars = all(svgRoot(svg), byClass('lh-bar'));
    const shown = textOf(all(bars[0]!, byClass('lh-label'))[0]!);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(32);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    expect(childText(bars[0]!, 'title')).toContain(long);
    expect(bars[0]!.attrs['data-label']).toBe(long);
    expect(textOf(all(bars[1]!, byClass('lh-label'))[0]!)).toBe('/short');
  });

  it('shows NULL labels and values as NULL, and draws zero and negative values from the zero line', () => {
    // Act
    const svg = renderBarChart({ labels: [null, 'zero', 'neg', 'pos', 'nullvalue'], series: [{ name: 'v', values: [3, 0, -4, 8, null] }], labelName: 'k' });

    // Assert
    const bars = all(svgRoot(svg), byClass('lh-bar'));
    expect(bars.map((b) => b.attrs['data-label'])).toEqual(['NULL', 'zero', 'neg', 'pos', 'nullvalue']);
    expect(byClass('lh-null')(bars[0]!)).toBe(true);
    const rect = (i: number) => all(bars[i]!, byName('rect'))[0]!.attrs;
    expect(Number(rect(1).width)).toBe(0);
    expect(Number(rect(4).width)).toBe(0);
    expect(textOf(all(bars[4]!, byClass('lh-value'))[0]!)).toBe('NULL');
    // The negative bar ends where the positive ones start.
    expect(Number(rect(2).x) + Number(rect(2).width)).toBeCloseTo(Number(rect(3).x), 1);
    for (let i = 0; i < 5; i++) expect(Number(rect(i).width)).toBeGreaterThanOrEqual(0);
    expectFiniteGeometry(svg);
  });

  it('draws all-zero data without dividing by zero', () => {
    const svg = renderBarChart({ labels: ['a', 'b'], series: [{ name: 'v', values: [0, 0] }], labelName: 'k' });
    expectFiniteGeometry(svg);
    expect(all(svgRoot(svg), byClass('lh-bar'))).toHaveLength(2);
  });

  it('renders an empty state for no rows, with no NaN', () => {
    // Act
    const svg = renderChart({ columns: osTable.columns, rows: [] }, resolved({ kind: 'bar', label: ['os'], values: ['count'] }, osTable));

    // Assert
    const root = svgRoot(svg);
    expect(root.attrs.role).toBe('img');
    expect(all(root, byClass('lh-bar'))).toHaveLength(0);
    expect(textOf(all(root, byClass('lh-empty'))[0]!)).toBe('No rows to chart');
    expectFiniteGeometry(svg);
  });

  it('draws the first 100 of many rows and says so', () => {
    // Arrange
    const labels = Array.from({ length: 150 }, (_, i) => `/page-${i}`);

    // Act
    const svg = renderBarChart({ labels, series: [{ name: 'requests', values: labels.map((_, i) => 150 - i) }], labelName: 'uri' }, { totalRows: 2000 });

    // Assert
    const root = svgRoot(svg);
    expect(all(root, byClass('lh-bar'))).toHaveLength(100);
    expect(textOf(all(root, byClass('lh-note'))[0]!)).toBe('Showing the first 100 of 2,000 rows.');
  });

  it('groups several value columns in one bar group per row, with a legend', () => {
    // Arrange
    const table: ResultTable = { columns: [col('uri', 'string'), col('requests', 'bigint'), col('clients', 'bigint')], rows: [['/a', 10, 4], ['/b', 6, 6]] };

    // Act
    const svg = renderChart(table, resolved({ kind: 'bar', label: ['uri'], values: ['requests', 'clients'] }, table));

    // Assert
    const root = svgRoot(svg);
    const bars = all(root, byClass('lh-bar'));
    expect(bars.map((b) => all(b, byName('rect')).map((r) => [r.attrs['data-series'], r.attrs['data-value']]))).toEqual([
      [['requests', '10'], ['clients', '4']],
      [['requests', '6'], ['clients', '6']],
    ]);
    expect(textOf(all(root, byClass('lh-legend'))[0]!)).toBe('requestsclients');
  });

  it('joins several label columns', () => {
    const table: ResultTable = { columns: [col('s', 'int'), col('t', 'string'), col('n', 'bigint')], rows: [[200, 'Hit', 5], [404, null, 1]] };
    const svg = renderChart(table, resolved({ kind: 'bar', label: ['s', 't'], values: ['n'] }, table));
    expect(all(svgRoot(svg), byClass('lh-bar')).map((b) => b.attrs['data-label'])).toEqual(['200 / Hit', '404 / NULL']);
  });
});

describe('line chart', () => {
  const daily: ResultTable = {
    columns: [col('dateobject', 'date'), col('requests', 'bigint'), col('visitors', 'bigint')],
    rows: [
      ['2014-07-07', 300, 20],
      ['2014-07-05', 100, 10],
      ['2014-07-06', 250, null],
      [null, 999, 1],
      ['2014-07-20', 1200, 40],
    ],
  };

  it('draws one point per row with an x, in x order, with tooltips', () => {
    // Act
    const svg = renderChart(daily, resolved({ kind: 'line', x: 'dateobject', values: ['requests'] }, daily), { id: 'd' });

    // Assert
    const root = svgRoot(svg);
    const points = all(root, byClass('lh-point'));
    expect(points.map((p) => p.attrs['data-label'])).toEqual(['2014-07-05', '2014-07-06', '2014-07-07', '2014-07-20']);
    expect(points.map((p) => p.attrs['data-value'])).toEqual(['100', '250', '300', '1200']);
    const cx = points.map((p) => Number(p.attrs.cx));
    expect([...cx].sort((a, b) => a - b)).toEqual(cx);
    // Day spacing is proportional: 07-05 → 07-06 is one day, 07-07 → 07-20 thirteen.
    expect((cx[3]! - cx[2]!) / (cx[1]! - cx[0]!)).toBeCloseTo(13, 1);
    expect(childText(points[3]!, 'title')).toBe('2014-07-20: requests 1,200');
    expect(childText(root, 'desc')).toContain('1 row has no dateobject and is not drawn');
    expect(all(root, byClass('lh-line'))).toHaveLength(1);
    expectFiniteGeometry(svg);
  });

  it('has sane axes: y ticks from zero past the maximum at a nice step, x ticks as dates in the range', () => {
    // Act
    const root = svgRoot(renderChart(daily, resolved({ kind: 'line', x: 'dateobject', values: ['requests'] }, daily)));

    // Assert
    const yTicks = all(root, byClass('lh-y-tick')).map((t) => Number(textOf(t).replace(/,/g, '')));
    expect(yTicks[0]).toBe(0);
    expect(yTicks[yTicks.length - 1]).toBeGreaterThanOrEqual(1200);
    expect(yTicks).toEqual(niceTicks(0, 1200, 5));
    const xTicks = all(root, byClass('lh-x-tick')).map((t) => textOf(t));
    expect(xTicks.length).toBeGreaterThanOrEqual(2);
    for (const t of xTicks) expect(t >= '2014-07-05' && t <= '2014-07-20', t).toBe(true);
    expect(xTicks[0]).toBe('2014-07-05');
  });

  it('breaks the line at a NULL value and draws one line per value column', () => {
    // Act
    const root = svgRoot(renderChart(daily, resolved({ kind: 'line', x: 'dateobject', values: ['requests', 'visitors'] }, daily)));

    // Assert
    const series = all(root, byClass('lh-series'));
    expect(series.map((s) => s.attrs['data-series'])).toEqual(['requests', 'visitors']);
    expect(all(series[1]!, byClass('lh-point'))).toHaveLength(3);
    const d = all(series[1]!, byClass('lh-line'))[0]!.attrs.d!;
    expect(d.match(/M/g)).toHaveLength(2);
  });

  it('charts hours as whole numbers', () => {
    // Arrange
    const hourly: ResultTable = { columns: [col('hour_of_day', 'int'), col('requests', 'bigint')], rows: Array.from({ length: 24 }, (_, h) => [h, 100 + h] as Cell[]) };

    // Act
    const root = svgRoot(renderChart(hourly, resolved({ kind: 'line', x: 'hour_of_day', values: ['requests'] }, hourly)));

    // Assert
    expect(all(root, byClass('lh-point'))).toHaveLength(24);
    const xTicks = all(root, byClass('lh-x-tick')).map((t) => Number(textOf(t)));
    for (const t of xTicks) expect(Number.isInteger(t) && t >= 0 && t <= 24, String(t)).toBe(true);
  });

  it('draws a large page of rows (10,000 rows, 3 series) without exhausting the stack', () => {
    // Arrange
    const x = Array.from({ length: 10_000 }, (_, i) => i);
    const series = ['a', 'b', 'c'].map((name, k) => ({ name, values: x.map((i) => (i * (k + 1)) % 997) }));

    // Act
    const svg = renderLineChart({ xName: 'minute', xKind: 'number', xIntegral: true, x, series });

    // Assert
    expect(all(svgRoot(svg), byClass('lh-point'))).toHaveLength(30_000);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('handles one point and no points without NaN', () => {
    const one = renderLineChart({ xName: 'd', xKind: 'date', x: ['2014-07-05'], series: [{ name: 'n', values: [5] }] });
    expectFiniteGeometry(one);
    expect(all(svgRoot(one), byClass('lh-point'))).toHaveLength(1);
    const none = renderLineChart({ xName: 'd', xKind: 'date', x: [null], series: [{ name: 'n', values: [5] }] });
    expectFiniteGeometry(none);
    expect(all(svgRoot(none), byClass('lh-empty'))).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------

const osColumns = [col('os', 'string'), col('count', 'bigint')];

function reportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const os: ResultTable = { columns: osColumns, rows: [['Windows', 883], ['Android', 855], [null, 12]] };
  const days: ResultTable = { columns: [col('dateobject', 'date'), col('requests', 'bigint')], rows: [['2014-07-05', 10], ['2014-07-06', 12]] };
  return {
    job: 'os_requests',
    script: 'jobs/os_requests.q',
    description: 'How many requests did each operating system make?',
    variables: [{ name: 'INPUT', value: 'sample-data' }, { name: 'FROM', value: '2014-07-05' }],
    counters: { recordsRead: 4000, malformedRecords: 26, outputRecords: 5, wallMs: 1234 },
    queries: [
      { title: 'output/os_requests/', table: os, rowCount: 3, chart: chartForColumns(os.columns) },
      { title: 'output/daily/', table: days, rowCount: 2, chart: chartForColumns(days.columns) },
    ],
    ...overrides,
  };
}

describe('HTML report', () => {
  it('is self-contained: no external URL, no script src, no stylesheet link', () => {
    // Act
    const html = renderHtmlReport(reportInput());

    // Assert
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('prefers-color-scheme: dark');
    parseMarkup(html);
  });

  it('shows URLs that are in the data, and only those', () => {
    // Arrange
    const table: ResultTable = { columns: [col('referrer', 'string'), col('n', 'bigint')], rows: [['https://example.com/a?b=1&c=2', 3]] };

    // Act
    const html = renderHtmlReport(reportInput({ queries: [{ title: 'r', table, rowCount: 1, chart: chartForColumns(table.columns) }] }));

    // Assert
    const urls = html.match(/https?:\/\/[^"<\s]*/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    // The bar's tooltip follows a URL label with ': '.
    for (const u of urls) expect(u.replace(/:$/, '')).toBe('https://example.com/a?b=1&amp;c=2');
  });

  it('has the title, variables, counters, and per query a chart and a table with one row per result row', () => {
    // Act
    const doc = parseMarkup(renderHtmlReport(reportInput()));

    // Assert
    expect(textOf(all(doc, byName('title'))[0]!)).toBe('loghive report: os_requests');
    expect(textOf(all(doc, byName('h1'))[0]!)).toBe('loghive report: os_requests');
    const counters = Object.fromEntries(all(doc, byName('dt')).map((dt) => [textOf(dt), textOf(dt.parent!.children.find((c) => c.name === 'dd')!)]));
    expect(counters).toEqual({ 'Records read': '4,000', 'Malformed records': '26', 'Output rows': '5', 'Wall time': '1.234 s' });
    expect(textOf(all(doc, byClass('lh-vars'))[0]!)).toContain('INPUTsample-data');
    const charts = all(doc, byName('svg'));
    expect(charts).toHaveLength(2);
    expect(charts.map((c) => c.attrs.id)).toEqual(['q1-chart', 'q2-chart']);
    expect(charts[0]!.attrs.xmlns).toBeUndefined();
    expect(all(charts[0]!, byClass('lh-bar')).map((b) => b.attrs['data-label'])).toEqual(['Windows', 'Android', 'NULL']);
    expect(all(charts[1]!, byClass('lh-point'))).toHaveLength(2);
    const tables = all(doc, byClass('lh-sortable'));
    expect(tables).toHaveLength(2);
    const body = all(tables[0]!, byName('tbody'))[0]!;
    expect(body.children.map((tr) => tr.children.map(textOf))).toEqual([['Windows', '883'], ['Android', '855'], ['NULL', '12']]);
    const heads = all(tables[0]!, byName('th'));
    expect(heads.map((h) => h.attrs['aria-sort'])).toEqual(['none', 'none']);
    expect(heads.map((h) => all(h, byName('button'))[0]!.attrs)).toEqual([
      { type: 'button', 'data-col': '0', title: 'Sort by os' },
      { type: 'button', 'data-col': '1', title: 'Sort by count' },
    ]);
    // The table scrolls sideways in a focusable region (keyboard users can scroll it).
    expect(tables[0]!.parent!.attrs).toMatchObject({ class: 'lh-table-wrap', tabindex: '0', role: 'region' });
  });

  it('shows the first rows of a long result with a note, and no chart for kind none', () => {
    // Arrange
    const rows: Cell[][] = Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]);
    const table: ResultTable = { columns: osColumns, rows };

    // Act
    const doc = parseMarkup(renderHtmlReport(reportInput({ queries: [{ title: 'big', table, rowCount: 5000, chart: resolveChart({ kind: 'none' }, osColumns) }] })));

    // Assert
    expect(all(doc, byName('svg'))).toHaveLength(0);
    expect(all(all(doc, byClass('lh-sortable'))[0]!, byName('tr'))).toHaveLength(1001);
    expect(textOf(all(doc, byClass('lh-note'))[0]!)).toBe('Showing the first 1,000 of 5,000 rows; all of them are in the output files.');
  });

  it('escapes every text it shows', () => {
    const html = renderHtmlReport(
      reportInput({ job: '<b>job</b>', description: '<img src=x onerror=alert(1)>', variables: [{ name: 'X', value: '</code><script>' }], queries: [] }),
    );
    expect(html).not.toContain('<b>job');
    expect(html).not.toContain('<img');
    expect(html.match(/<script/g)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// The sort script, run against a minimal DOM built from the report's own table.

interface FakeElement {
  readonly node: XNode;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, fn: () => void): void;
  click(): void;
}

function fakeDom(doc: XNode) {
  const documentListeners: ((ev: { target: FakeElement }) => void)[] = [];
  const wrappers = new Map<XNode, FakeElement & Record<string, unknown>>();
  const wrap = (node: XNode): FakeElement & Record<string, unknown> => {
    let w = wrappers.get(node);
    if (w) return w;
    const listeners: (() => void)[] = [];
    const el: FakeElement & Record<string, unknown> = {
      node,
      getAttribute: (n) => node.attrs[n] ?? null,
      hasAttribute: (n) => n in node.attrs,
      setAttribute: (n, v) => void (node.attrs[n] = v),
      addEventListener: (type, fn) => void (type === 'click' && listeners.push(fn)),
      // A click bubbles to the document, where the script listens.
      click: () => documentListeners.forEach((fn) => fn({ target: el })),
      closest: (selector: string) => {
        const up = (n: XNode | undefined, test: (x: XNode) => boolean): XNode | undefined => (n === undefined ? undefined : test(n) ? n : up(n.parent, test));
        if (selector === 'table') return up(node, byName('table')) && wrap(up(node, byName('table'))!);
        if (selector === 'table.lh-sortable thead button[data-col]') {
          const button = up(node, (n) => n.name === 'button' && 'data-col' in n.attrs);
          return button && up(button, byName('thead')) && up(button, byClass('lh-sortable')) ? wrap(button) : null;
        }
        throw new Error(`fake DOM: closest ${selector}`);
      },
      get parentNode() {
        return node.parent && wrap(node.parent);
      },
      get tBodies() {
        return node.children.filter((c) => c.name === 'tbody').map(wrap);
      },
      get rows() {
        return node.children.filter((c) => c.name === 'tr').map(wrap);
      },
      get cells() {
        return node.children.filter((c) => c.name === 'td' || c.name === 'th').map(wrap);
      },
      appendChild: (child: FakeElement) => {
        const c = child.node;
        c.parent!.children.splice(c.parent!.children.indexOf(c), 1);
        node.children.push(c);
        c.parent = node;
      },
      querySelectorAll: (selector: string) => {
        const heads = all(node, byName('thead'));
        if (selector === 'thead th') return heads.flatMap((h) => all(h, byName('th'))).map(wrap);
        if (selector === 'thead button[data-col]') return heads.flatMap((h) => all(h, (n) => n.name === 'button' && 'data-col' in n.attrs)).map(wrap);
        throw new Error(`fake DOM: selector ${selector}`);
      },
    };
    wrappers.set(node, el);
    w = el;
    return w;
  };
  return {
    document: { addEventListener: (type: string, fn: (ev: { target: FakeElement }) => void) => void (type === 'click' && documentListeners.push(fn)) },
    wrap,
  };
}

describe('table sort script', () => {
  it('sorts by a column when its header button is pressed (a <button>: Enter and Space press it too), ascending then descending, by value, NULLs first', () => {
    // Arrange
    const table: ResultTable = { columns: osColumns, rows: [['b', 9], ['a', 10], [null, null], ['c', 1234]] };
    const doc = parseMarkup(renderHtmlReport(reportInput({ queries: [{ title: 't', table, rowCount: 4, chart: chartForColumns(osColumns) }] })));
    const script = all(doc, byName('script'));
    expect(script).toHaveLength(1);
    expect(script[0]!.text).toBe(TABLE_SORT_SCRIPT);
    const dom = fakeDom(doc);
    new Function('document', script[0]!.text)(dom.document);
    const buttons = all(doc, byName('button')).map(dom.wrap);
    const sortable = all(doc, byClass('lh-sortable'))[0]!;
    const rowsNow = () => all(all(sortable, byName('tbody'))[0]!, byName('tr')).map((tr) => tr.children.map(textOf));
    const sortState = () => all(sortable, byName('th')).map((th) => th.attrs['aria-sort']);

    // Act + Assert: numbers compare as numbers (9 < 10 < 1,234), not as text.
    buttons[1]!.click();
    expect(rowsNow().map((r) => r[1])).toEqual(['NULL', '9', '10', '1,234']);
    expect(sortState()).toEqual(['none', 'ascending']);
    buttons[1]!.click();
    expect(rowsNow().map((r) => r[1])).toEqual(['1,234', '10', '9', 'NULL']);
    expect(sortState()).toEqual(['none', 'descending']);
    buttons[0]!.click();
    expect(rowsNow().map((r) => r[0])).toEqual(['NULL', 'a', 'b', 'c']);
    expect(sortState()).toEqual(['ascending', 'none']);
  });
});

describe('browser bundle', () => {
  it('bundles src/report/browser.ts for the browser without Node built-ins, and the bundle draws charts and pages', async () => {
    // Arrange
    const { build } = await import('esbuild');

    // Act
    const result = await build({ entryPoints: [path.join(ROOT, 'src/report/browser.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    const code = result.outputFiles[0]!.text;
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as typeof import('../src/report/browser.js');

    // Assert
    expect(code).not.toMatch(/\bfrom\s*["']node:|require\(/);
    const table: ResultTable = { columns: osColumns, rows: [['Windows', 883]] };
    const svg = mod.renderChart(table, mod.chartForColumns(table.columns));
    expect(all(svgRoot(svg), byClass('lh-bar')).map((b) => b.attrs['data-label'])).toEqual(['Windows']);
    expect(mod.renderHtmlReport(reportInput())).toBe(renderHtmlReport(reportInput()));
  });
});

// ---------------------------------------------------------------------------

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/loghive.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('loghive run --report', () => {
  const dir = tempDir('loghive-report-');
  const range = ['-d', 'FROM=2014-07-05', '-d', 'TO=2014-08-05'];

  beforeAll(() => {
    // The spawned CLI runs dist/: build it from the current sources.
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }, 120_000);

  it('writes one HTML file with a bar per output row, labelled by OS, with the counts of the output file', async () => {
    // Arrange
    const out = path.join(dir, 'out');
    const report = path.join(dir, 'r.html');

    // Act
    const run = await runCli(['run', '-f', 'jobs/os_requests.q', '-d', 'INPUT=sample-data', '-d', `OUTPUT=${out}`, ...range, '--report', report, '--quiet']);

    // Assert
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Report: ${report}\n`);
    const rows = readFileSync(path.join(out, 'os_requests/000000_0'), 'utf8').trimEnd().split('\n').map((l) => l.split('\u0001'));
    expect(rows).toHaveLength(6);
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/https?:\/\//);
    const doc = parseMarkup(html);
    const bars = all(doc, byClass('lh-bar'));
    expect(bars.map((b) => b.attrs['data-label'])).toEqual(rows.map((r) => r[0]));
    expect(bars.map((b) => all(b, byName('rect'))[0]!.attrs['data-value'])).toEqual(rows.map((r) => r[1]));
    expect(all(all(all(doc, byClass('lh-sortable'))[0]!, byName('tbody'))[0]!, byName('tr'))).toHaveLength(6);
    expect(textOf(all(doc, byName('h1'))[0]!)).toBe('loghive report: os_requests');
    expect(html).toContain('<dd>4,000</dd>');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes no report when the run fails', async () => {
    // Arrange: a gzip file that is not gzip fails the map task while the run is under way.
    const input = path.join(dir, 'bad-input');
    mkdirSync(path.join(input, 'cloudfront/data'), { recursive: true });
    writeFileSync(path.join(input, 'cloudfront/data/log.gz'), 'this is not gzip');
    const report = path.join(dir, 'failed.html');

    // Act
    const run = await runCli(['run', '-f', 'jobs/os_requests.q', '-d', `INPUT=${input}`, '-d', `OUTPUT=${path.join(dir, 'out2')}`, ...range, '--report', report, '--quiet', '--workers', '1']);

    // Assert
    expect(run.code).not.toBe(0);
    expect(existsSync(report)).toBe(false);
    expect(run.stderr).not.toContain('Report:');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a chart line that does not fit the query before reading any data, naming the line', async () => {
    // Arrange
    const script = path.join(dir, 'bad_chart.q');
    const text = readFileSync(path.join(JOBS_DIR, 'os_requests.q'), 'utf8').replace('-- Chart:   bar os count', '-- Chart:   bar os requests');
    writeFileSync(script, text);
    const line = text.split('\n').findIndex((l) => l.startsWith('-- Chart:')) + 1;
    const report = path.join(dir, 'bad.html');
    const out = path.join(dir, 'out3');

    // Act
    const run = await runCli(['run', '-f', script, '-d', 'INPUT=sample-data', '-d', `OUTPUT=${out}`, ...range, '--report', report, '--quiet']);

    // Assert
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${script}:${line}:13: -- Chart: value column 'requests' is not an output column of the query (os, count)`);
    expect(existsSync(report)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a report path whose directory does not exist, before running', async () => {
    const run = await runCli(['run', '-f', 'jobs/os_requests.q', '-d', 'INPUT=sample-data', '-d', `OUTPUT=${path.join(dir, 'out4')}`, ...range, '--report', path.join(dir, 'missing/r.html'), '--quiet']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/--report .*missing\/r\.html: directory .* does not exist/);
    expect(existsSync(path.join(dir, 'out4'))).toBe(false);
  });
});
