/**
 * The report's inline stylesheet: a single column that fits a phone, tables
 * that scroll sideways inside their box, charts that scale with the page,
 * and light and dark schemes from prefers-color-scheme.
 */
export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --focus: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23; --focus: #4493f8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 32px 0 8px; overflow-wrap: anywhere; }
p, dd { overflow-wrap: anywhere; }
.lh-muted, .lh-note { color: var(--muted); font-size: 0.9rem; }
.lh-counters { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 8px; margin: 16px 0; padding: 0; }
.lh-counters div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.lh-counters dt { color: var(--muted); font-size: 0.85rem; }
.lh-counters dd { margin: 0; font-size: 1.25rem; font-variant-numeric: tabular-nums; }
.lh-vars { border-collapse: collapse; font-size: 0.9rem; }
.lh-vars th, .lh-vars td { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; overflow-wrap: anywhere; }
/* On a phone the chart keeps a readable text size and scrolls sideways rather than shrinking below it. */
figure { margin: 0 0 12px; overflow-x: auto; }
.lh-chart { display: block; width: 100%; height: auto; min-width: 480px; }
.lh-table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; max-height: 70vh; overflow-y: auto; }
.lh-table-wrap:focus-visible, .lh-table button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.lh-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
.lh-table caption { text-align: left; padding: 6px 8px; color: var(--muted); }
.lh-table th, .lh-table td { padding: 4px 8px; border-top: 1px solid var(--line); text-align: left; white-space: nowrap; }
.lh-table td { max-width: 40ch; overflow: hidden; text-overflow: ellipsis; }
.lh-table thead th { position: sticky; top: 0; background: var(--head); padding: 0; }
.lh-table .lh-num { text-align: right; }
.lh-table .lh-null { color: var(--muted); font-style: italic; }
.lh-table button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 6px 8px; cursor: pointer; font-weight: 600; }
.lh-table .lh-num button { text-align: right; }
.lh-table .lh-name::after { content: " \\2195"; color: var(--muted); font-weight: 400; }
.lh-table th[aria-sort="ascending"] .lh-name::after { content: " \\25B2"; color: inherit; }
.lh-table th[aria-sort="descending"] .lh-name::after { content: " \\25BC"; color: inherit; }
.lh-type { display: block; font-weight: 400; font-size: 0.75rem; color: var(--muted); }
@media (max-width: 480px) { main { padding: 8px; } body { font-size: 14px; } }
`;
