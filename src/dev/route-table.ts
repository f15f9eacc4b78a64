/**
 * The routes serverless-offline announces at start-up, read from its route table, so that what the
 * dev stack prints is what serverless.yml defines today rather than a copy of it. Table rows look
 * like `│   POST   | http://127.0.0.1:3000/logs/{table}   │`; rows of the Lambda invoke URLs
 * (`/2015-03-31/functions/…`) are left out, as are URLs the table wrapped onto a second line.
 */
export interface ApiRoute {
  readonly method: string;
  readonly url: string;
}

const ROW = /^\W*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)\s*\|\s*(https?:\/\/\S+)/;

/** The route of one output line, if it is a route row. */
export function parseRouteLine(line: string): ApiRoute | undefined {
  const match = ROW.exec(line);
  if (!match || match[2]!.includes('/2015-03-31/functions/')) return undefined;
  return { method: match[1]!, url: match[2]! };
}
