/**
 * The bundled sample logs (sample-data/, see its README) as the ingest route takes them: which
 * table each directory belongs to, and which files are gzip.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface SampleLogFile {
  /** The ingest table: POST /logs/{table}. */
  readonly table: string;
  readonly path: string;
  /** Sent as bytes with Content-Encoding: gzip (CloudFront writes its standard logs gzipped). */
  readonly gzip: boolean;
}

/** The directory of each table under sample-data/, as the jobs' LOCATIONs name them. */
export const SAMPLE_TABLES: readonly { readonly table: string; readonly directory: string }[] = [
  { table: 'cloudfront_logs', directory: 'cloudfront/data' },
  { table: 'cloudfront_standard_logs', directory: 'cloudfront-standard' },
  { table: 'combined_logs', directory: 'combined' },
];

/** Every sample file, table by table, by name. */
export async function sampleLogFiles(sampleDir: string): Promise<SampleLogFile[]> {
  const files: SampleLogFile[] = [];
  for (const { table, directory } of SAMPLE_TABLES) {
    const dir = path.join(sampleDir, directory);
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
      files.push({ table, path: path.join(dir, entry.name), gzip: entry.name.endsWith('.gz') });
    }
  }
  return files;
}
