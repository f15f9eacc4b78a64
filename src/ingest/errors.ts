/**
 * Typed ingest errors. Each says which HTTP status it is (the API maps
 * `httpStatus` in one place) and carries the detail a good message needs.
 */
import { LoghiveError } from '../hive/errors.js';

/** Statuses an ingest error maps to; 500 is a configuration problem on our side (the jobs). */
export type IngestHttpStatus = 400 | 404 | 413 | 415 | 500;

export abstract class IngestError extends LoghiveError {
  abstract readonly httpStatus: IngestHttpStatus;
  readonly exitCode: number = 1;
}

/** A table name that is not `^[a-z][a-z0-9_]{0,63}$`, or no job defines it (or it has no partition date). */
export class UnknownTableError extends IngestError {
  readonly httpStatus = 404;
  constructor(
    readonly table: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    // JSON.stringify shows control and path characters safely; a long name is cut so the message stays short.
    super(`unknown table ${JSON.stringify(table.length > 80 ? `${table.slice(0, 80)}…` : table)}: ${reason}`, options);
  }
}

/** A content encoding other than identity and gzip. */
export class UnsupportedEncodingError extends IngestError {
  readonly httpStatus = 415;
  constructor(
    readonly encoding: string,
    options?: { cause?: unknown },
  ) {
    super(`unsupported content encoding ${JSON.stringify(encoding)} (identity and gzip are)`, options);
  }
}

/** What was over which limit. */
export type SizeLimitKind = 'body' | 'inflated' | 'line';

/** A body over the raw size limit, a decompressed body or object over the inflation limit, or a line over the line limit. */
export class PayloadTooLargeError extends IngestError {
  readonly httpStatus = 413;
  constructor(
    readonly kind: SizeLimitKind,
    readonly limitBytes: number,
    /** Where it happened, when known (a line number for `line`). */
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    const what =
      kind === 'body'
        ? `the request body is larger than ${limitBytes} bytes`
        : kind === 'inflated'
          ? `the decompressed content is larger than ${limitBytes} bytes (decompression stopped there)`
          : `line ${line ?? '?'} is longer than ${limitBytes} bytes`;
    super(what, options);
  }
}

/** A body that cannot be decoded at all: bad base64, a broken gzip stream. */
export class MalformedBodyError extends IngestError {
  readonly httpStatus = 400;
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed body: ${detail}`, options);
  }
}

/** One line that was not stored, and why. */
export interface MalformedLine {
  /** 1-based line number in the decompressed body or object (header lines count). */
  readonly line: number;
  readonly reason: string;
  /** The column whose value was the problem, when one is (the partition date column). */
  readonly column?: string;
  /** 1-based field number of that column in the line, when the format has fields. */
  readonly field?: number;
}

/** More than the allowed share of a body's lines are malformed; nothing was stored. */
export class TooManyMalformedLinesError extends IngestError {
  readonly httpStatus = 400;
  constructor(
    readonly table: string,
    readonly linesRead: number,
    readonly linesMalformed: number,
    readonly maxShare: number,
    /** The first malformed lines (numbers and reasons). */
    readonly malformed: readonly MalformedLine[],
    options?: { cause?: unknown },
  ) {
    const lines = malformed.map((m) => m.line).join(', ');
    super(
      `${linesMalformed} of ${linesRead} lines are not valid ${table} lines (more than ${formatShare(maxShare)}); nothing was stored. ` +
        `First bad lines: ${lines}${malformed[0] ? ` (line ${malformed[0].line}: ${malformed[0].reason})` : ''}`,
      options,
    );
  }
}

/** Lines of more days than one ingest may write (each open day holds a gzip stream). */
export class TooManyPartitionsError extends IngestError {
  readonly httpStatus = 400;
  constructor(
    readonly limit: number,
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(`line ${line} starts a day beyond the limit of ${limit} days per ingest; send fewer days at a time`, options);
  }
}

/** Two jobs define the same table differently, or a job's table cannot be ingested as declared. */
export class LogTableDefinitionError extends IngestError {
  readonly httpStatus = 500;
  constructor(
    readonly table: string,
    readonly files: readonly string[],
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`table ${table} (${files.join(', ')}): ${detail}`, options);
  }
}

/** An uploaded object whose key is not `incoming/{table}/{uploadId}/{file}`. */
export class BadUploadLocationError extends IngestError {
  readonly httpStatus = 400;
  constructor(
    readonly location: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${location}: ${detail}`, options);
  }
}

function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
