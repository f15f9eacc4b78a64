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
      for (let i = pos; i < buf.length; i++) {
        const b = buf[i];
        if (b !== 10 && b !== 13) continue;
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
