import { describe, expect, it } from 'vitest';
import { RegexError } from '../src/hive/errors.js';
import { compileJavaRegex, javaReplaceAll } from '../src/serde/java-regex.js';

/** Groups of a match as Java reports them: unmatched groups are null. */
type Groups = readonly (string | null)[];

function groupsOf(m: RegExpExecArray | null): Groups | null {
  return m === null ? null : Array.from(m, (g) => g ?? null);
}

function errorOf(f: () => unknown): RegexError {
  try {
    f();
  } catch (e) {
    if (e instanceof RegexError) return e;
    throw e;
  }
  throw new Error('expected a RegexError');
}

// Expected values were produced by java.util.regex on OpenJDK 17:
// [what Java does, pattern, input, Matcher.matches() groups, [Matcher.find() start, groups]].
const JAVA_CASES: ReadonlyArray<readonly [string, string, string, Groups | null, readonly [number, Groups] | null]> = [
  ['. does not match \\n (Java line terminator)', 'a.c', 'a\nc', null, null],
  ['. does not match \\u0085 NEL (JS would)', 'a.c', 'a\u0085c', null, null],
  ['. does not match \\r', 'a.c', 'a\rc', null, null],
  ['. matches one supplementary code point', 'a.c', 'a\u{1F600}c', ['a\u{1F600}c'], [0, ['a\u{1F600}c']]],
  ['(?s) DOTALL: . matches \\n', '(?s)a.c', 'a\nc', ['a\nc'], [0, ['a\nc']]],
  ['(?d) UNIX_LINES: . matches \\r', '(?d)a.c', 'a\rc', ['a\rc'], [0, ['a\rc']]],
  ['(?d) UNIX_LINES: . still rejects \\n', '(?d)a.c', 'a\nc', null, null],
  ['$ matches before a final \\n', 'abc$', 'xabc\n', null, [1, ['abc']]],
  ['$ matches before a final \\r\\n', 'abc$', 'xabc\r\n', null, [1, ['abc']]],
  ['$ does not match before a \\n that is not final', 'abc$', 'abc\n\n', null, null],
  ['$ matches before a final \\u2028', 'abc$', 'abc\u2028', null, [0, ['abc']]],
  ['(?d)$ does not treat \\r as a terminator', '(?d)abc$', 'abc\r', null, null],
  ['^ without MULTILINE is start of input only', '^b', 'a\nb', null, null],
  ['(?m)^ after \\n', '(?m)^b', 'a\nb', null, [2, ['b']]],
  ['(?m)^ after \\u0085', '(?m)^b', 'a\u0085b', null, [2, ['b']]],
  ['(?m)^ not between \\r and \\n', '(?m)^\\n', 'a\r\n', null, null],
  ['(?m)^ never at end of input', '(?m)^', 'a\n', null, [0, ['']]],
  ['(?m)$ before \\r of \\r\\n', '(?m)a$', 'a\r\nb', null, [0, ['a']]],
  ['(?m)$ not between \\r and \\n', '(?m)\\r$', 'a\r\nb', null, null],
  ['\\A is start of input even with (?m)', '(?m)\\Ab', 'a\nb', null, null],
  ['\\z is the very end', 'a\\z', 'a\n', null, null],
  ['\\Z allows a final terminator', 'a\\Z', 'a\r\n', null, [0, ['a']]],
  ['\\R matches \\r\\n as one', 'x\\Ry', 'x\r\ny', ['x\r\ny'], [0, ['x\r\ny']]],
  ['\\R can back off to \\r', '\\R\\n', '\r\n', ['\r\n'], [0, ['\r\n']]],
  ['\\R matches \\u000B', 'x\\Ry', 'x\u000By', ['x\u000By'], [0, ['x\u000By']]],
  ['\\R{2} does not split \\r\\n (JDK 17)', '\\R{2}', '\r\n', null, null],
  ['(\\R)+ does not give back the \\n of \\r\\n (JDK 17)', '(\\R)+\\n', '\r\n', null, null],
  ['\\d is ASCII only', '\\d+', '\u0661\u066234', null, [2, ['34']]],
  ['\\w is ASCII only', '\\w+', '\u00E9ab_1', null, [1, ['ab_1']]],
  ['\\s includes \\u000B but not \\u00A0', '\\s+', '\u00A0 \u000B\tx', null, [1, [' \u000B\t']]],
  ['(?U) \\d is Unicode', '(?U)\\d+', '\u0661\u066234', ['\u0661\u066234'], [0, ['\u0661\u066234']]],
  ['(?U) \\w is Unicode', '(?U)\\w+', '\u00E9ab_1', ['\u00E9ab_1'], [0, ['\u00E9ab_1']]],
  ['\\h horizontal whitespace', '\\h+', 'x\t \u00A0\u2007y', null, [1, ['\t \u00A0\u2007']]],
  ['\\v vertical whitespace', '\\v+', 'x\n\u000B\u0085\u2029y', null, [1, ['\n\u000B\u0085\u2029']]],
  ['\\H and \\V', '\\H\\V', ' xy', null, [1, ['xy']]],
  ['\\b treats \u00E9 as a word character (JS would not)', '\\bfoo\\b', '\u00E9foo', null, null],
  ['\\b with a combining mark after a letter', 'foo\\b', 'foo\u0301', null, null],
  ['\\b between words', '\\bfoo\\b', 'a foo b', null, [2, ['foo']]],
  ['\\B inside a word', 'o\\Bo', 'foo', null, [1, ['oo']]],
  ['escaped punctuation is literal', '\\%\\;\\/\\-\\\'\\"\\ \\#\\<\\>\\@\\~\\&\\=\\!\\:\\,', '%;/-\'" #<>@~&=!:,', ['%;/-\'" #<>@~&=!:,'], [0, ['%;/-\'" #<>@~&=!:,']]],
  ['\\e \\a \\cA', '\\e\\a\\cA', '\u001B\u0007\u0001', ['\u001B\u0007\u0001'], [0, ['\u001B\u0007\u0001']]],
  ['\\0101 octal needs a leading 0', '\\0101', 'A', ['A'], [0, ['A']]],
  ['\\x41 and \\x{1F600}', '\\x41\\x{1F600}', 'A\u{1F600}', ['A\u{1F600}'], [0, ['A\u{1F600}']]],
  ['\\uD83D\\uDE00 escaped surrogate pair is one code point', '\\uD83D\\uDE00+', '\u{1F600}\u{1F600}', ['\u{1F600}\u{1F600}'], [0, ['\u{1F600}\u{1F600}']]],
  ['\\t \\n \\r \\f', '\\t\\n\\r\\f', '\t\n\r\u000C', ['\t\n\r\u000C'], [0, ['\t\n\r\u000C']]],
  ['\\Q...\\E quotes metacharacters', '\\Qa.b*\\E+', 'a.b**', ['a.b**'], [0, ['a.b**']]],
  ['\\Q without \\E quotes to the end', 'x\\Q(a)', 'x(a)', ['x(a)'], [0, ['x(a)']]],
  ['\\Q...\\E inside a class', '[\\Q]-[\\E]+', ']-[', [']-['], [0, [']-[']]],
  ['dangling ] and } are literal', 'a]b}', 'a]b}', ['a]b}'], [0, ['a]b}']]],
  ['class union [a-d[m-p]]', '[a-d[m-p]]+', 'abmnxy', null, [0, ['abmn']]],
  ['class intersection [a-z&&[^aeiou]]', '[a-z&&[^aeiou]]+', 'bcdaf', null, [0, ['bcd']]],
  ['negation applies to the whole class [^a-z&&[^b]]', '[^a-z&&[^b]]', 'ab', null, [1, ['b']]],
  ['negated class with a nested class [^a[b]]', '[^a[b]]', 'abc', null, [2, ['c']]],
  ['implicit right side [a-z&&def]', '[a-z&&def]+', 'xdefg', null, [1, ['def']]],
  ['property intersection [\\p{L}&&[^a-z]]', '[\\p{L}&&[^a-z]]+', 'ab\u00C9A', null, [2, ['\u00C9A']]],
  ['[]a] starts with a literal ]', '[]a]+', 'a]a', ['a]a'], [0, ['a]a']]],
  ['[^]a] negates ] and a', '[^]a]+', ']bc', null, [1, ['bc']]],
  ['- at the end of a class is literal', '[a-]+', 'a-', ['a-'], [0, ['a-']]],
  ['unescaped [ opens a nested class', '[a[b]]+', 'ab[', null, [0, ['ab']]],
  ['\\p{Lower} is ASCII only', '\\p{Lower}+', '\u00E9ab', null, [1, ['ab']]],
  ['\\p{Alpha} is ASCII, \\p{IsAlphabetic} is Unicode', '\\p{IsAlphabetic}\\p{Alpha}', '\u00E9a', ['\u00E9a'], [0, ['\u00E9a']]],
  ['\\p{IsAlpha} is Unicode', '\\p{IsAlpha}+', '\u00E9a', ['\u00E9a'], [0, ['\u00E9a']]],
  ['\\p{Punct} is ASCII', '\\p{Punct}+', '\u00A1!?', null, [1, ['!?']]],
  ['\\p{L} \\p{IsL} \\pL', '\\p{L}\\p{IsL}\\pL', '\u00E9\u00DF\u0436', ['\u00E9\u00DF\u0436'], [0, ['\u00E9\u00DF\u0436']]],
  ['\\p{Lu} \\p{IsLu} \\p{gc=Lu}', '\\p{Lu}\\p{IsLu}\\p{gc=Lu}', 'a\u00C9\u00C0\u0416', null, [1, ['\u00C9\u00C0\u0416']]],
  ['scripts: IsLatin, sc=Greek, script=Cyrillic', '\\p{IsLatin}\\p{sc=Greek}\\p{script=Cyrillic}', '\u00E9\u03B1\u0436', ['\u00E9\u03B1\u0436'], [0, ['\u00E9\u03B1\u0436']]],
  ['script names are case-insensitive (IsLATIN)', '\\p{IsLATIN}+', 'abc', ['abc'], [0, ['abc']]],
  ['\\P{L} negates', '\\P{L}+', 'ab12', null, [2, ['12']]],
  ['\\p{javaLowerCase} \\p{javaUpperCase}', '\\p{javaLowerCase}\\p{javaUpperCase}', '\u00E9\u00C9', ['\u00E9\u00C9'], [0, ['\u00E9\u00C9']]],
  ['\\p{javaWhitespace} excludes no-break space', '\\p{javaWhitespace}+', '\u00A0 \u001F', null, [1, [' \u001F']]],
  ['\\p{javaMirrored}', '\\p{javaMirrored}+', 'a(<', null, [1, ['(<']]],
  ['(?i)\\p{Lower} matches upper case too (JDK 16+)', '(?i)\\p{Lower}+', 'aBc', ['aBc'], [0, ['aBc']]],
  ['(?i) is ASCII-only: \u00E9 does not match \u00C9', '(?i)\u00E9', '\u00C9', null, null],
  ['(?i) ASCII letters', '(?i)abc', 'xABC', null, [1, ['ABC']]],
  ['(?i) does not fold the Kelvin sign', '(?i)k', '\u212A', null, null],
  ['(?iu) folds the Kelvin sign', '(?iu)k', '\u212A', ['\u212A'], [0, ['\u212A']]],
  ['(?iu) folds \u00E9', '(?iu)\u00E9', '\u00C9', ['\u00C9'], [0, ['\u00C9']]],
  ['(?i) ranges fold ASCII letters', '(?i)[a-c]+', 'xABC', null, [1, ['ABC']]],
  ['(?iu) ranges fold Unicode letters', '(?iu)[\u00E0-\u00E5]+', '\u00C0\u00C5', ['\u00C0\u00C5'], [0, ['\u00C0\u00C5']]],
  ['(?i) scoped with (?-i)', 'a(?i)b(?-i)c', 'aBc', ['aBc'], [0, ['aBc']]],
  ['(?i) scoped off', 'a(?i)b(?-i)c', 'aBC', null, null],
  ['(?i:X) group', 'a(?i:b)c', 'aBc', ['aBc'], [0, ['aBc']]],
  ['(?iu) single \u00DF does not match \u1E9E', '(?iu)\u00DF', '\u1E9E', null, null],
  ['(?iu) \u1E9E matches \u00DF', '(?iu)\u1E9E', '\u00DF', ['\u00DF'], [0, ['\u00DF']]],
  ['(?iu) case-insensitive backreference', '(?iu)(a)\\1', 'aA', ['aA', 'a'], [0, ['aA', 'a']]],
  ['(?x) ignores whitespace and # comments', '(?x) a b # comment\n c', 'abc', ['abc'], [0, ['abc']]],
  ['(?x) ignores whitespace inside classes too', '(?x)[a b]+', 'a b', null, [0, ['a']]],
  ['(?x) escaped space is literal', '(?x)a\\ b', 'a b', ['a b'], [0, ['a b']]],
  ['named group and \\k<name>', '(?<y>\\d{2})-\\k<y>', '12-12', ['12-12', '12'], [0, ['12-12', '12']]],
  ['backreference', '(\\w+) \\1', 'ab ab', ['ab ab', 'ab'], [0, ['ab ab', 'ab']]],
  ['backreference to a group in another alternative never matches', '(a)|\\1b', 'b', null, null],
  ['forward reference never matches', '\\1(a)', 'aa', null, null],
  ['lookahead and negative lookahead', 'a(?=b)(?!bc)', 'abd', null, [0, ['a']]],
  ['lookbehind', '(?<=ab)c', 'abc', null, [2, ['c']]],
  ['negative lookbehind', '(?<!a)b', 'abcb', null, [3, ['b']]],
  ['lookbehind with a + on one character (allowed since JDK 9)', '(?<=a+)b', 'aab', null, [2, ['b']]],
  ['atomic group does not give back', '(?>a|ab)c', 'abc', null, null],
  ['atomic group', '(?>a|ab)c', 'ac', ['ac'], [0, ['ac']]],
  ['possessive *+ does not give back', 'a*+a', 'aaa', null, null],
  ['possessive ++ keeps group numbers', '(a)++(b)', 'aab', ['aab', 'a', 'b'], [0, ['aab', 'a', 'b']]],
  ['possessive {n,m}+', 'a{1,3}+a', 'aaaa', ['aaaa'], [0, ['aaaa']]],
  ['possessive iterations never give back, not even to reach the minimum', '(?:[^K]+){2}+', 'ab', null, null],
  ['possessive iterations keep their first match', '(a|ab)++c', 'abc', null, null],
  ['lazy quantifier', '<.+?>', '<a><b>', ['<a><b>'], [0, ['<a>']]],
  ['counted quantifiers', 'a{2}b{1,}c{0,1}d{2,3}', 'aabbcddd', ['aabbcddd'], [0, ['aabbcddd']]],
  ['{2} with nothing before repeats the empty string', '{2}a', 'a', ['a'], [0, ['a']]],
  ['X? tries X even when X matches empty', '(a??)?b', 'ab', ['ab', 'a'], [0, ['ab', 'a']]],
  ['a loop ending with an empty iteration reports it', '^(?:([^,]*),?)*$', 'a,b', ['a,b', ''], [0, ['a,b', '']]],
];

describe('compileJavaRegex: behaves like java.util.regex (JDK 17)', () => {
  it.each(JAVA_CASES)('%s', (_what, pattern, input, whole, found) => {
    // Arrange
    const regex = compileJavaRegex(pattern);

    // Act
    const wholeMatch = regex.matchWhole(input);
    const firstMatch = regex.find(input);

    // Assert
    expect(groupsOf(wholeMatch)).toEqual(whole);
    expect(firstMatch === null ? null : [firstMatch.index, groupsOf(firstMatch)]).toEqual(found);
  });
});

describe('the EMR CloudFront tutorial regex (RegexSerDe input.regex)', () => {
  const TUTORIAL =
    '^(?!#)([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+[^(]+[(]([^;]+).*\\%20([^/]+)[/](.*)$';
  const LINE = [
    '2014-07-05', '20:00:00', 'LHR3', '4260', '10.0.0.15', 'GET', 'eabcd12345678.cloudfront.net', '/test-image-1.jpeg', '200', '-',
    'Mozilla/5.0%20(MacOS;%20U;%20Windows%20NT%205.1;%20en-US;%20rv:1.9.0.9)%20Gecko/2009040821%20IE/3.0.9',
  ].join('\t');

  it('splits a log line into the 13 columns Java produces', () => {
    // Arrange
    const regex = compileJavaRegex(TUTORIAL);

    // Act
    const m = regex.matchWhole(LINE);

    // Assert
    expect(regex.groupCount).toBe(13);
    expect(groupsOf(m)?.slice(1)).toEqual([
      '2014-07-05', '20:00:00', 'LHR3', '4260', '10.0.0.15', 'GET', 'eabcd12345678.cloudfront.net', '/test-image-1.jpeg', '200', '-',
      'MacOS', 'IE', '3.0.9',
    ]);
  });

  it('rejects a comment line starting with # (the (?!#) lookahead)', () => {
    const regex = compileJavaRegex(TUTORIAL);

    const m = regex.matchWhole(`#Version: 1.0\t${LINE}`);

    expect(m).toBeNull();
  });

  it('rejects a line whose user agent has no "("', () => {
    const regex = compileJavaRegex(TUTORIAL);

    const m = regex.matchWhole(LINE.replace('(', '['));

    expect(m).toBeNull();
  });

  it('rejects a line with too few fields', () => {
    const regex = compileJavaRegex(TUTORIAL);

    const m = regex.matchWhole(LINE.split('\t').slice(2).join('\t'));

    expect(m).toBeNull();
  });
});

describe('other well-known log regexes', () => {
  const APACHE =
    '^(\\S+) (\\S+) (\\S+) \\[([^\\]]*)\\] "(\\S+)(?: +([^ "]*?)(?: +\\S*)?)?" (\\d{3}|-) (\\d+|-)(?: "([^"]*)" "(.*)")?$';

  it('parses an Apache combined log line', () => {
    const regex = compileJavaRegex(APACHE);

    const m = regex.matchWhole(
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
    );

    expect(groupsOf(m)?.slice(1)).toEqual([
      '127.0.0.1', '-', 'frank', '10/Oct/2000:13:55:36 -0700', 'GET', '/apache_pb.gif', '200', '2326',
      'http://www.example.com/start.html', 'Mozilla/4.08 [en] (Win98; I ;Nav)',
    ]);
  });

  it('leaves the optional groups of an Apache common log line unset (null in Java)', () => {
    const regex = compileJavaRegex(APACHE);

    const m = regex.matchWhole('127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "-" 400 -');

    expect(groupsOf(m)?.slice(1)).toEqual(['127.0.0.1', '-', '-', '10/Oct/2000:13:55:36 -0700', '-', null, '400', '-', null, null]);
  });

  it('parses an ALB access log line with the Athena regex', () => {
    // Arrange
    const alb =
      '([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) "([^ ]*) (.*) (- |[^ ]*)" "([^"]*)" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^"]*)" ([-.0-9]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^ ]*)" "([^\\s]+?)" "([^\\s]+)" "([^ ]*)" "([^ ]*)" ?([^ ]*)?( .*)?';
    const line =
      'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_123456';

    // Act
    const regex = compileJavaRegex(alb);
    const m = groupsOf(regex.matchWhole(line));

    // Assert
    expect(regex.groupCount).toBe(35);
    expect(m?.slice(1, 8)).toEqual(['https', '2018-07-02T22:23:00.186641Z', 'app/my-loadbalancer/50dc6c495c0c9188', '192.168.131.39', '2817', '10.0.0.1', '80']);
    expect(m?.slice(15, 20)).toEqual(['GET', 'https://www.example.com:443/', 'HTTP/1.1', 'curl/7.46.0', 'ECDHE-RSA-AES128-GCM-SHA256']);
    expect(m?.slice(27, 36)).toEqual(['authenticate,forward', '-', '-', '10.0.0.1:80', '200', '-', '-', 'TID_123456', null]);
  });
});

describe('escapes', () => {
  const punctuation = [...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];

  it.each(punctuation)('Java reads \\%s as the literal character', (ch) => {
    const regex = compileJavaRegex(`x\\${ch}y`);

    const m = regex.matchWhole(`x${ch}y`);

    expect(m?.[0]).toBe(`x${ch}y`);
  });

  it.each([...'CEFIJKLMOTUYgijlmoqy'])('Java rejects the undefined escape \\%s', (letter) => {
    const error = errorOf(() => compileJavaRegex(`\\${letter}`));

    expect(error.index).toBe(1);
    expect(error.detail).toBe('Illegal/unsupported escape sequence');
  });
});

describe('group numbering stays Java\'s despite the hidden groups of possessive quantifiers and atomic groups', () => {
  it('numbers groups around X++ and (?>X) as Java does', () => {
    // Arrange
    const regex = compileJavaRegex('(a)++(b)(?>(c))');

    // Act
    const m = regex.matchWhole('aabc');

    // Assert
    expect(regex.groupCount).toBe(3);
    expect(groupsOf(m)).toEqual(['aabc', 'a', 'b', 'c']);
    expect(m?.index).toBe(0);
    expect(m?.input).toBe('aabc');
  });

  it('keeps .index, .input and named groups of find()', () => {
    const regex = compileJavaRegex('(?<first>\\w)++-(?<second>\\w)');

    const m = regex.find('xx aa-b');

    expect(groupsOf(m)).toEqual(['aa-b', 'a', 'b']);
    expect(m?.index).toBe(3);
    expect(m?.input).toBe('xx aa-b');
    expect({ ...m?.groups }).toEqual({ first: 'a', second: 'b' });
    expect(regex.groupNames).toEqual(['first', 'second']);
  });

  it('points backreferences at the moved groups', () => {
    const regex = compileJavaRegex('(?>(\\w+)) \\1');

    expect(groupsOf(regex.matchWhole('ab ab'))).toEqual(['ab ab', 'ab']);
    expect(regex.matchWhole('ab ac')).toBeNull();
  });

  it('renumbers matches of global() with javaMatch()', () => {
    const regex = compileJavaRegex('(x)*+(\\d)');
    const re = regex.global();

    const all = [...'xx1 2'.matchAll(re)].map((m) => groupsOf(regex.javaMatch(m)));

    expect(re.flags).toContain('g');
    expect(all).toEqual([['xx1', 'x', '1'], ['2', null, '2']]);
  });
});

describe('flags and options', () => {
  it('always uses the u flag', () => {
    expect(compileJavaRegex('a').flags).toBe('u');
  });

  it('reports DOTALL and MULTILINE set for the whole pattern as s and m', () => {
    expect(compileJavaRegex('(?sm)a.$').flags).toBe('ums');
  });

  it('does not report a flag that is switched off later', () => {
    expect(compileJavaRegex('(?s)a(?-s).').flags).toBe('u');
  });

  it('keeps ^ as start of input under the m flag for \\A', () => {
    const regex = compileJavaRegex('(?m)\\Ab');

    expect(regex.find('a\nb')).toBeNull();
  });

  it('uses the JS i flag only for a case-insensitive backreference under (?iu)', () => {
    expect(compileJavaRegex('(?i)ab').flags).toBe('u');
    expect(compileJavaRegex('(?iu)(a)\\1').flags).toBe('ui');
  });

  it('applies the caseInsensitive option like Pattern.CASE_INSENSITIVE', () => {
    const regex = compileJavaRegex('a(?-i)bc', { caseInsensitive: true });

    expect(regex.find('xAbc')?.index).toBe(1);
    expect(regex.find('xABC')).toBeNull();
  });

  it('caches compiled patterns by pattern and options', () => {
    const a = compileJavaRegex('cache(d)+');

    expect(compileJavaRegex('cache(d)+')).toBe(a);
    expect(compileJavaRegex('cache(d)+', { caseInsensitive: true })).not.toBe(a);
  });
});

describe('syntax errors carry Java\'s message and the index in the pattern', () => {
  // Messages and indexes as reported by PatternSyntaxException on OpenJDK 17.
  it.each([
    ['(a', 2, 'Unclosed group'],
    ['a)', 0, "Unmatched closing ')'"],
    ['[a', 1, 'Unclosed character class'],
    ['*a', 0, "Dangling meta character '*'"],
    ['a**', 2, "Dangling meta character '*'"],
    ['a{', 2, 'Illegal repetition'],
    ['x{,2}', 2, 'Illegal repetition'],
    ['x{2', 3, 'Unclosed counted closure'],
    ['x{2,1}', 5, 'Illegal repetition range'],
    ['a\\E', 2, 'Illegal/unsupported escape sequence'],
    ['[\\1]', 2, 'Illegal/unsupported escape sequence'],
    ['[z-a]', 3, 'Illegal character range'],
    ['[a-\\d]', 4, 'Illegal character range'],
    ['\\p{Foo}', 6, 'Unknown character property name {Foo}'],
    ['\\p{latin}', 8, 'Unknown character property name {latin}'],
    ['\\p{sc=Klingon}', 13, 'Unknown Unicode property {name=<sc>, value=<Klingon>}'],
    ['\\p{', 3, 'Unclosed character family'],
    ['(?<n>a)(?<n>b)', 11, 'Named capturing group <n> is already defined'],
    ['\\k<x>', 4, 'named capturing group <x> does not exist'],
    ['(?z)', 2, 'Unknown inline modifier'],
    ['\\x{110000}', 8, 'Hexadecimal codepoint is too big'],
    ['\\u12', 4, 'Illegal Unicode escape sequence'],
    ['\\08', 2, 'Illegal octal escape sequence'],
    ['(?<=a(?:b|c)+)d', 12, 'Look-behind group does not have an obvious maximum length'],
  ] as const)('%s -> index %i: %s', (pattern, index, detail) => {
    const error = errorOf(() => compileJavaRegex(pattern));

    expect(error.index).toBe(index);
    expect(error.detail).toBe(detail);
    expect(error.pattern).toBe(pattern);
  });

  it('rejects [\\p{L}a&&&b], which Java accepts but fails on while matching (NullPointerException)', () => {
    const error = errorOf(() => compileJavaRegex('[\\p{L}a&&&b]'));

    expect(error.index).toBe(8);
    expect(error.detail).toBe('Bad class syntax (Java fails on this class while matching)');
  });

  it('reports indexes in the pattern as written, after \\Q...\\E', () => {
    // Java would say 2, an index into its pattern with the quoting removed.
    const error = errorOf(() => compileJavaRegex('\\Qa\\E|*'));

    expect(error.index).toBe(6);
    expect(error.detail).toBe("Dangling meta character '*'");
  });
});

describe('constructs without a JavaScript equivalent are refused', () => {
  it.each([
    ['a\\G', 1, '\\G'],
    ['\\X', 0, '\\X'],
    ['\\b{g}', 0, '\\b{g}'],
    ['\\N{LATIN SMALL LETTER A}', 0, '\\N{name}'],
    ['\\p{InGreek}', 10, 'Unicode block'],
    ['\\p{block=Greek}', 14, 'Unicode block'],
    ['(?c)a', 2, 'CANON_EQ'],
    ['(?<=(?>a))b', 4, 'atomic group inside a lookbehind'],
    ['(?<=a++)b', 5, 'possessive quantifier inside a lookbehind'],
    ['(?i)(a)\\1', 7, 'case-insensitive backreference'],
    ['(a)?\\1', 4, 'backreference to group 1, which may not have matched'],
    ['(?:(a)|b)+\\1', 10, 'backreference to group 1'],
    ['(a??)*', 5, 'can match the empty string before it tries longer matches'],
    ['(?!(a)b)a\\1', 9, 'inside a lookbehind or a negative lookahead'],
    ['(?<=(a|ab))b\\1', 12, 'inside a lookbehind or a negative lookahead'],
    ['(?:(a*),?)+-\\1', 12, "loop's final empty iteration"],
    ['(?<=b|xa+)c', 8, 'lookbehind whose length Java miscomputes'],
  ] as const)('%s', (pattern, index, what) => {
    const error = errorOf(() => compileJavaRegex(pattern));

    expect(error.index).toBe(index);
    expect(error.detail).toContain(what);
    expect(error.detail).toContain('no JavaScript equivalent');
  });
});

describe('javaReplaceAll: Matcher.replaceAll semantics (checked against OpenJDK 17)', () => {
  it.each([
    ['$n group references', '(\\w)(\\d)', 'a1 b2', '$2$1', '1a 2b'],
    ['${name} references and \\$ for a literal dollar', '(?<l>\\w)(\\d)', 'a1 b2', '${l}\\$', 'a$ b$'],
    ['\\ escapes $ and \\', '(\\w)(\\d)', 'a1 b2', '\\$1\\\\', '$1\\ $1\\'],
    ['$12 is group 1 then "2" when there is no group 12', '(\\w)', 'ab', '$12', 'a2b2'],
    ['an unmatched group is replaced by nothing', '(a)|b', 'ab', '[$1]', '[a][]'],
    ['empty matches between characters', 'x*', 'abc', '-', '-a-b-c-'],
    ['an empty match right after a match', 'b*', 'abc', '-', '-a--c-'],
    ['groups of possessive patterns', '(a)++', 'aab', '<$1>', '<a>b'],
    ['the group of a loop that ended with an empty iteration', '^(?:([^,]*),?)*$', 'a,b', '[$1]', '[]'],
    ['no match leaves the input as it is', '\\d', 'abc', '#', 'abc'],
  ] as const)('%s', (_what, pattern, input, replacement, expected) => {
    const regex = compileJavaRegex(pattern);

    const out = javaReplaceAll(regex, input, replacement);

    expect(out).toBe(expected);
  });

  it.each([
    ['$9', 0, 'No group 9'],
    ['${x}', 0, 'No group with name {x}'],
    ['$a', 0, 'Illegal group reference'],
    ['x$', 1, 'Illegal group reference: group index is missing'],
    ['x\\', 1, 'character to be escaped is missing'],
  ] as const)('rejects the replacement %s once something matches', (replacement, index, detail) => {
    const regex = compileJavaRegex('(\\w)');

    const error = errorOf(() => javaReplaceAll(regex, 'ab', replacement));

    expect(error.index).toBe(index);
    expect(error.detail).toBe(detail);
    expect(error.pattern).toBe(replacement);
  });

  it('does not check the replacement when nothing matches, like Java', () => {
    const regex = compileJavaRegex('(\\w)');

    const out = javaReplaceAll(regex, '', '$9');

    expect(out).toBe('');
  });
});
