import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';

/**
 * Request parsing for API Gateway HTTP API (payload v2) events. Everything a handler reads from
 * the event goes through here, so limits and error messages are the same on every route.
 */

/** A problem with the request itself; http-errors.ts maps it by its `httpStatus`. */
export class HttpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    name = 'HttpError',
  ) {
    super(message);
    this.name = name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message, 'BadRequestError');
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message, 'NotFoundError');
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(413, `request body is ${size} bytes; the limit is ${limit}`, 'PayloadTooLargeError');
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string) {
    super(415, message, 'UnsupportedMediaTypeError');
  }
}

/** The part of the v2 event this module reads; tests and serverless-offline build exactly this. */
export type HttpEvent = Pick<APIGatewayProxyEventV2, 'headers' | 'body' | 'isBase64Encoded' | 'pathParameters' | 'queryStringParameters'>;

/** Default limit for JSON bodies: the API's JSON requests are small parameter objects. */
export const DEFAULT_MAX_JSON_BYTES = 64 * 1024;

/**
 * A header by name, case-insensitively: API Gateway lower-cases names, but serverless-offline and
 * hand-built events may not. Repeated headers arrive comma-joined, as API Gateway sends them.
 */
export function header(event: Pick<HttpEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const headers = event.headers ?? {};
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) return headers[key];
  }
  return undefined;
}

/** Size of the body as sent, without decoding it: base64 text is 4 characters per 3 bytes. */
export function bodySize(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): number {
  const body = event.body ?? '';
  if (!event.isBase64Encoded) return Buffer.byteLength(body, 'utf8');
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((body.length * 3) / 4) - padding);
}

/** Throws 413 before anything is decoded, so a huge body costs no extra memory. */
export function checkBodySize(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>, maxBytes: number): void {
  const size = bodySize(event);
  if (size > maxBytes) throw new PayloadTooLargeError(size, maxBytes);
}

/** The body's bytes (base64 decoded when API Gateway encoded it), within `maxBytes`. */
export function bodyBytes(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>, maxBytes: number): Buffer {
  checkBodySize(event, maxBytes);
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** 1-based line and column of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first character that makes `text` invalid JSON (text.length for a truncated
 * document), or undefined when it is valid. V8 reports a position for some errors only (node 20
 * says just "Unexpected token" for the rest), so we find it ourselves, the same on every runtime.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    // Nesting deeper than the stack: no position to report, the message still says what is wrong.
    if (at instanceof RangeError) return undefined;
    throw at;
  }
}

/** Where JSON.parse stopped, as position (0-based) and 1-based line and column. */
export function jsonErrorLocation(text: string): { position: number; line: number; column: number } | undefined {
  const position = jsonErrorOffset(text);
  return position === undefined ? undefined : { position, ...lineColumn(text, position) };
}

/**
 * Parses a JSON body; with a schema, validates it (a ZodError then maps to 400 with the paths).
 * An empty body is `{}` so that routes whose fields are all optional accept a bodiless POST.
 */
export function jsonBody(event: HttpEvent, maxBytes?: number): unknown;
export function jsonBody<S extends z.ZodType>(event: HttpEvent, maxBytes: number | undefined, schema: S): z.output<S>;
export function jsonBody<S extends z.ZodType>(event: HttpEvent, maxBytes = DEFAULT_MAX_JSON_BYTES, schema?: S): unknown {
  const contentType = header(event, 'content-type');
  if (contentType !== undefined && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim())) {
    throw new UnsupportedMediaTypeError(`expected an application/json body, got content-type ${contentType}`);
  }
  const text = bodyBytes(event, maxBytes).toString('utf8');
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      const where = jsonErrorLocation(text);
      const at = where ? ` at line ${where.line}, column ${where.column} (position ${where.position})` : '';
      // The parser's own wording after the location, without V8's echo of the input.
      const detail = err.message.replace(/,? ?".*" is not valid JSON$/s, '').replace(/ (in JSON )?at position \d+.*$/s, '');
      throw new BadRequestError(`malformed JSON body${at}: ${detail}`);
    }
  }
  return schema ? schema.parse(value) : value;
}

/** A path parameter that the route requires (API Gateway has already URL-decoded it). */
export function pathParam(event: Pick<HttpEvent, 'pathParameters'>, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === '') throw new BadRequestError(`missing path parameter ${name}`);
  return value;
}

/** An optional query string parameter. */
export function queryParam(event: Pick<HttpEvent, 'queryStringParameters'>, name: string): string | undefined {
  const value = event.queryStringParameters?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/** An optional whole-number query parameter within [min, max]. */
export function queryInt(event: Pick<HttpEvent, 'queryStringParameters'>, name: string, bounds: { min: number; max: number }): number | undefined {
  const text = queryParam(event, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new BadRequestError(`query parameter ${name} must be a whole number, got ${JSON.stringify(text)}`);
  const n = Number(text);
  if (n < bounds.min || n > bounds.max) throw new BadRequestError(`query parameter ${name} must be between ${bounds.min} and ${bounds.max}, got ${n}`);
  return n;
}

/** Table names as the jobs define them (docs/cloud.md); anything else is 404 and never reaches S3. */
export const TABLE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export function tableParam(event: Pick<HttpEvent, 'pathParameters'>): string {
  const table = pathParam(event, 'table');
  if (!TABLE_NAME.test(table)) throw new NotFoundError(`no table named ${JSON.stringify(table.slice(0, 80))}`);
  return table;
}
