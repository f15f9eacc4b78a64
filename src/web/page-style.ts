/**
 * The web page's inline stylesheet: the report's (tables, counters, charts,
 * light and dark schemes) plus the page's own controls. One column on a
 * phone; from 900 px the jobs and the analyses sit beside the result.
 * Focus is always visible: every control is native and keeps an outline.
 */
import { REPORT_CSS } from '../report/report-style.js';

const PAGE_CSS = `
main { max-width: 1200px; }
header.lh-top { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 8px; border-bottom: 1px solid var(--line); padding-bottom: 8px; margin-bottom: 8px; }
.lh-layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
@media (min-width: 900px) { .lh-layout { grid-template-columns: minmax(0, 1fr) minmax(0, 2.4fr); } }
section { min-width: 0; }
h2 { margin-top: 16px; }
h2:focus { outline: none; }
h2:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
ul.lh-jobs, ol.lh-analyses { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.lh-jobs li { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
.lh-jobs p { margin: 2px 0 0; font-size: 0.85rem; color: var(--muted); }
/* Two lines per job in the list; the picked job's whole description is above its form. */
.lh-jobs p { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.lh-fields { display: grid; gap: 10px; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
button, input, select { font: inherit; color: inherit; }
button.lh-pick { display: block; width: 100%; text-align: left; background: none; border: 1px solid transparent; border-radius: 4px; padding: 4px 6px; cursor: pointer; font-weight: 600; overflow-wrap: anywhere; }
button.lh-pick:hover { border-color: var(--line); }
button.lh-pick[aria-current="true"] { border-color: var(--focus); background: var(--head); }
.lh-analyses .lh-when { display: block; font-weight: 400; font-size: 0.8rem; color: var(--muted); }
.lh-state { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 0.8rem; font-weight: 600; border: 1px solid currentColor; }
.lh-state-SUCCEEDED { color: #1a7f37; }
.lh-state-FAILED, .lh-state-CANCELLED { color: #cf222e; }
.lh-state-PENDING, .lh-state-RUNNING { color: #9a6700; }
@media (prefers-color-scheme: dark) {
  .lh-state-SUCCEEDED { color: #3fb950; }
  .lh-state-FAILED, .lh-state-CANCELLED { color: #f85149; }
  .lh-state-PENDING, .lh-state-RUNNING { color: #d29922; }
}
form.lh-run { display: grid; gap: 10px; }
.lh-field label { display: block; font-weight: 600; }
.lh-field input, .lh-field select { width: 100%; max-width: 22rem; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
.lh-field .lh-hint { margin: 2px 0 0; font-size: 0.85rem; color: var(--muted); }
.lh-required { color: var(--muted); font-weight: 400; font-size: 0.85rem; }
.lh-button { justify-self: start; padding: 8px 16px; border-radius: 6px; border: 1px solid var(--focus); background: var(--focus); color: #ffffff; font-weight: 600; cursor: pointer; }
.lh-button:disabled { opacity: 0.6; cursor: progress; }
.lh-button.lh-secondary { background: none; color: inherit; border-color: var(--line); padding: 4px 10px; }
button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.lh-error { border: 1px solid #cf222e; border-radius: 6px; padding: 8px 12px; overflow-wrap: anywhere; }
.lh-error p { margin: 4px 0; }
.lh-meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 8px 0; font-size: 0.9rem; }
.lh-meta dt { color: var(--muted); }
.lh-meta dd { margin: 0; }
.lh-placeholder { color: var(--muted); }
`;

export const PAGE_STYLE = REPORT_CSS + PAGE_CSS;
