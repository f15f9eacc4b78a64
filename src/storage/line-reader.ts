import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../hive/errors.js';
import type { FileStatus, Storage } from './storage.js';

/** Codecs Hadoop picks by file extension; we read gzip and refuse the rest clearly. */
const UNSUPPORTED_CODECS: Record<string, string> = { '.bz2': 'bzip2', '.zst': 'zstd', '.snappy': 'snappy', '.lz4': 'lz4', '.deflate': 'deflate' };

/**
 * Opens a file's decompressed bytes, choosing the codec by extension as Hadoop does.
 * `onStoredBytes` hears how many stored (compressed) bytes have been read, for progress.
 */
export function openDecompressed(storage: Storage, file: FileStatus, onStoredBytes?: (bytes: number) => void): Readable {
  const lower = file.location.toLowerCase();
  for (const [ext, codec] of Object.entries(UNSUPPORTED_CODECS)) {
    if (lower.endsWith(ext)) throw new InputError(`${codec}-compressed input is not supported by the local engine (gzip and plain text are)`, { file: file.location });
  }
  const raw = storage.openRead(file.location);
  if (onStoredBytes) {
    let read = 0;
    raw.on('data', (chunk: Buffer) => onStoredBytes((read += chunk.length)));
  }
  if (!lower.endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

/**
 * Calls `onLine` for every line, split exactly as Hadoop's LineReader does
 * without a custom delimiter: a line ends at `\n`, `\r` or `\r\n`; the
 * terminator is not part of the line; a last line without a terminator still
 * counts; an empty file has no lines. Bytes are decoded as UTF-8 with
 * replacement characters, as `Text.toString()` does.
 */
export async function forEachLine(stream: Readable, location: string, onLine: (line: string, lineNumber: number, hints: number) => void): Promise<{ lines: number; bytes: number }> {
  let carry: Buffer | null = null;
  let lineNumber = 0;
  let bytes = 0;
  let skipLeadingLf = false;
  const lines = new ChunkLines();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      let buf: Buffer = chunk;
      let pos = 0;
      if (skipLeadingLf) {
        skipLeadingLf = false;
        if (buf.length > 0 && buf[0] === 10) pos = 1;
      }
      let lineStart = pos;
      const noCr = buf.indexOf(13, pos) < 0;
      lines.reset(buf);
      for (let i = findTerminator(buf, pos, noCr); i >= 0; i = findTerminator(buf, i + 1, noCr)) {
        const b = buf[i];
        let line: string;
        let hints = 0;
        if (carry) {
          line = Buffer.concat([carry, buf.subarray(lineStart, i)]).toString('utf8');
          carry = null;
        } else {
          line = lines.line(lineStart, i);
          if (lines.plain) hints = LINE_IS_PLAIN_ASCII;
        }
        onLine(line, ++lineNumber, hints);
        if ((lineNumber & YIELD_CHECK_MASK) === 0 && yieldDue()) await yieldToEventLoop();
        if (b === 13) {
          if (i + 1 < buf.length) {
            if (buf[i + 1] === 10) i++;
          } else skipLeadingLf = true;
        }
        lineStart = i + 1;
      }
      if (lineStart < buf.length) {
        const rest = buf.subarray(lineStart);
        carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
      }
      buf = Buffer.alloc(0);
    }
  } catch (err) {
    throw new InputError(`cannot read: ${(err as Error).message}`, { file: location, line: lineNumber + 1 }, { cause: err });
  }
  if (carry && carry.length > 0) onLine(carry.toString('utf8'), ++lineNumber, 0);
  return { lines: lineNumber, bytes };
}

/**
 * Reads the lines of one byte range of an uncompressed file the way Hadoop's
 * LineRecordReader does: a split that does not start at 0 skips its first
 * (partial) line, and every line that starts at or before `end` is read whole,
 * so each line of the file belongs to exactly one split. `onLine` receives the
 * line and the byte offset where it starts.
 */
export async function forEachLineInRange(
  storage: Storage,
  file: FileStatus,
  range: { start: number; end: number },
  onLine: (line: string, offset: number, hints: number) => void,
): Promise<void> {
  const { start, end } = range;
  // Lines may run past `end`; read to the end of the file and stop at the first line that starts after it.
  const stream = storage.openRead(file.location, { start, end: file.size });
  let carry: Buffer | null = null;
  let carryOffset = start;
  let pos = start; // file offset of the next byte to look at
  let lineStart = start;
  let skipping = start !== 0;
  let pendingCr = false;
  let emitted = 0;
  const lines = new ChunkLines();
  const emit = (line: Buffer | string, at: number, hints: number) => {
    if (skipping) skipping = false;
    else onLine(typeof line === 'string' ? line : line.toString('utf8'), at, hints);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      if (pendingCr) {
        pendingCr = false;
        if (chunk.length > 0 && chunk[0] === 10) {
          from = 1;
          pos++;
          lineStart = pos;
        }
      }
      let segStart = from;
      const noCr = chunk.indexOf(13, from) < 0;
      lines.reset(chunk);
      // `pos` is the file offset of chunk[i]; it follows i as the loop jumps from terminator to terminator.
      const chunkOffset = pos - from;
      for (let i = findTerminator(chunk, from, noCr); i >= 0; i = findTerminator(chunk, i + 1, noCr)) {
        pos = chunkOffset + i;
        const b = chunk[i];
        if (!skipping && lineStart > end) {
          stream.destroy();
          return;
        }
        if (carry) {
          emit(Buffer.concat([carry, chunk.subarray(segStart, i)]), carryOffset, 0);
          carry = null;
        } else {
          const line = lines.line(segStart, i);
          emit(line, lineStart, lines.plain ? LINE_IS_PLAIN_ASCII : 0);
        }
        if ((++emitted & YIELD_CHECK_MASK) === 0 && yieldDue()) await yieldToEventLoop();
        if (b === 13) {
          if (i + 1 < chunk.length) {
            if (chunk[i + 1] === 10) {
              i++;
              pos++;
            }
          } else pendingCr = true;
        }
        lineStart = pos + 1;
        segStart = i + 1;
      }
      pos = chunkOffset + chunk.length;
      if (segStart < chunk.length) {
        if (!carry) carryOffset = lineStart;
        const rest = chunk.subarray(segStart);
        carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
      }
    }
  } catch (err) {
    throw new InputError(`cannot read: ${(err as Error).message}`, { file: file.location, offset: lineStart }, { cause: err });
  }
  if (carry && carry.length > 0 && (skipping || carryOffset <= end)) emit(carry, carryOffset, 0);
}

/**
 * The readers hand lines to a synchronous callback, and a chunk holds thousands of lines, so a
 * run whose lines are slow to deserialize (a regex near its step budget) could keep the event
 * loop from running for minutes, and with it the Ctrl-C/SIGTERM handlers and deadlines. Every
 * few lines the readers look at the clock and, past YIELD_INTERVAL_MS since the last time,
 * let the event loop run once. Looking costs a nanosecond or two per line; results never change.
 */
const YIELD_CHECK_MASK = 15;
const YIELD_INTERVAL_MS = 100;
let nextYieldAt = 0;

function yieldDue(): boolean {
  const now = performance.now();
  if (now < nextYieldAt) return false;
  nextYieldAt = now + YIELD_INTERVAL_MS;
  return true;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A hint passed with a line: it is ASCII and holds none of \n, \x0B, \f, \r
 * (checked once per decoded window, not per line), so a SerDe may skip
 * looking for those. Lines without the hint may still be plain.
 */
export const LINE_IS_PLAIN_ASCII = 1;

/**
 * Decodes lines out of one chunk. Where the bytes are ASCII (the common case
 * for access logs) a window of about 64 KB is decoded once and lines are sliced
 * from it: much cheaper than a UTF-8 decode per line, and string offsets equal
 * byte offsets. Windows stay small so that they live and die in V8's young
 * generation (a 1 MB string would be external memory that only a full GC frees).
 * Other bytes are decoded line by line as UTF-8 with replacement characters.
 */
class ChunkLines {
  private chunk: Buffer = Buffer.alloc(0);
  private text: string | undefined;
  private from = 0;
  private to = 0;
  /** The current window is ASCII without \x0B or \f (the reader's lines never hold \r or \n). */
  plain = false;

  reset(chunk: Buffer): void {
    this.chunk = chunk;
    this.text = undefined;
    this.plain = false;
    this.from = this.to = 0;
  }

  line(start: number, end: number): string {
    if (start < this.from || end > this.to) {
      const to = Math.min(this.chunk.length, Math.max(end, start + WINDOW_BYTES));
      const ascii = isAscii(this.chunk.subarray(start, to));
      this.text = ascii ? this.chunk.toString('latin1', start, to) : undefined;
      this.plain = ascii && this.text!.indexOf('\u000b') < 0 && this.text!.indexOf('\f') < 0;
      this.from = start;
      this.to = to;
    }
    return this.text !== undefined ? this.text.slice(start - this.from, end - this.from) : this.chunk.toString('utf8', start, end);
  }
}

const WINDOW_BYTES = 64 * 1024;

/**
 * A copy of `s` that shares no memory with the chunk it was sliced from.
 * Lines from the readers above are slices of a whole decoded chunk (about
 * 1 MB); a value kept beyond the line (a group key, a sorted row, a sample)
 * must be detached or it pins its chunk in memory. Short strings are copies
 * already (V8 slices only from 13 characters on); the concatenation is
 * flattened into a fresh string before the slice is taken.
 */
export function detachString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** The next line terminator at or after `from`, or -1; `indexOf` (native) when the chunk has no \r. */
function findTerminator(buf: Buffer, from: number, noCr: boolean): number {
  if (noCr) return buf.indexOf(10, from);
  for (let i = from; i < buf.length; i++) {
    const b = buf[i];
    if (b === 10 || b === 13) return i;
  }
  return -1;
}
