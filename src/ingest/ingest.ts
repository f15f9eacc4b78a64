/**
 * Ingest: a request body (`POST /logs/{table}`) or an uploaded object
 * (`incoming/{table}/{uploadId}/{file}`) becomes one gzip object per day
 * under `logs/{table}/dt=YYYY-MM-DD/`. Decoding, validation and storing are
 * in their own files; this one applies the rules that tie them together.
 */
import type { Readable } from 'node:stream';
import type { Storage } from '../storage/storage.js';
import { decodeRequestBody, decodeStream } from './decode-body.js';
import { BadUploadLocationError, TooManyMalformedLinesError, type MalformedLine } from './errors.js';
import type { LogTable, LogTables } from './log-tables.js';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_MALFORMED_REPORTED, DEFAULT_MAX_PARTITIONS, partitionLines, type PartitionedLines } from './partition-lines.js';
import { storePartitions, type StoredPartition } from './store-partitions.js';

export interface IngestLimits {
  /** LOGHIVE_MAX_BODY_BYTES: largest request body, after base64 decoding. */
  readonly maxBodyBytes: number;
  /** LOGHIVE_MAX_INFLATED_BYTES: largest decompressed body or object. */
  readonly maxInflatedBytes: number;
  /** LOGHIVE_MAX_MALFORMED_SHARE: a body with a larger share of malformed lines is rejected. */
  readonly maxMalformedShare: number;
  /** Longest line accepted. */
  readonly maxLineBytes: number;
  /** Most days one ingest may write. */
  readonly maxPartitions: number;
  /** Malformed lines listed in a result or error. */
  readonly maxMalformedReported: number;
}

/** docs/cloud.md defaults. */
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxBodyBytes: 6 * 1024 * 1024,
  maxInflatedBytes: 256 * 1024 * 1024,
  maxMalformedShare: 0.1,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  maxPartitions: DEFAULT_MAX_PARTITIONS,
  maxMalformedReported: DEFAULT_MAX_MALFORMED_REPORTED,
};

export interface IngestResult {
  readonly table: string;
  /** Data lines read (header lines not counted): stored + malformed. */
  readonly linesRead: number;
  readonly linesStored: number;
  readonly linesMalformed: number;
  /** Header lines skipped: those of the first `skip.header.line.count` lines that are not valid data lines. */
  readonly headerLinesSkipped: number;
  /** The first malformed lines (10 by default), 1-based line numbers of the decoded content. */
  readonly malformed: readonly MalformedLine[];
  /** One per day, by day. */
  readonly partitions: readonly StoredPartition[];
}

interface IngestContext {
  readonly storage: Storage;
  /** The bucket (or local directory) holding `logs/` and `incoming/`, e.g. `s3://bucket`. */
  readonly root: string;
  readonly tables: LogTables;
  readonly limits?: Partial<IngestLimits>;
  /** Where day files are spilled before they are stored (default: the OS temp directory, /tmp on Lambda). */
  readonly tmpDir?: string;
}

export interface IngestLogsRequest extends IngestContext {
  /** The `{table}` path parameter, unchecked. */
  readonly table: string;
  readonly body: string | null | undefined;
  readonly isBase64Encoded: boolean;
  /** The `content-encoding` header. */
  readonly contentEncoding?: string;
}

/**
 * Ingests a request body. Throws UnknownTableError (404),
 * UnsupportedEncodingError (415), PayloadTooLargeError (413),
 * MalformedBodyError (400), TooManyPartitionsError (400), and
 * TooManyMalformedLinesError (400) when the malformed share is over the
 * limit, in which case nothing is stored. An empty body stores nothing and
 * is not an error.
 */
export async function ingestLogs(request: IngestLogsRequest): Promise<IngestResult> {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...request.limits };
  const table = request.tables.get(request.table);
  return ingestAllOrNothing(decodeRequestBody(request, limits), table, request, limits);
}

export interface IngestStreamRequest extends IngestContext {
  /** The `{table}` to ingest into, unchecked. */
  readonly table: string;
  /** The file's bytes, plain or gzip (detected by its magic bytes). */
  readonly input: Readable;
}

/**
 * Ingests a stream that is not in the bucket yet (`loghive ingest FILE`),
 * with the rules of a request body but no body size limit: a malformed share
 * over the limit is a TooManyMalformedLinesError and stores nothing.
 */
export async function ingestStream(request: IngestStreamRequest): Promise<IngestResult> {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...request.limits };
  const table = request.tables.get(request.table);
  return ingestAllOrNothing(decodeStream(request.input, 'detect', limits.maxInflatedBytes), table, request, limits);
}

/** Validates every line first; stores the days only when the malformed share is within the limit. */
async function ingestAllOrNothing(content: Readable, table: LogTable, request: IngestContext, limits: IngestLimits): Promise<IngestResult> {
  const parsed = await partitionLines(content, table, partitionOptions(limits, request.tmpDir));
  try {
    if (overMalformedShare(parsed, limits.maxMalformedShare)) {
      throw new TooManyMalformedLinesError(table.name, parsed.linesRead, parsed.linesMalformed, limits.maxMalformedShare, parsed.malformed);
    }
    const partitions = await storePartitions(request.storage, request.root, table.name, parsed.partitions);
    return result(table, parsed, partitions);
  } finally {
    await parsed.dispose();
  }
}

export interface IngestObjectRequest extends IngestContext {
  /** The uploaded object: `{root}/incoming/{table}/{uploadId}/{file}`. */
  readonly location: string;
}

export interface IngestObjectResult extends IngestResult {
  /** The uploaded object. */
  readonly source: string;
  readonly uploadId: string;
  /** True when the upload was deleted (every day stored and the malformed share within the limit). */
  readonly originalRemoved: boolean;
  /** Why the upload was kept, when it was. */
  readonly keptBecause?: string;
}

/**
 * Ingests an uploaded object, streamed (gzip detected by its magic bytes).
 *
 * The malformed-share rule for uploads: the file is already in the bucket
 * and no client waits for an answer, so the valid lines are stored and
 * reported whatever the share. The upload is deleted only after every day
 * is stored, and only when the share is within the limit: a file that is
 * mostly not this table's format (the wrong table, say) stays under
 * `incoming/` for inspection (the bucket's lifecycle rule removes it later),
 * so no line is lost by a mistake. On any error the upload stays as well;
 * running the ingest again is safe (stored days are content-addressed).
 */
export async function ingestObject(request: IngestObjectRequest): Promise<IngestObjectResult> {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...request.limits };
  const upload = parseUploadLocation(request.storage, request.root, request.location);
  const table = request.tables.get(upload.table);
  const content = decodeStream(request.storage.openRead(request.location), 'detect', limits.maxInflatedBytes);
  const parsed = await partitionLines(content, table, partitionOptions(limits, request.tmpDir));
  try {
    const partitions = await storePartitions(request.storage, request.root, table.name, parsed.partitions);
    const base = { ...result(table, parsed, partitions), source: request.location, uploadId: upload.uploadId };
    if (overMalformedShare(parsed, limits.maxMalformedShare)) {
      const keptBecause = `${parsed.linesMalformed} of ${parsed.linesRead} lines are malformed (more than the limit of ${limits.maxMalformedShare}); the upload is kept for inspection`;
      return { ...base, originalRemoved: false, keptBecause };
    }
    // Only now: every day is stored.
    await request.storage.remove(request.location);
    return { ...base, originalRemoved: true };
  } finally {
    await parsed.dispose();
  }
}

/** The parts of `{root}/incoming/{table}/{uploadId}/{file}`; the table is checked by the catalog, not here. */
export function parseUploadLocation(storage: Storage, root: string, location: string): { table: string; uploadId: string; fileName: string } {
  const prefix = storage.join(root, 'incoming');
  // join() with no names normalizes (an absolute local path, no doubled slashes on S3).
  const normalized = storage.join(location);
  const rest = normalized.startsWith(prefix + '/') ? normalized.slice(prefix.length + 1) : undefined;
  const parts = rest?.split('/') ?? [];
  if (parts.length < 3 || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new BadUploadLocationError(location, `an upload must be ${prefix}/{table}/{uploadId}/{file}`);
  }
  return { table: parts[0]!, uploadId: parts[1]!, fileName: parts.slice(2).join('/') };
}

function partitionOptions(limits: IngestLimits, tmpDir: string | undefined) {
  return { maxLineBytes: limits.maxLineBytes, maxPartitions: limits.maxPartitions, maxMalformedReported: limits.maxMalformedReported, tmpDir };
}

function overMalformedShare(parsed: PartitionedLines, maxShare: number): boolean {
  return parsed.linesRead > 0 && parsed.linesMalformed / parsed.linesRead > maxShare;
}

function result(table: LogTable, parsed: PartitionedLines, partitions: readonly StoredPartition[]): IngestResult {
  return {
    table: table.name,
    linesRead: parsed.linesRead,
    linesStored: parsed.linesStored,
    linesMalformed: parsed.linesMalformed,
    headerLinesSkipped: parsed.headerLinesSkipped,
    malformed: parsed.malformed,
    partitions,
  };
}
