import { startAnalysis } from '../src/analyses/start-analysis.js';
import { cloudContext } from '../src/api/context.js';
import { httpHandler } from '../src/api/http-errors.js';
import { engineDeadline } from '../src/api/lambda-deadline.js';
import { jsonBody } from '../src/api/request.js';
import { json } from '../src/api/responses.js';

/**
 * POST /analyses `{ job, vars, engine? }`: renders the job for the bucket, then submits it to EMR
 * or runs it here with the local engine (small inputs) until shortly before this invocation's
 * own deadline. The body is validated by startAnalysis; 202 with the record either way (a Lambda
 * run is already SUCCEEDED or FAILED, an EMR one PENDING).
 */
export const handler = httpHandler(async (event, context) => {
  const ctx = cloudContext();
  const { config } = ctx;
  const request = jsonBody(event);
  const record = await startAnalysis({
    request,
    config: { bucketRoot: ctx.root, defaultEngine: config.defaultEngine, lambdaMaxBytes: config.lambdaMaxBytes },
    storage: ctx.storage,
    jobsDir: config.jobsDir,
    emr: ctx.emrRunner,
    lambda: { deadline: engineDeadline(context) },
  });
  return json(202, record, { location: `/analyses/${record.id}` });
});
