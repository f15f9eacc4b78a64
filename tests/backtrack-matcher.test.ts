import { describe, expect, it } from 'vitest';
import { generateLines } from '../src/generate/index.js';
import { Random } from '../src/generate/random.js';
import { BUDGET_EXCEEDED, compileBudgetedMatcher, DEFAULT_STEP_BUDGET, UnsupportedSyntax, type BudgetedMatcher } from '../src/serde/backtrack-matcher.js';
import { compileJavaRegex, type JavaRegex } from '../src/serde/java-regex.js';
import { parseRegexSource, type RegexTree } from '../src/serde/regex-source-tree.js';
import { TUTORIAL_PATTERN } from '../src/serde/tutorial-shape.js';

/** jobs/combined_top_pages.q's Apache combined log regex. */
const COMBINED = String.raw`^([^ ]+) ([^ ]+) ([^ ]+) \[([^\]]+)\] "([^ "]+) ([^ "]+) ([^ "]+)" ([0-9]{3}) ([0-9]+|-) "([^"]*)" "([^"]*)"$`;
/** The Apache log regex of tests/java-regex.test.ts, with optional groups. */
const APACHE = String.raw`^(\S+) (\S+) (\S+) \[([^\]]*)\] "(\S+)(?: +([^ "]*?)(?: +\S*)?)?" (\d{3}|-) (\d+|-)(?: "([^"]*)" "(.*)")?$`;
/** Athena's ALB access log regex. */
const ALB = String.raw`([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) "([^ ]*) (.*) (- |[^ ]*)" "([^"]*)" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^"]*)" ([-.0-9]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^ ]*)" "([^\s]+?)" "([^\s]+)" "([^ ]*)" "([^ ]*)" ?([^ ]*)?( .*)?`;

/** Java patterns, compiled by compileJavaRegex: what RegexSerDe hands the matcher. */
const JAVA_PATTERNS: readonly string[] = [
  // tests/line-matcher.test.ts.
  String.raw`^(\S+) (\S+)$`, String.raw`([^,]*),([^,]*)`, String.raw`(.*)%20(.*)`, String.raw`([^ ]*)\s(.*)\s([^ ]*)`,
  String.raw`^(?!#)(\w*)\s*(.*?)(\d+)$`, String.raw`(a|ab)(c|bcd)(d*)`, String.raw`((?:[^;]+;)+)(.*)`, String.raw`(\d{2,4})(\d*)[^\d]*`,
  String.raw`(\S+?)(%20)?(\S*)`, String.raw`(x)?([^x]*)(?:(y)|z)?(.*)`, String.raw`^(?=\S)(.*\S)?\s*$`, String.raw`(?i)(get|post) (\S+)(.*)`,
  String.raw`(?s)(.*)\((.*)`, String.raw`([^(]+)[(]([^;]+);?(.*)`, String.raw`(\s+)([^\s]+)(\s*)`, String.raw`(.{0,5})(.{3})(.*?)`,
  String.raw`(#?)([^#]*)(?:#(.*))?\z`, String.raw`(a+?)(a*)(b?)`, String.raw`(a+)\1`, String.raw`(a|b)+`, String.raw`a\bb(c)`,
  String.raw`(?m)^(a)$`, String.raw`(a*+)b`, String.raw`(?=(a))a`,
  // tests/java-regex.test.ts (line anchors, \R, \b, classes, flags, groups).
  'a.c', '(?s)a.c', '(?d)a.c', 'abc$', '(?d)abc$', '^b', '(?m)^b', '(?m)^\\n', '(?m)^', '(?m)a$', '(?m)\\r$', '(?m)\\Ab', 'a\\z', 'a\\Z',
  'x\\Ry', '\\R\\n', '\\R{2}', '(\\R)+\\n', '\\d+', '\\w+', '\\s+', '(?U)\\w+', '\\h+', '\\v+', '\\bfoo\\b', 'foo\\b', 'o\\Bo', '.*\\b(\\w+)\\b.*',
  '[a-d[m-p]]+', '[a-z&&[^aeiou]]+', '[^a-z&&[^b]]', '\\p{L}+\\P{L}*', '(?i)abc', '(?i)k', '(?iu)k', '(?iu)[\u00E0-\u00E5]+', 'a(?i)b(?-i)c',
  '(?iu)(a)\\1', '(?iu)(\\w+)-\\1', '(?<y>\\d{2})-\\k<y>', '(\\w+) \\1', '(a)|\\1b', '\\1(a)', 'a(?=b)(?!bc)\\w*', '\\w*(?<=ab)c', '(?<!a)b\\w*',
  '(?<=a+)b', '(?>a|ab)c', 'a*+a', '(a)++(b)', 'a{1,3}+a', '(?:[^K]+){2}+', '(a|ab)++c', '<.+?>', 'a{2}b{1,}c{0,1}d{2,3}', '(a??)?b',
  '^(?:([^,]*),?)*$',
  // Backreferences, lookbehinds, possessive and atomic forms, quantified captures, empty iterations.
  '(a|b)\\1+', '(a+)(b)?\\1', '((a)|b)+', '(?:(a)|b)+', '(a|)*', '(a|)*b', '(?:(a)|(b)|)+', '((a)|(b))*c', '(a*)*', '(a*)+b', '(ab|a)(bc|c)?',
  '(?<=(a))b', '(?<!(b))a+', '\\w+(?<=b)c*', '(?<=^|,)(\\w*)(?=,|$)[,\\w]*', '(a)(?=(b))b', '(a++)b', '(?>(a+))b',
  '(?>a*)a', '((?>a|ab))+c', '([ab]*+)(b*)', '(a{2,3}){2}', '(a{2,3}?){2,}', '(?:a|b){0,2}?(b*)', '(\\d+)\\.(\\d+)?', '(.)(?:(?!\\1).)*\\1',
  '(?i)(x)(?:y|Y)+', '(?s)(a.)+', '(?m)(\\w+)$', '\\b(\\w)(\\w)?\\b', '([😀a]+)(.)', '(.)\\1', '([\\uD83D\\uDE00]+)(.*)',
];

/**
 * JavaScript sources that the translator does not produce from Java, to cover the rest of the
 * engine's semantics: backreferences inside lookbehinds, \b under 'iu', the 'm' and 'i' flags.
 */
const JS_PATTERNS: readonly (readonly [string, string])[] = [
  ['(?<=\\1(a))b', 'u'],
  ['(?<=(a)\\1)b', 'u'],
  ['(?<=(\\w)+)(\\w)', 'u'],
  ['(?<=([ab]+?)([ab]*))c(.*)', 'u'],
  ['(?<!(a)b)(.*)', 'u'],
  ['(a)|b\\1', 'u'],
  ['\\k<n>(?<n>a)b', 'u'],
  ['(?<n>a|b)\\k<n>*', 'u'],
  ['\\b(\\w+)\\b.*', 'iu'],
  ['(\\w)\\B(.*)', 'iu'],
  ['(.)\\1', 'iu'],
  ['(?<=(k)\\1)(.*)', 'iu'],
  ['(^a|b$)+', 'mu'],
  ['(.*)$\\n?^(.*)', 'mu'],
  ['(.*?)\\s', 'su'],
  ['(a?)+?b', 'u'],
  ['(?:a?){2,3}(b)', 'u'],
  ['(?:(a)|b?){2}c', 'u'],
  ['(?:(a)|\\1b)*', 'u'],
  ['(z)((a+)?(b+)?(c))*', 'u'],
  ['(?=(a+))a*b\\1', 'u'],
  ['(?!(a)b)(\\w*)\\1', 'u'],
];

/** A JavaRegex over a JavaScript source, numbered as it is (javaMatch is the identity). */
function jsRegex(source: string, flags: string): JavaRegex {
  const whole = new RegExp(`^(?:${source})$`, flags.replace('m', ''));
  const groupCount = new RegExp(`${source}|`, flags).exec('')!.length - 1;
  return {
    javaSource: source, source, flags, groupCount, groupNames: [],
    matchWhole: (input) => whole.exec(input),
    find: (input) => new RegExp(source, flags).exec(input),
    global: () => new RegExp(source, flags + 'g'),
    javaMatch: (raw) => raw,
  };
}

/** The reference: matchWhole's groups 1..n. */
function reference(regex: JavaRegex, line: string): (string | undefined)[] | null {
  const m = regex.matchWhole(line);
  return m === null ? null : m.slice(1);
}

/** Lines where the budgeted matcher differs from matchWhole (at most a few, to keep failures readable). */
/** Pairs compared and pairs that matched, so that the tests can check the corpus exercises both outcomes. */
const tally = { pairs: 0, matches: 0 };

function disagreements(regex: JavaRegex, lines: Iterable<string>, matcher: BudgetedMatcher = compileBudgetedMatcher(regex)): string[] {
  const bad: string[] = [];
  for (const line of lines) {
    const got = matcher.match(line);
    const want = reference(regex, line);
    tally.pairs++;
    if (want !== null) tally.matches++;
    const same = got !== BUDGET_EXCEEDED && (got === null || want === null ? got === want : got.length === want.length && got.every((g, i) => g === want[i]));
    if (!same && bad.length < 5) bad.push(`${JSON.stringify(line)}: got ${String(got === BUDGET_EXCEEDED ? 'BUDGET_EXCEEDED' : JSON.stringify(got))}, want ${JSON.stringify(want)}`);
  }
  return bad;
}

/** Characters of the pattern itself (so that matches happen) plus line breaks, case pairs, astral characters and lone surrogates. */
function alphabetOf(pattern: string): string[] {
  const own = [...new Set([...pattern].filter((ch) => !'\\^$.*+?()[]{}|'.includes(ch)))];
  // Runs of ordinary characters, such as `%20` or `foo`, as whole pieces.
  const words = pattern.split(/[\\^$.*+?()[\]{}|]+/).filter((w) => w.length > 1);
  const extras = ['a', 'b', ' ', '\t', '\n', '\r', '\u2028', '\u0085', 'A', 'K', 'k', '\u212A', '\u017F', 's', 'S', '_', '1', '😀', '\uD83D', '\uDE00', 'é', 'É', ','];
  const heavy = [...own, ...words];
  return [...heavy, ...heavy, ...heavy, ...heavy, ...heavy, ...heavy, ...extras];
}

function randomLines(rng: Random, alphabet: readonly string[], count: number, maxLength: number): string[] {
  return Array.from({ length: count }, () => Array.from({ length: rng.int(0, maxLength) }, () => rng.pick(alphabet)).join(''));
}

/** Lines near the boundary of the language: a piece inserted, deleted or replaced in lines that match. */
function nearMisses(rng: Random, regex: JavaRegex, lines: readonly string[], alphabet: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (regex.matchWhole(line) === null) continue;
    for (let k = 0; k < 3; k++) {
      const at = rng.int(0, line.length);
      out.push(line.slice(0, at) + (rng.chance(0.7) ? rng.pick(alphabet) : '') + line.slice(at + rng.int(0, 1)));
    }
  }
  return out;
}

/**
 * A random line the translated source may match: a walk of its tree, choosing alternatives and
 * counts at random, characters from `pool` that the atom accepts, captured text for backreferences.
 */
function sampleLine(rng: Random, regex: JavaRegex, pool: readonly string[], maxExtra = 3): string {
  const flags = regex.flags.replace('m', '');
  const captured: (string | undefined)[] = [];
  const walk = (n: RegexTree): string => {
    switch (n.k) {
      case 'set': {
        const re = new RegExp(`^(?:${n.src})$`, flags);
        const fits = pool.filter((ch) => re.test(ch));
        return fits.length > 0 ? rng.pick(fits) : rng.pick(pool);
      }
      case 'seq': return n.items.map(walk).join('');
      case 'alt': return walk(rng.pick(n.alts));
      case 'group': {
        const text = walk(n.body);
        if (n.capture > 0) captured[n.capture] = text;
        return text;
      }
      case 'quant': {
        const count = rng.int(n.min, Math.min(n.max, n.min + maxExtra));
        return Array.from({ length: count }, () => walk(n.body)).join('');
      }
      case 'backref': return captured[n.group] ?? '';
      default: return '';
    }
  };
  return walk(parseRegexSource(regex.source).tree);
}

/** Seeded lines for one pattern: random ones over its characters, samples of its language, and near misses of those that match. */
function corpusFor(rng: Random, regex: JavaRegex, pattern: string): string[] {
  const alphabet = alphabetOf(pattern);
  const pool = [...new Set([...alphabet, ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))])];
  const lines = [
    ...randomLines(rng, alphabet, 200, 6),
    ...randomLines(rng, alphabet, 100, 12),
    ...randomLines(rng, alphabet, 40, 30),
    ...Array.from({ length: 150 }, () => sampleLine(rng, regex, pool)),
  ];
  return [...lines, ...nearMisses(rng, regex, lines, alphabet)];
}

describe('compileBudgetedMatcher: the same answers as matchWhole', () => {
  it('agrees on every Java pattern of the corpus, on seeded random lines over the pattern\'s own characters', () => {
    // Arrange
    const rng = new Random(2026);
    const failures: string[] = [];
    const before = { ...tally };

    // Act
    for (const pattern of JAVA_PATTERNS) {
      const regex = compileJavaRegex(pattern);
      const bad = disagreements(regex, corpusFor(rng, regex, pattern));
      if (bad.length > 0) failures.push(`${pattern}\n  ${bad.join('\n  ')}`);
    }

    // Assert
    expect(failures).toEqual([]);
    // Both outcomes are well represented.
    const pairs = tally.pairs - before.pairs;
    const matches = tally.matches - before.matches;
    expect(pairs).toBeGreaterThan(50_000);
    expect(matches).toBeGreaterThan(pairs / 20);
  });

  it('agrees on JavaScript sources beyond what the translator writes (backreferences in lookbehinds, \\b under iu, m)', () => {
    // Arrange
    const rng = new Random(7);
    const failures: string[] = [];

    // Act
    for (const [source, flags] of JS_PATTERNS) {
      const regex = jsRegex(source, flags);
      const bad = disagreements(regex, corpusFor(rng, regex, source));
      if (bad.length > 0) failures.push(`/${source}/${flags}\n  ${bad.join('\n  ')}`);
    }

    // Assert
    expect(failures).toEqual([]);
  });

  it('agrees on seeded random patterns: nested quantifiers, lookarounds, backreferences, \\b, flags i and s', () => {
    // Arrange: small patterns over a small alphabet, so that most shapes meet matching lines.
    const rng = new Random(31);
    let groups = 0;
    const quantifier = () => (rng.chance(0.5) ? '' : rng.pick(['*', '+', '?', '{0,2}', '{1,3}', '{2}']) + (rng.chance(0.3) ? '?' : ''));
    const pattern = (depth: number): string => {
      const r = rng.int(0, 9);
      if (depth <= 0 || r < 4) {
        const atom = rng.pick(['a', 'b', 'k', 's', '.', '[ab]', '\\w', '', '\\b', '\\B', '^', '$']);
        return ['', '\\b', '\\B', '^', '$'].includes(atom) ? atom : atom + quantifier();
      }
      if (r < 6) return pattern(depth - 1) + pattern(depth - 1);
      if (r < 7) return `${pattern(depth - 1)}|${pattern(depth - 1)}`;
      if (r < 8 && groups > 0) return `\\${rng.int(1, groups)}${quantifier()}`;
      const open = rng.pick(['(', '(', '(?:', '(?=', '(?!', '(?<=', '(?<!']);
      if (open === '(') groups++;
      // In 'u' mode lookarounds cannot be quantified.
      return `${open}${pattern(depth - 1)})${open === '(' || open === '(?:' ? quantifier() : ''}`;
    };
    const chars = ['a', 'b', 'a', 'b', 'k', 'K', 's', '\u017F', '\u212A', 'c', '😀', '\uD83D', ' '];
    let pairs = 0;
    const failures: string[] = [];

    // Act
    for (let t = 0; t < 800; t++) {
      groups = 0;
      const source = pattern(rng.int(2, 5));
      const flags = rng.pick(['u', 'u', 'iu', 'su']);
      const regex = jsRegex(source, flags);
      const lines = Array.from({ length: 30 }, () => Array.from({ length: rng.int(0, 7) }, () => rng.pick(chars)).join(''));
      pairs += lines.length;
      const bad = disagreements(regex, lines, compileBudgetedMatcher(regex, 1e7));
      if (bad.length > 0) failures.push(`/${source}/${flags}\n  ${bad.join('\n  ')}`);
    }

    // Assert
    expect(failures).toEqual([]);
    expect(pairs).toBe(24_000);
  });

  it('agrees on the log patterns for samples of their language and near misses', () => {
    // Arrange: one extra iteration at most, as the RegExp takes seconds on the tutorial's
    // pattern when separators are runs of whitespace (what the budget is for).
    const rng = new Random(5);
    const failures: string[] = [];

    // Act
    for (const pattern of [TUTORIAL_PATTERN, COMBINED, APACHE, ALB]) {
      const regex = compileJavaRegex(pattern);
      const alphabet = alphabetOf(pattern);
      const pool = [...new Set([...alphabet, ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))])];
      const samples = Array.from({ length: 150 }, () => sampleLine(rng, regex, pool, 1));
      const bad = disagreements(regex, [...samples, ...nearMisses(rng, regex, samples, alphabet)]);
      if (bad.length > 0) failures.push(`${pattern}\n  ${bad.join('\n  ')}`);
    }

    // Assert
    expect(failures).toEqual([]);
  });

  it('agrees on generated CloudFront and Apache lines, intact and damaged', () => {
    // Arrange
    const rng = new Random(11);
    const cloudfront = [...generateLines({ format: 'cloudfront-sample', lines: 300, seed: 3, oddRate: 0.2 })];
    const combined = [...generateLines({ format: 'combined', lines: 300, seed: 4, oddRate: 0.2 })];
    const damage = (line: string) => {
      const at = rng.int(0, line.length);
      return line.slice(0, at) + rng.pick(['\t', ' ', '(', ';', '%20', '/', '"', '', '😀', '\uD83D']) + line.slice(at + rng.int(0, 3));
    };
    const lines = [...cloudfront, ...combined, ...cloudfront.map(damage), ...combined.map(damage)];

    // Act
    const bad = [TUTORIAL_PATTERN, COMBINED, APACHE, ALB].flatMap((p) => disagreements(compileJavaRegex(p), lines));

    // Assert
    expect(bad).toEqual([]);
  });

  it('refuses flags it does not model, naming them', () => {
    // Arrange
    const sticky = jsRegex('a', 'uy');
    const codeUnits = jsRegex('a', '');

    // Act
    const refusals = [sticky, codeUnits].map((regex) => {
      try {
        compileBudgetedMatcher(regex);
        return 'compiled';
      } catch (e) {
        return e instanceof UnsupportedSyntax ? e.message : 'other error';
      }
    });

    // Assert
    expect(refusals[0]).toContain("flag 'y'");
    expect(refusals[1]).toContain("without 'u'");
  });

  it('reports Java group numbers around the hidden groups of possessive quantifiers and atomic groups', () => {
    // Arrange
    const matcher = compileBudgetedMatcher(compileJavaRegex('(a)++(b)(?>(c))'));

    // Act
    const groups = matcher.match('aabc');

    // Assert
    expect(groups).toEqual(['a', 'b', 'c']);
  });

  it('matches a 100 KB line without overflowing the JavaScript stack', () => {
    // Arrange
    const regex = compileJavaRegex('((?:a|b)*)(c*)(?:(x)|y)*');
    const line = 'ab'.repeat(50_000) + 'cc' + 'xy'.repeat(100);

    // Act
    const groups = compileBudgetedMatcher(regex).match(line);

    // Assert
    expect(groups).toEqual(reference(regex, line));
  });
});

describe('compileBudgetedMatcher: bounded work on adversarial lines', () => {
  const tutorialLine = (n: number) => 'a\t\t'.repeat(n) + 'x(y;z😀';
  const ADVERSARIAL: readonly (readonly [string, string])[] = [
    ['(a+)+b', 'a'.repeat(40)],
    ['(a|a)*c', 'a'.repeat(40)],
    ['(.*)(.*)(.*)\\3x', 'a'.repeat(300)],
    [TUTORIAL_PATTERN, tutorialLine(16)],
    [TUTORIAL_PATTERN, tutorialLine(100)],
    [TUTORIAL_PATTERN, tutorialLine(1000)],
    ['(?:(a*)*)*b', 'a'.repeat(30)],
    ['(\\w+\\s?)+$', 'word '.repeat(30) + '!'],
  ];

  it.each(ADVERSARIAL)('%s gives up or answers within the budget', (pattern, line) => {
    // Arrange
    const budget = 200_000;
    const regex = compileJavaRegex(pattern);
    const matcher = compileBudgetedMatcher(regex, budget);

    // Act
    const result = matcher.match(line);

    // Assert: steps, not time; an answer, if any, is the RegExp's (checked on short lines only).
    expect(matcher.lastSteps).toBeLessThanOrEqual(budget + 1);
    if (result === BUDGET_EXCEEDED) expect(matcher.lastSteps).toBe(budget + 1);
    else if (line.length <= 20) expect(result).toEqual(reference(regex, line));
  });

  it('gives up on exponential patterns with the default budget, and says so', () => {
    // Arrange
    const matcher = compileBudgetedMatcher(compileJavaRegex('(a+)+b'));

    // Act
    const result = matcher.match('a'.repeat(60));

    // Assert
    expect(result).toBe(BUDGET_EXCEEDED);
    expect(matcher.lastSteps).toBe(DEFAULT_STEP_BUDGET + 1);
  });

  it('gives the RegExp\'s answer on small adversarial inputs when the budget is large enough', () => {
    // Arrange
    const cases: readonly (readonly [string, string])[] = [
      ['(a+)+b', 'a'.repeat(14)],
      ['(a+)+b', 'a'.repeat(14) + 'b'],
      ['(a|a)*c', 'a'.repeat(14)],
      ['(.*)(.*)(.*)\\3x', 'a'.repeat(30)],
      ['(.*)(.*)(.*)\\3x', 'a'.repeat(30) + 'x'],
      [TUTORIAL_PATTERN, tutorialLine(5)],
      ['(?:(a*)*)*b', 'a'.repeat(6)],
    ];

    // Act
    const bad = cases.flatMap(([pattern, line]) => disagreements(compileJavaRegex(pattern), [line], compileBudgetedMatcher(compileJavaRegex(pattern), 1e9)));

    // Assert
    expect(bad).toEqual([]);
  });

  it('keeps legitimate long lines far below the default budget', () => {
    // Arrange: a 10 KB CloudFront line (a long user agent) and a 10 KB Apache line.
    const fields = ['2014-07-05', '20:00:00', 'LHR3', '4260', '10.0.0.15', 'GET', 'd.cloudfront.net', '/a.jpeg', '200', '-'];
    const agent = 'Mozilla/5.0%20(X11;%20Linux)' + '%20Gecko/2009'.repeat(770);
    const cloudfront = [...fields, agent].join('\t');
    const apache = `1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /${'p'.repeat(10_000)} HTTP/1.0" 200 2326 "-" "Mozilla"`;
    const tutorial = compileBudgetedMatcher(compileJavaRegex(TUTORIAL_PATTERN));
    const combined = compileBudgetedMatcher(compileJavaRegex(COMBINED));

    // Act
    const tutorialGroups = tutorial.match(cloudfront);
    const tutorialSteps = tutorial.lastSteps;
    const combinedGroups = combined.match(apache);
    const combinedSteps = combined.lastSteps;

    // Assert
    expect(cloudfront.length).toBeGreaterThan(10_000);
    expect(tutorialGroups).toEqual(reference(compileJavaRegex(TUTORIAL_PATTERN), cloudfront));
    expect(combinedGroups).toEqual(reference(compileJavaRegex(COMBINED), apache));
    expect(tutorialSteps).toBeLessThan(DEFAULT_STEP_BUDGET / 5);
    expect(combinedSteps).toBeLessThan(DEFAULT_STEP_BUDGET / 5);
  });
});
