import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateLines } from '../src/generate/index.js';
import { Random } from '../src/generate/random.js';
import { compileJavaRegex } from '../src/serde/java-regex.js';
import { compileLineMatcher } from '../src/serde/line-matcher.js';
import { locateTutorialGroups, matchTutorialShape, newGroupBounds, TUTORIAL_PATTERN } from '../src/serde/tutorial-shape.js';
import { forEachLine, LINE_IS_PLAIN_ASCII } from '../src/storage/line-reader.js';

const regex = compileJavaRegex(TUTORIAL_PATTERN);
// The compiled matcher is itself checked against RegExp (tests/line-matcher.test.ts); it is fast enough for large corpora.
const exact = compileLineMatcher(regex, { prefer: 'compiled' });

/** Lines of the shape the shortcut accepts, pushed toward its edge cases. */
function edgeLines(rng: Random, count: number): string[] {
  const pieces = ['%20', '%2', '%', '20', '/', '//', '(', ')', ';', ';;', 'a', 'Mozilla', 'IE', '3.0', '#', '-', '%20/', '/%20'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const fields = Array.from({ length: 10 }, () => rng.pick(['2014-07-05', '20:00:00', 'x', '#x', '-', '(', ';', '/']));
    let ua = '';
    const n = rng.int(0, 12);
    for (let k = 0; k < n; k++) ua += rng.pick(pieces);
    out.push([...fields, ua].join('\t'));
  }
  return out;
}

/** Real lines with one thing changed: the shapes the shortcut must refuse or still get right. */
function mutations(rng: Random, lines: readonly string[]): string[] {
  const edits: ((l: string) => string)[] = [
    (l) => l.replace('\t', '\t\t'),
    (l) => l.replace('\t', ' '),
    (l) => l.replace('\t', '\u000b'),
    (l) => `\t${l}`,
    (l) => `${l}\t`,
    (l) => `#${l}`,
    (l) => l.replace('(', ''),
    (l) => l.replace(';', ''),
    (l) => l.replaceAll(';', ''),
    (l) => l.replace(/%20([^/]*)\/([^%]*)$/, '%20/$2'),
    (l) => l.replace(/\/[^/]*$/, ''),
    (l) => `${l}%20x/y`,
    (l) => `${l}%20/`,
    (l) => l.replace('(', '(;'),
    (l) => l.replace('Mozilla', 'Möz'),
    (l) => `${l}\u0085`,
    (l) => l.replace('%20', ' '),
    (l) => l.replace('(', '(\u2028'),
    (l) => l.replace('U;', 'U\u000c;'),
    (l) => l.replace('GET', 'G\u0001T'),
    (l) => l.replace('%20(', '%20\ud83d\ude00('),
    (l) => l.replace('Mozilla', 'Moz\u00e9\u2029'),
    (l) => l.replace(';', '\u00a0;'),
  ];
  return lines.map((l) => rng.pick(edits)(l));
}

describe('the tutorial pattern shortcut', () => {
  const rng = new Random(2014, 1);
  const generated = [...generateLines({ format: 'cloudfront-sample', lines: 20_000, seed: 5, oddRate: 0.2 })];
  const corpus = [...generated, ...edgeLines(rng, 20_000), ...mutations(rng, generated.slice(0, 20_000))];

  it('gives exactly the groups of the regex on every line it accepts, and defers on the rest', () => {
    // Act
    const wrong: string[] = [];
    let accepted = 0;
    for (const line of corpus) {
      const fast = matchTutorialShape(line);
      if (fast === undefined) continue;
      accepted++;
      const expected = exact.match(line);
      if (JSON.stringify(fast) !== JSON.stringify(expected)) wrong.push(line);
    }

    // Assert
    expect(wrong).toEqual([]);
    expect(accepted).toBeGreaterThan(20_000);
  });

  it('agrees with the RegExp itself on a sample of accepted lines', () => {
    const sample = corpus.filter((l) => matchTutorialShape(l) !== undefined).filter((_l, i) => i % 40 === 0);
    for (const line of sample) expect(matchTutorialShape(line), line).toEqual(regex.matchWhole(line)!.slice(1));
    expect(sample.length).toBeGreaterThan(500);
  });

  it('gives the same answer with the plain-ASCII hint on every line the hint holds for', () => {
    // Arrange
    const plain = corpus.filter((l) => /^[\x00-\x7f]*$/.test(l) && !/[\n\x0b\f\r]/.test(l));
    const hinted = newGroupBounds();
    const unhinted = newGroupBounds();

    // Act
    const differ = plain.filter((l) => {
      const a = locateTutorialGroups(l, hinted, true);
      const b = locateTutorialGroups(l, unhinted, false);
      return a !== b || (a && hinted.join() !== unhinted.join());
    });

    // Assert
    expect(plain.length).toBeGreaterThan(30_000);
    expect(differ).toEqual([]);
  });

  it('gets the hint from the line reader only for windows where it holds', async () => {
    // Arrange: the corpus as a file (terminators split lines, so they cannot be inside one)
    const lines = corpus.flatMap((l) => l.split(/\r\n|\r|\n/));
    const stream = Readable.from([Buffer.from(lines.join('\n') + '\n', 'utf8')]);
    const seen: { line: string; hints: number }[] = [];

    // Act
    await forEachLine(stream, 'corpus', (line, _n, hints) => seen.push({ line, hints }));

    // Assert
    expect(seen.map((s) => s.line)).toEqual(lines);
    const wrongHints = seen.filter((s) => (s.hints & LINE_IS_PLAIN_ASCII) !== 0 && (!/^[\x00-\x7f]*$/.test(s.line) || /[\x0b\f]/.test(s.line)));
    expect(wrongHints).toEqual([]);
    expect(seen.filter((s) => s.hints !== 0).length).toBeGreaterThan(0);
  });

  it('takes nearly every regular generated line', () => {
    const regular = [...generateLines({ format: 'cloudfront-sample', lines: 5000, seed: 9, oddRate: 0 })];
    const taken = regular.filter((l) => matchTutorialShape(l) !== undefined).length;
    expect(taken / regular.length).toBeGreaterThan(0.95);
  });

  it('defers lines it cannot decide: spaces, doubled tabs, comments, no parenthesis', () => {
    const line = [...generateLines({ format: 'cloudfront-sample', lines: 1, seed: 1, oddRate: 0 })][0]!;
    expect(matchTutorialShape(line)).toBeDefined();
    for (const odd of [line.replace('\t', ' '), line.replace('\t', '\t\t'), `#${line}`, line.replace('(', ''), '', `${line}\u2028`, line.replace('\t', '\t\u000b')]) {
      expect(matchTutorialShape(odd), odd).toBeUndefined();
    }
  });
});
