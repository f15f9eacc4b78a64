import { ingestLogs } from '../src/ingest/ingest.js';
import { cloudContext } from '../src/api/context.js';
import { httpHandler } from '../src/api/http-errors.js';
import { header, pathParam } from '../src/api/request.js';
import { json } from '../src/api/responses.js';

/**
 * POST /logs/{table}: the body's lines, validated and stored by day under logs/{table}/.
 * The table name is checked by the ingest catalog (404 for anything it does not define);
 * the body limits are the configured ones. Storing is content-addressed, so a retry is harmless.
 */
export const handler = httpHandler(async (event) => {
  const ctx = cloudContext();
  const { config } = ctx;
  const result = await ingestLogs({
    storage: ctx.storage.resolve(ctx.root),
    root: ctx.root,
    tables: await ctx.logTables(),
    table: pathParam(event, 'table'),
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    contentEncoding: header(event, 'content-encoding'),
    limits: { maxBodyBytes: config.maxBodyBytes, maxInflatedBytes: config.maxInflatedBytes, maxMalformedShare: config.maxMalformedShare },
  });
  return json(201, result);
});
