import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineSource, generateLines, writeLogFiles, type GenerateOptions, type LogFormat } from '../src/generate/index.js';
import { Random, WeightedPicker } from '../src/generate/random.js';

/**
 * The tutorial's input.regex after Hive unescapes its string literal
 * (`\\s` → `\s`, `[^\(]` → `[^(]`, `\;` → `;`, `\/` → `/`, `\%20` stays and
 * means `%20` in Java), translated by hand. JS `\s` differs from Java's only on
 * Unicode spaces, which the generator never writes.
 */
const TUTORIAL_REGEX =
  /^(?!#)([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+[^(]+[(]([^;]+).*%20([^/]+)[/](.*)$/;

/** combined_top_pages.q's input.regex, unescaped the same way. */
const COMBINED_REGEX = /^([^ ]+) ([^ ]+) ([^ ]+) \[([^\]]+)\] "([^ "]+) ([^ "]+) ([^ "]+)" ([0-9]{3}) ([0-9]+|-) "([^"]*)" "([^"]*)"$/;

const OSES = ['Android', 'Linux', 'MacOS', 'OSX', 'Windows', 'iOS'];
const FORMATS: LogFormat[] = ['cloudfront-sample', 'cloudfront', 'combined'];

function collect(options: GenerateOptions): { lines: string[]; odd: boolean[] } {
  const source = createLineSource(options);
  const lines: string[] = [];
  const odd: boolean[] = [];
  for (let i = 0; i < options.lines; i++) {
    lines.push(source.next());
    odd.push(source.odd);
  }
  return { lines, odd };
}

/**
 * Hive's unescapeSQLString for the escapes the jobs use (REFERENCE §2), then
 * Java's `\%` (a literal %) made JS-safe.
 */
function hiveRegex(literal: string): RegExp {
  const unescaped = literal.replace(/\\(.)/g, (_, c: string) => (c === '%' || c === '_' ? `\\${c}` : c === 't' ? '\t' : c));
  return new RegExp(unescaped.replace(/\\%/g, '%'));
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'loghive-generate-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('Random', () => {
  it('is deterministic per seed and stream', () => {
    const draw = (seed: number, stream = 0): number[] => {
      const r = new Random(seed, stream);
      return Array.from({ length: 8 }, () => r.uint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
    expect(draw(1)).not.toEqual(draw(1 + 2 ** 32));
  });

  it('draws uniformly enough and within bounds', () => {
    const r = new Random(7);
    let below = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      if (x < 0.25) below++;
      const n = r.int(3, 5);
      if (!(n >= 3 && n <= 5)) outside++;
    }
    expect(outside).toBe(0);
    expect(below / 100_000).toBeCloseTo(0.25, 2);
  });

  it('picks by weight', () => {
    const r = new Random(9);
    const picker = new WeightedPicker([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ]);
    const counts: Record<string, number> = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i++) counts[picker.pick(r)]!++;
    expect(counts.never).toBe(0);
    expect(counts.b! / counts.a!).toBeGreaterThan(2.7);
    expect(counts.b! / counts.a!).toBeLessThan(3.3);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Random(1.5)).toThrow(RangeError);
    expect(() => new Random(Number.NaN)).toThrow(RangeError);
  });
});

describe.each(FORMATS)('generateLines %s', (format) => {
  const headerCount = format === 'cloudfront' ? 2 : 0;

  it('gives identical lines for the same seed and different ones for another seed', () => {
    const a = [...generateLines({ format, lines: 3000, seed: 42 })].join('\n');
    const b = [...generateLines({ format, lines: 3000, seed: 42 })].join('\n');
    const c = [...generateLines({ format, lines: 3000, seed: 43 })].join('\n');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('yields exactly the requested number of lines (plus the CloudFront header)', () => {
    for (const lines of [0, 1, 17, 2500]) {
      expect([...generateLines({ format, lines, seed: 1 })].length).toBe(lines + headerCount);
    }
  });

  it('writes ASCII only, without line terminators inside lines', () => {
    const bad = [...generateLines({ format, lines: 5000, seed: 5, oddRate: 0.2 })].filter((line) => !/^[\t\x20-\x7e]*$/.test(line));
    expect(bad).toEqual([]);
  });

  it('makes about oddRate of the lines odd, deterministically', () => {
    const n = 40_000;
    for (const rate of [0.01, 0.1]) {
      const { odd } = collect({ format, lines: n, seed: 11, oddRate: rate });
      const count = odd.filter(Boolean).length;
      // Binomial: 4 standard deviations either side.
      const sd = Math.sqrt(n * rate * (1 - rate));
      expect(Math.abs(count - n * rate)).toBeLessThan(4 * sd);
    }
    expect(collect({ format, lines: 5000, seed: 11, oddRate: 0 }).odd.some(Boolean)).toBe(false);
    const defaultRate = collect({ format, lines: n, seed: 12 }).odd.filter(Boolean).length / n;
    expect(defaultRate).toBeGreaterThan(0.007);
    expect(defaultRate).toBeLessThan(0.013);
  });

  it('keeps the regular lines the same whatever the odd rate', () => {
    const clean = collect({ format, lines: 3000, seed: 3, oddRate: 0 });
    const noisy = collect({ format, lines: 3000, seed: 3, oddRate: 0.3 });
    noisy.lines.forEach((line, i) => {
      if (!noisy.odd[i]) expect(line).toBe(clean.lines[i]);
    });
  });

  it('rejects bad options', () => {
    // At the call, not at the first iteration.
    expect(() => generateLines({ format, lines: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateLines({ format, lines: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateLines({ format, lines: 1, seed: 2 ** 53 })).toThrow(RangeError);
    expect(() => generateLines({ format, lines: 1, seed: 1, oddRate: 2 })).toThrow(RangeError);
    expect(() => generateLines({ format, lines: 1, seed: 1, oddRate: Number.NaN })).toThrow(RangeError);
    expect(() => generateLines({ format: 'nope' as LogFormat, lines: 1, seed: 1 })).toThrow(RangeError);
  });
});

describe('cloudfront-sample lines', () => {
  const { lines, odd } = collect({ format: 'cloudfront-sample', lines: 20_000, seed: 42, oddRate: 0.05 });
  const regular = lines.filter((_, i) => !odd[i]);
  const matches = regular.map((line) => TUTORIAL_REGEX.exec(line));

  it('match the tutorial regex when not odd, with 11 tab-separated fields', () => {
    expect(regular.filter((line, i) => matches[i] === null || line.split('\t').length !== 11)).toEqual([]);
  });

  it('match the regex of the jobs, as Hive reads it from the DDL', async () => {
    const job = await readFile(fileURLToPath(new URL('../jobs/os_requests.q', import.meta.url)), 'utf8');
    const literal = /"input\.regex" = "((?:[^"\\]|\\.)*)"/.exec(job)![1]!;
    const fromJob = hiveRegex(literal);
    expect(fromJob.source).toBe(TUTORIAL_REGEX.source);
  });

  it('extract the fields the tutorial table expects', () => {
    const statuses = new Set<string>();
    const dates = new Set<string>();
    const bad: string[] = [];
    for (const m of matches) {
      const [line, date, time, location, bytes, ip, method, host, uri, status, referrer, os, browser, version] = m!;
      const ok =
        /^2014-0[78]-\d\d$/.test(date!) &&
        /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(time!) &&
        /^[A-Z]{3}\d+$/.test(location!) &&
        /^\d+$/.test(bytes!) &&
        Number(bytes) < 2 ** 31 &&
        /^\d+\.\d+\.\d+\.\d+$/.test(ip!) &&
        /^[A-Z]+$/.test(method!) &&
        host === 'eabcd12345678.cloudfront.net' &&
        uri!.startsWith('/') &&
        referrer !== '' &&
        OSES.includes(os!) &&
        /^[A-Za-z]+$/.test(browser!) &&
        /^[\d.]+$/.test(version!);
      if (!ok) bad.push(line!);
      statuses.add(status!);
      dates.add(date!);
    }
    expect(bad).toEqual([]);
    expect([...statuses].sort()).toEqual(['200', '304', '403', '404', '500']);
    const sorted = [...dates].sort();
    expect(sorted[0]).toBe('2014-07-01');
    expect(sorted.at(-1)).toBe('2014-08-10');
    // Some requests fall outside the tutorial's 2014-07-05..2014-08-05.
    expect(sorted.filter((d) => d < '2014-07-05' || d > '2014-08-05').length).toBeGreaterThan(5);
  });

  it('have timestamps that never go back', () => {
    const stamps = regular.map((l) => l.slice(0, 19));
    expect(stamps.filter((s, i) => i > 0 && s < stamps[i - 1]!)).toEqual([]);
  });

  it('spread over all six operating systems in similar shares', () => {
    const counts = new Map<string, number>();
    for (const m of matches) counts.set(m![11]!, (counts.get(m![11]!) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...OSES].sort());
    for (const count of counts.values()) expect(count / matches.length).toBeGreaterThan(0.12);
  });

  it('repeat URIs and clients Zipf-like, so top-N reports have a head', () => {
    const uris = new Map<string, number>();
    const ips = new Set<string>();
    for (const m of matches) {
      uris.set(m![8]!, (uris.get(m![8]!) ?? 0) + 1);
      ips.add(m![5]!);
    }
    const counts = [...uris.values()].sort((a, b) => b - a);
    const top10 = counts.slice(0, 10).reduce((a, b) => a + b, 0);
    expect(top10 / matches.length).toBeGreaterThan(0.1);
    expect(counts[0]).toBeGreaterThan(10 * counts[Math.floor(counts.length / 2)]!);
    expect(ips.size).toBeLessThan(matches.length / 2);
    // 404s concentrate on a few missing paths.
    const notFound = new Map<string, number>();
    for (const m of matches) if (m![9] === '404') notFound.set(m![8]!, (notFound.get(m![8]!) ?? 0) + 1);
    expect(Math.max(...notFound.values())).toBeGreaterThan(10);
  });

  it('include odd lines of every kind: comments, no `(`, truncated, empty, spaces, `-` bytes, bad dates', () => {
    const oddLines = lines.filter((_, i) => odd[i]);
    const rejected = oddLines.filter((l) => !TUTORIAL_REGEX.test(l));
    const accepted = oddLines.filter((l) => TUTORIAL_REGEX.test(l));
    expect(rejected.some((l) => l.startsWith('#'))).toBe(true);
    expect(rejected.some((l) => l === '')).toBe(true);
    expect(rejected.some((l) => l.split('\t').length === 11 && !l.includes('('))).toBe(true);
    expect(rejected.some((l) => l !== '' && !l.startsWith('#') && l.split('\t').length < 11)).toBe(true);
    // Accepted by the pattern, but not regular: spaces for tabs, NULL bytes, NULL dates.
    expect(accepted.some((l) => !l.includes('\t') && TUTORIAL_REGEX.exec(l)![1]!.startsWith('2014-'))).toBe(true);
    expect(accepted.some((l) => TUTORIAL_REGEX.exec(l)![4] === '-')).toBe(true);
    expect(accepted.some((l) => ['2014-13-45', '2014-07-32', '2014-00-10'].includes(TUTORIAL_REGEX.exec(l)![1]!))).toBe(true);
  });
});

describe('cloudfront (standard) lines', () => {
  const all = [...generateLines({ format: 'cloudfront', lines: 10_000, seed: 42, oddRate: 0.05 })];
  const { odd } = collect({ format: 'cloudfront', lines: 10_000, seed: 42, oddRate: 0.05 });
  const records = all.slice(2);

  it('start with the two header lines', () => {
    expect(all[0]).toBe('#Version: 1.0');
    expect(all[1]).toMatch(/^#Fields: date time x-edge-location sc-bytes c-ip cs-method /);
    expect(all[1]!.slice('#Fields: '.length).split(' ')).toHaveLength(33);
  });

  it('have 33 tab-separated fields, `-` for empty ones, when not odd', () => {
    const resultTypes = new Set<string>();
    // Collected, not asserted per field: 330,000 expect() calls take seconds.
    const bad: string[] = [];
    records.forEach((line, i) => {
      if (odd[i]) return;
      const fields = line.split('\t');
      const ok =
        fields.length === 33 &&
        fields.every((f) => f !== '') &&
        /^2014-0[78]-\d\d$/.test(fields[0]!) &&
        /^\d+$/.test(fields[3]!) &&
        /^\d{3}$/.test(fields[8]!) &&
        !fields[10]!.includes(' ') &&
        /^[A-Za-z0-9_-]{54}==$/.test(fields[14]!);
      if (!ok) bad.push(line);
      resultTypes.add(fields[13]!);
    });
    expect(bad).toEqual([]);
    expect([...resultTypes].sort()).toEqual(['Error', 'Hit', 'Miss', 'RefreshHit']);
  });

  it('include odd lines: stray headers, truncated, empty, `-` bytes, bad dates, an extra field', () => {
    const oddLines = records.filter((_, i) => odd[i]);
    expect(oddLines.some((l) => l.startsWith('#'))).toBe(true);
    expect(oddLines.some((l) => l === '')).toBe(true);
    expect(oddLines.some((l) => l !== '' && !l.startsWith('#') && l.split('\t').length < 33)).toBe(true);
    expect(oddLines.some((l) => l.split('\t').length === 34)).toBe(true);
    expect(oddLines.some((l) => l.split('\t')[3] === '-')).toBe(true);
    expect(oddLines.some((l) => /^2014-(13|00)-|^2014-07-32/.test(l))).toBe(true);
  });
});

describe('combined lines', () => {
  const { lines, odd } = collect({ format: 'combined', lines: 10_000, seed: 42, oddRate: 0.05 });

  it('match the combined regex of combined_top_pages.q when not odd', async () => {
    const job = await readFile(fileURLToPath(new URL('../jobs/combined_top_pages.q', import.meta.url)), 'utf8');
    const literal = /'input\.regex' = '((?:[^'\\]|\\.)*)'/.exec(job)![1]!;
    expect(hiveRegex(literal).source).toBe(COMBINED_REGEX.source);
    const bad = lines.filter((line, i) => {
      if (odd[i]) return false;
      const m = COMBINED_REGEX.exec(line);
      return !m || !/^\d\d\/(Jul|Aug)\/2014:\d\d:\d\d:\d\d -0700$/.test(m[4]!) || !/^HTTP\/1\.[01]$/.test(m[7]!);
    });
    expect(bad).toEqual([]);
  });

  it('include odd lines the pattern rejects and ones with an unparsable time', () => {
    const oddLines = lines.filter((_, i) => odd[i]);
    expect(oddLines.some((l) => l === '')).toBe(true);
    expect(oddLines.some((l) => l.includes('"-" 408'))).toBe(true);
    expect(oddLines.some((l) => l.includes('\\x16\\x03'))).toBe(true);
    expect(oddLines.some((l) => l.includes('\\"'))).toBe(true);
    const isoTimes = oddLines.filter((l) => /\[2014-\d\d-\d\dT/.test(l));
    expect(isoTimes.length).toBeGreaterThan(0);
    for (const l of isoTimes) expect(COMBINED_REGEX.test(l)).toBe(true);
    expect(oddLines.filter((l) => COMBINED_REGEX.test(l)).length).toBeLessThan(oddLines.length);
  });
});

describe('writeLogFiles', () => {
  it('writes the tutorial layout log1 … log6, splitting generateLines in order', async () => {
    const out = join(tmp, 'sample', 'cloudfront', 'data');
    const result = await writeLogFiles({ format: 'cloudfront-sample', lines: 1003, seed: 42, out, files: 6 });
    expect(result.files).toEqual([1, 2, 3, 4, 5, 6].map((n) => join(out, `log${n}`)));
    expect((await readdir(out)).sort()).toEqual(['log1', 'log2', 'log3', 'log4', 'log5', 'log6']);
    const contents = await Promise.all(result.files.map((f) => readFile(f, 'latin1')));
    const lineCounts = contents.map((c) => c.split('\n').length - 1);
    expect(lineCounts).toEqual([168, 167, 167, 167, 167, 167]);
    expect(result.lines).toBe(1003);
    expect(contents.join('')).toBe([...generateLines({ format: 'cloudfront-sample', lines: 1003, seed: 42 })].map((l) => `${l}\n`).join(''));
    expect(result.bytes).toBe(contents.reduce((n, c) => n + c.length, 0));
    const { odd } = collect({ format: 'cloudfront-sample', lines: 1003, seed: 42 });
    expect(result.oddLines).toBe(odd.filter(Boolean).length);
  });

  it('writes gzip CloudFront files with their hour in the name and two header lines each', async () => {
    const out = join(tmp, 'cf');
    const result = await writeLogFiles({ format: 'cloudfront', lines: 500, seed: 42, out, files: 2 });
    expect(result.files).toHaveLength(2);
    const records: string[] = [];
    for (const file of result.files) {
      const name = file.slice(out.length + 1);
      const m = /^EDFDVBD6EXAMPLE\.(\d{4}-\d\d-\d\d)-(\d\d)\.[0-9a-f]{8}\.gz$/.exec(name);
      expect(m, name).not.toBeNull();
      const lines = gunzipSync(await readFile(file)).toString('latin1').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines[0]).toBe('#Version: 1.0');
      expect(lines[1]).toMatch(/^#Fields: /);
      expect(lines).toHaveLength(252);
      // The name carries the hour of the file's first record (when that record shows a date).
      const first = lines[2]!.split('\t');
      if (/^2014-0[78]-\d\d$/.test(first[0]!) && first.length > 1) expect(`${first[0]}-${first[1]!.slice(0, 2)}`).toBe(`${m![1]}-${m![2]}`);
      records.push(...lines.slice(2));
    }
    expect(records).toEqual([...generateLines({ format: 'cloudfront', lines: 500, seed: 42 })].slice(2));
  });

  it('names combined files access.log.N and gzips on request', async () => {
    const plain = await writeLogFiles({ format: 'combined', lines: 10, seed: 1, out: join(tmp, 'combined'), files: 3 });
    expect(plain.files.map((f) => f.slice(-12))).toEqual(['access.log.1', 'access.log.2', 'access.log.3']);
    const zipped = await writeLogFiles({ format: 'combined', lines: 10, seed: 1, out: join(tmp, 'combined-gz'), files: 1, gzip: true });
    expect(zipped.files[0]!.endsWith('access.log.1.gz')).toBe(true);
    const text = gunzipSync(await readFile(zipped.files[0]!)).toString('latin1');
    expect(text).toBe([...generateLines({ format: 'combined', lines: 10, seed: 1 })].map((l) => `${l}\n`).join(''));
  });

  it('writes byte-identical files for the same seed', async () => {
    for (const format of FORMATS) {
      const a = await writeLogFiles({ format, lines: 2000, seed: 7, out: join(tmp, 'same-a', format), files: 2 });
      const b = await writeLogFiles({ format, lines: 2000, seed: 7, out: join(tmp, 'same-b', format), files: 2 });
      const c = await writeLogFiles({ format, lines: 2000, seed: 8, out: join(tmp, 'same-c', format), files: 2 });
      expect(a.files.map((f) => f.split('/').pop())).toEqual(b.files.map((f) => f.split('/').pop()));
      for (let i = 0; i < a.files.length; i++) {
        expect((await readFile(a.files[i]!)).equals(await readFile(b.files[i]!))).toBe(true);
        expect((await readFile(a.files[i]!)).equals(await readFile(c.files[i]!))).toBe(false);
      }
      expect(a).toEqual({ ...b, files: a.files });
    }
  });

  it('creates files even when there are fewer lines than files', async () => {
    const result = await writeLogFiles({ format: 'cloudfront', lines: 1, seed: 3, out: join(tmp, 'few'), files: 3 });
    expect(result.files).toHaveLength(3);
    expect(new Set(result.files).size).toBe(3);
    expect(result.lines).toBe(1);
  });

  it('rejects a bad file count', async () => {
    await expect(writeLogFiles({ format: 'combined', lines: 1, seed: 1, out: join(tmp, 'bad'), files: 0 })).rejects.toThrow(RangeError);
  });
});

describe('sample-data/', () => {
  const root = fileURLToPath(new URL('../sample-data/', import.meta.url));

  // The options sample-data/README.md documents; regenerating must reproduce the committed files.
  const layouts: Array<{ dir: string; options: Omit<Parameters<typeof writeLogFiles>[0], 'out'> }> = [
    { dir: 'cloudfront/data', options: { format: 'cloudfront-sample', lines: 4000, seed: 42, files: 6 } },
    { dir: 'cloudfront-standard', options: { format: 'cloudfront', lines: 500, seed: 42, files: 2 } },
    { dir: 'combined', options: { format: 'combined', lines: 1000, seed: 42, files: 2 } },
  ];

  it.each(layouts)('$dir is what the documented generator options produce', async ({ dir, options }) => {
    const out = join(tmp, 'regen', dir);
    const result = await writeLogFiles({ ...options, out });
    const names = result.files.map((f) => f.slice(out.length + 1));
    expect((await readdir(join(root, dir))).sort()).toEqual([...names].sort());
    for (const name of names) {
      const committed = await readFile(join(root, dir, name));
      const fresh = await readFile(join(out, name));
      const text = (b: Buffer): string => (name.endsWith('.gz') ? gunzipSync(b) : b).toString('latin1');
      // Compare contents, not gzip bytes: another zlib build may compress differently.
      expect(text(committed) === text(fresh), name).toBe(true);
    }
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`--format ${options.format} --lines ${options.lines} --seed ${options.seed} --files ${options.files}`);
  });
});
