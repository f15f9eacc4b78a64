import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHiveText, runScript, tempDir } from './helpers.js';

/**
 * Issue 9: no input line may hang a run. Lines that made V8's backtracking RegExp spin for
 * minutes must complete with the rows Hive gives (a line that does not match is a row of
 * NULLs), and a pattern that can still backtrack gives up at its step budget, counted as
 * REGEX_BUDGET_EXCEEDED, instead of hanging.
 */
const OS_REQUESTS = readFileSync(new URL('../jobs/os_requests.q', import.meta.url), 'utf8');

/** The tutorial format: 11 tab-separated fields, the user agent %20-encoded. */
function tutorialLine(date: string, os: string, browser = 'IE'): string {
  return [date, '20:00:00', 'LHR3', '4260', '10.0.0.15', 'GET', 'eabcd12345678.cloudfront.net', '/a.jpeg', '200', '-', `Mozilla/5.0%20(${os};%20U;%20Windows%20NT%205.1)%20Gecko/2009040821%20${browser}/3.0.9`].join('\t');
}

/** The line of the report: tabs and one astral character, 58 bytes, exponential for V8 on the tutorial's pattern. */
const emojiLine = (repeats: number) => `${'a\t\t'.repeat(repeats)}x(y;z😀`;

describe('the tutorial pattern on lines that made the RegExp backtrack for hours', () => {
  it('reads them as non-matching rows, in linear time, next to valid lines with astral characters', async () => {
    // Arrange
    const dir = tempDir();
    const input = path.join(dir, 'in');
    const output = path.join(dir, 'out');
    mkdirSync(input, { recursive: true });
    const lines = [
      tutorialLine('2014-07-05', 'Windows'),
      emojiLine(16),
      emojiLine(64),
      emojiLine(1000),
      tutorialLine('2014-07-06', 'Linux😀', 'Fire😀fox'),
      tutorialLine('2014-07-07', '𠀀CJK'),
      tutorialLine('2014-07-08', 'Windows'),
    ];
    mkdirSync(path.join(input, 'cloudfront/data'), { recursive: true });
    writeFileSync(path.join(input, 'cloudfront/data/log1'), lines.join('\n') + '\n');

    // Act
    const { result } = await runScript(OS_REQUESTS, { INPUT: input, OUTPUT: output, FROM: '2014-07-01', TO: '2014-07-31' });

    // Assert: the groups RegExp with the 'u' flag gives on the valid lines; the three bad lines are malformed rows of NULLs (outside the date range).
    const rows = parseHiveText(readFileSync(path.join(output, 'os_requests/000000_0'), 'utf8'));
    expect(rows).toEqual([
      ['Linux😀', '1'],
      ['Windows', '2'],
      ['𠀀CJK', '1'],
    ]);
    expect(result.counters.get('recordsRead')).toBe(7);
    expect(result.counters.get('malformedRecords')).toBe(3);
    // The compiled matcher decides them: none reached the step budget.
    expect(result.counters.get('regexBudgetExceeded')).toBe(0);
  });
});

describe('a pattern outside the compiled class (a backreference)', () => {
  const script = (input: string, output: string) => `
CREATE EXTERNAL TABLE t (a STRING, b STRING, c STRING)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES ('input.regex' = '(.*)(.*)(.*)\\\\3x')
LOCATION '${input}';
INSERT OVERWRITE DIRECTORY '${output}' SELECT a, b, c, COUNT(*) FROM t GROUP BY a, b, c;`;

  it('gives up at the step budget on a line that backtracks cubically: counted, reported with its place, read as NULLs', async () => {
    // Arrange: two matching lines, one short non-matching line and two lines over the budget.
    const dir = tempDir();
    const input = path.join(dir, 'in');
    const output = path.join(dir, 'out');
    mkdirSync(input, { recursive: true });
    const hard = 'a'.repeat(400);
    writeFileSync(path.join(input, 'data'), ['abbx', 'qx', 'nope', hard, hard + 'b'].join('\n') + '\n');

    // Act
    const { result } = await runScript(script(input, output));

    // Assert: the rows java.util.regex gives for the lines it can decide, NULLs for the others.
    const rows = parseHiveText(readFileSync(path.join(output, '000000_0'), 'utf8'));
    expect(rows).toEqual([
      ['\\N', '\\N', '\\N', '3'],
      ['abb', '', '', '1'],
      ['q', '', '', '1'],
    ]);
    expect(result.counters.get('malformedRecords')).toBe(3);
    expect(result.counters.get('regexBudgetExceeded')).toBe(2);
    expect(result.malformedSamples.map((m) => [m.line, m.reason])).toEqual([
      [3, undefined],
      [4, 'regex-budget'],
      [5, 'regex-budget'],
    ]);
  });

  it('stops within moments of Ctrl-C while the main thread is matching such lines, and writes no output', async () => {
    // Arrange: one file, one worker, so every line is matched in the main thread; minutes of work at the budget.
    const dir = tempDir();
    const input = path.join(dir, 'in');
    const output = path.join(dir, 'out');
    const tmp = path.join(dir, 'tmp');
    mkdirSync(input, { recursive: true });
    mkdirSync(tmp);
    writeFileSync(path.join(input, 'data'), `${'a'.repeat(600)}\n`.repeat(20_000));
    const file = path.join(dir, 'slow.q');
    writeFileSync(file, script(input, output));
    const child = spawn(process.execPath, ['bin/loghive.js', 'run', '-f', file, '--workers', '1', '--tmp-dir', tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let waited = 0; readdirSync(tmp).length === 0 && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));

    // Act
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));

    // Assert: interrupted (the whole input would take many minutes), nothing written, nothing left behind.
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted by SIGINT');
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  }, 30_000);
});
