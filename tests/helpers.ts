import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { HiveSession, type ScriptResult } from '../src/engine/session.js';
import { HiveVariables } from '../src/hive/script.js';

/** A temporary directory removed after the test file. */
export function tempDir(prefix = 'loghive-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface RunOutcome {
  readonly result: ScriptResult;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script in-process with `-d` variables, capturing what it prints. */
export async function runScript(script: string, defines: Record<string, string> = {}, options: { reducers?: number } = {}): Promise<RunOutcome> {
  const variables = new HiveVariables({});
  for (const [k, v] of Object.entries(defines)) variables.hivevar.set(k, v);
  let stdout = '';
  let stderr = '';
  const session = new HiveSession({ file: 'test.q', variables, reducers: options.reducers, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  const result = await session.run(script);
  return { result, stdout, stderr };
}

/** Hive's text output file as rows of fields. */
export function parseHiveText(text: string, separator = '\u0001'): string[][] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n').map((l) => l.split(separator));
}
