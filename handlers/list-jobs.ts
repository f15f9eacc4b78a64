import { cachedJobCatalog, jobsPayload } from '../src/analyses/job-catalog.js';
import { cloudContext } from '../src/api/context.js';
import { httpHandler } from '../src/api/http-errors.js';
import { json } from '../src/api/responses.js';

/** GET /jobs: the jobs' names, descriptions, variables and tables, from the .q files in the package. */
export const handler = httpHandler(async () => {
  const { config } = cloudContext();
  return json(200, jobsPayload(await cachedJobCatalog(config.jobsDir)));
});
