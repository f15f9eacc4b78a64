/**
 * Loads log files through the API's ingest route, as a client would: plain text as text/plain,
 * gzip files as bytes with Content-Encoding: gzip (serverless-offline hands application/octet-stream
 * bodies to the function base64-encoded, as API Gateway does).
 */
import { readFile } from 'node:fs/promises';
import { SampleIngestError } from './errors.js';
import type { SampleLogFile } from './sample-logs.js';

/** What POST /logs/{table} answered for one file. */
export interface IngestedFile {
  readonly table: string;
  readonly path: string;
  readonly linesRead: number;
  readonly linesStored: number;
  readonly linesMalformed: number;
  /** The days stored, by day. */
  readonly days: readonly string[];
}

interface IngestAnswer {
  readonly linesRead: number;
  readonly linesStored: number;
  readonly linesMalformed: number;
  readonly partitions: readonly { readonly dt: string }[];
}

export async function ingestFile(apiUrl: string, file: SampleLogFile): Promise<IngestedFile> {
  const content = await readFile(file.path);
  const headers: Record<string, string> = file.gzip ? { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' } : { 'content-type': 'text/plain; charset=utf-8' };
  const res = await fetch(`${apiUrl}/logs/${encodeURIComponent(file.table)}`, { method: 'POST', headers, body: content }).catch((err: unknown) => {
    throw new SampleIngestError(file.path, 0, `(no answer: ${err instanceof Error ? err.message : String(err)})`, { cause: err });
  });
  const text = await res.text();
  if (res.status !== 201) throw new SampleIngestError(file.path, res.status, text);
  const answer = JSON.parse(text) as IngestAnswer;
  return {
    table: file.table,
    path: file.path,
    linesRead: answer.linesRead,
    linesStored: answer.linesStored,
    linesMalformed: answer.linesMalformed,
    days: answer.partitions.map((p) => p.dt),
  };
}
