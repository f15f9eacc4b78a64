import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

describe('an interrupted run', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s leaves the previous output untouched and no temporary files', async (signal, expectedCode) => {
    // Arrange: a regex with a backreference (no fast path) that backtracks cubically on lines without an x keeps the run busy.
    const dir = tempDir();
    const input = path.join(dir, 'in');
    const output = path.join(dir, 'out');
    mkdirSync(input, { recursive: true });
    mkdirSync(output, { recursive: true });
    writeFileSync(path.join(output, 'previous'), 'previous results');
    for (let f = 0; f < 4; f++) writeFileSync(path.join(input, `part-${f}`), `${'a'.repeat(300)}\n`.repeat(400));
    const script = path.join(dir, 'slow.q');
    writeFileSync(
      script,
      `CREATE EXTERNAL TABLE t (a STRING, b STRING, c STRING) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
         WITH SERDEPROPERTIES ('input.regex'='(.*)(.*)(.*)\\\\3x') LOCATION '${input}';
       INSERT OVERWRITE DIRECTORY '${output}' SELECT a, COUNT(*) FROM t GROUP BY a;`,
    );

    // Act
    const tmp = path.join(dir, 'tmp');
    mkdirSync(tmp);
    const child = spawn(process.execPath, ['bin/loghive.js', 'run', '-f', script, '--workers', '2', '--tmp-dir', tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The run has started executing once its spill directory exists (signal handlers are in place by then).
    for (let waited = 0; readdirSync(tmp).length === 0 && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));

    // Assert
    expect(code).toBe(expectedCode);
    expect(stderr).toContain(`interrupted by ${signal}`);
    expect(readdirSync(output)).toEqual(['previous']);
    expect(readFileSync(path.join(output, 'previous'), 'utf8')).toBe('previous results');
    expect(readdirSync(dir).filter((f) => f.startsWith('.loghive'))).toEqual([]);
    expect(existsSync(path.join(dir, 'out.loghive-old'))).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
