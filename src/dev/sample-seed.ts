/**
 * First start of the dev stack: load the bundled sample logs through the ingest route, so that the
 * jobs have data to run on. "First" means: no marker from an earlier load in the data directory, or
 * no stored logs at all (the marker survives a deleted s3 directory). Loading again is harmless,
 * since ingest stores each day's content under its hash.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { access, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createS3Client } from '../cloud/s3-client.js';
import { ingestFile, type IngestedFile } from './ingest-over-http.js';
import { S3RVER_CREDENTIALS } from './s3-server.js';
import { sampleLogFiles } from './sample-logs.js';

/** In the data directory, written once every sample file is stored. */
export const SEED_MARKER = 'sample-logs-loaded.json';

export interface SeedSummary {
  readonly files: readonly IngestedFile[];
  readonly ms: number;
}

/** Whether the sample logs should be loaded: no marker, or nothing under logs/ in the bucket. */
export async function needsSeeding(options: { dataDir: string; s3Endpoint: string; bucket: string }): Promise<boolean> {
  const marked = await access(path.join(options.dataDir, SEED_MARKER)).then(
    () => true,
    () => false,
  );
  if (!marked) return true;
  const client = createS3Client({ endpoint: options.s3Endpoint, credentials: S3RVER_CREDENTIALS });
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: 'logs/', MaxKeys: 1 }));
    return (page.KeyCount ?? 0) === 0;
  } finally {
    client.destroy();
  }
}

/** POSTs every sample file, one at a time, then writes the marker. */
export async function seedSampleLogs(options: { apiUrl: string; sampleDir: string; dataDir: string }): Promise<SeedSummary> {
  const started = Date.now();
  const files: IngestedFile[] = [];
  for (const file of await sampleLogFiles(options.sampleDir)) files.push(await ingestFile(options.apiUrl, file));
  const summary: SeedSummary = { files, ms: Date.now() - started };
  // Written whole or not at all: a torn marker would skip the next load.
  const marker = path.join(options.dataDir, SEED_MARKER);
  await writeFile(`${marker}.tmp`, `${JSON.stringify({ loadedAt: new Date().toISOString(), ...summary }, null, 2)}\n`);
  await rename(`${marker}.tmp`, marker);
  return summary;
}
