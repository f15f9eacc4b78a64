import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhaseProgress } from '../src/engine/runner.js';
import { HiveSession } from '../src/engine/session.js';
import { TaskFailedError } from '../src/hive/errors.js';
import { HiveVariables } from '../src/hive/script.js';
import { computeSplits } from '../src/engine/splits.js';
import { forEachLine, forEachLineInRange } from '../src/storage/line-reader.js';
import { LocalStorage } from '../src/storage/local-storage.js';
import { generateLines } from '../src/generate/index.js';
import { tempDir } from './helpers.js';

const JOBS = ['os_requests', 'top_uris', 'unique_visitors', 'hourly_requests'];

async function runJob(job: string, input: string, output: string, options: { workers: number; splitSize?: number; reducers?: number; maxAttempts?: number; onWorkerTask?: (worker: { terminate(): Promise<number> }) => void; onProgress?: (p: PhaseProgress) => void }) {
  const variables = new HiveVariables({});
  for (const [k, v] of Object.entries({ INPUT: input, OUTPUT: output, FROM: '2014-07-05', TO: '2014-08-05' })) variables.hivevar.set(k, v);
  const session = new HiveSession({ file: `${job}.q`, variables, stdout: () => {}, stderr: () => {}, ...options });
  const result = await session.run(readFileSync(`jobs/${job}.q`, 'utf8'));
  const dir = path.join(output, job);
  const text = readdirSync(dir).sort().map((f) => readFileSync(path.join(dir, f), 'utf8')).join('');
  return { result, text };
}

describe('parallel map tasks over splits', () => {
  const dir = tempDir();
  const plain = path.join(dir, 'plain');
  const gz = path.join(dir, 'gz');
  let expectedRecords = 0;

  beforeAll(() => {
    // Lines with all three terminators, so that split boundaries fall inside \r\n pairs too.
    const lines = [...generateLines({ format: 'cloudfront-sample', lines: 3000, seed: 11, oddRate: 0.05 })];
    const terminators = ['\n', '\r\n', '\r'];
    const body = (part: string[], k: number) => part.map((l, i) => l + terminators[(i + k) % 3]).join('');
    mkdirSync(path.join(plain, 'cloudfront/data'), { recursive: true });
    mkdirSync(path.join(gz, 'cloudfront/data'), { recursive: true });
    for (let k = 0; k < 3; k++) {
      const text = body(lines.slice(k * 1000, (k + 1) * 1000), k);
      // An empty line after a \r merges into a \r\n terminator, so count what Hadoop would read.
      expectedRecords += text.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/).length;
      writeFileSync(path.join(plain, `cloudfront/data/log${k + 1}`), text);
      writeFileSync(path.join(gz, `cloudfront/data/log${k + 1}.gz`), gzipSync(text));
    }
  });

  it.each(JOBS)('%s: the same output with 1, 2 and 4 workers, any split size, and gzip input', async (job) => {
    // Arrange
    const baseline = await runJob(job, plain, path.join(dir, `out-${job}-base`), { workers: 1 });
    const variants = [
      { name: 'workers=2', input: plain, workers: 2 },
      { name: 'workers=4, 4 KB splits', input: plain, workers: 4, splitSize: 4096 },
      { name: 'workers=2, 777-byte splits', input: plain, workers: 2, splitSize: 777 },
      { name: 'workers=1, 1000-byte splits', input: plain, workers: 1, splitSize: 1000 },
      { name: 'gzip, workers=2', input: gz, workers: 2 },
    ];

    // Act
    for (const v of variants) {
      const out = await runJob(job, v.input, path.join(dir, `out-${job}-${v.name.replace(/\W+/g, '_')}`), { workers: v.workers, splitSize: v.splitSize });

      // Assert
      expect(out.text, v.name).toBe(baseline.text);
      expect(out.result.counters.get('recordsRead'), v.name).toBe(baseline.result.counters.get('recordsRead'));
      expect(out.result.counters.get('malformedRecords'), v.name).toBe(baseline.result.counters.get('malformedRecords'));
    }
    // Several reduce tasks (run on the workers): the same rows, spread over one file per reducer.
    const spread = await runJob(job, plain, path.join(dir, `out-${job}-reducers`), { workers: 2, splitSize: 4096, reducers: 3 });
    const sortedLines = (text: string) => text.split('\n').filter((l) => l !== '').sort();
    expect(sortedLines(spread.text)).toEqual(sortedLines(baseline.text));
    expect(baseline.result.counters.get('recordsRead')).toBe(expectedRecords);
    expect(baseline.text.length).toBeGreaterThan(0);
  });

  it('reports map progress while tasks run, not only when they finish, on workers and in this thread', async () => {
    // Arrange: two 20 MB files, one split each, so each task reports a few times on the way
    const big = path.join(dir, 'big');
    mkdirSync(path.join(big, 'cloudfront/data'), { recursive: true });
    const line = [...generateLines({ format: 'cloudfront-sample', lines: 1, seed: 3, oddRate: 0 })][0]!;
    const text = `${line}\n`.repeat(Math.ceil(20 * 2 ** 20 / (line.length + 1)));
    for (const name of ['log1', 'log2']) writeFileSync(path.join(big, 'cloudfront/data', name), text);

    for (const workers of [2, 1]) {
      const events: PhaseProgress[] = [];

      // Act
      await runJob('os_requests', big, path.join(dir, `out-progress-${workers}`), { workers, onProgress: (p: PhaseProgress) => events.push(p) });

      // Assert
      const map = events.filter((e) => e.phase === 'map');
      const total = 2 * text.length;
      expect(map.every((e) => e.total === total)).toBe(true);
      expect(map.at(-1)!.done).toBe(total);
      expect(map.filter((e) => e.done > 0 && e.done < total / 2).length, `workers=${workers}`).toBeGreaterThan(0);
      expect(map.some((e) => e.records > 0 && e.done < total)).toBe(true);
    }
  });

  it('retries a map task whose worker thread is killed mid-run', async () => {
    // Arrange: kill the worker that receives the first task.
    let killed = 0;
    const onWorkerTask = (worker: { terminate(): Promise<number> }) => {
      if (killed++ === 0) void worker.terminate();
    };
    const baseline = await runJob('os_requests', plain, path.join(dir, 'kill-base'), { workers: 1 });

    // Act
    const out = await runJob('os_requests', plain, path.join(dir, 'kill'), { workers: 2, splitSize: 8192, onWorkerTask });

    // Assert
    expect(killed).toBeGreaterThan(1);
    expect(out.text).toBe(baseline.text);
  });

  it('fails the job with the file and byte offset when every attempt fails, leaving no output', async () => {
    // Arrange: every attempt's worker dies.
    const target = path.join(dir, 'always-killed');
    const onWorkerTask = (worker: { terminate(): Promise<number> }) => void worker.terminate();

    // Act
    const act = runJob('os_requests', plain, target, { workers: 2, splitSize: 65536, onWorkerTask, maxAttempts: 3 });

    // Assert
    await expect(act).rejects.toThrow(TaskFailedError);
    await expect(runJob('os_requests', plain, target, { workers: 2, splitSize: 65536, onWorkerTask, maxAttempts: 3 })).rejects.toThrow(
      /map task reading .*cloudfront\/data\/log\d \(bytes \d+-\d+\) failed after 3 attempts: worker thread died/,
    );
    expect(readdirSync(dir).filter((f) => f.startsWith('always-killed') || f.startsWith('.loghive'))).toEqual([]);
  });
});

describe('splits', () => {
  const dir = tempDir();

  it('reads every line exactly once whatever the split size (Hadoop LineRecordReader rules)', async () => {
    // Arrange
    const text = 'a\nbb\r\nccc\r\rdddd\n\neeeee\r\nf';
    const file = path.join(dir, 'f');
    writeFileSync(file, text);
    const expected = ['a', 'bb', 'ccc', '', 'dddd', '', 'eeeee', 'f'];
    const storage = new LocalStorage();

    for (let size = 1; size <= text.length + 1; size++) {
      // Act
      const splits = computeSplits([{ file: { location: file, size: text.length }, partitionValues: [] }], { splitSize: size, skipsHeaderOrFooter: false });
      const lines: string[] = [];
      for (const s of splits) await forEachLineInRange(storage, s.file, s, (line) => lines.push(line));

      // Assert
      expect(lines, `split size ${size}`).toEqual(expected);
    }
  });

  it('decodes ASCII and UTF-8 lines alike across decode windows, read chunks and splits', async () => {
    // Arrange: long ASCII runs (decoded by window), UTF-8 and invalid bytes (decoded per line), lines longer than a window
    const pieces: Buffer[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 6000; i++) {
      let bytes: Buffer;
      if (i % 997 === 0) bytes = Buffer.from('x'.repeat(70_000 + i));
      else if (i % 101 === 0) bytes = Buffer.from(`caf\u00e9 \u{1F600} line ${i}`, 'utf8');
      else if (i % 503 === 0) bytes = Buffer.from([0x61, 0xff, 0xfe, 0x62]);
      else bytes = Buffer.from(`2014-07-05\t20:00:00\tLHR3\t${i}\t10.0.0.${i % 256}\tGET\t/some/longer/uri/${i}.html`);
      pieces.push(bytes, Buffer.from(i % 7 === 0 ? '\r\n' : '\n'));
      expected.push(bytes.toString('utf8'));
    }
    const data = Buffer.concat(pieces);
    const file = path.join(dir, 'mixed');
    writeFileSync(file, data);
    const storage = new LocalStorage();
    const status = { location: file, size: data.length };

    for (const size of [data.length, 1 << 20, 300_001, 65_536, 4_099]) {
      // Act
      const splits = computeSplits([{ file: status, partitionValues: [] }], { splitSize: size, skipsHeaderOrFooter: false });
      const lines: string[] = [];
      for (const s of splits) await forEachLineInRange(storage, s.file, s, (line) => lines.push(line));
      const whole: string[] = [];
      await forEachLine(storage.openRead(file), file, (line) => whole.push(line));

      // Assert
      expect(lines.length, `split size ${size}`).toBe(expected.length);
      expect(lines, `split size ${size}`).toEqual(expected);
      expect(whole).toEqual(expected);
    }
  });

  it('follows symbolic links to input files and directories', async () => {
    // Arrange
    const real = path.join(dir, 'real-logs');
    mkdirSync(path.join(real, 'data'), { recursive: true });
    writeFileSync(path.join(real, 'data', 'one'), 'a\n');
    const linked = path.join(dir, 'linked-logs');
    mkdirSync(linked, { recursive: true });
    symlinkSync(path.join(real, 'data'), path.join(linked, 'data'));
    symlinkSync(path.join(real, 'data', 'one'), path.join(linked, 'two'));
    symlinkSync(linked, path.join(linked, 'data', 'loop'));

    // Act
    const files = await new LocalStorage().listFiles(linked);

    // Assert
    expect(files?.map((f) => path.relative(linked, f.location))).toEqual([path.join('data', 'one'), 'two']);
  });

  it('does not split gzip files or files with header lines to skip', () => {
    const files = [
      { file: { location: 'a.gz', size: 1000 }, partitionValues: [] },
      { file: { location: 'b', size: 1000 }, partitionValues: [] },
    ];
    expect(computeSplits(files, { splitSize: 100, skipsHeaderOrFooter: false }).filter((s) => s.file.location === 'a.gz')).toHaveLength(1);
    expect(computeSplits(files, { splitSize: 100, skipsHeaderOrFooter: false }).filter((s) => s.file.location === 'b')).toHaveLength(10);
    expect(computeSplits(files, { splitSize: 100, skipsHeaderOrFooter: true })).toHaveLength(2);
  });
});
