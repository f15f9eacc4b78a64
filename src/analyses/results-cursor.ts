/**
 * The opaque pagination cursor of GET /analyses/{id}/results: base64url JSON
 * of where the next page starts (output file index, byte offset of a line
 * start in it, rows before it). It is bound to its analysis and checked on
 * the way in, so a forged or foreign cursor is a 400, never a read elsewhere.
 */
import { z } from 'zod';
import { InvalidCursorError } from './errors.js';

export interface ResultsPosition {
  /** Index in the sorted list of output files. */
  readonly file: number;
  /** Byte offset of the next line in that file. */
  readonly offset: number;
  /** Rows before this position (the first row number of the page). */
  readonly row: number;
}

const CursorSchema = z.object({
  v: z.literal(1),
  a: z.string(),
  f: z.number().int().nonnegative(),
  o: z.number().int().nonnegative(),
  r: z.number().int().nonnegative(),
});

const MAX_CURSOR_LENGTH = 512;

export function encodeCursor(analysisId: string, position: ResultsPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, a: analysisId, f: position.file, o: position.offset, r: position.row })).toString('base64url');
}

/** The position a cursor names; InvalidCursorError (400) for anything else. */
export function decodeCursor(analysisId: string, cursor: string): ResultsPosition {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError('not a cursor this service issued');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor this service issued');
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError('not a cursor this service issued');
  if (parsed.data.a !== analysisId) throw new InvalidCursorError('it belongs to another analysis');
  return { file: parsed.data.f, offset: parsed.data.o, row: parsed.data.r };
}
