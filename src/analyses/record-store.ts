/**
 * analyses/{id}.json through the Storage interface (S3 in the service, local
 * files in tests). Ids are checked against the UUID pattern before a location
 * is built from them, so no request can name any other object.
 */
import type { Readable } from 'node:stream';
import type { StorageRegistry } from '../storage/registry.js';
import { AnalysisRecordSchema, isAnalysisId, type AnalysisRecord } from './analysis-record.js';
import { RecordNotFoundError } from './errors.js';
import { trimRoot } from './render-for-s3.js';

/** A record is a few kilobytes; anything far bigger is not one of ours. */
const MAX_RECORD_BYTES = 1 << 20;

export class RecordStore {
  private readonly root: string;

  constructor(
    private readonly storage: StorageRegistry,
    bucketRoot: string,
  ) {
    this.root = trimRoot(bucketRoot);
  }

  location(id: string): string {
    if (!isAnalysisId(id)) throw new RecordNotFoundError(id);
    return `${this.root}/analyses/${id}.json`;
  }

  async save(record: AnalysisRecord): Promise<void> {
    const valid = AnalysisRecordSchema.parse(record);
    const location = this.location(valid.id);
    await this.storage.resolve(location).writeFile(location, `${JSON.stringify(valid, null, 2)}\n`);
  }

  /** The record, or RecordNotFoundError (404) for a malformed id or a missing object. */
  async load(id: string): Promise<AnalysisRecord> {
    const location = this.location(id);
    const backend = this.storage.resolve(location);
    // Listing first tells "missing" apart from a read failure on every backend alike.
    const found = await backend.listFiles(location);
    if (!found?.some((f) => f.location.endsWith(`analyses/${id}.json`))) throw new RecordNotFoundError(id);
    const text = await readSmall(backend.openRead(location), MAX_RECORD_BYTES, location);
    return AnalysisRecordSchema.parse(JSON.parse(text));
  }
}

/** Reads a whole small object, refusing anything above `max` bytes. */
export async function readSmall(stream: Readable, max: number, location: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      stream.destroy();
      throw new Error(`${location} is larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
