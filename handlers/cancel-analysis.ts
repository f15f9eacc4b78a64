import { cancelAnalysis } from '../src/analyses/analysis-status.js';
import { cloudContext } from '../src/api/context.js';
import { httpHandler } from '../src/api/http-errors.js';
import { pathParam } from '../src/api/request.js';
import { json } from '../src/api/responses.js';

/** DELETE /analyses/{id}: cancels a PENDING or RUNNING EMR analysis (409 otherwise) and returns the CANCELLED record. */
export const handler = httpHandler(async (event) => {
  const ctx = cloudContext();
  const record = await cancelAnalysis(pathParam(event, 'id'), { storage: ctx.storage, bucketRoot: ctx.root, emr: ctx.emrRunner });
  return json(200, record);
});
