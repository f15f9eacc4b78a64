/**
 * Java regular expressions (java.util.regex.Pattern) translated to JavaScript RegExps.
 *
 * Hive hands the patterns of RegexSerDe, RLIKE, regexp_extract and regexp_replace to
 * java.util.regex. To give the same answers locally, the Java pattern is parsed by a port of
 * the JDK's own parser (same grammar, quirks and error messages) into a small tree, which is
 * written out as an equivalent JavaScript pattern ('u' mode). The reference is JDK 17; Java 8
 * differs in a few places (`[^a[b]]` and `[^a&&b]` negate only part of the class there, and
 * `(?i)\p{Lower}` stays lower case).
 *
 * Emulated exactly, where JavaScript's defaults differ:
 * - `.`, `^`, `$`, `\Z` with Java's line terminators (\n \r \u0085 \u2028 \u2029, "\r\n" as
 *   one) under MULTILINE, DOTALL and UNIX_LINES, also when switched mid-pattern;
 * - ASCII-only `\d \w \s` and POSIX classes (Unicode ones under (?U)), `\h \v`, and `\R`
 *   (which JDK 17 repeats without giving back the \n of "\r\n");
 * - `\b`/`\B` with JDK 17's word characters (Unicode letters and digits, '_', and non-spacing
 *   marks after a letter or digit);
 * - case-insensitivity, ASCII-only unless UNICODE_CASE, by expanding letters and ranges, since
 *   Node 20 has no scoped `(?i:...)`;
 * - nested classes, unions and `&&` intersections;
 * - possessive quantifiers and atomic groups, as `(?=(X))\N` (each possessive iteration atomic
 *   too), with the extra groups hidden so that group numbers stay Java's;
 * - empty iterations: `X?` tries X even if X matches nothing, and a loop that ends with an
 *   iteration matching nothing reports that iteration's groups;
 * - backreferences to groups that cannot have matched (they never match in Java);
 * - lookbehinds: Java's "obvious maximum length" rule, int32 overflows included.
 *
 * Refused with a RegexError, having no JavaScript equivalent: `\G`, `\X`, `\b{g}`, `\N{name}`,
 * Unicode blocks (`\p{InGreek}`, `\p{block=...}`), CANON_EQ `(?c)`, possessive quantifiers and
 * atomic groups inside a lookbehind, a backreference to a group that may or may not have matched
 * (Java fails, JavaScript would match ""), a case-insensitive backreference unless the whole
 * pattern is `(?iu)`, repeating something that can match "" before longer alternatives
 * (`(a??)*`), a lookbehind whose length Java miscomputes (`(?<=b|xa+)`), a backreference to a
 * group inside a lookbehind or a negative lookahead or to a group of a loop that may end with an
 * empty iteration, and classes such as `[\p{L}a&&&b]` (a NullPointerException in Java).
 *
 * Approximated (only the values of some groups can differ, never whether or where a match is):
 * - a group inside a repeated group keeps its value from an earlier iteration in Java and is
 *   reset in JavaScript: `(?:(a)|b)+` on "ab" gives group 1 = "a" in Java, unset here;
 * - Java can report groups left over from failed attempts (inside negative lookarounds or
 *   behind possessive quantifiers); here they are unset;
 * - groups inside a lookbehind: Java tries the shortest match first, JavaScript matches backwards.
 * Also: Unicode properties and case mappings come from the JavaScript engine's Unicode version,
 * `javaUnicodeIdentifierPart` is taken as ID_Continue plus identifier-ignorable characters, and
 * error indexes are UTF-16 offsets into the pattern as given (Java counts code points after
 * removing \Q...\E quoting).
 */
import { RegexError } from '../hive/errors.js';

// ---------------------------------------------------------------------------------------------
// Public API

export interface JavaRegex {
  /** The Java pattern as given. */
  readonly javaSource: string;
  /** Translated JS source (without the whole-match anchoring). */
  readonly source: string;
  /**
   * JS flags used: always 'u'; 's' and 'm' where DOTALL/MULTILINE hold for the whole pattern
   * (the source does not depend on them); 'i' only where JavaScript's case folding is needed
   * (a case-insensitive backreference), since Java's case-insensitivity is otherwise expanded
   * into the source.
   */
  readonly flags: string;
  /** Number of capturing groups (Java's groupCount()). */
  readonly groupCount: number;
  /** Names of named groups in order, if any. */
  readonly groupNames: readonly string[];
  /** Java Matcher.matches(): the whole input must match. Returns the match or null. */
  matchWhole(input: string): RegExpExecArray | null;
  /** Java Matcher.find() from the start: first match anywhere, or null. */
  find(input: string): RegExpExecArray | null;
  /** A fresh RegExp with the 'g' flag for replace-all / iteration. */
  global(): RegExp;
  /** Re-numbers a match of `global()` (or of `source`) so that index i is Java group i. */
  javaMatch(raw: RegExpExecArray): RegExpExecArray;
}

/** Compile (and cache by pattern+flags, bounded LRU of ~256 entries) a Java regex. Throws RegexError with the index in the Java pattern. */
export function compileJavaRegex(pattern: string, options?: { caseInsensitive?: boolean }): JavaRegex {
  const ci = options?.caseInsensitive === true;
  const key = (ci ? 'i:' : '-:') + pattern;
  const cached = cache.get(key);
  if (cached !== undefined) {
    // Re-insert to mark as most recently used.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const compiled = translate(pattern, ci ? CASE_INSENSITIVE : 0);
  cache.set(key, compiled);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return compiled;
}

/** Java's Matcher.replaceAll(replacement) semantics: `$n` / `${name}` group references, `\x` escapes the next char; invalid group reference -> RegexError. Returns the replaced string. */
export function javaReplaceAll(regex: JavaRegex, input: string, replacement: string): string {
  const template = parseReplacement(regex, replacement);
  const re = regex.global();
  let out = '';
  let last = 0;
  let pos = 0;
  while (pos <= input.length) {
    re.lastIndex = pos;
    const raw = re.exec(input);
    if (raw === null) break;
    // Java reports a bad replacement only once there is something to replace.
    if (template instanceof RegexError) throw template;
    const m = regex.javaMatch(raw);
    out += input.slice(last, m.index);
    for (const part of template) {
      if (typeof part === 'string') out += part;
      else if (typeof part === 'number') out += m[part] ?? '';
      else out += m.groups?.[part.name] ?? '';
    }
    last = m.index + m[0].length;
    // After an empty match Java searches again one character further on; step over a whole
    // surrogate pair, as a 'u' RegExp cannot start inside one.
    pos = m[0].length > 0 ? last : last + (isSurrogatePairAt(input, last) ? 2 : 1);
  }
  return out + input.slice(last);
}

// ---------------------------------------------------------------------------------------------
// Compiled regex and cache

const CACHE_LIMIT = 256;
const cache = new Map<string, JavaRegex>();

class CompiledJavaRegex implements JavaRegex {
  private readonly findRe: RegExp;
  private readonly wholeRe: RegExp;

  constructor(
    readonly javaSource: string,
    readonly source: string,
    readonly flags: string,
    readonly groupCount: number,
    readonly groupNames: readonly string[],
    /**
     * The JS groups holding each Java group (the last one that matched wins), or null when the
     * numbering is the same.
     */
    private readonly jsGroupsOf: readonly (readonly number[])[] | null,
    private readonly groupNumberOf: ReadonlyMap<string, number>,
  ) {
    this.findRe = new RegExp(source, flags);
    // Without 'm', ^ and $ are start and end of input, which is what matches() needs.
    this.wholeRe = new RegExp(`^(?:${source})$`, flags.replace('m', ''));
  }

  matchWhole(input: string): RegExpExecArray | null {
    const m = this.wholeRe.exec(input);
    return m === null ? null : this.javaMatch(m);
  }

  find(input: string): RegExpExecArray | null {
    const m = this.findRe.exec(input);
    return m === null ? null : this.javaMatch(m);
  }

  global(): RegExp {
    return new RegExp(this.source, this.flags + 'g');
  }

  javaMatch(raw: RegExpExecArray): RegExpExecArray {
    const map = this.jsGroupsOf;
    if (map === null) return raw;
    const values: (string | undefined)[] = [];
    for (let g = 0; g <= this.groupCount; g++) {
      const copies = map[g];
      let value: string | undefined;
      for (let c = copies.length - 1; c >= 0 && value === undefined; c--) value = raw[copies[c]];
      values.push(value);
    }
    let named: Record<string, string | undefined> | undefined;
    if (this.groupNumberOf.size > 0) {
      named = Object.create(null) as Record<string, string | undefined>;
      for (const [name, g] of this.groupNumberOf) named[name] = values[g];
    }
    return Object.assign(values, { index: raw.index, input: raw.input, groups: named }) as RegExpExecArray;
  }
}

function translate(pattern: string, initialFlags: number): JavaRegex {
  const parser = new Parser(pattern, initialFlags);
  const tree = parser.parse();
  const globalFlags = parser.leadingFlags & ~parser.clearedFlags;
  const never = neverMatchingBackrefs(tree, pattern);
  // JS compares backreferences case-insensitively only under its 'i' flag, whose Unicode
  // folding is Java's UNICODE_CASE; so the whole pattern must be (?iu).
  const ciBackref = findCaseInsensitiveBackref(tree, never);
  const useJsCaseFolding = ciBackref !== null;
  if (ciBackref !== null && (globalFlags & (CASE_INSENSITIVE | UNICODE_CASE)) !== (CASE_INSENSITIVE | UNICODE_CASE)) {
    throw new RegexError(pattern, ciBackref.at, 'a case-insensitive backreference has no JavaScript equivalent unless the whole pattern is (?iu)');
  }
  const jsMultiline = (globalFlags & MULTILINE) !== 0;
  const jsDotAll = (globalFlags & DOTALL) !== 0;
  const flags = 'u' + (useJsCaseFolding ? 'i' : '') + (jsMultiline ? 'm' : '') + (jsDotAll ? 's' : '');
  const emitter = new Emitter(pattern, jsMultiline, never);
  const source = emitter.run(tree);
  const numberOf = new Map<string, number>();
  for (let g = 1; g <= parser.groupCount; g++) {
    const name = parser.groupNameOf[g];
    if (name !== undefined) numberOf.set(name, g);
  }
  try {
    return new CompiledJavaRegex(pattern, source, flags, parser.groupCount, [...numberOf.keys()], emitter.hasHiddenGroups ? emitter.jsGroupsOf : null, numberOf);
  } catch (e) {
    throw new RegexError(pattern, 0, `cannot be translated to JavaScript (${(e as Error).message})`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// Replacement strings (Matcher.appendReplacement)

/** Literal text, a group number, or a group name. */
type ReplacementPart = string | number | { readonly name: string };

function parseReplacement(regex: JavaRegex, replacement: string): ReplacementPart[] | RegexError {
  const parts: ReplacementPart[] = [];
  let text = '';
  const fail = (index: number, detail: string) => new RegexError(replacement, index, detail);
  let cursor = 0;
  while (cursor < replacement.length) {
    const start = cursor;
    let c = replacement.charAt(cursor);
    if (c === '\\') {
      cursor++;
      if (cursor === replacement.length) return fail(start, 'character to be escaped is missing');
      text += replacement.charAt(cursor);
      cursor++;
    } else if (c === '$') {
      cursor++;
      if (cursor === replacement.length) return fail(start, 'Illegal group reference: group index is missing');
      c = replacement.charAt(cursor);
      let ref: number | { name: string };
      if (c === '{') {
        cursor++;
        let name = '';
        while (cursor < replacement.length) {
          c = replacement.charAt(cursor);
          if (!isAsciiAlnum(c.charCodeAt(0))) break;
          name += c;
          cursor++;
        }
        if (name.length === 0) return fail(start, 'named capturing group has 0 length name');
        if (c !== '}') return fail(start, "named capturing group is missing trailing '}'");
        if (isDigit(name.charCodeAt(0))) return fail(start, `capturing group name {${name}} starts with digit character`);
        if (!regex.groupNames.includes(name)) return fail(start, `No group with name {${name}}`);
        ref = { name };
        cursor++;
      } else {
        let refNum = c.charCodeAt(0) - 0x30;
        if (refNum < 0 || refNum > 9) return fail(start, 'Illegal group reference');
        cursor++;
        // Java takes the longest number that is still a group.
        while (cursor < replacement.length) {
          const d = replacement.charCodeAt(cursor) - 0x30;
          if (d < 0 || d > 9) break;
          const next = refNum * 10 + d;
          if (regex.groupCount < next) break;
          refNum = next;
          cursor++;
        }
        if (refNum > regex.groupCount) return fail(start, `No group ${refNum}`);
        ref = refNum;
      }
      if (text.length > 0) parts.push(text);
      text = '';
      parts.push(ref);
    } else {
      text += c;
      cursor++;
    }
  }
  if (text.length > 0) parts.push(text);
  return parts;
}

function isSurrogatePairAt(s: string, i: number): boolean {
  const hi = s.charCodeAt(i);
  if (hi < 0xd800 || hi > 0xdbff) return false;
  const lo = s.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff;
}

// ---------------------------------------------------------------------------------------------
// Java flags (same values as java.util.regex.Pattern)

const UNIX_LINES = 0x01;
const CASE_INSENSITIVE = 0x02;
const COMMENTS = 0x04;
const MULTILINE = 0x08;
const DOTALL = 0x20;
const UNICODE_CASE = 0x40;
const UNICODE_CHARACTER_CLASS = 0x100;

// ---------------------------------------------------------------------------------------------
// Code point sets as sorted, merged [lo, hi, lo, hi, ...] arrays (inclusive bounds)

const MAX_CP = 0x10ffff;

function rangesOf(flat: readonly number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) {
      if (hi > out[n - 1]) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

function rUnion(a: readonly number[], b: readonly number[]): number[] {
  return rangesOf([...a, ...b]);
}

function rComplement(a: readonly number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < a.length; i += 2) {
    if (a[i] > next) out.push(next, a[i] - 1);
    next = a[i + 1] + 1;
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

function rIntersect(a: readonly number[], b: readonly number[]): number[] {
  return rComplement(rUnion(rComplement(a), rComplement(b)));
}

function rHas(a: readonly number[], cp: number): boolean {
  for (let i = 0; i < a.length; i += 2) {
    if (cp < a[i]) return false;
    if (cp <= a[i + 1]) return true;
  }
  return false;
}

function rOfCodePoints(cps: readonly number[]): number[] {
  const flat: number[] = [];
  for (const cp of cps) flat.push(cp, cp);
  return rangesOf(flat);
}

// ---------------------------------------------------------------------------------------------
// Case folding

const isAsciiUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isAsciiLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isAsciiAlpha = (c: number) => isAsciiUpper(c) || isAsciiLower(c);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAsciiAlnum = (c: number) => isAsciiAlpha(c) || isDigit(c);
const isHexDigit = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number) => (isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10);
/** ASCII.isSpace: the whitespace COMMENTS mode skips. */
const isAsciiSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const asciiToLower = (c: number) => (isAsciiUpper(c) ? c + 0x20 : c);
const asciiToUpper = (c: number) => (isAsciiLower(c) ? c - 0x20 : c);

/** Java's CIRange without UNICODE_CASE: the range plus ASCII letters whose other case is in it. */
function asciiCaseClosure(r: readonly number[]): number[] {
  const extra: number[] = [];
  for (let c = 0x41; c <= 0x7a; c++) {
    if (!isAsciiAlpha(c) || rHas(r, c)) continue;
    if (rHas(r, asciiToUpper(c)) || rHas(r, asciiToLower(c))) extra.push(c, c);
  }
  return extra.length === 0 ? [...r] : rUnion(r, extra);
}

interface FoldTable {
  readonly upper: Map<number, number>;
  readonly lower: Map<number, number>;
  /** Code points with a case mapping. */
  readonly cased: readonly number[];
  /** toLowerCase(toUpperCase(c)) -> every code point with that key, the key included. */
  readonly classes: Map<number, number[]>;
}

let foldTable: FoldTable | undefined;

/** Java's Character.toUpperCase/toLowerCase are simple (one-to-one) mappings; built lazily, only UNICODE_CASE needs it. */
function getFoldTable(): FoldTable {
  if (foldTable !== undefined) return foldTable;
  const upper = new Map<number, number>();
  const lower = new Map<number, number>();
  const single = (s: string) => {
    const cp = s.codePointAt(0) as number;
    return s.length === (cp > 0xffff ? 2 : 1) ? cp : -1;
  };
  // Case mappings exist only in the first two planes.
  for (let cp = 0; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    const u = s.toUpperCase();
    if (u !== s) {
      const c = single(u);
      if (c >= 0) upper.set(cp, c);
    }
    const l = s.toLowerCase();
    if (l !== s) {
      const c = single(l);
      if (c >= 0) lower.set(cp, c);
    }
  }
  // JS lower-cases İ to "i̇" (full mapping); Java's simple mapping gives 'i'.
  lower.set(0x130, 0x69);
  const casedSet = new Set<number>([...upper.keys(), ...lower.keys()]);
  const cased = [...casedSet].sort((a, b) => a - b);
  const classes = new Map<number, number[]>();
  const keyOf = (cp: number) => {
    const u = upper.get(cp) ?? cp;
    return lower.get(u) ?? u;
  };
  for (const cp of cased) {
    const k = keyOf(cp);
    let members = classes.get(k);
    if (members === undefined) {
      members = [k];
      classes.set(k, members);
    }
    if (!members.includes(cp)) members.push(cp);
  }
  foldTable = { upper, lower, cased, classes };
  return foldTable;
}

function simpleUpper(cp: number): number {
  return getFoldTable().upper.get(cp) ?? cp;
}

function simpleLower(cp: number): number {
  return getFoldTable().lower.get(cp) ?? cp;
}

/** Java's SingleU(lower) / SliceU: every c with toLowerCase(toUpperCase(c)) == lower, and lower itself. */
function unicodeCaseClass(lower: number): number[] {
  return rOfCodePoints(getFoldTable().classes.get(lower) ?? [lower]);
}

/** Java's CIRangeU: c matches if c, toUpperCase(c) or toLowerCase(toUpperCase(c)) is in the range. */
function unicodeCaseRange(lo: number, hi: number): number[] {
  const extra: number[] = [];
  for (const cp of getFoldTable().cased) {
    if (cp >= lo && cp <= hi) continue;
    const up = simpleUpper(cp);
    const key = simpleLower(up);
    if ((up >= lo && up <= hi) || (key >= lo && key <= hi)) extra.push(cp, cp);
  }
  return rangesOf([lo, hi, ...extra]);
}

// ---------------------------------------------------------------------------------------------
// Character predicates: what one code point may be

interface SetPred {
  readonly k: 'set';
  /** Mutable so that a class's accumulated single characters can be shared by reference, as the JDK does. */
  r: number[];
}
type CharPred =
  | SetPred
  | { readonly k: 'prop'; readonly name: string }
  | { readonly k: 'or'; readonly a: readonly CharPred[] }
  | { readonly k: 'and'; readonly a: readonly CharPred[] }
  | { readonly k: 'not'; readonly a: CharPred };

const pSet = (...flat: number[]): SetPred => ({ k: 'set', r: rangesOf(flat) });
const pRanges = (r: number[]): SetPred => ({ k: 'set', r });
const pProp = (name: string): CharPred => ({ k: 'prop', name });
const pOr = (...a: CharPred[]): CharPred => ({ k: 'or', a });
const pAnd = (...a: CharPred[]): CharPred => ({ k: 'and', a });
const pNot = (a: CharPred): CharPred => ({ k: 'not', a });

const cc = (s: string) => s.charCodeAt(0);
const LINE_TERMINATORS = pSet(0x0a, 0x0a, 0x0d, 0x0d, 0x85, 0x85, 0x2028, 0x2029);
const ANY = pSet(0, MAX_CP);
const ASCII_DIGIT = pSet(0x30, 0x39);
const ASCII_WORD = pSet(0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a);
const ASCII_SPACE = pSet(0x09, 0x0d, 0x20, 0x20);
const HORIZ_WS = pSet(0x09, 0x09, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x180e, 0x180e, 0x2000, 0x200a, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000);
const VERT_WS = pSet(0x0a, 0x0d, 0x85, 0x85, 0x2028, 0x2029);

// CharPredicates.java, Unicode side.
const U_ALPHABETIC = pProp('Alphabetic');
const U_DIGIT = pProp('Nd');
const U_WHITE_SPACE = pProp('White_Space');
const U_JOIN_CONTROL = pSet(0x200c, 0x200d);
const U_WORD = pOr(U_ALPHABETIC, pProp('Mn'), pProp('Me'), pProp('Mc'), U_DIGIT, pProp('Pc'), U_JOIN_CONTROL);
const U_HEX_DIGIT = pOr(U_DIGIT, pSet(0x41, 0x46, 0x61, 0x66, 0xff21, 0xff26, 0xff41, 0xff46));
const U_CASED_LETTERS = pOr(pProp('Lowercase'), pProp('Uppercase'), pProp('Lt'));
const IDENTIFIER_IGNORABLE = pOr(pSet(0x00, 0x08, 0x0e, 0x1b, 0x7f, 0x9f), pProp('Cf'));

function unicodePredicate(upperName: string, caseIns: boolean): CharPred | null {
  switch (upperName) {
    case 'ALPHABETIC': return U_ALPHABETIC;
    case 'ASSIGNED': return pNot(pProp('Cn'));
    case 'CONTROL': return pProp('Cc');
    case 'HEXDIGIT': case 'HEX_DIGIT': return U_HEX_DIGIT;
    case 'IDEOGRAPHIC': return pProp('Ideographic');
    case 'JOINCONTROL': case 'JOIN_CONTROL': return U_JOIN_CONTROL;
    case 'LETTER': return pProp('L');
    case 'LOWERCASE': return caseIns ? U_CASED_LETTERS : pProp('Lowercase');
    case 'NONCHARACTERCODEPOINT': case 'NONCHARACTER_CODE_POINT': return pProp('Noncharacter_Code_Point');
    case 'TITLECASE': return caseIns ? U_CASED_LETTERS : pProp('Lt');
    case 'PUNCTUATION': return pProp('P');
    case 'UPPERCASE': return caseIns ? U_CASED_LETTERS : pProp('Uppercase');
    case 'WHITESPACE': case 'WHITE_SPACE': return U_WHITE_SPACE;
    case 'WORD': return U_WORD;
    default: return posixPredicate(upperName, caseIns);
  }
}

/** POSIX names under UNICODE_CHARACTER_CLASS (or \p{IsAlpha}): the Unicode definitions. */
function posixPredicate(upperName: string, caseIns: boolean): CharPred | null {
  switch (upperName) {
    case 'ALPHA': return U_ALPHABETIC;
    case 'LOWER': return caseIns ? U_CASED_LETTERS : pProp('Lowercase');
    case 'UPPER': return caseIns ? U_CASED_LETTERS : pProp('Uppercase');
    case 'SPACE': return U_WHITE_SPACE;
    case 'PUNCT': return pProp('P');
    case 'XDIGIT': return U_HEX_DIGIT;
    case 'ALNUM': return pOr(U_ALPHABETIC, U_DIGIT);
    case 'CNTRL': return pProp('Cc');
    case 'DIGIT': return U_DIGIT;
    case 'BLANK': return pOr(pProp('Zs'), pSet(0x09, 0x09));
    case 'GRAPH': return pNot(pOr(pProp('Zs'), pProp('Zl'), pProp('Zp'), pProp('Cc'), pProp('Cs'), pProp('Cn')));
    // (GRAPH | BLANK) && !CNTRL
    case 'PRINT': return pNot(pOr(pProp('Zl'), pProp('Zp'), pProp('Cc'), pProp('Cs'), pProp('Cn')));
    default: return null;
  }
}

const GENERAL_CATEGORIES = new Set([
  'Cn', 'Lm', 'Lo', 'Mn', 'Me', 'Mc', 'Nd', 'Nl', 'No', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Co', 'Cs',
  'Pd', 'Ps', 'Pe', 'Pc', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Pi', 'Pf', 'L', 'M', 'N', 'Z', 'C', 'P', 'S', 'LC',
]);

/** CharPredicates.forProperty: categories, POSIX (ASCII) classes and java* methods; names are case-sensitive. */
function propertyPredicate(name: string, caseIns: boolean): CharPred | null {
  if (GENERAL_CATEGORIES.has(name)) return pProp(name);
  switch (name) {
    case 'Lu': return caseIns ? pProp('LC') : pProp('Lu');
    case 'Ll': return caseIns ? pProp('LC') : pProp('Ll');
    case 'Lt': return caseIns ? pProp('LC') : pProp('Lt');
    case 'LD': return pOr(pProp('L'), pProp('Nd'));
    case 'L1': return pSet(0x00, 0xff);
    case 'all': return ANY;
    case 'ASCII': return pSet(0x00, 0x7f);
    case 'Alnum': return pSet(0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a);
    case 'Alpha': return pSet(0x41, 0x5a, 0x61, 0x7a);
    case 'Blank': return pSet(0x09, 0x09, 0x20, 0x20);
    case 'Cntrl': return pSet(0x00, 0x1f, 0x7f, 0x7f);
    case 'Digit': return ASCII_DIGIT;
    case 'Graph': return pSet(0x21, 0x7e);
    case 'Lower': return caseIns ? pSet(0x41, 0x5a, 0x61, 0x7a) : pSet(0x61, 0x7a);
    case 'Print': return pSet(0x20, 0x7e);
    case 'Punct': return pSet(0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e);
    case 'Space': return ASCII_SPACE;
    case 'Upper': return caseIns ? pSet(0x41, 0x5a, 0x61, 0x7a) : pSet(0x41, 0x5a);
    case 'XDigit': return pSet(0x30, 0x39, 0x41, 0x46, 0x61, 0x66);
    case 'javaLowerCase': return caseIns ? U_CASED_LETTERS : pProp('Lowercase');
    case 'javaUpperCase': return caseIns ? U_CASED_LETTERS : pProp('Uppercase');
    case 'javaTitleCase': return caseIns ? U_CASED_LETTERS : pProp('Lt');
    case 'javaAlphabetic': return U_ALPHABETIC;
    case 'javaIdeographic': return pProp('Ideographic');
    case 'javaDigit': return U_DIGIT;
    case 'javaDefined': return pNot(pProp('Cn'));
    case 'javaLetter': return pProp('L');
    case 'javaLetterOrDigit': return pOr(pProp('L'), U_DIGIT);
    case 'javaJavaIdentifierStart': return pOr(pProp('L'), pProp('Nl'), pProp('Sc'), pProp('Pc'));
    case 'javaJavaIdentifierPart':
      return pOr(pProp('L'), pProp('Sc'), pProp('Pc'), pProp('Nd'), pProp('Nl'), pProp('Mc'), pProp('Mn'), IDENTIFIER_IGNORABLE);
    // Letters, letter numbers and Other_ID_Start: ID_Start minus Pattern_Syntax lost only U+2E2F.
    case 'javaUnicodeIdentifierStart': return pOr(pProp('ID_Start'), pSet(0x2e2f, 0x2e2f));
    case 'javaUnicodeIdentifierPart': return pOr(pProp('ID_Continue'), pSet(0x2e2f, 0x2e2f), IDENTIFIER_IGNORABLE);
    case 'javaIdentifierIgnorable': return IDENTIFIER_IGNORABLE;
    case 'javaSpaceChar': return pProp('Z');
    // Character.isWhitespace: separators except no-break spaces, plus \t-\r and \x1C-\x1F.
    case 'javaWhitespace':
      return pSet(0x09, 0x0d, 0x1c, 0x20, 0x1680, 0x1680, 0x2000, 0x2006, 0x2008, 0x200a, 0x2028, 0x2029, 0x205f, 0x205f, 0x3000, 0x3000);
    case 'javaISOControl': return pSet(0x00, 0x1f, 0x7f, 0x9f);
    case 'javaMirrored': return pProp('Bidi_Mirrored');
    default: return null;
  }
}

const SCRIPT_SPELLINGS: Record<string, string> = { SIGNWRITING: 'SignWriting' };
const scriptCache = new Map<string, string | null>();

/** Character.UnicodeScript.forName: enum names or ISO 15924 aliases, any case, mapped to the JS value name. */
function scriptPredicate(name: string): CharPred | null {
  const upper = name.toUpperCase();
  let js = scriptCache.get(upper);
  if (js === undefined) {
    js = null;
    if (/^[A-Z_]+$/.test(upper)) {
      const spelled = SCRIPT_SPELLINGS[upper] ?? upper.split('_').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join('_');
      try {
        new RegExp(`\\p{Script=${spelled}}`, 'u');
        js = spelled;
      } catch {
        js = null;
      }
    }
    scriptCache.set(upper, js);
  }
  return js === null ? null : pProp(`Script=${js}`);
}

// ---------------------------------------------------------------------------------------------
// Pattern tree

type GroupKind = 'capture' | 'noncapture' | 'atomic' | 'lookahead' | 'negLookahead' | 'lookbehind' | 'negLookbehind';

type Node =
  | { readonly k: 'seq'; readonly items: readonly Node[] }
  | { readonly k: 'alt'; readonly alts: readonly Node[] }
  | { readonly k: 'char'; readonly pred: CharPred }
  /** Zero-width assertion, already in JS syntax. */
  | { readonly k: 'assert'; readonly js: string }
  /** Java's Begin (`^` without MULTILINE, `\A`) and End (`\z`): written as ^ and $ when the JS flags allow. */
  | { readonly k: 'begin' }
  | { readonly k: 'end' }
  | { readonly k: 'linebreak' }
  // `at`: offset in the pattern, for errors.
  | { readonly k: 'group'; readonly kind: GroupKind; readonly body: Node; readonly index: number; readonly name?: string; readonly at: number }
  | { readonly k: 'quant'; readonly body: Node; readonly min: number; readonly max: number; readonly mode: QuantMode; readonly at: number }
  | { readonly k: 'backref'; readonly group: number; readonly caseInsensitive: boolean; readonly at: number };

type QuantMode = 'greedy' | 'lazy' | 'possessive';

const MAX_REPS = 0x7fffffff;

// Java's line-anchor nodes. LT is Java's set of line terminators.
const LT = '[\\n\\r\\u{85}\\u{2028}\\u{2029}]';
const NOT_IN_CRLF = '(?!(?<=\\r)\\n)';
const AT_END = '(?![\\s\\S])';
const AT_START = '(?<![\\s\\S])';
const DOLLAR = `(?=(?:\\r\\n|${LT})?${AT_END})${NOT_IN_CRLF}`;
const DOLLAR_MULTILINE = `(?=${LT}|${AT_END})${NOT_IN_CRLF}`;
const UNIX_DOLLAR = `(?=\\n?${AT_END})`;
const UNIX_DOLLAR_MULTILINE = `(?=\\n|${AT_END})`;
// Java's multiline ^ never matches at the end of input, not even after a final newline.
const CARET_MULTILINE = `(?:${AT_START}|(?<=${LT})${NOT_IN_CRLF})(?=[\\s\\S])`;
const UNIX_CARET_MULTILINE = `(?:${AT_START}|(?<=\\n))(?=[\\s\\S])`;

function boundJs(type: 'both' | 'none', unicodeWord: boolean): string {
  // JDK 17 Bound: a word character, or a non-spacing mark with a letter or digit before it.
  const word = unicodeWord ? emitPred(U_WORD) : '[\\p{L}\\p{Nd}_]';
  const base = '[\\p{L}\\p{Nd}]';
  const left = `${word}|${base}\\p{Mn}+`;
  const right = `${word}|(?<=${base}\\p{Mn}*)\\p{Mn}`;
  return type === 'both'
    ? `(?:(?<=${left})(?!${right})|(?<!${left})(?=${right}))`
    : `(?:(?<=${left})(?=${right})|(?<!${left})(?!${right}))`;
}

// ---------------------------------------------------------------------------------------------
// Parser: a port of Pattern.java's recursive descent (JDK 17), building the tree above

class Parser {
  private temp: number[] = [];
  /** UTF-16 offset in the original pattern of each position of `temp`. */
  private offs: number[] = [];
  private patternLength = 0;
  private cursor = 0;
  private flags0: number;
  private capturingGroupCount = 1;
  private readonly namedGroups = new Map<string, number>();
  /** Side results of escape(): a node (outside classes) or a predicate (classes). */
  private escNode: Node | null = null;
  private escPred: CharPred | null = null;
  private contentSeen = false;

  readonly groupNameOf: string[] = [];
  /** Flags in force after the leading `(?flags)` groups, i.e. for the whole pattern unless cleared. */
  leadingFlags: number;
  /** Flags turned off anywhere with `(?-x)`. */
  clearedFlags = 0;

  constructor(
    private readonly pattern: string,
    flags: number,
  ) {
    this.flags0 = flags;
    this.leadingFlags = flags;
    const cps: number[] = [];
    const offs: number[] = [];
    for (let i = 0; i < pattern.length; ) {
      const cp = pattern.codePointAt(i) as number;
      cps.push(cp);
      offs.push(i);
      i += cp > 0xffff ? 2 : 1;
    }
    this.removeQEQuoting(cps, offs);
  }

  get groupCount(): number {
    return this.capturingGroupCount - 1;
  }

  parse(): Node {
    const root = this.expr();
    if (this.patternLength !== this.cursor) {
      if (this.peek() === cc(')')) throw this.error("Unmatched closing ')'");
      const trailing = /(?:^|[^\\])(?:\\\\)*\\$/.test(this.pattern);
      throw this.error(trailing ? 'Unexpected internal error (the pattern ends with a lone backslash)' : 'Unexpected internal error');
    }
    return root;
  }

  /** Pattern.RemoveQEQuoting: \Q...\E becomes escaped characters before parsing, as in the JDK. */
  private removeQEQuoting(cps: number[], offs: number[]): void {
    const pLen = cps.length;
    const end = this.pattern.length;
    const finish = (temp: number[], map: number[]) => {
      this.patternLength = temp.length;
      this.temp = [...temp, 0, 0];
      this.offs = [...map, end, end];
    };
    let i = 0;
    while (i < pLen - 1) {
      if (cps[i] !== 0x5c) i += 1;
      else if (cps[i + 1] !== cc('Q')) i += 2;
      else break;
    }
    if (i >= pLen - 1) {
      finish(cps, offs);
      return;
    }
    const temp = cps.slice(0, i);
    const map = offs.slice(0, i);
    const push = (c: number, at: number) => {
      temp.push(c);
      map.push(at);
    };
    const at = (k: number) => (k < pLen ? cps[k] : 0);
    i += 2;
    let inQuote = true;
    let beginQuote = true;
    while (i < pLen) {
      const c = cps[i];
      const o = offs[i];
      i++;
      if (c >= 0x80 || isAsciiAlpha(c)) {
        push(c, o);
      } else if (isDigit(c)) {
        // "\x3" keeps a quoted digit from extending an octal or hex escape before the quote.
        if (beginQuote) {
          push(0x5c, o);
          push(cc('x'), o);
          push(cc('3'), o);
        }
        push(c, o);
      } else if (c !== 0x5c) {
        if (inQuote) push(0x5c, o);
        push(c, o);
      } else if (inQuote) {
        if (at(i) === cc('E')) {
          i++;
          inQuote = false;
        } else {
          push(0x5c, o);
          push(0x5c, o);
        }
      } else if (at(i) === cc('Q')) {
        i++;
        inQuote = true;
        beginQuote = true;
        continue;
      } else {
        push(c, o);
        if (i !== pLen) {
          push(cps[i], offs[i]);
          i++;
        }
      }
      beginQuote = false;
    }
    finish(temp, map);
  }

  // --- cursor primitives (same contracts as Pattern's) ---

  private t(i: number): number {
    return i >= 0 && i < this.temp.length ? this.temp[i] : 0;
  }

  private has(f: number): boolean {
    return (this.flags0 & f) !== 0;
  }

  private peek(): number {
    const ch = this.t(this.cursor);
    return this.has(COMMENTS) ? this.peekPastWhitespace(ch) : ch;
  }

  private read(): number {
    const ch = this.t(this.cursor++);
    return this.has(COMMENTS) ? this.parsePastWhitespace(ch) : ch;
  }

  private next(): number {
    const ch = this.t(++this.cursor);
    return this.has(COMMENTS) ? this.peekPastWhitespace(ch) : ch;
  }

  private nextEscaped(): number {
    return this.t(++this.cursor);
  }

  private skip(): number {
    const i = this.cursor;
    const ch = this.t(i + 1);
    this.cursor = i + 2;
    return ch;
  }

  private unread(): void {
    this.cursor--;
  }

  private peekPastWhitespace(ch: number): number {
    while (isAsciiSpace(ch) || ch === 0x23) {
      while (isAsciiSpace(ch)) ch = this.t(++this.cursor);
      if (ch === 0x23) ch = this.peekPastLine();
    }
    return ch;
  }

  private parsePastWhitespace(ch: number): number {
    while (isAsciiSpace(ch) || ch === 0x23) {
      while (isAsciiSpace(ch)) ch = this.t(this.cursor++);
      if (ch === 0x23) ch = this.parsePastLine();
    }
    return ch;
  }

  private parsePastLine(): number {
    let ch = this.t(this.cursor++);
    while (ch !== 0 && !this.isLineSeparator(ch)) ch = this.t(this.cursor++);
    if (ch === 0 && this.cursor > this.patternLength) {
      this.cursor = this.patternLength;
      ch = this.t(this.cursor++);
    }
    return ch;
  }

  private peekPastLine(): number {
    let ch = this.t(++this.cursor);
    while (ch !== 0 && !this.isLineSeparator(ch)) ch = this.t(++this.cursor);
    if (ch === 0 && this.cursor > this.patternLength) {
      this.cursor = this.patternLength;
      ch = this.t(this.cursor);
    }
    return ch;
  }

  private isLineSeparator(ch: number): boolean {
    if (this.has(UNIX_LINES)) return ch === 0x0a;
    return ch === 0x0a || ch === 0x0d || (ch | 1) === 0x2029 || ch === 0x85;
  }

  private accept(ch: number, message: string): void {
    let test = this.t(this.cursor++);
    if (this.has(COMMENTS)) test = this.parsePastWhitespace(test);
    if (ch !== test) throw this.error(message);
  }

  private offsetOf(i: number): number {
    if (i < 0) return 0;
    return i < this.offs.length ? this.offs[i] : this.pattern.length;
  }

  /** Pattern.error: the index is the character before the cursor. */
  private error(detail: string): RegexError {
    return new RegexError(this.pattern, this.offsetOf(this.cursor - 1), detail);
  }

  private refuse(at: number, detail: string): RegexError {
    return new RegexError(this.pattern, this.offsetOf(at), `${detail} has no JavaScript equivalent`);
  }

  // --- grammar ---

  private expr(): Node {
    const alts: Node[] = [];
    for (;;) {
      alts.push(this.sequence());
      if (this.peek() !== cc('|')) break;
      this.next();
    }
    return alts.length === 1 ? alts[0] : { k: 'alt', alts };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (;;) {
      let ch = this.peek();
      let node: Node;
      if (ch === cc('(')) {
        const group = this.group0();
        if (group !== null) items.push(group);
        continue;
      } else if (ch === cc('[')) {
        node = { k: 'char', pred: this.clazz(true) };
      } else if (ch === 0x5c) {
        ch = this.nextEscaped();
        if (ch === cc('p') || ch === cc('P')) {
          node = { k: 'char', pred: this.familyAfterP(ch === cc('P')) };
        } else {
          this.unread();
          node = this.atom();
        }
      } else if (ch === cc('^')) {
        this.next();
        if (this.has(MULTILINE)) node = { k: 'assert', js: this.has(UNIX_LINES) ? UNIX_CARET_MULTILINE : CARET_MULTILINE };
        else node = { k: 'begin' };
      } else if (ch === cc('$')) {
        this.next();
        node = this.dollar(this.has(MULTILINE));
      } else if (ch === cc('.')) {
        this.next();
        node = { k: 'char', pred: this.has(DOTALL) ? ANY : this.has(UNIX_LINES) ? pNot(pSet(0x0a, 0x0a)) : pNot(LINE_TERMINATORS) };
      } else if (ch === cc('|') || ch === cc(')')) {
        break;
      } else if (ch === cc('?') || ch === cc('*') || ch === cc('+')) {
        this.next();
        throw this.error(`Dangling meta character '${String.fromCharCode(ch)}'`);
      } else if (ch === 0 && this.cursor >= this.patternLength) {
        break;
      } else {
        // Includes dangling ']' and '}', which Java takes literally.
        node = this.atom();
      }
      this.contentSeen = true;
      items.push(this.closure(node));
    }
    return items.length === 1 ? items[0] : { k: 'seq', items };
  }

  private dollar(multiline: boolean): Node {
    if (this.has(UNIX_LINES)) return { k: 'assert', js: multiline ? UNIX_DOLLAR_MULTILINE : UNIX_DOLLAR };
    return { k: 'assert', js: multiline ? DOLLAR_MULTILINE : DOLLAR };
  }

  /** Called with the cursor on 'p' or 'P' of \p. */
  private familyAfterP(complement: boolean): CharPred {
    let oneLetter = true;
    const ch = this.next();
    if (ch !== cc('{')) this.unread();
    else oneLetter = false;
    return this.family(oneLetter, complement);
  }

  /** A run of literal characters (a Java Slice), or one escape that stands for a node. */
  private atom(): Node {
    let first = 0;
    let prev = -1;
    const buffer: number[] = [];
    let ch = this.peek();
    for (;;) {
      if (ch === cc('*') || ch === cc('+') || ch === cc('?') || ch === cc('{')) {
        // A quantifier binds to the last character only.
        if (first > 1) {
          this.cursor = prev;
          first--;
        }
        break;
      }
      if (ch === cc('$') || ch === cc('.') || ch === cc('^') || ch === cc('(') || ch === cc('[') || ch === cc('|') || ch === cc(')')) break;
      if (ch === 0x5c) {
        ch = this.nextEscaped();
        if (ch === cc('p') || ch === cc('P')) {
          if (first > 0) {
            this.unread();
            break;
          }
          return { k: 'char', pred: this.familyAfterP(ch === cc('P')) };
        }
        this.unread();
        prev = this.cursor;
        ch = this.escape(false, first === 0, false);
        if (ch >= 0) {
          buffer[first++] = ch;
          ch = this.peek();
          continue;
        } else if (first === 0) {
          return this.escNode as Node;
        }
        // A class or assertion escape ends the run; it is parsed again on its own.
        this.cursor = prev;
        break;
      }
      if (ch === 0 && this.cursor >= this.patternLength) break;
      prev = this.cursor;
      buffer[first++] = ch;
      ch = this.next();
    }
    if (first === 1) return this.singleNode(buffer[0]);
    const items: Node[] = [];
    for (let i = 0; i < first; i++) items.push(this.sliceCharNode(buffer[i]));
    return items.length === 1 ? items[0] : { k: 'seq', items };
  }

  /** Pattern.single() outside a class. */
  private singleNode(ch: number): Node {
    return { k: 'char', pred: this.singlePred(ch) };
  }

  private singlePred(ch: number): CharPred {
    if (this.has(CASE_INSENSITIVE)) {
      if (this.has(UNICODE_CASE)) {
        const upper = simpleUpper(ch);
        const lower = simpleLower(upper);
        if (upper !== lower) return pRanges(unicodeCaseClass(lower));
      } else if (ch < 0x80) {
        const lower = asciiToLower(ch);
        const upper = asciiToUpper(ch);
        if (lower !== upper) return pSet(lower, lower, upper, upper);
      }
    }
    return pSet(ch, ch);
  }

  /** SliceI / SliceU: characters of a literal run compare by ASCII or Unicode case key. */
  private sliceCharNode(ch: number): Node {
    if (this.has(CASE_INSENSITIVE)) {
      if (this.has(UNICODE_CASE)) return { k: 'char', pred: pRanges(unicodeCaseClass(simpleLower(simpleUpper(ch)))) };
      if (isAsciiAlpha(ch)) return { k: 'char', pred: pSet(asciiToLower(ch), asciiToLower(ch), asciiToUpper(ch), asciiToUpper(ch)) };
    }
    return { k: 'char', pred: pSet(ch, ch) };
  }

  /** Pattern.ref(): the first digit always counts; more digits only while such a group exists. */
  private ref(refNum: number, start: number): Node {
    let done = false;
    while (!done) {
      const ch = this.peek();
      if (isDigit(ch)) {
        const newRefNum = refNum * 10 + (ch - 0x30);
        if (this.capturingGroupCount - 1 < newRefNum) {
          done = true;
        } else {
          refNum = newRefNum;
          this.read();
        }
      } else {
        done = true;
      }
    }
    return this.backref(refNum, start);
  }

  private backref(group: number, start: number): Node {
    return { k: 'backref', group, caseInsensitive: this.has(CASE_INSENSITIVE), at: this.offsetOf(start) };
  }

  /**
   * Pattern.escape(): returns the code point of a literal escape, or -1 after setting escNode
   * (outside classes) / escPred for escapes that stand for a class or an assertion.
   */
  private escape(inclass: boolean, create: boolean, isrange: boolean): number {
    const start = this.cursor;
    const ch = this.skip();
    const letter = ch < 0x80 ? String.fromCharCode(ch) : '';
    const predicate = (p: CharPred): number => {
      if (create) {
        this.escPred = p;
        if (!inclass) this.escNode = { k: 'char', pred: p };
      }
      return -1;
    };
    const node = (n: () => Node): number => {
      if (create) this.escNode = n();
      return -1;
    };
    const unicodeClasses = this.has(UNICODE_CHARACTER_CLASS);
    switch (letter) {
      case '0': return this.octal();
      case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        if (inclass) break;
        return node(() => this.ref(ch - 0x30, start));
      case 'A':
        if (inclass) break;
        return node(() => ({ k: 'begin' }));
      case 'B':
        if (inclass) break;
        return node(() => ({ k: 'assert', js: boundJs('none', unicodeClasses) }));
      case 'D': return predicate(pNot(unicodeClasses ? U_DIGIT : ASCII_DIGIT));
      case 'G':
        if (inclass) break;
        if (create) throw this.refuse(start, '\\G (end of the previous match)');
        return -1;
      case 'H': return predicate(pNot(HORIZ_WS));
      case 'N': return this.namedCharacter(start);
      case 'R':
        if (inclass) break;
        return node(() => ({ k: 'linebreak' }));
      case 'S': return predicate(pNot(unicodeClasses ? U_WHITE_SPACE : ASCII_SPACE));
      case 'V': return predicate(pNot(VERT_WS));
      case 'W': return predicate(pNot(unicodeClasses ? U_WORD : ASCII_WORD));
      case 'X':
        if (inclass) break;
        if (create) throw this.refuse(start, '\\X (extended grapheme cluster)');
        return -1;
      case 'Z':
        if (inclass) break;
        return node(() => this.dollar(false));
      case 'a': return 0x07;
      case 'b':
        if (inclass) break;
        if (create) {
          if (this.peek() === cc('{')) {
            if (this.skip() === cc('g')) {
              if (this.read() === cc('}')) throw this.refuse(start, '\\b{g} (grapheme cluster boundary)');
              break;
            }
            this.unread();
            this.unread();
          }
          this.escNode = { k: 'assert', js: boundJs('both', unicodeClasses) };
        }
        return -1;
      case 'c': return this.control();
      case 'd': return predicate(unicodeClasses ? U_DIGIT : ASCII_DIGIT);
      case 'e': return 0x1b;
      case 'f': return 0x0c;
      case 'h': return predicate(HORIZ_WS);
      case 'k': {
        if (inclass) break;
        if (this.read() !== cc('<')) throw this.error("\\k is not followed by '<' for named capturing group");
        const name = this.groupname(this.read());
        const group = this.namedGroups.get(name);
        if (group === undefined) throw this.error(`named capturing group <${name}> does not exist`);
        return node(() => this.backref(group, start));
      }
      case 'n': return 0x0a;
      case 'r': return 0x0d;
      case 's': return predicate(unicodeClasses ? U_WHITE_SPACE : ASCII_SPACE);
      case 't': return 0x09;
      case 'u': return this.unicodeEscape();
      // \v is VT only as a range endpoint, for compatibility with Java 7.
      case 'v': return isrange ? 0x0b : predicate(VERT_WS);
      case 'w': return predicate(unicodeClasses ? U_WORD : ASCII_WORD);
      case 'x': return this.hexEscape();
      case 'z':
        if (inclass) break;
        return node(() => ({ k: 'end' }));
      default:
        // Every other ASCII letter is reserved; anything else stands for itself.
        if (isAsciiAlpha(ch)) break;
        return ch;
    }
    throw this.error('Illegal/unsupported escape sequence');
  }

  private control(): number {
    if (this.cursor < this.patternLength) return this.read() ^ 64;
    throw this.error('Illegal control escape sequence');
  }

  private octal(): number {
    const isOctal = (c: number) => c >= 0x30 && c <= 0x37;
    const n = this.read();
    if (isOctal(n)) {
      const m = this.read();
      if (isOctal(m)) {
        const o = this.read();
        if (isOctal(o) && n <= cc('3')) return (n - 0x30) * 64 + (m - 0x30) * 8 + (o - 0x30);
        this.unread();
        return (n - 0x30) * 8 + (m - 0x30);
      }
      this.unread();
      return n - 0x30;
    }
    throw this.error('Illegal octal escape sequence');
  }

  private hexEscape(): number {
    let n = this.read();
    if (isHexDigit(n)) {
      const m = this.read();
      if (isHexDigit(m)) return hexValue(n) * 16 + hexValue(m);
    } else if (n === cc('{') && isHexDigit(this.peek())) {
      let ch = 0;
      while (isHexDigit((n = this.read()))) {
        ch = ch * 16 + hexValue(n);
        if (ch > MAX_CP) throw this.error('Hexadecimal codepoint is too big');
      }
      if (n !== cc('}')) throw this.error('Unclosed hexadecimal escape sequence');
      return ch;
    }
    throw this.error('Illegal hexadecimal escape sequence');
  }

  private uxxxx(): number {
    let n = 0;
    for (let i = 0; i < 4; i++) {
      const ch = this.read();
      if (!isHexDigit(ch)) throw this.error('Illegal Unicode escape sequence');
      n = n * 16 + hexValue(ch);
    }
    return n;
  }

  /** \uHHHH, joining an escaped surrogate pair into one code point. */
  private unicodeEscape(): number {
    const n = this.uxxxx();
    if (n >= 0xd800 && n <= 0xdbff) {
      const cur = this.cursor;
      if (this.read() === 0x5c && this.read() === cc('u')) {
        const n2 = this.uxxxx();
        if (n2 >= 0xdc00 && n2 <= 0xdfff) return (n - 0xd800) * 0x400 + (n2 - 0xdc00) + 0x10000;
      }
      this.cursor = cur;
    }
    return n;
  }

  private namedCharacter(start: number): number {
    if (this.read() === cc('{')) {
      while (this.read() !== cc('}')) {
        if (this.cursor >= this.patternLength) throw this.error('Unclosed character name escape sequence');
      }
      throw this.refuse(start, '\\N{name} (a character by its Unicode name)');
    }
    throw this.error('Illegal character name escape sequence');
  }

  private groupname(ch: number): string {
    if (!isAsciiAlpha(ch)) throw this.error('capturing group name does not start with a Latin letter');
    let name = '';
    do {
      name += String.fromCharCode(ch);
    } while (isAsciiAlnum((ch = this.read())));
    if (ch !== cc('>')) throw this.error("named capturing group is missing trailing '>'");
    return name;
  }

  /** Pattern.clazz(): JDK 9+ semantics, `^` negates the whole class, `&&` binds loosest. */
  private clazz(consume: boolean): CharPred {
    let prev: CharPred | null = null;
    let curr: CharPred | null = null;
    const bits: SetPred = { k: 'set', r: [] };
    let isNeg = false;
    let hasBits = false;
    let ch = this.next();
    if (ch === cc('^') && this.t(this.cursor - 1) === cc('[')) {
      ch = this.next();
      isNeg = true;
    }
    for (;;) {
      if (ch === cc('[')) {
        curr = this.clazz(true);
        prev = prev === null ? curr : pOr(prev, curr);
        ch = this.peek();
        continue;
      }
      if (ch === cc('&')) {
        ch = this.next();
        if (ch === cc('&')) {
          ch = this.next();
          let right: CharPred | null = null;
          while (ch !== cc(']') && ch !== cc('&')) {
            if (ch === cc('[')) {
              right = right === null ? this.clazz(true) : pOr(right, this.clazz(true));
            } else {
              // abc&&def: the rest up to ']' is an implicitly bracketed class.
              this.unread();
              right = this.clazz(false);
            }
            ch = this.peek();
          }
          if (hasBits) {
            if (prev === null) prev = curr = bits;
            else prev = pOr(prev, bits);
            hasBits = false;
          }
          if (right !== null) curr = right;
          if (prev === null) {
            if (right === null) throw this.error('Bad class syntax');
            prev = right;
          } else {
            // The JDK accepts `[\p{L}a&&&b]` but fails with a NullPointerException when matching it.
            if (curr === null) throw this.error('Bad class syntax (Java fails on this class while matching)');
            prev = pAnd(prev, curr);
          }
          continue;
        }
        // A single '&' is literal.
        this.unread();
      } else if (ch === 0) {
        if (this.cursor >= this.patternLength) throw this.error('Unclosed character class');
      } else if (ch === cc(']')) {
        // A ']' right after '[' or '[^' is literal.
        if (prev !== null || hasBits) {
          if (consume) this.next();
          if (prev === null) prev = bits;
          else if (hasBits) prev = pOr(prev, bits);
          return isNeg ? pNot(prev) : prev;
        }
      }
      curr = this.range(bits);
      if (curr === null) {
        hasBits = true;
      } else if (prev === null) {
        prev = curr;
      } else if (prev !== curr) {
        prev = pOr(prev, curr);
      }
      ch = this.peek();
    }
  }

  /** Pattern.range(): one class member; single characters go into `bits` (and null is returned). */
  private range(bits: SetPred): CharPred | null {
    let ch = this.peek();
    if (ch === 0x5c) {
      ch = this.nextEscaped();
      if (ch === cc('p') || ch === cc('P')) return this.familyAfterP(ch === cc('P'));
      const isrange = this.t(this.cursor + 1) === cc('-');
      this.unread();
      ch = this.escape(true, true, isrange);
      if (ch === -1) return this.escPred as CharPred;
    } else {
      this.next();
    }
    if (ch >= 0) {
      if (this.peek() === cc('-')) {
        const endRange = this.t(this.cursor + 1);
        if (endRange === cc('[')) return this.bitsOrSingle(bits, ch);
        if (endRange !== cc(']')) {
          this.next();
          let m = this.peek();
          if (m === 0x5c) m = this.escape(true, false, true);
          else this.next();
          if (m < ch) throw this.error('Illegal character range');
          if (this.has(CASE_INSENSITIVE)) {
            return pRanges(this.has(UNICODE_CASE) ? unicodeCaseRange(ch, m) : asciiCaseClosure([ch, m]));
          }
          return pSet(ch, m);
        }
      }
      return this.bitsOrSingle(bits, ch);
    }
    throw this.error(`Unexpected character '${String.fromCodePoint(ch)}'`);
  }

  private bitsOrSingle(bits: SetPred, ch: number): CharPred | null {
    // Characters whose case partners lie outside Latin-1 are not put in the bit class (see the JDK).
    const special = [0xff, 0xb5, 0x49, 0x69, 0x53, 0x73, 0x4b, 0x6b, 0xc5, 0xe5];
    if (ch < 256 && !(this.has(CASE_INSENSITIVE) && this.has(UNICODE_CASE) && special.includes(ch))) {
      const add = [ch, ch];
      if (this.has(CASE_INSENSITIVE)) {
        if (ch < 0x80) add.push(asciiToUpper(ch), asciiToUpper(ch), asciiToLower(ch), asciiToLower(ch));
        else if (this.has(UNICODE_CASE)) add.push(simpleLower(ch), simpleLower(ch), simpleUpper(ch), simpleUpper(ch));
      }
      bits.r = rUnion(bits.r, rangesOf(add));
      return null;
    }
    return this.singlePred(ch);
  }

  /** Pattern.family(): \p{...} and \P{...}, cursor on 'p', 'P' or '{'. */
  private family(singleLetter: boolean, isComplement: boolean): CharPred {
    this.next();
    let name: string;
    if (singleLetter) {
      name = String.fromCodePoint(this.t(this.cursor));
      this.read();
    } else {
      const i = this.cursor;
      // Like the JDK, a '}' planted at the end stops the scan.
      this.temp[this.patternLength] = cc('}');
      while (this.read() !== cc('}')) {
        // scan to the closing brace
      }
      this.temp[this.patternLength] = 0;
      const j = this.cursor;
      if (j > this.patternLength) throw this.error('Unclosed character family');
      if (i + 1 >= j) throw this.error('Empty character family');
      name = String.fromCodePoint(...this.temp.slice(i, j - 1));
    }
    const caseIns = this.has(CASE_INSENSITIVE);
    let p: CharPred | null = null;
    const eq = name.indexOf('=');
    if (eq !== -1) {
      const value = name.slice(eq + 1);
      const key = name.slice(0, eq).toLowerCase();
      switch (key) {
        case 'sc':
        case 'script':
          p = scriptPredicate(value);
          break;
        case 'blk':
        case 'block':
          throw this.refuse(this.cursor - 1, `Unicode block \\p{${name}}`);
        case 'gc':
        case 'general_category':
          p = propertyPredicate(value, caseIns);
          break;
        default:
          break;
      }
      if (p === null) throw this.error(`Unknown Unicode property {name=<${key}>, value=<${value}>}`);
    } else {
      if (name.startsWith('In')) {
        throw this.refuse(this.cursor - 1, `Unicode block \\p{${name}}`);
      } else if (name.startsWith('Is')) {
        const shortName = name.slice(2);
        p = unicodePredicate(shortName.toUpperCase(), caseIns) ?? propertyPredicate(shortName, caseIns) ?? scriptPredicate(shortName);
      } else {
        if (this.has(UNICODE_CHARACTER_CLASS)) p = posixPredicate(name.toUpperCase(), caseIns);
        if (p === null) p = propertyPredicate(name, caseIns);
      }
      if (p === null) throw this.error(`Unknown character property name {${name}}`);
    }
    return isComplement ? pNot(p) : p;
  }

  private group0(): Node | null {
    const save = this.flags0;
    const at = this.offsetOf(this.cursor);
    let ch = this.next();
    let kind: GroupKind;
    let index = 0;
    let name: string | undefined;
    let body: Node;
    if (ch === cc('?')) {
      ch = this.skip();
      switch (String.fromCharCode(ch)) {
        case ':':
          this.contentSeen = true;
          kind = 'noncapture';
          body = this.expr();
          break;
        case '=':
        case '!':
          this.contentSeen = true;
          kind = ch === cc('=') ? 'lookahead' : 'negLookahead';
          body = this.expr();
          break;
        case '>':
          this.contentSeen = true;
          kind = 'atomic';
          body = this.expr();
          break;
        case '<': {
          this.contentSeen = true;
          ch = this.read();
          if (ch !== cc('=') && ch !== cc('!')) {
            name = this.groupname(ch);
            if (this.namedGroups.has(name)) throw this.error(`Named capturing group <${name}> is already defined`);
            kind = 'capture';
            index = this.capturingGroupCount++;
            this.namedGroups.set(name, index);
            this.groupNameOf[index] = name;
            body = this.expr();
            break;
          }
          kind = ch === cc('=') ? 'lookbehind' : 'negLookbehind';
          body = this.expr();
          const info = freshInfo();
          studyChain([body], info);
          if (!info.maxValid) throw this.error('Look-behind group does not have an obvious maximum length');
          // Java looks back at most `max` characters; a wrapped int32 can make that too few.
          if (info.max >= 0 && info.max < EFFECTIVELY_UNBOUNDED && info.real > info.max) {
            throw this.refuse(
              this.cursor - 1,
              `a lookbehind whose length Java miscomputes (it looks back only ${info.max} character${info.max === 1 ? '' : 's'})`,
            );
          }
          break;
        }
        case '$':
        case '@':
          throw this.error('Unknown group type');
        default:
          // (?flags) or (?flags:X)
          this.unread();
          this.addFlag();
          ch = this.read();
          if (ch === cc(')')) {
            if (!this.contentSeen) this.leadingFlags = this.flags0;
            return null;
          }
          if (ch !== cc(':')) throw this.error('Unknown inline modifier');
          this.contentSeen = true;
          kind = 'noncapture';
          body = this.expr();
          break;
      }
    } else {
      this.contentSeen = true;
      kind = 'capture';
      index = this.capturingGroupCount++;
      body = this.expr();
    }
    this.accept(cc(')'), 'Unclosed group');
    this.flags0 = save;
    const group: Node = name === undefined ? { k: 'group', kind, body, index, at } : { k: 'group', kind, body, index, name, at };
    return this.closure(group);
  }

  private addFlag(): void {
    let ch = this.peek();
    for (;;) {
      switch (String.fromCharCode(ch)) {
        case 'i': this.flags0 |= CASE_INSENSITIVE; break;
        case 'm': this.flags0 |= MULTILINE; break;
        case 's': this.flags0 |= DOTALL; break;
        case 'd': this.flags0 |= UNIX_LINES; break;
        case 'u': this.flags0 |= UNICODE_CASE; break;
        case 'c': throw this.refuse(this.cursor, 'CANON_EQ (?c)');
        case 'x': this.flags0 |= COMMENTS; break;
        case 'U': this.flags0 |= UNICODE_CHARACTER_CLASS | UNICODE_CASE; break;
        case '-':
          this.next();
          this.subFlag();
          return;
        default:
          return;
      }
      ch = this.next();
    }
  }

  private subFlag(): void {
    let ch = this.peek();
    for (;;) {
      let f: number;
      switch (String.fromCharCode(ch)) {
        case 'i': f = CASE_INSENSITIVE; break;
        case 'm': f = MULTILINE; break;
        case 's': f = DOTALL; break;
        case 'd': f = UNIX_LINES; break;
        case 'u': f = UNICODE_CASE; break;
        case 'c': f = 0; break;
        case 'x': f = COMMENTS; break;
        case 'U': f = UNICODE_CHARACTER_CLASS | UNICODE_CASE; break;
        default: return;
      }
      this.flags0 &= ~f;
      this.clearedFlags |= f;
      ch = this.next();
    }
  }

  private qtype(): QuantMode {
    const ch = this.next();
    if (ch === cc('?')) {
      this.next();
      return 'lazy';
    }
    if (ch === cc('+')) {
      this.next();
      return 'possessive';
    }
    return 'greedy';
  }

  private closure(prev: Node): Node {
    const ch = this.peek();
    const at = this.offsetOf(this.cursor);
    const quant = (min: number, max: number, mode: QuantMode): Node => ({ k: 'quant', body: prev, min, max, mode, at });
    if (ch === cc('?')) return quant(0, 1, this.qtype());
    if (ch === cc('*')) return quant(0, Infinity, this.qtype());
    if (ch === cc('+')) return quant(1, Infinity, this.qtype());
    if (ch !== cc('{')) return prev;
    let c = this.skip();
    if (!isDigit(c)) throw this.error('Illegal repetition');
    let cmin = 0;
    let cmax: number;
    do {
      cmin = cmin * 10 + (c - 0x30);
      if (cmin > MAX_REPS) throw this.error('Illegal repetition range');
    } while (isDigit((c = this.read())));
    if (c === cc(',')) {
      c = this.read();
      if (c === cc('}')) {
        this.unread();
        return quant(cmin, Infinity, this.qtype());
      }
      cmax = 0;
      while (isDigit(c)) {
        cmax = cmax * 10 + (c - 0x30);
        if (cmax > MAX_REPS) throw this.error('Illegal repetition range');
        c = this.read();
      }
    } else {
      cmax = cmin;
    }
    if (c !== cc('}')) throw this.error('Unclosed counted closure');
    if (cmax < cmin) throw this.error('Illegal repetition range');
    this.unread();
    return quant(cmin, cmax, this.qtype());
  }
}

// ---------------------------------------------------------------------------------------------
// Lookbehind check: a port of Pattern's TreeInfo study (JDK 17), including its int32 overflows

interface TreeInfo {
  /** Java's maxLength, an int32 that may have wrapped. */
  max: number;
  /** The true maximum length (may be Infinity). */
  real: number;
  maxValid: boolean;
  deterministic: boolean;
}

const freshInfo = (): TreeInfo => ({ max: 0, real: 0, maxValid: true, deterministic: true });

/** Studies nodes in order, as Java follows `next` links (a Branch studies what follows it separately). */
function studyChain(chain: readonly Node[], info: TreeInfo): void {
  for (let i = 0; i < chain.length; i++) {
    const n = chain[i];
    const rest = () => chain.slice(i + 1);
    switch (n.k) {
      case 'char':
        info.max = (info.max + 1) | 0;
        info.real += 1;
        break;
      case 'linebreak':
        info.max = (info.max + 2) | 0;
        info.real += 2;
        break;
      case 'backref':
        info.maxValid = false;
        break;
      case 'seq':
        studyChain([...n.items, ...rest()], info);
        return;
      case 'alt':
        studyBranch(n.alts.map((a) => [a]), rest(), info);
        return;
      case 'group':
        if (n.kind === 'capture' || n.kind === 'noncapture') {
          studyChain([n.body, ...rest()], info);
          return;
        }
        // Lookarounds add nothing; an atomic group is its body.
        if (n.kind === 'atomic') studyChain([n.body], info);
        break;
      case 'quant': {
        const isGroup = n.body.k === 'group' && (n.body.kind === 'capture' || n.body.kind === 'noncapture');
        if (n.min === 0 && n.max === 1) {
          if (isGroup && n.mode !== 'possessive') {
            // (X)? becomes a Branch of X and nothing.
            studyBranch([[n.body], []], rest(), info);
            return;
          }
          studyChain([n.body], info);
          info.deterministic = false;
          break;
        }
        if (n.body.k === 'char' && n.mode === 'greedy' && n.max === Infinity) {
          // CharPropertyGreedy: adds MAX_REPS and stays "valid".
          if (info.maxValid) info.max = (info.max + MAX_REPS) | 0;
          info.real = Infinity;
          info.deterministic = false;
          break;
        }
        const body = freshInfo();
        studyChain([n.body], body);
        if (isGroup && n.mode !== 'possessive' && !body.deterministic) {
          // A Loop: invalid, and nothing after it is studied.
          info.maxValid = false;
          info.deterministic = false;
          return;
        }
        studyCurly(n, body, info);
        break;
      }
      default:
        break;
    }
  }
}

function studyCurly(n: Extract<Node, { k: 'quant' }>, body: TreeInfo, info: TreeInfo): void {
  const cmax = n.max === Infinity ? MAX_REPS : n.max;
  const maxL = info.max;
  if (info.maxValid && body.maxValid) {
    const temp = (Math.imul(body.max, cmax) + maxL) | 0;
    info.max = temp;
    if (temp < maxL) info.maxValid = false;
  } else {
    info.maxValid = false;
  }
  info.real += body.real === 0 ? 0 : body.real * n.max;
  if (!(body.deterministic && n.min === n.max)) info.deterministic = false;
}

function studyBranch(alts: readonly (readonly Node[])[], rest: readonly Node[], info: TreeInfo): void {
  let maxV = info.maxValid;
  let maxL2 = -1;
  let real2 = 0;
  for (const alt of alts) {
    const b = freshInfo();
    studyChain(alt, b);
    maxL2 = Math.max(maxL2, b.max);
    real2 = Math.max(real2, b.real);
    maxV &&= b.maxValid;
  }
  const after = freshInfo();
  studyChain(rest, after);
  info.max = (after.max + ((info.max + maxL2) | 0)) | 0;
  info.real += real2 + after.real;
  info.maxValid = after.maxValid && maxV;
  info.deterministic = false;
}

/** Strings never get this long, so a window this wide is unbounded. */
const EFFECTIVELY_UNBOUNDED = 1 << 29;

// ---------------------------------------------------------------------------------------------
// Backreferences: Java fails on a group that has not matched, JS matches the empty string

interface GroupState {
  /** Groups that have matched on every path to this point, in Java and in JS alike. */
  readonly must: ReadonlySet<number>;
  /** Groups that may hold a value here in Java (including values kept from earlier loop iterations). */
  readonly may: ReadonlySet<number>;
}

function containsLinebreak(n: Node): boolean {
  switch (n.k) {
    case 'linebreak': return true;
    case 'seq': return n.items.some(containsLinebreak);
    case 'alt': return n.alts.some(containsLinebreak);
    case 'group': case 'quant': return containsLinebreak(n.body);
    default: return false;
  }
}

function isDeterministicGroupWithLinebreak(n: Node): boolean {
  if (n.k !== 'group' || (n.kind !== 'capture' && n.kind !== 'noncapture') || !containsLinebreak(n.body)) return false;
  const info = freshInfo();
  studyChain([n.body], info);
  return info.deterministic;
}

function hasBackref(n: Node): boolean {
  switch (n.k) {
    case 'backref': return true;
    case 'seq': return n.items.some(hasBackref);
    case 'alt': return n.alts.some(hasBackref);
    case 'group': case 'quant': return hasBackref(n.body);
    default: return false;
  }
}

function capturesIn(n: Node, out: Set<number> = new Set()): Set<number> {
  switch (n.k) {
    case 'seq': n.items.forEach((i) => capturesIn(i, out)); break;
    case 'alt': n.alts.forEach((a) => capturesIn(a, out)); break;
    case 'quant': capturesIn(n.body, out); break;
    case 'group':
      if (n.kind === 'capture') out.add(n.index);
      capturesIn(n.body, out);
      break;
    default: break;
  }
  return out;
}

/**
 * Finds the backreferences whose group cannot have matched (they never match in Java, so they
 * are emitted as an empty class) and refuses those whose group may or may not have matched.
 */
function neverMatchingBackrefs(tree: Node, pattern: string): Set<Node> {
  const never = new Set<Node>();
  // Java keeps what a group matched inside a lookaround that failed, and fills the groups of a
  // lookbehind from its shortest match where JS matches backwards: such values differ.
  const unreliable = new Set<number>();
  const collect = (n: Node): void => {
    if (n.k === 'group' && (n.kind === 'negLookahead' || n.kind === 'negLookbehind' || n.kind === 'lookbehind')) capturesIn(n.body, unreliable);
    if (n.k === 'seq') n.items.forEach(collect);
    else if (n.k === 'alt') n.alts.forEach(collect);
    else if (n.k === 'group' || n.k === 'quant') collect(n.body);
  };
  collect(tree);
  // Groups of the lookarounds enclosing the node being walked: references to them are ordinary.
  const enclosing: Set<number>[] = [];
  const insideOwnLookaround = (n: Extract<Node, { k: 'backref' }>) => enclosing.some((groups) => groups.has(n.group));
  const walk = (n: Node, st: GroupState): GroupState => {
    switch (n.k) {
      case 'backref':
        if (unreliable.has(n.group) && !insideOwnLookaround(n)) {
          throw new RegexError(
            pattern,
            n.at,
            `a backreference to group ${n.group}, inside a lookbehind or a negative lookahead, has no JavaScript equivalent (Java's value for it can differ)`,
          );
        }
        if (st.must.has(n.group)) return st;
        if (!st.may.has(n.group)) {
          never.add(n);
          return st;
        }
        throw new RegexError(
          pattern,
          n.at,
          `a backreference to group ${n.group}, which may not have matched at this point, has no JavaScript equivalent (Java fails where JavaScript would match the empty string)`,
        );
      case 'seq':
        return n.items.reduce((s, item) => walk(item, s), st);
      case 'alt': {
        const outs = n.alts.map((a) => walk(a, st));
        return {
          must: new Set([...outs[0].must].filter((g) => outs.every((o) => o.must.has(g)))),
          may: new Set(outs.flatMap((o) => [...o.may])),
        };
      }
      case 'group': {
        const lookaround = n.kind === 'negLookahead' || n.kind === 'negLookbehind' || n.kind === 'lookbehind';
        if (lookaround) enclosing.push(capturesIn(n.body));
        const out = walk(n.body, st);
        if (lookaround) enclosing.pop();
        if (n.kind === 'capture') return { must: new Set([...out.must, n.index]), may: new Set([...out.may, n.index]) };
        // Groups inside a negative lookaround never keep a value.
        return n.kind === 'negLookahead' || n.kind === 'negLookbehind' ? st : out;
      }
      case 'quant': {
        let inner = st;
        if (n.max > 1) {
          // JS clears the body's groups at each iteration; Java keeps the previous iteration's.
          const own = capturesIn(n.body);
          inner = { must: new Set([...st.must].filter((g) => !own.has(g))), may: new Set([...st.may, ...own]) };
        }
        const out = walk(n.body, inner);
        return { must: n.min >= 1 ? out.must : st.must, may: new Set([...st.may, ...out.may]) };
      }
      default:
        return st;
    }
  };
  walk(tree, { must: new Set(), may: new Set() });
  return never;
}

function findCaseInsensitiveBackref(n: Node, never: ReadonlySet<Node>): Extract<Node, { k: 'backref' }> | null {
  switch (n.k) {
    case 'backref': return n.caseInsensitive && !never.has(n) ? n : null;
    case 'seq': return n.items.reduce<Extract<Node, { k: 'backref' }> | null>((found, i) => found ?? findCaseInsensitiveBackref(i, never), null);
    case 'alt': return n.alts.reduce<Extract<Node, { k: 'backref' }> | null>((found, a) => found ?? findCaseInsensitiveBackref(a, never), null);
    case 'group': case 'quant': return findCaseInsensitiveBackref(n.body, never);
    default: return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Empty iterations: Java ends a loop on an iteration that matched nothing (and keeps it);
// JavaScript rejects such an iteration and tries the body's other alternatives first.

interface EmptyInfo {
  /** Can match the empty string. */
  readonly nullable: boolean;
  /** Can match a non-empty string. */
  readonly consuming: boolean;
  /** Every empty outcome is tried after every non-empty one, so both engines agree on the match. */
  readonly emptyLast: boolean;
}

function emptyInfo(n: Node): EmptyInfo {
  switch (n.k) {
    case 'char':
    case 'linebreak':
      return { nullable: false, consuming: true, emptyLast: true };
    case 'assert':
    case 'begin':
    case 'end':
      return { nullable: true, consuming: false, emptyLast: true };
    case 'backref':
      // A single outcome.
      return { nullable: true, consuming: true, emptyLast: true };
    case 'group': {
      if (n.kind === 'capture' || n.kind === 'noncapture') return emptyInfo(n.body);
      if (n.kind === 'atomic') return { ...emptyInfo(n.body), emptyLast: true };
      return { nullable: true, consuming: false, emptyLast: true };
    }
    case 'seq': {
      const infos = n.items.map(emptyInfo);
      const nullable = infos.every((i) => i.nullable);
      return { nullable, consuming: infos.some((i) => i.consuming), emptyLast: !nullable || infos.every((i) => i.emptyLast) };
    }
    case 'alt': {
      const infos = n.alts.map(emptyInfo);
      const first = infos.findIndex((i) => i.nullable);
      return {
        nullable: first >= 0,
        consuming: infos.some((i) => i.consuming),
        emptyLast: first < 0 || (infos[first].emptyLast && infos.slice(first + 1).every((i) => !i.consuming)),
      };
    }
    case 'quant': {
      const b = emptyInfo(n.body);
      if (n.max === 0) return { nullable: true, consuming: false, emptyLast: true };
      const nullable = n.min === 0 || b.nullable;
      if (n.mode === 'possessive') return { nullable, consuming: b.consuming, emptyLast: true };
      if (n.mode === 'lazy') return { nullable, consuming: b.consuming, emptyLast: !nullable || !b.consuming };
      return { nullable, consuming: b.consuming, emptyLast: b.emptyLast };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Emitter: tree -> JS source

interface Fragment {
  readonly src: string;
  /** Whether a quantifier can follow directly. */
  readonly atom: boolean;
}

const LINEBREAK = '(?:\\r\\n|[\\n\\v\\f\\r\\u{85}\\u{2028}\\u{2029}])';
/** JDK 17 repeats \R as a unit that never gives back the \n of \r\n. */
const LINEBREAK_UNIT = '(?:\\r\\n|(?!\\r\\n)[\\n\\v\\f\\r\\u{85}\\u{2028}\\u{2029}])';
const BACKREF_OPEN = '\uE000';
const BACKREF_CLOSE = '\uE001';

class Emitter {
  private jsCount = 0;
  readonly jsGroupsOf: number[][] = [[0]];
  hasHiddenGroups = false;
  /** Inside a second copy of a loop body: its groups are hidden extra copies of Java's. */
  private shadow = false;

  constructor(
    private readonly pattern: string,
    private readonly jsMultiline: boolean,
    private readonly neverMatching: ReadonlySet<Node>,
  ) {}

  run(tree: Node): string {
    const src = this.emit(tree, false).src;
    // Backreferences were written with Java numbers; groups may have moved since.
    return src.replace(new RegExp(`${BACKREF_OPEN}(\\d+):(\\d+)${BACKREF_CLOSE}`, 'g'), (_m, g: string, at: string) => {
      const copies = this.jsGroupsOf[Number(g)];
      if (copies.length > 1) {
        throw new RegexError(
          this.pattern,
          Number(at),
          `a backreference to group ${g}, whose value may come from a loop's final empty iteration, has no JavaScript equivalent`,
        );
      }
      return `(?:\\${copies[0]})`;
    });
  }

  private emit(n: Node, inLookbehind: boolean): Fragment {
    switch (n.k) {
      case 'char':
        return { src: emitPred(n.pred), atom: true };
      case 'assert':
        return { src: n.js, atom: false };
      case 'begin':
        return { src: this.jsMultiline ? AT_START : '^', atom: false };
      case 'end':
        return { src: this.jsMultiline ? AT_END : '$', atom: false };
      case 'linebreak':
        return { src: LINEBREAK, atom: true };
      case 'backref':
        // Java fails a reference to a group that has not matched (JS would match "").
        if (this.neverMatching.has(n)) return { src: '[]', atom: true };
        return { src: `${BACKREF_OPEN}${n.group}:${n.at}${BACKREF_CLOSE}`, atom: true };
      case 'seq': {
        if (n.items.length === 1) return this.emit(n.items[0], inLookbehind);
        return { src: n.items.map((i) => this.emit(i, inLookbehind).src).join(''), atom: false };
      }
      case 'alt':
        return { src: n.alts.map((a) => this.emit(a, inLookbehind).src).join('|'), atom: false };
      case 'group':
        return this.emitGroup(n, inLookbehind);
      case 'quant':
        return this.emitQuant(n, inLookbehind);
    }
  }

  private emitGroup(n: Extract<Node, { k: 'group' }>, inLookbehind: boolean): Fragment {
    switch (n.kind) {
      case 'capture': {
        const js = ++this.jsCount;
        (this.jsGroupsOf[n.index] ??= []).push(js);
        if (this.shadow) this.hasHiddenGroups = true;
        const body = this.emit(n.body, inLookbehind).src;
        return { src: n.name === undefined || this.shadow ? `(${body})` : `(?<${n.name}>${body})`, atom: true };
      }
      case 'noncapture':
        return { src: `(?:${this.emit(n.body, inLookbehind).src})`, atom: true };
      case 'atomic': {
        if (inLookbehind) throw new RegexError(this.pattern, n.at, 'an atomic group inside a lookbehind has no JavaScript equivalent');
        const hidden = this.hiddenGroup();
        const body = this.emit(n.body, inLookbehind).src;
        return { src: `(?=(${body}))(?:\\${hidden})`, atom: false };
      }
      case 'lookahead':
        return { src: `(?=${this.emit(n.body, inLookbehind).src})`, atom: false };
      case 'negLookahead':
        return { src: `(?!${this.emit(n.body, inLookbehind).src})`, atom: false };
      case 'lookbehind':
        return { src: `(?<=${this.emit(n.body, true).src})`, atom: false };
      case 'negLookbehind':
        return { src: `(?<!${this.emit(n.body, true).src})`, atom: false };
    }
  }

  private emitQuant(n: Extract<Node, { k: 'quant' }>, inLookbehind: boolean): Fragment {
    const { min, max } = n;
    if (n.mode === 'possessive' && inLookbehind) {
      throw new RegexError(this.pattern, n.at, 'a possessive quantifier inside a lookbehind has no JavaScript equivalent');
    }
    if (max > 1) {
      const b = emptyInfo(n.body);
      if (b.nullable && b.consuming && !b.emptyLast) {
        throw new RegexError(
          this.pattern,
          n.at,
          'repeating something that can match the empty string before it tries longer matches has no JavaScript equivalent (Java stops at the empty iteration, JavaScript skips it)',
        );
      }
    }
    // Allocated before the body's groups, whose '(' come after this one.
    const hidden = n.mode === 'possessive' ? this.hiddenGroup() : 0;
    let body: Fragment;
    if (n.body.k === 'linebreak') {
      body = { src: LINEBREAK_UNIT, atom: true };
    } else if ((n.mode === 'possessive' && max > 1 && n.body.k !== 'char') || (max > 1 && isDeterministicGroupWithLinebreak(n.body))) {
      // Java repeats these taking each iteration's first match (a possessive Curly never
      // backtracks, not even to reach the minimum count; a GroupCurly never makes a \R give
      // back the \n of "\r\n"): make each iteration atomic.
      const unit = this.hiddenGroup();
      body = { src: `(?:(?=(${this.emit(n.body, inLookbehind).src}))(?:\\${unit}))`, atom: true };
    } else {
      body = this.emit(n.body, inLookbehind);
    }
    let src: string;
    if (min === 0 && max === 1) {
      // Java's X? is a plain alternative, with no check for an empty X (JS's X? has one).
      src = n.mode === 'lazy' ? `(?:|${body.src})` : `(?:${body.src}|)`;
    } else if (max > min && n.mode !== 'lazy' && this.endsWithEmptyIteration(n.body)) {
      // Java ends such a loop with an iteration that matched nothing and reports that
      // iteration's groups; JS rejects it. So the last iteration is a plain alternative (which
      // may be empty), over a second copy of the body whose groups are hidden extra copies.
      const loop = max === Infinity ? wrap(body) + quantifier(min, Infinity) : max - 1 === 0 ? '' : wrap(body) + quantifier(min, max - 1);
      const wasShadow = this.shadow;
      this.shadow = true;
      const last = this.emit(n.body, inLookbehind).src;
      this.shadow = wasShadow;
      src = `${loop}(?:${last}|)`;
    } else {
      src = wrap(body) + quantifier(min, max) + (n.mode === 'lazy' ? '?' : '');
    }
    if (n.mode === 'possessive') {
      // Match greedily inside a lookahead (which never backtracks), then consume what it took.
      return { src: `(?=(${src}))(?:\\${hidden})`, atom: false };
    }
    return { src, atom: min === 0 && max === 1 };
  }

  /** A body that can match both nothing and something, holds groups, and has no backreferences. */
  private endsWithEmptyIteration(body: Node): boolean {
    const info = emptyInfo(body);
    return info.nullable && info.consuming && capturesIn(body).size > 0 && !hasBackref(body);
  }

  private hiddenGroup(): number {
    this.hasHiddenGroups = true;
    return ++this.jsCount;
  }
}

function quantifier(min: number, max: number): string {
  if (max === Infinity) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

function wrap(f: Fragment): string {
  return f.atom ? f.src : `(?:${f.src})`;
}

// ---------------------------------------------------------------------------------------------
// Predicate -> JS: one class when possible, lookaheads otherwise

interface Flat {
  readonly neg: boolean;
  readonly r: number[];
  /** JS property escapes, e.g. '\\p{Lu}' or '\\P{Lu}'. */
  readonly props: readonly string[];
}

function flipProp(p: string): string {
  return (p.charAt(1) === 'p' ? '\\P' : '\\p') + p.slice(2);
}

function toFlat(p: CharPred): Flat | null {
  switch (p.k) {
    case 'set':
      return { neg: false, r: p.r, props: [] };
    case 'prop':
      return { neg: false, r: [], props: [`\\p{${p.name}}`] };
    case 'not': {
      const f = toFlat(p.a);
      return f === null ? null : { neg: !f.neg, r: f.r, props: f.props };
    }
    case 'or': {
      let r: number[] = [];
      const props: string[] = [];
      for (const child of p.a) {
        const f = toFlat(child);
        if (f === null) return null;
        if (!f.neg) {
          r = rUnion(r, f.r);
          props.push(...f.props);
        } else if (f.props.length === 0) {
          r = rUnion(r, rComplement(f.r));
        } else if (f.r.length === 0 && f.props.length === 1) {
          props.push(flipProp(f.props[0]));
        } else {
          return null;
        }
      }
      return { neg: false, r, props };
    }
    case 'and': {
      let r: number[] = [0, MAX_CP];
      for (const child of p.a) {
        const f = toFlat(child);
        if (f === null || f.props.length > 0) return null;
        r = rIntersect(r, f.neg ? rComplement(f.r) : f.r);
      }
      return { neg: false, r, props: [] };
    }
  }
}

/** JS source matching exactly one code point that satisfies `p`. */
function emitPred(p: CharPred): string {
  const f = toFlat(p);
  if (f !== null) return emitFlat(f);
  switch (p.k) {
    case 'or':
      return `(?:${p.a.map(emitPred).join('|')})`;
    case 'and':
      return `(?:${p.a.slice(0, -1).map((c) => (c.k === 'not' ? `(?!${emitPred(c.a)})` : `(?=${emitPred(c)})`)).join('')}${emitPred(p.a[p.a.length - 1])})`;
    case 'not':
      return `(?:(?!${emitPred(p.a)})[\\s\\S])`;
    default:
      return emitFlat({ neg: false, r: [], props: [] });
  }
}

function emitFlat(f: Flat): string {
  let { neg, r } = f;
  const { props } = f;
  // Prefer the shorter of a set and its complement.
  if (props.length === 0) {
    const c = rComplement(r);
    if (c.length < r.length) {
      r = c;
      neg = !neg;
    }
  }
  if (r.length === 0 && props.length === 0) return neg ? '[\\s\\S]' : '[]';
  if (r.length === 0 && props.length === 1) return neg ? flipProp(props[0]) : props[0];
  if (!neg && props.length === 0 && r.length === 2 && r[0] === r[1]) return jsChar(r[0], false);
  let body = '';
  for (let i = 0; i < r.length; i += 2) {
    const lo = r[i];
    const hi = r[i + 1];
    body += jsChar(lo, true);
    if (hi > lo + 1) body += '-';
    if (hi > lo) body += jsChar(hi, true);
  }
  return `[${neg ? '^' : ''}${body}${props.join('')}]`;
}

function jsChar(cp: number, inClass: boolean): string {
  if (cp >= 0x20 && cp <= 0x7e) {
    const ch = String.fromCharCode(cp);
    const special = inClass ? '\\]^-[' : '^$\\.*+?()[]{}|/';
    return special.includes(ch) ? `\\${ch}` : ch;
  }
  switch (cp) {
    case 0x09: return '\\t';
    case 0x0a: return '\\n';
    case 0x0b: return '\\v';
    case 0x0c: return '\\f';
    case 0x0d: return '\\r';
    default: return `\\u{${cp.toString(16).toUpperCase()}}`;
  }
}
