import { describe, expect, it } from 'vitest';
import { generateLines } from '../src/generate/index.js';
import { Random } from '../src/generate/random.js';
import { compileJavaRegex, type JavaRegex } from '../src/serde/java-regex.js';
import { compileLineMatcher } from '../src/serde/line-matcher.js';

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

/** Lines on which the compiled matcher and the RegExp disagree (at most a few, to keep failures readable). */
function disagreements(pattern: string, lines: Iterable<string>): string[] {
  const regex = compileJavaRegex(pattern);
  const matcher = compileLineMatcher(regex, { prefer: 'compiled' });
  const bad: string[] = [];
  for (const line of lines) {
    const got = matcher.match(line);
    const want = reference(regex, line);
    if (!sameGroups(got, want) && bad.length < 5) bad.push(`${JSON.stringify(line)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  return bad;
}

function sameGroups(a: readonly (string | undefined)[] | null, b: readonly (string | undefined)[] | null): boolean {
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
  it('compiles the tutorial regex, keeps the RegExp where it cannot backtrack, and leaves a backreference to the RegExp', () => {
    const strategy = (pattern: string, prefer?: 'compiled') => compileLineMatcher(compileJavaRegex(pattern), { prefer }).strategy;

    // Act
    const preferred = IN_CLASS.map((p) => strategy(p, 'compiled'));
    const outside = [String.raw`(a+)\1`, String.raw`(a|b)+`, String.raw`a\bb(c)`, String.raw`(?m)^(a)$`, String.raw`(a*+)b`, String.raw`(?=(a))a`].map((p) =>
      strategy(p, 'compiled'),
    );

    // Assert
    expect(new Set(preferred)).toEqual(new Set(['compiled']));
    expect(new Set(outside)).toEqual(new Set(['regexp']));
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
