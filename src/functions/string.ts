/**
 * Hive's string functions (Hive 3.1 semantics: UDFSubstr, GenericUDFConcatWS,
 * GenericUDFSplit, GenericUDFInstr/Locate over UTF-8 bytes, GenericUDFLpad/Rpad,
 * UDFRegExpExtract/Replace, UDFParseUrl over java.net.URL, ...).
 */
import { T, type HiveType } from '../hive/types.js';
import { compileJavaRegex, javaReplaceAll, type JavaRegex } from '../serde/java-regex.js';
import {
  FunctionRuntimeError,
  define,
  alias,
  intParam,
  isStringGroup,
  longParam,
  requireArg,
  stringParam,
  type HiveFunction,
} from './registry.js';

const S = T.string;

/** One string parameter, string result. */
function unaryString(name: string, op: (s: string) => string, argType?: (fn: string, a: readonly HiveType[], i: number) => HiveType): HiveFunction {
  const at = argType ?? stringParam;
  return define({
    name,
    minArgs: 1,
    argTypes: (a) => [at(name, a, 0)],
    returnType: S,
    impl: (args) => {
      const s = args[0];
      return s === null ? null : op(s as string);
    },
  });
}

// ---------------------------------------------------------------------------
// Code points and UTF-8

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Number of characters as Hive counts them (UTF-8 start bytes, i.e. code points). */
export function codePointCount(s: string): number {
  let n = s.length;
  for (let i = 1; i < s.length; i++) if (isLow(s.charCodeAt(i)) && isHigh(s.charCodeAt(i - 1))) n--;
  return n;
}

/** UTF-16 index of the code point number `cp` (or s.length). */
function indexOfCodePoint(s: string, cp: number): number {
  let i = 0;
  for (let k = 0; k < cp && i < s.length; k++) i += isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  return i;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** UTF-8 length of s[0, end) (lone surrogates count as the 3 bytes of U+FFFD, as Hadoop's Text encodes them). */
function utf8Length(s: string, end = s.length): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (isHigh(c) && i + 1 < end && isLow(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** UTF-16 index at or after a UTF-8 byte offset. */
function indexAtByte(s: string, byteOffset: number): number {
  let bytes = 0;
  let i = 0;
  while (i < s.length && bytes < byteOffset) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
    i++;
  }
  return i;
}

/**
 * GenericUDFUtils.findText: byte offset of `sub` in `text` starting at byte
 * `start`, or -1. Hive fails on an empty needle (ByteBuffer underflow) and on a
 * start beyond the text (ByteBuffer.position).
 */
function findText(fn: string, text: string, sub: string, start: number): number {
  if (start < 0) return -1;
  if (sub.length === 0) throw new FunctionRuntimeError(fn, 'empty search string (Hive fails with BufferUnderflowException)');
  if (isAscii(text)) {
    if (start > text.length) throw new FunctionRuntimeError(fn, `start position ${start + 1} is beyond the string`);
    return text.indexOf(sub, start);
  }
  if (start > utf8Length(text)) throw new FunctionRuntimeError(fn, `start position ${start + 1} is beyond the string`);
  const j = text.indexOf(sub, indexAtByte(text, start));
  return j < 0 ? -1 : utf8Length(text, j);
}

// ---------------------------------------------------------------------------
// substr

/** UDFSubstr: 1-based; 0 counts as 1; negative counts from the end; out of range is ''. */
export function hiveSubstr(s: string, pos: number, len?: number): string {
  if (len !== undefined && len <= 0) return '';
  const ascii = isAscii(s);
  const n = ascii ? s.length : codePointCount(s);
  let start: number;
  if (pos > 0) start = pos - 1;
  else if (pos < 0) {
    if (-pos > n) return '';
    start = n + pos;
  } else start = 0;
  if (start >= n) return '';
  const end = len === undefined ? n : Math.min(n, start + len);
  if (ascii) return s.slice(start, end);
  const b = indexOfCodePoint(s, start);
  return s.slice(b, b + indexOfCodePoint(s.slice(b), end - start));
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

const substr = define({
  name: 'substr',
  minArgs: 2,
  maxArgs: 3,
  argTypes: (a) => a.map((_t, i) => (i === 0 ? stringParam('substr', a, 0) : longParam('substr', a, i))),
  returnType: S,
  impl: (args) => {
    const s = args[0];
    const pos = args[1];
    if (s === null || pos === null) return null;
    const p = pos as number;
    // Values beyond int range are NULL (UDFSubstr.evaluate(Text, LongWritable...)).
    if (p < INT_MIN || p > INT_MAX) return null;
    if (args.length === 2) return hiveSubstr(s as string, p);
    const len = args[2];
    if (len === null) return null;
    const l = len as number;
    if (l < INT_MIN || l > INT_MAX) return null;
    return hiveSubstr(s as string, p, l);
  },
});

// ---------------------------------------------------------------------------
// concat, concat_ws

const concat = define({
  name: 'concat',
  minArgs: 1,
  maxArgs: Infinity,
  argTypes: (a) => a.map((_t, i) => stringParam('concat', a, i)),
  returnType: S,
  impl: (args) => {
    let out = '';
    for (const v of args) {
      if (v === null) return null;
      out += v as string;
    }
    return out;
  },
});

const concatWs = define({
  name: 'concat_ws',
  minArgs: 2,
  maxArgs: Infinity,
  argTypes: (a) =>
    a.map((t, i) => {
      const ok = isStringGroup(t) || t.name === 'void' || (i > 0 && t.name === 'array<string>');
      requireArg(ok, 'concat_ws', i, i === 0 ? 'a string' : 'a string or array<string>', t);
      return t.name === 'array<string>' ? t : S;
    }),
  returnType: S,
  impl: (args) => {
    const sep = args[0];
    if (sep === null) return null;
    const parts: string[] = [];
    for (let i = 1; i < args.length; i++) {
      const v = args[i];
      if (v === null) continue;
      if (Array.isArray(v)) {
        for (const e of v as readonly (string | null)[]) if (e !== null) parts.push(e);
      } else parts.push(v as string);
    }
    return parts.join(sep as string);
  },
});

// ---------------------------------------------------------------------------
// trim family: Hive strips only ' ' (StringUtils.strip(s, " "))

function trimBoth(s: string): string {
  return trimRight(trimLeft(s));
}
function trimLeft(s: string): string {
  let b = 0;
  while (b < s.length && s.charCodeAt(b) === 32) b++;
  return b === 0 ? s : s.slice(b);
}
function trimRight(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

// ---------------------------------------------------------------------------
// Regex-based: split, regexp_extract, regexp_replace

const globalRegexes = new WeakMap<JavaRegex, RegExp>();

/** Java's String.split(regex, -1): trailing empty strings kept, no empty leading string for a zero-width match at 0. */
export function javaSplit(input: string, pattern: string): string[] {
  // String.split's fast path for one literal char gives the same result as JS split.
  if (pattern.length === 1 && '.$|()[{^?*+\\'.indexOf(pattern) < 0 && !isHigh(pattern.charCodeAt(0)) && !isLow(pattern.charCodeAt(0))) {
    return input.split(pattern);
  }
  const re = compileJavaRegex(pattern);
  let g = globalRegexes.get(re);
  if (!g) {
    g = re.global();
    globalRegexes.set(re, g);
  }
  const out: string[] = [];
  let index = 0;
  let pos = 0;
  while (pos <= input.length) {
    g.lastIndex = pos;
    const m = g.exec(input);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    // After an empty match the next search starts one character (code point) further.
    pos = end > start ? end : end + (end < input.length && isHigh(input.charCodeAt(end)) && isLow(input.charCodeAt(end + 1)) ? 2 : 1);
    if (index === 0 && start === 0 && end === 0) continue;
    out.push(input.slice(index, start));
    index = end;
  }
  if (index === 0) return [input];
  out.push(input.slice(index));
  return out;
}

const split = define({
  name: 'split',
  minArgs: 2,
  argTypes: (a) => [stringParam('split', a, 0), stringParam('split', a, 1)],
  returnType: T.stringArray,
  impl: (args) => {
    const s = args[0];
    const r = args[1];
    if (s === null || r === null) return null;
    return javaSplit(s as string, r as string);
  },
});

const regexpExtract = define({
  name: 'regexp_extract',
  minArgs: 2,
  maxArgs: 3,
  argTypes: (a) => a.map((_t, i) => (i < 2 ? stringParam('regexp_extract', a, i) : intParam('regexp_extract', a, i))),
  returnType: S,
  impl: (args) => {
    const s = args[0];
    const r = args[1];
    if (s === null || r === null) return null;
    const idx = args.length > 2 ? args[2] : 1;
    if (idx === null) return null;
    const re: JavaRegex = compileJavaRegex(r as string);
    const m = re.find(s as string);
    // No match is the empty string; a group that did not participate is NULL.
    if (!m) return '';
    const k = idx as number;
    if (k < 0 || k > re.groupCount) throw new FunctionRuntimeError('regexp_extract', `no group ${k} in the regex (IndexOutOfBoundsException)`);
    return m[k] ?? null;
  },
});

const regexpReplace = define({
  name: 'regexp_replace',
  minArgs: 3,
  argTypes: (a) => [0, 1, 2].map((i) => stringParam('regexp_replace', a, i)),
  returnType: S,
  impl: (args) => {
    const s = args[0];
    const r = args[1];
    const rep = args[2];
    if (s === null || r === null || rep === null) return null;
    return javaReplaceAll(compileJavaRegex(r as string), s as string, rep as string);
  },
});

// ---------------------------------------------------------------------------
// instr, locate, lpad, rpad, replace, repeat, space, ascii, reverse, initcap

const instr = define({
  name: 'instr',
  minArgs: 2,
  argTypes: (a) => [stringParam('instr', a, 0), stringParam('instr', a, 1)],
  returnType: T.int,
  impl: (args) => {
    const s = args[0];
    const sub = args[1];
    if (s === null || sub === null) return null;
    return findText('instr', s as string, sub as string, 0) + 1;
  },
});

const locate = define({
  name: 'locate',
  minArgs: 2,
  maxArgs: 3,
  argTypes: (a) => a.map((_t, i) => (i < 2 ? stringParam('locate', a, i) : intParam('locate', a, i))),
  returnType: T.int,
  impl: (args) => {
    const sub = args[0];
    const s = args[1];
    if (sub === null || s === null) return null;
    let start = 1;
    if (args.length > 2) {
      if (args[2] === null) return 0;
      start = args[2] as number;
    }
    return findText('locate', s as string, sub as string, start - 1) + 1;
  },
});

function padFunction(name: 'lpad' | 'rpad'): HiveFunction {
  return define({
    name,
    minArgs: 3,
    argTypes: (a) => [stringParam(name, a, 0), intParam(name, a, 1), stringParam(name, a, 2)],
    returnType: S,
    impl: (args) => {
      const s = args[0];
      const l = args[1];
      const p = args[2];
      if (s === null || l === null || p === null) return null;
      const str = s as string;
      const len = l as number;
      const pad = p as string;
      // Empty padding is NULL; lengths are UTF-16 units as in Java's StringBuilder.
      if (pad.length === 0) return null;
      if (len < 0) throw new FunctionRuntimeError(name, `negative length ${len} (StringIndexOutOfBoundsException)`);
      if (name === 'rpad') {
        let out = str;
        while (out.length < len) out += pad;
        return out.slice(0, len);
      }
      const padLen = Math.max(len - str.length, 0);
      let prefix = '';
      while (prefix.length < padLen) prefix += pad;
      return (prefix.slice(0, padLen) + str).slice(0, len);
    },
  });
}

const replace = define({
  name: 'replace',
  minArgs: 3,
  argTypes: (a) => [0, 1, 2].map((i) => stringParam('replace', a, i)),
  returnType: S,
  impl: (args) => {
    const s = args[0];
    const search = args[1];
    const rep = args[2];
    if (s === null || search === null || rep === null) return null;
    const r = rep as string;
    // Java String.replace: literal, all occurrences; an empty target inserts between every char.
    return (s as string).replaceAll(search as string, () => r);
  },
});

const repeat = define({
  name: 'repeat',
  minArgs: 2,
  argTypes: (a) => [stringParam('repeat', a, 0), intParam('repeat', a, 1)],
  returnType: S,
  impl: (args) => {
    const s = args[0];
    const n = args[1];
    if (s === null || n === null) return null;
    return (n as number) <= 0 ? '' : (s as string).repeat(n as number);
  },
});

const space = define({
  name: 'space',
  minArgs: 1,
  argTypes: (a) => [intParam('space', a, 0)],
  returnType: S,
  impl: (args) => {
    const n = args[0];
    if (n === null) return null;
    return (n as number) <= 0 ? '' : ' '.repeat(n as number);
  },
});

const ascii = define({
  name: 'ascii',
  minArgs: 1,
  argTypes: (a) => [stringParam('ascii', a, 0)],
  returnType: T.int,
  impl: (args) => {
    const v = args[0];
    if (v === null) return null;
    const s = v as string;
    if (s.length === 0) return 0;
    // UDFAscii returns the first UTF-8 byte as a signed Java byte.
    const c = s.codePointAt(0)!;
    if (c < 0x80) return c;
    let lead: number;
    if (c < 0x800) lead = 0xc0 | (c >> 6);
    else if (c >= 0x10000) lead = 0xf0 | (c >> 18);
    // A lone surrogate is encoded as U+FFFD.
    else if (c >= 0xd800 && c <= 0xdfff) lead = 0xef;
    else lead = 0xe0 | (c >> 12);
    return lead - 256;
  },
});

function reverseCodePoints(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (isLow(c) && i > 0 && isHigh(s.charCodeAt(i - 1))) {
      out += s[i - 1]! + s[i]!;
      i--;
    } else out += s[i]!;
  }
  return out;
}

/** Character.isWhitespace. */
function isJavaWhitespace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f)) return true;
  if (c < 0x1680) return false;
  if (c === 0xa0 || c === 0x2007 || c === 0x202f) return false;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
}

/** Character.toTitleCase for one UTF-16 unit (no expansion: 'ß' stays). */
function titleCaseChar(ch: string): string {
  const c = ch.charCodeAt(0);
  // Digraphs whose title case differs from upper case.
  if (c >= 0x1c4 && c <= 0x1c6) return '\u01c5';
  if (c >= 0x1c7 && c <= 0x1c9) return '\u01c8';
  if (c >= 0x1ca && c <= 0x1cc) return '\u01cb';
  if (c >= 0x1f1 && c <= 0x1f3) return '\u01f2';
  const u = ch.toUpperCase();
  return u.length === 1 ? u : ch;
}

/** WordUtils.capitalizeFully: lower-case all, then title-case the first char after whitespace. */
export function initcapJava(s: string): string {
  const lower = s.toLowerCase();
  let out = '';
  let next = true;
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    const c = lower.charCodeAt(i);
    if (isJavaWhitespace(c)) {
      out += ch;
      next = true;
    } else if (next) {
      out += titleCaseChar(ch);
      next = false;
    } else out += ch;
  }
  return out;
}

const size = define({
  name: 'size',
  minArgs: 1,
  argTypes: (a) => {
    const t = a[0]!;
    requireArg(t.name === 'array<string>' || t.name === 'void', 'size', 0, 'an array or map', t);
    return [t];
  },
  returnType: T.int,
  // GenericUDFSize: NULL gives -1.
  impl: (args) => (args[0] === null ? -1 : (args[0] as readonly string[]).length),
});

// ---------------------------------------------------------------------------
// parse_url: java.net.URL (JDK 17) as UDFParseUrl uses it

interface JavaUrl {
  protocol: string;
  host: string;
  authority: string | null;
  userInfo: string | null;
  path: string;
  query: string | null;
  ref: string | null;
}

const KNOWN_PROTOCOLS = new Set(['http', 'https', 'ftp', 'file', 'mailto']);
const PROTOCOL = /^\p{L}[\p{L}\p{Nd}.+-]*$/u;

/** `new URL(spec)` for the JDK's built-in handlers; undefined where it throws MalformedURLException. */
export function parseJavaUrl(spec: string): JavaUrl | undefined {
  let limit = spec.length;
  let start = 0;
  while (limit > 0 && spec.charCodeAt(limit - 1) <= 32) limit--;
  while (start < limit && spec.charCodeAt(start) <= 32) start++;
  if (spec.slice(start, start + 4).toLowerCase() === 'url:') start += 4;
  const aRef = start < spec.length && spec.charCodeAt(start) === 35;
  let protocol: string | undefined;
  for (let i = start; !aRef && i < limit; i++) {
    const c = spec.charCodeAt(i);
    if (c === 47) break;
    if (c === 58) {
      const p = spec.slice(start, i).toLowerCase();
      if (PROTOCOL.test(p)) {
        protocol = p;
        start = i + 1;
      }
      break;
    }
  }
  if (protocol === undefined || !KNOWN_PROTOCOLS.has(protocol)) return undefined;
  let ref: string | null = null;
  const hash = spec.indexOf('#', start);
  if (hash >= 0) {
    if (hash + 1 > limit) return undefined;
    ref = spec.slice(hash + 1, limit);
    limit = hash;
  }
  if (protocol === 'mailto') {
    const file = start < limit ? spec.slice(start, limit) : '';
    let white = true;
    for (let i = 0; i < file.length; i++) if (!isJavaWhitespace(file.charCodeAt(i))) white = false;
    if (white) return undefined;
    return { protocol, host: '', authority: null, userInfo: null, path: file, query: null, ref };
  }
  return parseHierarchical(protocol, spec, start, limit, ref);
}

/** URLStreamHandler.parseURL without a context URL. */
function parseHierarchical(protocol: string, spec: string, start: number, limit: number, ref: string | null): JavaUrl | undefined {
  let authority: string | null = null;
  let userInfo: string | null = null;
  let host: string | null = null;
  let path: string | null = null;
  let query: string | null = null;
  if (start < limit) {
    const q = spec.indexOf('?');
    if (q !== -1 && q < limit) {
      query = spec.slice(q + 1, limit);
      limit = q;
      spec = spec.slice(0, q);
    }
  }
  const isUNC = start <= limit - 4 && spec.startsWith('////', start);
  if (!isUNC && start <= limit - 2 && spec.charCodeAt(start) === 47 && spec.charCodeAt(start + 1) === 47) {
    start += 2;
    let i = spec.indexOf('/', start);
    if (i < 0 || i > limit) {
      i = spec.indexOf('?', start);
      if (i < 0 || i > limit) i = limit;
    }
    host = authority = spec.slice(start, i);
    let ind = authority.indexOf('@');
    if (ind !== -1) {
      if (ind !== authority.lastIndexOf('@')) {
        userInfo = null;
        host = null;
      } else {
        userInfo = authority.slice(0, ind);
        host = authority.slice(ind + 1);
      }
    }
    if (host !== null) {
      if (host.length > 0 && host.charCodeAt(0) === 91) {
        ind = host.indexOf(']');
        if (ind <= 2) return undefined;
        const nhost = host;
        host = nhost.slice(0, ind + 1);
        if (!isIPv6Literal(host.slice(1, ind))) return undefined;
        if (nhost.length > ind + 1) {
          if (nhost.charCodeAt(ind + 1) !== 58) return undefined;
          if (nhost.length > ind + 2 && !validPort(nhost.slice(ind + 2))) return undefined;
        }
      } else {
        ind = host.indexOf(':');
        if (ind >= 0) {
          if (host.length > ind + 1 && !validPort(host.slice(ind + 1))) return undefined;
          host = host.slice(0, ind);
        }
      }
    } else host = '';
    start = i;
    if (authority.length > 0) path = '';
  }
  if (host === null) host = '';
  if (start < limit) {
    const specStr = spec.slice(start, limit);
    path = spec.charCodeAt(start) === 47 ? specStr : authority !== null ? '/' + specStr : specStr;
  }
  if (path === null) path = '';
  return { protocol, host, authority, userInfo, path, query, ref };
}

/** Integer.parseInt on the port text; a negative port other than -1 is rejected too. */
function validPort(s: string): boolean {
  if (!/^[+-]?\d+$/.test(s)) return false;
  const n = Number(s);
  return n >= -1 && n <= INT_MAX;
}

/** IPAddressUtil.isIPv6LiteralAddress (hex groups, '::' once, optional trailing IPv4, optional %scope). */
function isIPv6Literal(s: string): boolean {
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  const v4 = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  let groups = 8;
  if (v4) {
    if (!v4[2]!.split('.').every((o) => Number(o) <= 255)) return false;
    s = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
    groups = 6;
  }
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return false;
  const hex = /^[0-9a-fA-F]{1,4}$/;
  if (dbl >= 0) {
    const left = s.slice(0, dbl);
    const right = s.slice(dbl + 2);
    const l = left === '' ? [] : left.split(':');
    const r = right === '' ? [] : right.split(':');
    return l.length + r.length < groups && [...l, ...r].every((g) => hex.test(g));
  }
  const parts = s.split(':');
  return parts.length === groups && parts.every((g) => hex.test(g));
}

const urlCache = new Map<string, JavaUrl | undefined>();

/** UDFParseUrl.evaluate(url, part[, key]). */
export function parseUrl(url: string, part: string, key?: string): string | null {
  let u = urlCache.get(url);
  if (u === undefined && !urlCache.has(url)) {
    u = parseJavaUrl(url);
    if (urlCache.size > 10000) urlCache.clear();
    urlCache.set(url, u);
  }
  if (key !== undefined) {
    if (part !== 'QUERY') return null;
    if (!u || u.query === null) return null;
    // Pattern.compile("(&|^)" + key + "=([^&]*)"): the key is a regex, as in Hive.
    const m = compileJavaRegex('(&|^)' + key + '=([^&]*)').find(u.query);
    return m ? (m[2] ?? null) : null;
  }
  if (!u) return null;
  switch (part) {
    case 'HOST':
      return u.host;
    case 'PATH':
      return u.path;
    case 'QUERY':
      return u.query;
    case 'REF':
      return u.ref;
    case 'PROTOCOL':
      return u.protocol;
    case 'FILE':
      return u.query === null ? u.path : u.path + '?' + u.query;
    case 'AUTHORITY':
      return u.authority;
    case 'USERINFO':
      return u.userInfo;
    default:
      return null;
  }
}

const parseUrlFn = define({
  name: 'parse_url',
  minArgs: 2,
  maxArgs: 3,
  argTypes: (a) => a.map((_t, i) => stringParam('parse_url', a, i)),
  returnType: S,
  impl: (args) => {
    const url = args[0];
    const part = args[1];
    if (url === null || part === null) return null;
    if (args.length > 2) {
      const key = args[2];
      if (key === null) return null;
      return parseUrl(url as string, part as string, key as string);
    }
    return parseUrl(url as string, part as string);
  },
});

// ---------------------------------------------------------------------------

const lower = unaryString('lower', (s) => s.toLowerCase());
const upper = unaryString('upper', (s) => s.toUpperCase());

export const STRING_FUNCTIONS: readonly HiveFunction[] = [
  lower,
  alias('lcase', lower),
  upper,
  alias('ucase', upper),
  define({
    name: 'length',
    minArgs: 1,
    argTypes: (a) => [stringParam('length', a, 0)],
    returnType: T.int,
    impl: (args) => (args[0] === null ? null : codePointCount(args[0] as string)),
  }),
  substr,
  alias('substring', substr),
  concat,
  concatWs,
  unaryString('trim', trimBoth),
  unaryString('ltrim', trimLeft),
  unaryString('rtrim', trimRight),
  split,
  unaryString('reverse', reverseCodePoints),
  instr,
  locate,
  padFunction('lpad'),
  padFunction('rpad'),
  replace,
  regexpExtract,
  regexpReplace,
  parseUrlFn,
  unaryString('initcap', initcapJava),
  repeat,
  space,
  ascii,
  size,
];
