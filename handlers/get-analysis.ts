import { getAnalysis } from '../src/analyses/analysis-status.js';
import { cloudContext } from '../src/api/context.js';
import { httpHandler } from '../src/api/http-errors.js';
import { pathParam } from '../src/api/request.js';
import { json } from '../src/api/responses.js';

/** GET /analyses/{id}: the record, brought up to date from the EMR step (and its logs when it failed). */
export const handler = httpHandler(async (event) => {
  const ctx = cloudContext();
  const record = await getAnalysis(pathParam(event, 'id'), { storage: ctx.storage, bucketRoot: ctx.root, emr: ctx.emrRunner });
  return json(200, record);
});
