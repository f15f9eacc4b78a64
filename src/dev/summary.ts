/**
 * What `npm run dev` prints once the stack is up: where the API and the storage are, what the
 * first start loaded, the routes and a first request to try.
 */
import type { DevStack } from './dev-stack.js';

export function formatDevSummary(stack: DevStack, options: { dataDirLabel: string }): string {
  const { apiUrl, api, s3, seeded } = stack;
  const lines = [
    '',
    `loghive dev is up (the API was ready in ${(api.readyMs / 1000).toFixed(1)} s)`,
    `  API     ${apiUrl}/   (serverless offline, no authorization, engine "lambda" by default)`,
    `  S3      ${s3.endpoint}   (s3rver, bucket ${stack.bucket}, data in ${options.dataDirLabel}/s3; credentials S3RVER/S3RVER)`,
  ];
  if (seeded) {
    const stored = seeded.files.reduce((n, f) => n + f.linesStored, 0);
    const malformed = seeded.files.reduce((n, f) => n + f.linesMalformed, 0);
    const tables = [...new Set(seeded.files.map((f) => f.table))].join(', ');
    lines.push(`  Loaded  the sample logs through POST /logs/{table}: ${seeded.files.length} files, ${stored} lines stored, ${malformed} malformed (${tables})`);
  } else {
    lines.push(`  Data    kept from the last run (delete ${options.dataDirLabel} to start over with the sample logs only)`);
  }
  if (api.routes.length > 0) {
    lines.push('', 'Routes:');
    for (const r of api.routes) lines.push(`  ${r.method.padEnd(6)} ${r.url}`);
  }
  lines.push(
    '',
    'Try:',
    `  curl -s -X POST ${apiUrl}/analyses -H 'content-type: application/json' -d '{"job":"os_requests","vars":{"FROM":"2014-07-05","TO":"2014-08-05"}}'`,
    `  curl -s ${apiUrl}/analyses/<id>/results`,
    '',
    `Open ${apiUrl}/ — press Ctrl-C to stop both servers (the data stays).`,
    '',
  );
  return lines.join('\n');
}
