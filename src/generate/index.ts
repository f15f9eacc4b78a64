/**
 * Deterministic access-log generator: the same options give byte-identical
 * output, in constant memory, fast enough for gigabyte benchmarks.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { CloudfrontSampleSource } from './cloudfront-sample.js';
import { CloudfrontSource, DISTRIBUTION_ID } from './cloudfront.js';
import { CombinedSource } from './combined.js';
import { STREAM, type LineSource } from './model.js';
import { Random } from './random.js';

export type { LineSource };

export type LogFormat = 'cloudfront-sample' | 'cloudfront' | 'combined';

export const LOG_FORMATS: readonly LogFormat[] = ['cloudfront-sample', 'cloudfront', 'combined'];

export interface GenerateOptions {
  format: LogFormat;
  /** Log records to generate, odd lines included; CloudFront's two header lines come on top. */
  lines: number;
  /** Any safe integer. */
  seed: number;
  /** Share of records that are odd lines (malformed, commented, NULL-producing), 0..1. Default 0.01. */
  oddRate?: number;
}

export const DEFAULT_ODD_RATE = 0.01;

function checkOptions(options: GenerateOptions): number {
  if (!LOG_FORMATS.includes(options.format)) throw new RangeError(`unknown format ${JSON.stringify(options.format)} (expected ${LOG_FORMATS.join(', ')})`);
  if (!Number.isSafeInteger(options.lines) || options.lines < 0) throw new RangeError(`lines must be a non-negative integer, got ${options.lines}`);
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`seed must be a safe integer, got ${options.seed}`);
  const oddRate = options.oddRate ?? DEFAULT_ODD_RATE;
  if (!(oddRate >= 0 && oddRate <= 1)) throw new RangeError(`oddRate must be between 0 and 1, got ${oddRate}`);
  return oddRate;
}

/**
 * A cursor over the records of a format, telling which ones are odd; what
 * generateLines and writeLogFiles are built on.
 */
export function createLineSource(options: GenerateOptions): LineSource {
  const oddRate = checkOptions(options);
  const sourceOptions = { seed: options.seed, lines: options.lines, oddRate };
  switch (options.format) {
    case 'cloudfront-sample':
      return new CloudfrontSampleSource(sourceOptions);
    case 'cloudfront':
      return new CloudfrontSource(sourceOptions);
    case 'combined':
      return new CombinedSource(sourceOptions);
  }
}

/**
 * Lines without terminators, streamed (constant memory at any count).
 * For `cloudfront` the two header lines come first, as in a single log file,
 * followed by `lines` records; other formats yield exactly `lines` lines.
 */
export function generateLines(options: GenerateOptions): IterableIterator<string> {
  // Built here rather than in the generator body, so bad options throw at the call.
  const source = createLineSource(options);
  return linesOf(source, options.lines);
}

function* linesOf(source: LineSource, count: number): Generator<string, void, undefined> {
  yield* source.header;
  for (let i = 0; i < count; i++) yield source.next();
}

export interface WriteOptions extends GenerateOptions {
  /** Directory, created if missing; files of the same names are replaced. */
  out: string;
  /** Number of files the records are split over, in order (default 1). */
  files?: number;
  /** Gzip the files (default: true for `cloudfront`, false otherwise); adds `.gz` to names that lack it. */
  gzip?: boolean;
}

export interface WriteResult {
  /** Paths written, in order (joined onto `out`). */
  files: string[];
  /** Records written (CloudFront header lines not included). */
  lines: number;
  /** How many of those are odd lines. */
  oddLines: number;
  /** Total size of the files on disk (compressed size when gzip). */
  bytes: number;
}

/** Flushes to the stream in chunks this big: fewer, larger writes. */
const CHUNK_BYTES = 1024 * 1024;
/** zlib's default (6) compresses these logs at about half the speed of 3, for 10% smaller files. */
const GZIP_LEVEL = 3;

/**
 * Packs lines, each followed by `\n`, into buffers of about CHUNK_BYTES. The
 * generated lines are ASCII, so latin1 writes them byte for byte without UTF-8
 * encoding work. Each chunk is a fresh buffer: the stream may still hold the
 * previous one.
 */
function* packLines(lines: Iterable<string>): Generator<Buffer, void, undefined> {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let offset = 0;
  for (const line of lines) {
    if (offset + line.length + 1 > buf.length) {
      if (offset > 0) yield buf.subarray(0, offset);
      buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length + 1));
      offset = 0;
    }
    offset += buf.write(line, offset, 'latin1');
    buf[offset++] = 0x0a;
  }
  if (offset > 0) yield buf.subarray(0, offset);
}

/**
 * Writes `files` files into `out`: cloudfront-sample → `log1`, `log2`, … (the
 * tutorial's names); cloudfront → `EDFDVBD6EXAMPLE.2014-07-05-20.a1b2c3d4.gz`
 * (the hour of the file's first record, gzip, each file with the two header
 * lines); combined → `access.log.1`, …. Records are split evenly and in order,
 * so the files concatenated are generateLines' output. Streams with backpressure.
 */
export async function writeLogFiles(options: WriteOptions): Promise<WriteResult> {
  checkOptions(options);
  const fileCount = options.files ?? 1;
  if (!Number.isSafeInteger(fileCount) || fileCount < 1) throw new RangeError(`files must be a positive integer, got ${fileCount}`);
  const gzip = options.gzip ?? options.format === 'cloudfront';
  await mkdir(options.out, { recursive: true });

  const source = createLineSource(options);
  const names = new Random(options.seed, STREAM.names);
  const usedNames = new Set<string>();
  const paths: string[] = [];
  let oddLines = 0;
  let bytes = 0;
  const base = Math.floor(options.lines / fileCount);
  const extra = options.lines % fileCount;

  for (let f = 0; f < fileCount; f++) {
    const count = base + (f < extra ? 1 : 0);
    // The first record is drawn before the file is named: CloudFront names carry its hour.
    const first = count > 0 ? source.next() : undefined;
    if (first !== undefined && source.odd) oddLines++;
    let name: string;
    switch (options.format) {
      case 'cloudfront-sample':
        name = `log${f + 1}`;
        break;
      case 'combined':
        name = `access.log.${f + 1}`;
        break;
      case 'cloudfront':
        do {
          name = `${DISTRIBUTION_ID}.${CloudfrontSource.hourStamp(source.time)}.${names.uint32().toString(16).padStart(8, '0')}`;
        } while (usedNames.has(name));
        usedNames.add(name);
        break;
    }
    if (gzip) name += '.gz';
    const path = join(options.out, name);

    function* fileLines(): Generator<string, void, undefined> {
      yield* source.header;
      if (first !== undefined) yield first;
      for (let i = 1; i < count; i++) {
        const line = source.next();
        if (source.odd) oddLines++;
        yield line;
      }
    }

    const input = Readable.from(packLines(fileLines()));
    if (gzip) await pipeline(input, createGzip({ level: GZIP_LEVEL }), createWriteStream(path));
    else await pipeline(input, createWriteStream(path));
    bytes += (await stat(path)).size;
    paths.push(path);
  }
  return { files: paths, lines: options.lines, oddLines, bytes };
}
