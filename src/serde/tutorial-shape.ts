/**
 * A proven shortcut for the EMR tutorial's RegexSerDe pattern on lines of the
 * common shape, with the general matcher for every other line.
 *
 * The pattern (as the regex engine receives it):
 *   ^(?!#)([^ ]+)\s+ … ×10 … [^(]+[(]([^;]+).*\%20([^/]+)[/](.*)$
 *
 * On a line that (a) has none of Java's other whitespace (space, \x0B, \f,
 * \r, \n) and none of the characters `.` excludes (\u0085, \u2028, \u2029),
 * (b) has exactly 10 tabs and 11 non-empty fields, and (c) does not start with
 * `#`, the only whitespace runs are the 10 single tabs, and the 10 `\s+` need
 * 10 distinct runs, so separator k is tab k and group k is field k (k ≤ 10):
 * no other assignment leaves enough tabs. In the last field U:
 *   - `[^(]+[(]` ends at the first `(`, which must have a character before it;
 *   - greedy `([^;]+)` first tries the whole run up to the first `;` after it;
 *     if the rest can match from there, that run is group 11;
 *   - the rest, `.*\%20([^/]+)[/](.*)$`, matches from position b iff some
 *     `%20` starts at q ≥ b with a non-`/` after it and a `/` later; greedy
 *     `.*` picks the largest such q; `[^/]+` runs to the first `/` (group 12)
 *     and `(.*)` takes the rest (group 13).
 * Every split point is an ASCII character, so surrogate pairs and other
 * non-ASCII text never change where groups start or end.
 * Any line where one of these conditions fails goes to the exact matcher, so
 * results are identical to the regex on every line (tests check it).
 */
export const TUTORIAL_PATTERN = String.raw`^(?!#)([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+[^(]+[(]([^;]+).*\%20([^/]+)[/](.*)$`;

/** Whitespace other than tabs (Java's \s) and the line terminators that `.` does not match. */
const OUTSIDE_SHAPE = [' ', '\u000b', '\f', '\r', '\n', '\u0085', '\u2028', '\u2029'];
const FIELDS = 11;

/** Where groups 1..13 start and end: `bounds[2k]`, `bounds[2k + 1]` for group k + 1. */
export type GroupBounds = Int32Array;

export function newGroupBounds(): GroupBounds {
  return new Int32Array(26);
}

/**
 * Fills `bounds` for a line of the common shape and returns true, or returns
 * false when the line needs the exact matcher. Only offsets are computed, so
 * callers slice just the groups they read. `plainAscii`: the caller knows the
 * line is ASCII without \n, \x0B, \f, \r (LINE_IS_PLAIN_ASCII), so only the
 * space is left to look for.
 */
export function locateTutorialGroups(line: string, bounds: GroupBounds, plainAscii = false): boolean {
  const n = line.length;
  if (n === 0 || line.charCodeAt(0) === 35 /* # */) return false;
  // indexOf is a native scan, much cheaper per line than a character-class RegExp or a charCodeAt loop.
  if (plainAscii) {
    if (line.indexOf(' ') >= 0) return false;
  } else {
    for (const c of OUTSIDE_SHAPE) if (line.indexOf(c) >= 0) return false;
  }
  bounds[0] = 0;
  let tabs = 0;
  for (let i = line.indexOf('\t'); i >= 0; i = line.indexOf('\t', i + 1)) {
    // A leading tab or two tabs in a row make an empty field: not the common shape.
    if (tabs === FIELDS - 1 || i === bounds[2 * tabs]) return false;
    bounds[2 * tabs + 1] = i;
    bounds[2 * ++tabs] = i + 1;
  }
  const u = bounds[2 * (FIELDS - 1)]!;
  if (tabs !== FIELDS - 1 || u === n) return false;
  const paren = line.indexOf('(', u);
  if (paren <= u) return false;
  const semi = line.indexOf(';', paren + 1);
  if (semi <= paren + 1) return false;
  // The largest q ≥ semi with "%20" at q, a non-'/' right after, and a '/' further on.
  for (let q = line.lastIndexOf('%20'); q >= semi; q = q > 0 ? line.lastIndexOf('%20', q - 1) : -1) {
    const from = q + 3;
    if (from >= n || line.charCodeAt(from) === 47 /* / */) continue;
    const slash = line.indexOf('/', from);
    if (slash < 0) continue;
    bounds[20] = paren + 1;
    bounds[21] = semi;
    bounds[22] = from;
    bounds[23] = slash;
    bounds[24] = slash + 1;
    bounds[25] = n;
    return true;
  }
  return false;
}

/** Groups 1..13 for a line of the common shape, or undefined when the line needs the exact matcher. */
export function matchTutorialShape(line: string): string[] | undefined {
  const bounds = newGroupBounds();
  if (!locateTutorialGroups(line, bounds)) return undefined;
  return Array.from({ length: 13 }, (_v, k) => line.slice(bounds[2 * k], bounds[2 * k + 1]));
}
