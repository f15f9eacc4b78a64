/**
 * Hive's string-literal unescaping (BaseSemanticAnalyzer.unescapeSQLString):
 * `\\` → `\`, the usual `\n \t \r \b \0 \Z \' \"` escapes, `\%` and `\_` keep
 * their backslash (they mean something to LIKE), octal `\ooo` and `\uHHHH`,
 * and any other `\c` becomes plain `c`.
 */
const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\u0000',
  "'": "'",
  '"': '"',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\u001A',
  '\\': '\\',
  '%': '\\%',
  _: '\\_',
};

/** Unescape the body of a literal (without its quotes). */
export function unescapeHiveString(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const next = body[i + 1]!;
    // \uHHHH: a Unicode escape, as in Java sources.
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
      continue;
    }
    // \ooo: three octal digits, the first 0 or 1 (Hive checks this exact shape).
    if (/^[01][0-7]{2}$/.test(body.slice(i + 1, i + 4))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
      continue;
    }
    const mapped = SIMPLE_ESCAPES[next];
    out += mapped ?? next;
    i += 1;
  }
  return out;
}
