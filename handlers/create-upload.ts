import { cloudContext } from '../src/api/context.js';
import { httpHandler } from '../src/api/http-errors.js';
import { jsonBody, tableParam } from '../src/api/request.js';
import { json } from '../src/api/responses.js';
import { createUpload, uploadRequestSchema } from '../src/api/uploads.js';

/** POST /uploads/{table}: a presigned PUT URL under incoming/{table}/ (docs/cloud.md §Routes). */
export const handler = httpHandler(async (event) => {
  const table = tableParam(event);
  const { fileName } = jsonBody(event, undefined, uploadRequestSchema);
  const ctx = cloudContext();
  // Unknown tables are 404 now, not a failed ingest after a large upload.
  (await ctx.logTables()).get(table);
  return json(201, await createUpload(ctx.presignS3, ctx.config.bucket, table, fileName));
});
