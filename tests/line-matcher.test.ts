import { describe, expect, it, vi } from 'vitest';
import { generateLines } from '../src/generate/index.js';
import { Random } from '../src/generate/random.js';
import type { ColumnDef } from '../src/hive/ast.js';
import { T, type HiveValue } from '../src/hive/types.js';
import { compileJavaRegex, type JavaRegex } from '../src/serde/java-regex.js';
import { BUDGET_EXCEEDED, compileLineMatcher, type LineMatcher } from '../src/serde/line-matcher.js';
import { RegexSerDe } from '../src/serde/regex-serde.js';
import { matchTutorialShape, TUTORIAL_PATTERN } from '../src/serde/tutorial-shape.js';

/** The AWS EMR tutorial's input.regex, as the engine receives it. */
const TUTORIAL = String.raw`^(?!#)([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+[^(]+[(]([^;]+).*\%20([^/]+)[/](.*)$`;
/** jobs/combined_top_pages.q's Apache combined log regex. */
const COMBINED = String.raw`^([^ ]+) ([^ ]+) ([^ ]+) \[([^\]]+)\] "([^ "]+) ([^ "]+) ([^ "]+)" ([0-9]{3}) ([0-9]+|-) "([^"]*)" "([^"]*)"$`;

/** Patterns the compiled matcher handles, each with something the two passes must get right. */
const IN_CLASS: readonly string[] = [
  TUTORIAL,
  COMBINED,
  String.raw`^(\S+) (\S+)$`,
  String.raw`([^,]*),([^,]*)`,
  String.raw`(.*)%20(.*)`,
  String.raw`([^ ]*)\s(.*)\s([^ ]*)`,
  String.raw`^(?!#)(\w*)\s*(.*?)(\d+)$`,
  String.raw`(a|ab)(c|bcd)(d*)`,
  String.raw`((?:[^;]+;)+)(.*)`,
  String.raw`(\d{2,4})(\d*)[^\d]*`,
  String.raw`(\S+?)(%20)?(\S*)`,
  String.raw`(x)?([^x]*)(?:(y)|z)?(.*)`,
  String.raw`^(?=\S)(.*\S)?\s*$`,
  String.raw`(?i)(get|post) (\S+)(.*)`,
  String.raw`(?s)(.*)\((.*)`,
  String.raw`([^(]+)[(]([^;]+);?(.*)`,
  String.raw`(\s+)([^\s]+)(\s*)`,
  String.raw`(.{0,5})(.{3})(.*?)`,
  String.raw`(#?)([^#]*)(?:#(.*))?\z`,
  String.raw`(a+?)(a*)(b?)`,
];

/** Java's groups 1..n from the RegExp: the reference. */
function reference(regex: JavaRegex, line: string): (string | undefined)[] | null {
  const m = regex.matchWhole(line);
  return m === null ? null : m.slice(1);
}

/** What `run` returns, and how many times it called `regex.matchWhole` meanwhile. */
function countingRegExpCalls<R>(regex: JavaRegex, run: () => R): { result: R; regExpCalls: number } {
  const spy = vi.spyOn(regex, 'matchWhole');
  try {
    const result = run();
    return { result, regExpCalls: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

/**
 * Lines on which the compiled matcher and the RegExp disagree (at most a few, to keep failures
 * readable). The compiled matcher must answer every line without the RegExp.
 */
function disagreements(pattern: string | JavaRegex, lines: Iterable<string>): string[] {
  const regex = typeof pattern === 'string' ? compileJavaRegex(pattern) : pattern;
  const matcher = compileLineMatcher(regex, { prefer: 'compiled' });
  const all = [...lines];
  const { result: got, regExpCalls } = countingRegExpCalls(regex, () => all.map((line) => matcher.match(line)));
  const bad: string[] = regExpCalls === 0 ? [] : [`matchWhole called ${regExpCalls} times`];
  all.forEach((line, i) => {
    const want = reference(regex, line);
    if (!sameGroups(got[i], want) && bad.length < 5) bad.push(`${JSON.stringify(line)}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(want)}`);
  });
  return bad;
}

function sameGroups(a: readonly (string | undefined)[] | null | typeof BUDGET_EXCEEDED, b: readonly (string | undefined)[] | null): boolean {
  // The compiled strategy never gives up; a budgeted matcher's BUDGET_EXCEEDED is no answer.
  if (a === BUDGET_EXCEEDED) return false;
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((g, i) => g === b[i]);
}

/** Characters weighted toward what the patterns above treat specially. */
const ALPHABET: readonly (readonly [string, number])[] = [
  [' ', 8], ['\t', 8], ['\u000b', 1], ['\f', 1], ['\r', 1], ['\n', 1], ['(', 4], [')', 2], [';', 4], ['%20', 4], ['%', 1],
  ['/', 4], ['#', 2], [',', 2], ['"', 2], ['[', 1], [']', 1], ['-', 2], ['\u0085', 1], ['\u2028', 1], ['é', 1],
  ['a', 6], ['b', 3], ['x', 2], ['y', 1], ['z', 1], ['d', 1], ['G', 1], ['T', 1], ['0', 3], ['2', 3], ['7', 2],
];
const ALPHABET_TOTAL = ALPHABET.reduce((sum, [, w]) => sum + w, 0);

function randomLine(rng: Random, maxLength: number): string {
  const length = rng.int(0, maxLength);
  let line = '';
  for (let i = 0; i < length; i++) {
    let u = rng.int(0, ALPHABET_TOTAL - 1);
    for (const [piece, w] of ALPHABET) {
      if (u < w) {
        line += piece;
        break;
      }
      u -= w;
    }
  }
  return line;
}

/** A real line damaged the way logs get damaged: fields lost, repeated, swapped, respaced. */
function mutate(rng: Random, line: string): string {
  const fields = line.split('\t');
  const steps = rng.int(1, 3);
  for (let s = 0; s < steps; s++) {
    if (fields.length === 0) fields.push('');
    const i = rng.int(0, fields.length - 1);
    const j = rng.int(0, fields.length - 1);
    switch (rng.int(0, 7)) {
      case 0: fields.splice(i, 1); break;
      case 1: fields.splice(i, 0, fields[i]); break;
      case 2: [fields[i], fields[j]] = [fields[j], fields[i]]; break;
      case 3: fields[i] = fields[i].slice(0, rng.int(0, fields[i].length)) + rng.pick([' ', '  ', '\t ', ' \t']) + fields[i].slice(rng.int(0, fields[i].length)); break;
      case 4: fields[i] = fields[i].replaceAll('(', ''); break;
      case 5: fields[i] = fields[i].replaceAll('%20', rng.pick([' ', '%2', '%20%20', ''])); break;
      case 6: fields[i] = fields[i].replaceAll(';', rng.pick(['', ';;', ' ;'])); break;
      default: fields[i] += rng.pick(['\r', '\n', '\u0085', '#', '/', '(']); break;
    }
  }
  return fields.join(rng.pick(['\t', '\t', '\t', ' ']));
}

const sampleLines = (count: number, seed: number) => [...generateLines({ format: 'cloudfront-sample', lines: count, seed, oddRate: 0.2 })];
const combinedLines = (count: number, seed: number) => [...generateLines({ format: 'combined', lines: count, seed, oddRate: 0.2 })];

describe('compileLineMatcher', () => {
  it('compiles the tutorial regex, keeps the RegExp where it cannot backtrack, and gives a backreference a step budget', () => {
    const strategy = (pattern: string, prefer?: 'compiled') => compileLineMatcher(compileJavaRegex(pattern), { prefer }).strategy;

    // Act
    const preferred = IN_CLASS.map((p) => strategy(p, 'compiled'));
    const outside = [
      String.raw`(a+)\1`,
      String.raw`(a|b)+`,
      String.raw`a\bb(c)`,
      String.raw`(?m)^(a)$`,
      String.raw`(a*+)b`,
      String.raw`(?=(a))a`,
      // A leading check that could backtrack far is no longer tested by the RegExp.
      String.raw`(?=(?:a+)+b)(a)`,
    ].map((p) => strategy(p, 'compiled'));

    // Assert
    expect(new Set(preferred)).toEqual(new Set(['compiled']));
    expect(new Set(outside)).toEqual(new Set(['budgeted']));
    expect(strategy(String.raw`^(?!#)(.*)`, 'compiled')).toBe('compiled');
    expect(strategy(String.raw`^(?=[^x]*y)(.*)`, 'compiled')).toBe('compiled');
    // Ambiguous: [^ ] and \s both take a tab; . and % both take a %.
    expect(strategy(TUTORIAL)).toBe('compiled');
    expect(strategy(String.raw`(.*)%20(.*)`)).toBe('compiled');
    // One-pass: the next character always decides, so the RegExp never backtracks far.
    expect(strategy(COMBINED)).toBe('regexp');
    expect(strategy(String.raw`^(\S+) (\S+)$`)).toBe('regexp');
  });

  it('gives the RegExp groups on the tutorial regex for generated sample lines', () => {
    // The RegExp itself takes ~0.2-0.5 ms per such line, which bounds how many fit here.
    expect(disagreements(TUTORIAL, sampleLines(2500, 11))).toEqual([]);
  });

  it('gives the RegExp groups on 20,000 generated lines for the cheaper patterns', () => {
    const lines = [...sampleLines(10_000, 12), ...combinedLines(10_000, 13)];
    for (const pattern of IN_CLASS.filter((p) => p !== TUTORIAL)) expect(disagreements(pattern, lines), pattern).toEqual([]);
  });

  it('gives the RegExp groups on random lines over an alphabet of special characters', () => {
    const rng = new Random(42);
    const lines = Array.from({ length: 20_000 }, () => randomLine(rng, 40));
    for (const pattern of IN_CLASS) expect(disagreements(pattern, lines), pattern).toEqual([]);
  });

  it('gives the RegExp groups on mutated real lines', () => {
    const rng = new Random(7);
    const lines = sampleLines(1500, 14).map((l) => mutate(rng, l));
    for (const pattern of IN_CLASS) expect(disagreements(pattern, lines), pattern).toEqual([]);
  });

  it('gives the RegExp groups on hand-written edge cases', () => {
    const line = 'f1\tf2\tf3\tf4\tf5\tf6\tf7\tf8\tf9\tf10\tMozilla/5.0%20(X11;%20Linux)%20Gecko/1';
    const cases = [
      '',
      '#',
      '#Version: 1.0',
      line,
      '#' + line,
      line + '\n',
      line + '\r\n',
      line + '\r',
      line.replaceAll('\t', ' '),
      line.replaceAll('\t', ' \t\u000b\f\r '),
      line.replace('(', ''),
      line.replace(';', ''),
      line.replace('%20Gecko', ' Gecko'),
      line.replace('Gecko/1', 'Gecko'),
      line.replace('\tMozilla', '\t\tMozilla'),
      line.replace('Linux', 'Linux\u0085'),
      line.replace('Gecko/1', 'Gecko/1\u2028'),
      line.replace('f1', 'f1😀'),
      line.replace('Mozilla', '(;%20/').replace('f5', 'f5%20/'),
      'a\t'.repeat(14) + '(b;%20c/d',
      ' '.repeat(30),
      '\t'.repeat(30),
      '('.repeat(20) + ';%20/',
      'a '.repeat(12) + '(;x%20%20//',
      '\t '.repeat(12) + '(x;%20y/z',
      'x\t'.repeat(13) + '(c;%20d/e',
      // Two tabs between fields: ~0.2 s of backtracking for the RegExp on the tutorial regex.
      line.replaceAll('\t', '\t\t'),
    ];
    for (const pattern of IN_CLASS) expect(disagreements(pattern, cases), pattern).toEqual([]);
  });

  it('handles surrogate pairs, new character classes in mid-line and the \\s of Java', () => {
    // Eleven sets of non-ASCII characters: the classes outgrow the table mid-line.
    const pattern = String.raw`(α+)(β*)(γ?)(δ+)(ε*)([ζη]+)(θ*)(ι*)(κ*)(λ*)(μ*)\s(.*)`;
    const rng = new Random(3);
    const chars = ['α', 'β', 'γ', 'δ', 'ε', 'ζ', 'η', 'θ', 'ι', 'κ', 'λ', 'μ', ' ', '\t', '\u000b', '\u00a0', '😀', 'a'];
    const lines = ['αδζ μ', 'αββγδδεζηθικλμ\u000bx', 'αδζ\u00a0x', 'αδζ 😀'];
    for (let i = 0; i < 2000; i++) lines.push(Array.from({ length: rng.int(0, 20) }, () => rng.pick(chars)).join(''));
    expect(disagreements(pattern, lines)).toEqual([]);
  });

  it('stays exact and linear on adversarial lines', () => {
    // Too long for the RegExp to answer in time, so the expected groups are worked out by hand.
    const matcher = compileLineMatcher(compileJavaRegex(TUTORIAL), { prefer: 'compiled' });
    const prefix = 'a\t'.repeat(10) + 'M';

    // Act
    const results = [
      matcher.match('a\t'.repeat(50_000)),
      matcher.match(' \t'.repeat(50_000) + '(x;%20y/z'),
      matcher.match(prefix + 'b'.repeat(1 << 20)),
      matcher.match(prefix + '(' + ';'.repeat(1 << 20)),
      matcher.match(prefix + '(c;' + '%20'.repeat(300_000) + '/'),
      matcher.match('x\t'.repeat(200_000) + '(c;%20d/e'),
    ];

    // Assert
    expect(results.slice(0, 4)).toEqual([null, null, null, null]);
    // `.*` stops before the last %20 but one: after the last, ([^/]+) would be empty.
    expect(results[4]).toEqual([...Array<string>(10).fill('a'), 'c', '%20', '']);
    // Group 1 leaves nine fields for groups 2-10 and one for [^(]+.
    expect(results[5]).toEqual(['x\t'.repeat(200_000 - 11) + 'x', ...Array<string>(9).fill('x'), 'c', 'd', 'e']);
  });

  it('agrees with the RegExp when the lazily built DFA outgrows its cache', () => {
    // Before the 'a' the reverse DFA has to remember the next 17 characters: 2^17 states.
    const pattern = String.raw`([ab]{17})a([ab]*)`;
    const rng = new Random(5);
    const long = Array.from({ length: 300_000 }, () => (rng.chance(0.5) ? 'a' : 'b')).join('');
    const matching = long.slice(0, 17) + 'a' + long.slice(18);
    const lines = [long, matching, ...Array.from({ length: 3000 }, () => long.slice(rng.int(0, 1000), rng.int(1000, 2000)))];
    expect(disagreements(pattern, lines)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Supplementary characters: in 'u' mode a surrogate pair is one character, a lone surrogate too.

const EMOJI = '😀'; // U+1F600
const CJK_EXT_B = '\u{20000}';
const LAST_CODE_POINT = '\u{10FFFF}';
const LONE_HIGH = '\ud83d';
const LONE_LOW = '\ude00';

/** Patterns (Java syntax) that read supplementary characters in every way the class allows. */
const SUPPLEMENTARY_PATTERNS: readonly string[] = [
  TUTORIAL_PATTERN,
  String.raw`(.*)😀(.*)`,
  String.raw`(😀+)(.*?)`,
  String.raw`([😀-😂]*)([^😀]*)(.)`,
  String.raw`(\x{1F600}+)(.*)`,
  String.raw`(.*?)(\x{10FFFF}|\x{20000})(.*)`,
  String.raw`([\x{20000}-\x{2FFFF}]+)([^a]*?)(a|😀|\uD83D)(.*)`,
  String.raw`((?:😀|x)+)(.*)`,
  String.raw`(.)(.?)(.{2})(.*)`,
  String.raw`(?s)(.{2,3}?)(.{0,4})(.*)`,
  String.raw`([^ ]+?)(\S*)\s(.*)`,
  String.raw`(\W+)(\w*)(\D?)(.*)`,
  String.raw`([^\uD83D]*)(\uDE00?)(.*)`,
  String.raw`^(?!😀)(.+?)(a*)$`,
  String.raw`(.*)(.)(?<=😀)`,
  String.raw`(.*?)(\w*)(?<!\w)`,
];

/** Pieces of random lines: ASCII, BMP, astral characters and lone surrogates (adjacent lone halves make pairs too). */
const MIXED_PIECES: readonly string[] = [
  'a', 'a', 'b', 'x', ' ', '\t', '(', ';', '%20', '/', '#', '\n', 'é', '中', '\u2028',
  EMOJI, EMOJI, '😁', '😂', '😃', CJK_EXT_B, '\u{2FFFF}', LAST_CODE_POINT, '\u{10000}',
  LONE_HIGH, LONE_LOW, '\ud800', '\udbff', '\udc00', '\udfff',
];

const SUPPLEMENTARY_PIECES: readonly string[] = [EMOJI, CJK_EXT_B, LAST_CODE_POINT, LONE_HIGH, LONE_LOW, LONE_LOW + LONE_HIGH, EMOJI + EMOJI];

function mixedLine(rng: Random, maxPieces: number): string {
  return Array.from({ length: rng.int(0, maxPieces) }, () => rng.pick(MIXED_PIECES)).join('');
}

/** A tutorial-format line with supplementary characters inserted anywhere, and one more inside the user agent (the last field). */
function withSupplementary(rng: Random, line: string): string {
  const insertAt = (s: string, at: number) => s.slice(0, at) + rng.pick(SUPPLEMENTARY_PIECES) + s.slice(at);
  let out = line;
  for (let i = rng.int(0, 2); i > 0; i--) out = insertAt(out, rng.int(0, out.length));
  const userAgent = out.lastIndexOf('\t') + 1;
  return insertAt(out, rng.int(userAgent, out.length));
}

const TUTORIAL_LINE = 'f1\tf2\tf3\tf4\tf5\tf6\tf7\tf8\tf9\tf10\tMozilla/5.0%20(X11;%20Linux)%20Gecko/1';

/** The EMR tutorial's input.regex as RegexSerDe compiles it; its 13 string columns. */
const tutorialRegex = () => compileJavaRegex(TUTORIAL_PATTERN);
const tutorialColumns: ColumnDef[] = Array.from({ length: 13 }, (_v, i) => ({ name: `c${i}`, type: T.string, at: 0 }));

/** A row as RegexSerDe must build it from the RegExp's groups (NULLs for a non-matching line). */
function expectedRow(regex: JavaRegex, line: string): HiveValue[] {
  const groups = reference(regex, line);
  return groups === null ? Array<HiveValue>(13).fill(null) : groups.map((g) => g ?? null);
}

/** The adversarial line of issue 9: double tabs make the RegExp try ~2^n splits before it finds no %20. */
const adversarial = (repetitions: number, tail = 'x(y;z😀') => 'a\t\t'.repeat(repetitions) + tail;

describe('compileLineMatcher on supplementary characters', () => {
  it('compiles every supplementary pattern', () => {
    // Act
    const strategies = SUPPLEMENTARY_PATTERNS.map((p) => compileLineMatcher(compileJavaRegex(p), { prefer: 'compiled' }).strategy);

    // Assert
    expect(new Set(strategies)).toEqual(new Set(['compiled']));
  });

  it('gives the RegExp groups on hand-written lines with pairs and lone surrogates in every position', () => {
    // Arrange
    const lines = [
      EMOJI, CJK_EXT_B, LAST_CODE_POINT, LONE_HIGH, LONE_LOW, LONE_LOW + LONE_HIGH, LONE_HIGH + EMOJI, EMOJI + LONE_LOW,
      EMOJI.repeat(5), 'a' + EMOJI + 'a', EMOJI + ' ' + EMOJI, '😀😁😂😃', LONE_HIGH + LONE_HIGH + LONE_LOW + LONE_LOW,
      EMOJI + TUTORIAL_LINE,
      TUTORIAL_LINE + EMOJI,
      TUTORIAL_LINE + LONE_HIGH,
      LONE_LOW + TUTORIAL_LINE,
      TUTORIAL_LINE.replace('f5', EMOJI),
      TUTORIAL_LINE.replace('f5', 'f5' + CJK_EXT_B),
      TUTORIAL_LINE.replace('\tf5', '\t' + LAST_CODE_POINT + 'f5'),
      TUTORIAL_LINE.replace('(', EMOJI + '('),
      TUTORIAL_LINE.replace('(', '(' + EMOJI),
      TUTORIAL_LINE.replace(';', EMOJI + ';'),
      TUTORIAL_LINE.replace('Linux', 'Li' + EMOJI + 'nux' + LONE_HIGH),
      TUTORIAL_LINE.replace('%20Gecko', '%20' + EMOJI + 'Gecko'),
      TUTORIAL_LINE.replace('Gecko/', 'Gecko' + EMOJI + '/'),
      TUTORIAL_LINE.replace('/1', '/' + EMOJI),
      TUTORIAL_LINE.replace('/1', '/' + LONE_LOW),
      TUTORIAL_LINE.replace('%20Gecko/1', '%20' + EMOJI + '/' + EMOJI),
      TUTORIAL_LINE.replace('Mozilla', EMOJI + '%20' + EMOJI + '/'),
      TUTORIAL_LINE.replaceAll('\t', '\t\t').replace('Linux', EMOJI),
      TUTORIAL_LINE.replace('\tf3', '\t' + EMOJI + '\t' + EMOJI),
      'a\t'.repeat(10) + EMOJI + '(' + EMOJI + ';%20' + EMOJI + '/' + EMOJI,
      'a\t'.repeat(10) + LONE_HIGH + '(' + LONE_LOW + ';%20' + LONE_HIGH + '/' + LONE_LOW,
    ];

    // Act
    const bad = SUPPLEMENTARY_PATTERNS.map((p) => disagreements(p, lines));

    // Assert (also that no line reached the RegExp)
    expect(bad).toEqual(SUPPLEMENTARY_PATTERNS.map(() => []));
  });

  it('gives the RegExp groups on a random corpus mixing ASCII, BMP, astral characters and lone surrogates', () => {
    // Arrange
    const rng = new Random(2026);
    const lines = Array.from({ length: 4000 }, () => mixedLine(rng, 24));

    // Act
    const bad = SUPPLEMENTARY_PATTERNS.map((p) => disagreements(p, lines));

    // Assert
    expect(bad).toEqual(SUPPLEMENTARY_PATTERNS.map(() => []));
  });

  it('gives the RegExp groups on tutorial-format lines with supplementary characters inserted', () => {
    // Arrange
    const rng = new Random(9);
    const lines = sampleLines(1500, 15).map((line) => withSupplementary(rng, rng.chance(0.3) ? mutate(rng, line) : line));

    // Act
    const bad = SUPPLEMENTARY_PATTERNS.map((p) => disagreements(p, lines));

    // Assert
    expect(bad).toEqual(SUPPLEMENTARY_PATTERNS.map(() => []));
  });

  it('gives the RegExp groups on astral lines that outgrow the DFA cache', () => {
    // Arrange: before the 'a' the reverse DFA has to remember the next 17 characters (2^17 states).
    const pattern = String.raw`([a😀]{17})a([a😀]*)`;
    const rng = new Random(17);
    const long = Array.from({ length: 200_000 }, () => (rng.chance(0.5) ? 'a' : EMOJI)).join('');
    const lines = [long, '😀a'.repeat(9) + 'a' + long, ...Array.from({ length: 1000 }, () => long.slice(rng.int(0, 1000), rng.int(1000, 2000)))];

    // Act
    const bad = disagreements(pattern, lines);

    // Assert
    expect(bad).toEqual([]);
  });

  it('gives the RegExp groups when astral character classes outgrow the table mid-line', () => {
    // Arrange: eleven sets of astral characters, met for the first time in the middle of lines.
    const pattern = String.raw`(😀+)(😁*)(😂?)(😃+)(😄*)([😅😆]+)(😇*)(😈*)(😉*)(😊*)(😋*)\s(.*)`;
    const rng = new Random(19);
    const chars = ['😀', '😁', '😂', '😃', '😄', '😅', '😆', '😇', '😈', '😉', '😊', '😋', ' ', '\t', '\u00a0', CJK_EXT_B, LONE_HIGH, 'a'];
    const lines = ['😀😃😅 😋', '😀😁😁😂😃😃😄😅😆😇😈😉😊😋\u000bx', '😀😃😅\u00a0x', '😀😃😅 ' + LONE_LOW];
    for (let i = 0; i < 2000; i++) lines.push(Array.from({ length: rng.int(0, 20) }, () => rng.pick(chars)).join(''));

    // Act
    const bad = disagreements(pattern, lines);

    // Assert
    expect(bad).toEqual([]);
  });

  it('answers the adversarial line of issue 9 and longer ones without the RegExp', () => {
    // Arrange
    const regex = tutorialRegex();
    const matcher = compileLineMatcher(regex);
    const lengths = [16, 64, 1000];

    // Act
    const { result, regExpCalls } = countingRegExpCalls(regex, () => lengths.map((n) => [matcher.match(adversarial(n)), matcher.match(adversarial(n, 'x(y;z😀%20b😀/c😀'))]));

    // Assert
    expect(matcher.strategy).toBe('compiled');
    expect(regExpCalls).toBe(0);
    lengths.forEach((n, i) => {
      // No %20 in the line, and the pattern needs one: no split of the fields can help.
      expect(result[i][0]).toBeNull();
      // Greedy group 1 leaves each of groups 2-10 one `a\t`, each \s+ the tab after it, and [^(]+ the x.
      expect(result[i][1]).toEqual(['a\t\t'.repeat(n - 10) + 'a\t', ...Array<string>(9).fill('a\t'), 'y', 'b😀', 'c😀']);
    });
  });

  it('agrees with the RegExp on the adversarial shape where the RegExp is still fast enough to ask', () => {
    // Arrange: 10 repetitions, the fewest that can match; the RegExp's time doubles with each one more.
    const lines = [adversarial(10), adversarial(10, 'x(y;z😀%20b😀/c😀'), adversarial(6, 'x(y;z😀%20b😀/c😀')];

    // Act
    const bad = disagreements(TUTORIAL_PATTERN, lines);

    // Assert
    expect(bad).toEqual([]);
    expect(reference(tutorialRegex(), lines[1])).toEqual(['a\t', ...Array<string>(9).fill('a\t'), 'y', 'b😀', 'c😀']);
  });

  it('never calls the RegExp for a compiled pattern, whatever the line', () => {
    // Arrange
    const rng = new Random(4);
    const lines = [...Array.from({ length: 300 }, () => mixedLine(rng, 40)), adversarial(20), '\t'.repeat(40) + LONE_HIGH];
    const compiled: [JavaRegex, LineMatcher][] = SUPPLEMENTARY_PATTERNS.map((p) => {
      const regex = compileJavaRegex(p);
      return [regex, compileLineMatcher(regex, { prefer: 'compiled' })];
    });

    // Act
    const calls = compiled.map(([regex, matcher]) => countingRegExpCalls(regex, () => lines.forEach((line) => matcher.match(line))).regExpCalls);

    // Assert
    expect(calls).toEqual(compiled.map(() => 0));
  });
});

describe('RegexSerDe on lines with supplementary characters', () => {
  const deserialize = (serde: RegexSerDe, line: string): HiveValue[] => {
    const row: HiveValue[] = [];
    serde.deserialize(line, row);
    return row;
  };

  it('gives the RegExp rows for tutorial lines with surrogates, through the shortcut and through the compiled matcher', () => {
    // Arrange: some lines keep the common shape (the shortcut takes them), doubled tabs leave it (the compiled matcher).
    const serde = new RegexSerDe(tutorialColumns, new Map([['input.regex', TUTORIAL_PATTERN]]), { line: 1, column: 1 });
    const rng = new Random(21);
    const lines = sampleLines(600, 16).map((line) => withSupplementary(rng, rng.chance(0.4) ? line.replace('\t', '\t\t') : line));
    const shortcutLines = lines.filter((line) => matchTutorialShape(line) !== undefined).length;

    // Act
    const { result: rows, regExpCalls } = countingRegExpCalls(serde.regex, () => lines.map((line) => deserialize(serde, line)));

    // Assert
    expect(regExpCalls).toBe(0);
    expect(shortcutLines).toBeGreaterThan(100);
    expect(lines.length - shortcutLines).toBeGreaterThan(100);
    expect(rows).toEqual(lines.map((line) => expectedRow(serde.regex, line)));
  });

  it('reads the adversarial lines of issue 9 as rows of NULLs, or as the expected groups, without the RegExp', () => {
    // Arrange
    const serde = new RegexSerDe(tutorialColumns, new Map([['input.regex', TUTORIAL_PATTERN]]), { line: 1, column: 1 });
    const lines = [16, 64, 1000].flatMap((n) => [adversarial(n), adversarial(n, 'x(y;z😀%20b😀/c😀')]);

    // Act
    const { result, regExpCalls } = countingRegExpCalls(serde.regex, () =>
      lines.map((line) => {
        const row: HiveValue[] = [];
        return { matched: serde.deserialize(line, row), row };
      }),
    );

    // Assert
    expect(regExpCalls).toBe(0);
    expect(result.map((r) => r.matched)).toEqual([false, true, false, true, false, true]);
    expect(result[0].row).toEqual(Array<HiveValue>(13).fill(null));
    expect(result[3].row).toEqual(['a\t\t'.repeat(54) + 'a\t', ...Array<string>(9).fill('a\t'), 'y', 'b😀', 'c😀']);
  });
});

// ---------------------------------------------------------------------------------------------
// JavaScript's 'i' flag

/**
 * The translation of `pattern` run with JavaScript's case folding. compileJavaRegex adds 'i' only
 * for a case-insensitive backreference (outside the compiled class), so this stands in for it.
 */
function withJsCaseFolding(pattern: string): JavaRegex {
  const base = compileJavaRegex(pattern);
  const flags = base.flags + 'i';
  const whole = new RegExp(`^(?:${base.source})$`, flags);
  const find = new RegExp(base.source, flags);
  return {
    javaSource: base.javaSource,
    source: base.source,
    flags,
    groupCount: base.groupCount,
    groupNames: base.groupNames,
    matchWhole: (input) => whole.exec(input),
    find: (input) => find.exec(input),
    global: () => new RegExp(base.source, flags + 'g'),
    javaMatch: (raw) => raw,
  };
}

/** Patterns whose sets and end checks fold case differently under 'i' (ſ folds to s, K, the Kelvin sign, to k). */
const CASE_FOLDING_PATTERNS: readonly string[] = [
  TUTORIAL_PATTERN,
  String.raw`(get|post) (\S+)(.*)`,
  String.raw`([a-z]+)(\w*?)(.*)`,
  String.raw`(k+)(s*)([^s]*)(.*)`,
  String.raw`([^a-z]*)(ß|é)?(.*)`,
  String.raw`(\W*)(\w+)(.*)`,
  String.raw`(\x{10428}+)(.*)`,
  String.raw`^(?!k)(.*?)(s?)(?<=[a-z])`,
  String.raw`(.*)(?<![k-s])`,
];

const CASE_PIECES: readonly string[] = [
  'a', 'A', 'k', 'K', '\u212a', 's', 'S', '\u017f', 'ß', '\u1e9e', 'é', 'É', 'get', 'GET', 'Post', ' ', '\t', '%20', '/', '(', ';',
  EMOJI, '\u{10400}', '\u{10428}', LONE_HIGH, LONE_LOW,
];

describe("compileLineMatcher with JavaScript's 'i' flag", () => {
  it('compiles the patterns and gives the RegExp groups on lines full of case-folding characters', () => {
    // Arrange
    const rng = new Random(31);
    const lines = [
      ...Array.from({ length: 3000 }, () => Array.from({ length: rng.int(0, 16) }, () => rng.pick(CASE_PIECES)).join('')),
      TUTORIAL_LINE.toUpperCase(),
      'GET /\u017fx\u212a',
      '\u212a\u017f',
    ];
    const regexes = CASE_FOLDING_PATTERNS.map(withJsCaseFolding);

    // Act
    const strategies = regexes.map((regex) => compileLineMatcher(regex, { prefer: 'compiled' }).strategy);
    const bad = regexes.map((regex) => disagreements(regex, lines));

    // Assert
    expect(new Set(strategies)).toEqual(new Set(['compiled']));
    expect(bad).toEqual(regexes.map(() => []));
  });
});
