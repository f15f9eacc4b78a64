import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { ByteReader, ByteWriter, MalformedRecordError } from './value-codec.js';

/**
 * Runs: sequences of records sorted by key, on disk (spill files) or in one
 * Buffer (a finished task's in-memory output, which crosses the worker
 * boundary as a single transferable block instead of millions of objects).
 *
 * A record is a varint key length, the key's bytes (a sortable key held in JS
 * as a latin1 string, see sortable-key.ts; empty for unsorted rows), a uint32
 * LE payload length and the payload (values in value-codec.ts's format).
 * Files are written synchronously in blocks of WRITE_BLOCK_BYTES (spills
 * happen inside a map task's per-line loop, where a stream cannot be awaited)
 * and read in blocks of the reader's size, so an open run costs one block.
 */

/** A run: the path of a run file, or the run's bytes. */
export type RunSource = string | Uint8Array;

export const WRITE_BLOCK_BYTES = 1 << 20;
export const READ_BLOCK_BYTES = 256 * 1024;

/** Writes records to a run file (given a path) or into memory. */
export class RunWriter {
  private readonly out: ByteWriter;
  private readonly fd: number | undefined;
  private lengthAt = -1;
  count = 0;

  constructor(readonly file?: string) {
    this.out = new ByteWriter(file === undefined ? 64 * 1024 : WRITE_BLOCK_BYTES + 64 * 1024);
    this.fd = file === undefined ? undefined : openSync(file, 'w');
  }

  /** Starts a record with `key`; its payload is written to `payload` until end(). */
  begin(key: string): ByteWriter {
    const out = this.out;
    out.varint(key.length);
    out.latin1(key);
    out.ensure(4);
    this.lengthAt = out.pos;
    out.pos += 4;
    return out;
  }

  end(): void {
    const out = this.out;
    out.buf.writeUInt32LE(out.pos - this.lengthAt - 4, this.lengthAt);
    this.count++;
    if (this.fd !== undefined && out.pos >= WRITE_BLOCK_BYTES) this.flush();
  }

  /** A record whose payload is already encoded (merging runs copies payloads without decoding them). */
  copy(key: string, payload: Buffer, start: number, end: number): void {
    const out = this.begin(key);
    out.ensure(end - start);
    out.pos += payload.copy(out.buf, out.pos, start, end);
    this.end();
  }

  private flush(): void {
    let at = 0;
    while (at < this.out.pos) at += writeSync(this.fd!, this.out.buf, at, this.out.pos - at);
    this.out.pos = 0;
  }

  /** Closes a file writer. */
  close(): string {
    if (this.fd === undefined || this.file === undefined) throw new Error('close() is for run files; use bytes() for a run in memory');
    this.flush();
    closeSync(this.fd);
    return this.file;
  }

  /** A memory writer's run, in a Buffer of its own (so that it can be transferred to another thread). */
  bytes(): Buffer {
    const run = Buffer.allocUnsafeSlow(this.out.pos);
    this.out.buf.copy(run, 0, 0, this.out.pos);
    return run;
  }
}

/** Reads a run's records one at a time; a file is read in blocks of `blockBytes`. */
export class RunReader {
  /** The current record's key. */
  key = '';
  /** The current record's payload: buf[payloadStart, payloadEnd). */
  buf: Buffer;
  payloadStart = 0;
  payloadEnd = 0;
  private pos = 0;
  private end: number;
  private fd: number | undefined;
  private readonly values: ByteReader;

  constructor(
    readonly source: RunSource,
    blockBytes = READ_BLOCK_BYTES,
  ) {
    if (typeof source === 'string') {
      this.fd = openSync(source, 'r');
      this.buf = Buffer.allocUnsafe(blockBytes);
      this.end = 0;
    } else {
      this.buf = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
      this.end = this.buf.length;
    }
    this.values = new ByteReader(this.buf, 0);
  }

  /** Moves to the next record; false (and the file closed) at the end. */
  next(): boolean {
    if (!this.fill(1)) {
      this.close();
      return false;
    }
    this.fill(5);
    const keyLength = this.varintAt();
    const header = this.varintBytes;
    if (!this.fill(header + keyLength + 4)) throw this.truncated();
    let p = this.pos + header;
    this.key = keyLength === 0 ? '' : this.buf.toString('latin1', p, p + keyLength);
    p += keyLength;
    const payloadLength = this.buf.readUInt32LE(p);
    const recordLength = header + keyLength + 4 + payloadLength;
    if (!this.fill(recordLength)) throw this.truncated();
    this.payloadStart = this.pos + header + keyLength + 4;
    this.payloadEnd = this.payloadStart + payloadLength;
    this.pos += recordLength;
    return true;
  }

  /** A reader of the current record's payload values. */
  payload(): ByteReader {
    this.values.buf = this.buf;
    this.values.pos = this.payloadStart;
    return this.values;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private varintBytes = 0;

  private varintAt(): number {
    let n = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      if (this.pos + i >= this.end) throw this.truncated();
      const b = this.buf[this.pos + i]!;
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        this.varintBytes = i + 1;
        return n;
      }
      shift += 7;
    }
  }

  /** Makes at least `n` bytes from pos available; false when the run ends first. */
  private fill(n: number): boolean {
    if (this.end - this.pos >= n) return true;
    if (this.fd === undefined) return false;
    // Move the partial record to the front, growing the block only for a record larger than it.
    const kept = this.end - this.pos;
    if (n > this.buf.length) {
      const grown = Buffer.allocUnsafe(n);
      this.buf.copy(grown, 0, this.pos, this.end);
      this.buf = grown;
    } else if (this.pos > 0) this.buf.copy(this.buf, 0, this.pos, this.end);
    this.pos = 0;
    this.end = kept;
    while (this.end < n) {
      const read = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      if (read === 0) return false;
      this.end += read;
    }
    return true;
  }

  private truncated(): MalformedRecordError {
    return new MalformedRecordError(`truncated record in ${typeof this.source === 'string' ? this.source : 'an in-memory run'}`);
  }
}
