import { RecordStore } from '../src/analyses/record-store.js';
import { readResultsCsv, readResultsPage } from '../src/analyses/results-reader.js';
import { cloudContext } from '../src/api/context.js';
import { httpHandler } from '../src/api/http-errors.js';
import { BadRequestError, header, pathParam, queryParam } from '../src/api/request.js';
import { csv, json } from '../src/api/responses.js';

/**
 * GET /analyses/{id}/results?limit=&cursor=&format=json|csv: one page of rows. CSV is chosen by
 * `format=csv` or an Accept header that prefers text/csv; the next page's cursor travels in the
 * body (JSON) or the `x-next-cursor` header (CSV). The stored record is read as is: results exist
 * only once it is SUCCEEDED, and this route has no EMR permissions to refresh it.
 */
export const handler = httpHandler(async (event) => {
  const ctx = cloudContext();
  const id = pathParam(event, 'id');
  const format = queryParam(event, 'format') ?? (/^\s*text\/csv\b/i.test(header(event, 'accept') ?? '') ? 'csv' : 'json');
  if (format !== 'json' && format !== 'csv') throw new BadRequestError(`format must be json or csv, got ${JSON.stringify(format.slice(0, 20))}`);
  const record = await new RecordStore(ctx.storage, ctx.root).load(id);
  const query = { limit: queryParam(event, 'limit'), cursor: queryParam(event, 'cursor') };
  if (format === 'csv') {
    const page = await readResultsCsv(record, ctx.storage, query);
    return csv(200, page.body, `${record.job}-${record.id}.csv`, page.nextCursor ? { 'x-next-cursor': page.nextCursor } : {});
  }
  return json(200, await readResultsPage(record, ctx.storage, query));
});
