import { cachedJobCatalog } from '../src/analyses/job-catalog.js';
import { RecordStore } from '../src/analyses/record-store.js';
import { cloudContext } from '../src/api/context.js';
import { httpHandler } from '../src/api/http-errors.js';
import { pathParam } from '../src/api/request.js';
import { noContent, text } from '../src/api/responses.js';
import { renderAnalysisChart } from '../src/web/analysis-chart.js';

/**
 * GET /analyses/{id}/chart: the result's chart as SVG (the web page inserts it), 204 when the job
 * has nothing to chart, 409 until the analysis SUCCEEDED. The API's headers (deny-all CSP, nosniff)
 * stay: opened on its own, the SVG can run nothing.
 */
export const handler = httpHandler(async (event) => {
  const ctx = cloudContext();
  const record = await new RecordStore(ctx.storage, ctx.root).load(pathParam(event, 'id'));
  const svg = await renderAnalysisChart(record, ctx.storage, await cachedJobCatalog(ctx.config.jobsDir));
  return svg === '' ? noContent() : text(200, svg, { 'content-type': 'image/svg+xml; charset=utf-8' });
});
