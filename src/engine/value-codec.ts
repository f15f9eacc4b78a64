import type { HiveValue } from '../hive/types.js';

/**
 * A compact tagged binary codec for HiveValues (the payload of run records:
 * aggregate partial states and rows). Every value round-trips exactly: -0,
 * NaN, ±Infinity, strings with lone surrogates (kept as UTF-16 code units),
 * arrays of strings.
 */

const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const INT32 = 3;
const FLOAT64 = 4;
const LATIN1 = 5;
const UTF16 = 6;
const ARRAY = 7;

/** Bytes that do not decode as values (a truncated or foreign file). */
export class MalformedRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedRecordError';
  }
}

/** A growable byte buffer that values and record framing are written into. */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes: number) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  varint(n: number): void {
    this.ensure(5);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  /** A latin1 string's chars as bytes (sortable keys are held so). */
  latin1(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  value(v: HiveValue): void {
    if (v === null) return this.byte(NULL);
    if (typeof v === 'boolean') return this.byte(v ? TRUE : FALSE);
    if (typeof v === 'number') {
      this.ensure(9);
      if ((v | 0) === v && !Object.is(v, -0)) {
        this.buf[this.pos++] = INT32;
        this.pos = this.buf.writeInt32LE(v, this.pos);
      } else {
        this.buf[this.pos++] = FLOAT64;
        this.pos = this.buf.writeDoubleLE(v, this.pos);
      }
      return;
    }
    if (typeof v === 'string') return this.string(v);
    this.byte(ARRAY);
    this.varint(v.length);
    for (const s of v) this.string(s);
  }

  /** A row: its length, then its values. */
  row(values: readonly HiveValue[]): void {
    this.varint(values.length);
    for (const v of values) this.value(v);
  }

  private string(s: string): void {
    if (!/[^\x00-\xff]/.test(s)) {
      this.byte(LATIN1);
      this.varint(s.length);
      this.latin1(s);
    } else {
      // UTF-16 code units as they are: lone surrogates survive, which UTF-8 would replace.
      this.byte(UTF16);
      this.varint(s.length);
      this.ensure(2 * s.length);
      this.pos += this.buf.write(s, this.pos, 'utf16le');
    }
  }
}

/** Reads values written by ByteWriter from `buf`, starting at `pos`. */
export class ByteReader {
  constructor(
    public buf: Buffer,
    public pos: number,
  ) {}

  varint(): number {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  }

  value(): HiveValue {
    const tag = this.buf[this.pos++];
    switch (tag) {
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case INT32: {
        const v = this.buf.readInt32LE(this.pos);
        this.pos += 4;
        return v;
      }
      case FLOAT64: {
        const v = this.buf.readDoubleLE(this.pos);
        this.pos += 8;
        return v;
      }
      case LATIN1:
      case UTF16:
        this.pos--;
        return this.string();
      case ARRAY: {
        const items: string[] = new Array(this.varint());
        for (let i = 0; i < items.length; i++) items[i] = this.string();
        return items;
      }
      default:
        throw new MalformedRecordError(`bad value tag ${tag}`);
    }
  }

  row(): HiveValue[] {
    const values: HiveValue[] = new Array(this.varint());
    for (let i = 0; i < values.length; i++) values[i] = this.value();
    return values;
  }

  private string(): string {
    const tag = this.buf[this.pos++];
    const length = this.varint();
    if (tag === LATIN1) {
      const s = this.buf.toString('latin1', this.pos, this.pos + length);
      this.pos += length;
      return s;
    }
    if (tag !== UTF16) throw new MalformedRecordError(`bad string tag ${tag}`);
    const s = this.buf.toString('utf16le', this.pos, this.pos + 2 * length);
    this.pos += 2 * length;
    return s;
  }
}
