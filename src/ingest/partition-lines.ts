/**
 * Reads log lines, validates each with the table's SerDe (the engine's own),
 * and sorts the valid ones into days.
 *
 * Memory: lines are not kept. Each day's lines go, in batches, into a SHA-256
 * hash and a gzip stream writing a temporary local file (Lambda's /tmp), so a
 * CloudFront file of hundreds of MB needs about one zlib context (~256 KiB)
 * per day, plus disk for the compressed data. The input is read only as fast
 * as the gzip streams drain. The number of days per ingest is capped
 * (`maxPartitions`) because each open day holds a zlib context.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { InputError } from '../hive/errors.js';
import type { HiveValue } from '../hive/types.js';
import { REGEX_SERDE } from '../serde/regex-serde.js';
import { forEachLine } from '../storage/line-reader.js';
import { IngestError, PayloadTooLargeError, TooManyPartitionsError, type MalformedLine } from './errors.js';
import type { LogTable } from './log-tables.js';

export interface PartitionOptions {
  /** How many malformed lines to report (default 10). */
  readonly maxMalformedReported?: number;
  /** Longest line in bytes (default 1 MiB); a longer one fails the ingest with PayloadTooLargeError. */
  readonly maxLineBytes?: number;
  /** Most days one ingest may write (default 400). */
  readonly maxPartitions?: number;
  /** Parent of the temporary directory (default the OS temp directory). */
  readonly tmpDir?: string;
}

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
export const DEFAULT_MAX_PARTITIONS = 400;
export const DEFAULT_MAX_MALFORMED_REPORTED = 10;

/** One day's valid lines, compressed in a temporary file. */
export interface SpilledPartition {
  /** `yyyy-MM-dd`. */
  readonly dt: string;
  readonly lines: number;
  /** Size of the lines with their `\n` terminators. */
  readonly uncompressedBytes: number;
  /** SHA-256 (hex) of the uncompressed content. */
  readonly sha256: string;
  /** The gzip file (local path). */
  readonly file: string;
  readonly gzipBytes: number;
}

export interface PartitionedLines {
  /** Data lines read (header lines not included): stored + malformed. */
  readonly linesRead: number;
  readonly linesStored: number;
  readonly linesMalformed: number;
  readonly headerLinesSkipped: number;
  /** The first malformed lines. */
  readonly malformed: readonly MalformedLine[];
  /** Sorted by day. */
  readonly partitions: readonly SpilledPartition[];
  /** Removes the temporary files. */
  dispose(): Promise<void>;
}

/** Lines per day are written in batches of about this many characters (fewer stream calls). */
const BATCH_CHARS = 1 << 16;

class DayWriter {
  readonly hash: Hash = createHash('sha256');
  readonly gzip: Gzip = createGzip();
  readonly out: WriteStream;
  lines = 0;
  bytes = 0;
  /** The first error of the gzip or file stream; the next write throws it. */
  error: Error | undefined;
  private batch = '';

  constructor(
    readonly dt: string,
    readonly file: string,
  ) {
    this.out = createWriteStream(file);
    this.gzip.pipe(this.out);
    // pipe() does not forward errors; keep the first (an unheard 'error' would crash the process) and fail on the next write.
    this.gzip.on('error', (err) => {
      this.error ??= err;
      this.out.destroy(err);
    });
    this.out.on('error', (err) => {
      this.error ??= err;
    });
  }

  add(line: string): void {
    this.lines++;
    this.batch += line + '\n';
    if (this.batch.length >= BATCH_CHARS) this.flush();
  }

  /** Writes the batch; false when the gzip stream wants the producer to wait for 'drain'. */
  flush(): boolean {
    if (this.error) throw this.error;
    if (this.batch === '') return true;
    const buf = Buffer.from(this.batch, 'utf8');
    this.batch = '';
    this.bytes += buf.length;
    this.hash.update(buf);
    return this.gzip.write(buf);
  }

  /** Resolves once the gzip stream can take more (or has failed: the next write throws). */
  async drained(): Promise<void> {
    if (!this.gzip.writableNeedDrain || this.error) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.gzip.off('drain', done);
        this.gzip.off('close', done);
        resolve();
      };
      this.gzip.on('drain', done);
      this.gzip.on('close', done);
    });
  }

  async close(): Promise<void> {
    this.flush();
    this.gzip.end();
    await finished(this.out);
  }

  destroy(): void {
    this.gzip.destroy();
    this.out.destroy();
  }
}

/** A line given up at the regex step budget (see RegexSerDe) is malformed like a non-matching one. */
const OVER_BUDGET_REASON = `needs more than the regex step budget to match the table's input.regex (a pattern that backtracks on this line)`;

/**
 * Splits `input` (decoded bytes) into lines exactly as the engine's line
 * reader does (`\n`, `\r\n`, `\r`; UTF-8), skips the table's header lines
 * (the first `skip.header.line.count` lines, unless one is a valid data line),
 * deserializes each line with the table's SerDe and files it under its day.
 * Lines the SerDe rejects and lines without a day are counted as malformed.
 * Throws IngestErrors (a line too long, too many days) and the input's errors.
 */
export async function partitionLines(input: Readable, table: LogTable, options: PartitionOptions = {}): Promise<PartitionedLines> {
  const maxReported = options.maxMalformedReported ?? DEFAULT_MAX_MALFORMED_REPORTED;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const maxPartitions = options.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
  const dir = await mkdtemp(path.join(options.tmpDir ?? tmpdir(), 'loghive-ingest-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const days = new Map<string, DayWriter>();
  const serde = table.createSerDe();
  const row: HiveValue[] = new Array<HiveValue>(table.definition.columns.length).fill(null);
  const rejectedReason = serde.className === REGEX_SERDE ? `does not match the table's input.regex` : 'rejected by the SerDe';
  const rule = table.partition;
  const malformed: MalformedLine[] = [];
  let linesRead = 0;
  let linesMalformed = 0;
  let headerLinesSkipped = 0;

  const reject = (m: MalformedLine) => {
    linesMalformed++;
    if (malformed.length < maxReported) malformed.push(m);
  };
  const onLine = (line: string, lineNumber: number) => {
    const valid = serde.deserialize(line, row);
    const date = valid ? table.partitionDate(row) : undefined;
    if (lineNumber <= table.skipHeaderLines) {
      // Hive skips these lines unconditionally. Here a valid data line among them is kept: a body
      // sent without the header (lines cut from a log) must not lose its first lines silently.
      if (!date || 'reason' in date) {
        headerLinesSkipped++;
        return;
      }
    }
    linesRead++;
    if (!date) {
      reject({ line: lineNumber, reason: serde.lastLineOverBudget === true ? OVER_BUDGET_REASON : rejectedReason });
      return;
    }
    if ('reason' in date) {
      reject({ line: lineNumber, reason: date.reason, column: rule.column, field: rule.columnIndex + 1 });
      return;
    }
    let day = days.get(date.dt);
    if (!day) {
      if (days.size >= maxPartitions) throw new TooManyPartitionsError(maxPartitions, lineNumber);
      day = new DayWriter(date.dt, path.join(dir, `dt=${date.dt}.gz`));
      days.set(date.dt, day);
    }
    day.add(line);
  };

  try {
    const paced = Readable.from(pace(input, maxLineBytes, days), { objectMode: true, highWaterMark: 1 });
    try {
      await forEachLine(paced, table.name, onLine);
    } catch (err) {
      // forEachLine wraps what is thrown while reading; ours are already precise.
      if (err instanceof InputError && err.cause instanceof IngestError) throw err.cause;
      throw err;
    }
    const partitions: SpilledPartition[] = [];
    for (const day of [...days.values()].sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0))) {
      await day.close();
      partitions.push({
        dt: day.dt,
        lines: day.lines,
        uncompressedBytes: day.bytes,
        sha256: day.hash.digest('hex'),
        file: day.file,
        gzipBytes: (await stat(day.file)).size,
      });
    }
    const linesStored = partitions.reduce((n, p) => n + p.lines, 0);
    return { linesRead, linesStored, linesMalformed, headerLinesSkipped, malformed, partitions, dispose };
  } catch (err) {
    for (const day of days.values()) day.destroy();
    await dispose();
    throw err;
  }
}

/**
 * Passes the input through, waiting for the day streams to drain before each
 * chunk (backpressure), and fails as soon as a line grows past `maxLineBytes`
 * (the line reader would otherwise collect it whole: a megabyte of gzip zeros
 * is a gigabyte-long line). Terminators are counted as the line reader counts
 * them, for the line number in the message.
 */
async function* pace(input: Readable, maxLineBytes: number, days: ReadonlyMap<string, DayWriter>): AsyncGenerator<Buffer> {
  let run = 0; // bytes since the last terminator
  let lines = 0; // terminators seen, \r\n counting once
  let lastWasCr = false;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    for (const day of days.values()) await day.drained();
    let from = 0;
    const noCr = chunk.indexOf(13) < 0;
    for (;;) {
      const i = noCr ? chunk.indexOf(10, from) : nextTerminator(chunk, from);
      if (i < 0) break;
      run += i - from;
      if (run > maxLineBytes) throw new PayloadTooLargeError('line', maxLineBytes, lines + 1);
      if (!(chunk[i] === 10 && lastWasCr && i === from)) lines++;
      lastWasCr = chunk[i] === 13;
      run = 0;
      from = i + 1;
    }
    if (from < chunk.length) lastWasCr = false;
    run += chunk.length - from;
    if (run > maxLineBytes) throw new PayloadTooLargeError('line', maxLineBytes, lines + 1);
    yield chunk;
  }
}

function nextTerminator(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const b = buf[i];
    if (b === 10 || b === 13) return i;
  }
  return -1;
}
