import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../hive/errors.js';
import type { FileStatus, Storage } from './storage.js';

/** Codecs Hadoop picks by file extension; we read gzip and refuse the rest clearly. */
const UNSUPPORTED_CODECS: Record<string, string> = { '.bz2': 'bzip2', '.zst': 'zstd', '.snappy': 'snappy', '.lz4': 'lz4', '.deflate': 'deflate' };

/** Opens a file's decompressed bytes, choosing the codec by extension as Hadoop does. */
export function openDecompressed(storage: Storage, file: FileStatus): Readable {
  const lower = file.location.toLowerCase();
  for (const [ext, codec] of Object.entries(UNSUPPORTED_CODECS)) {
    if (lower.endsWith(ext)) throw new InputError(`${codec}-compressed input is not supported by the local engine (gzip and plain text are)`, { file: file.location });
  }
  const raw = storage.openRead(file.location);
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
export async function forEachLine(stream: Readable, location: string, onLine: (line: string, lineNumber: number) => void): Promise<{ lines: number; bytes: number }> {
  let carry: Buffer | null = null;
  let lineNumber = 0;
  let bytes = 0;
  let skipLeadingLf = false;
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
      for (let i = findTerminator(buf, pos, noCr); i >= 0; i = findTerminator(buf, i + 1, noCr)) {
        const b = buf[i];
        let line: string;
        if (carry) {
          line = Buffer.concat([carry, buf.subarray(lineStart, i)]).toString('utf8');
          carry = null;
        } else line = buf.toString('utf8', lineStart, i);
        onLine(line, ++lineNumber);
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
  if (carry && carry.length > 0) onLine(carry.toString('utf8'), ++lineNumber);
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
  onLine: (line: string, offset: number) => void,
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
  const emit = (line: Buffer, at: number) => {
    if (skipping) skipping = false;
    else onLine(line.toString('utf8'), at);
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
      // `pos` is the file offset of chunk[i]; it follows i as the loop jumps from terminator to terminator.
      const chunkOffset = pos - from;
      for (let i = findTerminator(chunk, from, noCr); i >= 0; i = findTerminator(chunk, i + 1, noCr)) {
        pos = chunkOffset + i;
        const b = chunk[i];
        if (!skipping && lineStart > end) {
          stream.destroy();
          return;
        }
        const piece = chunk.subarray(segStart, i);
        const line: Buffer = carry ? Buffer.concat([carry, piece]) : piece;
        const at = carry ? carryOffset : lineStart;
        carry = null;
        emit(line, at);
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
  if (carry && carry.length > 0 && (skipping || carryOffset <= end)) emit(carry, carryOffset);
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
