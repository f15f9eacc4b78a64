/**
 * Turns what arrives (an API Gateway HTTP API v2 body, or an S3 object's
 * stream) into the bytes of the log lines, with limits: the raw size is
 * checked before anything is decoded, and gzip is inflated chunk by chunk
 * and stopped as soon as the output passes the inflation limit, so a gzip
 * bomb costs at most that many bytes of work and one chunk of memory.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IngestError, MalformedBodyError, PayloadTooLargeError, UnsupportedEncodingError } from './errors.js';

/** How the bytes are encoded: as declared, or `detect` (gzip if they start with its magic bytes). */
export type ContentCoding = 'identity' | 'gzip' | 'detect';

export interface DecodeLimits {
  /** Largest raw body, after base64 decoding (still compressed). */
  readonly maxBodyBytes: number;
  /** Largest decompressed content. */
  readonly maxInflatedBytes: number;
}

/** A body as API Gateway HTTP API v2 hands it to the Lambda. */
export interface RequestBody {
  readonly body: string | null | undefined;
  readonly isBase64Encoded: boolean;
  /** The `content-encoding` header; absent means: look at the bytes. */
  readonly contentEncoding?: string;
}

/**
 * The coding a `content-encoding` header declares. `identity` and `gzip`
 * (`x-gzip`, any case, `identity` entries in a list ignored); anything else is
 * UnsupportedEncodingError. No header: detect gzip by its magic bytes.
 */
export function contentCoding(header: string | undefined): ContentCoding {
  if (header === undefined || header.trim() === '') return 'detect';
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return 'gzip';
  throw new UnsupportedEncodingError(header.trim());
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The raw bytes of a request body, checked against the size limit before they are decoded. */
export function requestBodyBytes(request: RequestBody, maxBodyBytes: number): Buffer {
  const body = request.body ?? '';
  if (!request.isBase64Encoded) {
    if (Buffer.byteLength(body, 'utf8') > maxBodyBytes) throw new PayloadTooLargeError('body', maxBodyBytes);
    return Buffer.from(body, 'utf8');
  }
  // The decoded size is known from the length: refuse before allocating anything.
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  if ((body.length / 4) * 3 - padding > maxBodyBytes) throw new PayloadTooLargeError('body', maxBodyBytes);
  // Buffer.from(…, 'base64') silently skips bad characters; a damaged body must not become plausible bytes.
  if (body.length % 4 !== 0 || !BASE64.test(body)) throw new MalformedBodyError('the body is marked base64 but is not valid base64');
  return Buffer.from(body, 'base64');
}

/** A request body's decoded content, as a stream (errors are IngestErrors). */
export function decodeRequestBody(request: RequestBody, limits: DecodeLimits): Readable {
  const coding = contentCoding(request.contentEncoding);
  const raw = requestBodyBytes(request, limits.maxBodyBytes);
  return decodeStream(Readable.from([raw]), coding, limits.maxInflatedBytes);
}

/**
 * A stream's decoded content. `maxRawBytes` bounds the bytes read from `raw`
 * (streamed bodies); `maxInflatedBytes` bounds the output, compressed or not.
 * Stream errors are IngestErrors: PayloadTooLargeError, MalformedBodyError
 * (a broken gzip stream); errors of `raw` itself pass through.
 */
export function decodeStream(raw: Readable, coding: ContentCoding, maxInflatedBytes: number, maxRawBytes = Infinity): Readable {
  return Readable.from(decoded(raw, coding, maxInflatedBytes, maxRawBytes), { objectMode: true, highWaterMark: 4 });
}

async function* decoded(raw: Readable, coding: ContentCoding, maxInflatedBytes: number, maxRawBytes: number): AsyncGenerator<Buffer> {
  const it = limitedRaw(raw, maxRawBytes)[Symbol.asyncIterator]();
  try {
    // Enough bytes to see gzip's magic number (0x1f 0x8b).
    let head: Buffer = Buffer.alloc(0);
    while (head.length < 2) {
      const r = await it.next();
      if (r.done) break;
      head = head.length === 0 ? r.value : Buffer.concat([head, r.value]);
    }
    // An empty body is empty whatever its declared coding (zlib would call it a truncated stream).
    if (head.length === 0) return;
    const rest = async function* (): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    };
    const isGzip = coding === 'gzip' || (coding === 'detect' && head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b);
    const content = isGzip ? inflate(rest()) : rest();
    let total = 0;
    for await (const chunk of content) {
      total += chunk.length;
      // Checked per chunk (gunzip yields 16 KiB at a time), so at most one chunk past the limit is ever inflated.
      if (total > maxInflatedBytes) throw new PayloadTooLargeError('inflated', maxInflatedBytes);
      yield chunk;
    }
  } finally {
    await it.return?.(undefined);
  }
}

async function* limitedRaw(raw: Readable, maxRawBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of raw as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += buf.length;
    if (total > maxRawBytes) throw new PayloadTooLargeError('body', maxRawBytes);
    yield buf;
  }
}

/** gunzip with backpressure: it inflates only as fast as the consumer reads. Concatenated members are read as one stream. */
async function* inflate(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const input = Readable.from(chunks, { objectMode: true, highWaterMark: 1 });
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    if (err instanceof IngestError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new MalformedBodyError(`not a valid gzip stream (${(err as Error).message})`, { cause: err });
    throw err;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}
