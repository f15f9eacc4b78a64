import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trackTempPath, untrackTempPath } from './temp-paths.js';

/**
 * Spill files: sorted runs of map output and reduce output that did not fit
 * in the memory budget, written as one JSON value per line. JSON cannot hold
 * NaN, ±Infinity, -0 or Sets, so those are boxed as {"#": …}.
 */
export function encodeRecord(value: unknown): string {
  // Most records are plain; the replacer is only needed when something JSON cannot hold is inside.
  return needsBoxing(value) ? JSON.stringify(value, boxer) : JSON.stringify(value);
}

function boxer(_k: string, v: unknown): unknown {
  if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return { '#': Object.is(v, -0) ? '-0' : String(v) };
  if (v instanceof Set) return { '#set': [...(v as Set<unknown>)] };
  if (v instanceof Map) return { '#map': [...(v as Map<unknown, unknown>)] };
  return v;
}

function needsBoxing(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v) || Object.is(v, -0);
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof Set || v instanceof Map) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (needsBoxing(x)) return true;
    return false;
  }
  for (const k in v as Record<string, unknown>) if (needsBoxing((v as Record<string, unknown>)[k])) return true;
  return false;
}

export function decodeRecord<T>(line: string): T {
  if (!line.includes('{"#')) return JSON.parse(line) as T;
  return JSON.parse(line, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if ('#' in o) return Number(o['#']);
      if ('#set' in o) return new Set(o['#set'] as unknown[]);
      if ('#map' in o) return new Map(o['#map'] as [unknown, unknown][]);
    }
    return v;
  }) as T;
}

/** A private temporary directory for one run's spill files; removed when the run ends or is interrupted. */
export class SpillDirectory {
  readonly path: string;
  private counter = 0;

  constructor(parent: string = tmpdir()) {
    this.path = mkdtempSync(path.join(parent, 'loghive-spill-'));
    trackTempPath(this.path);
  }

  /** A fresh file name inside the directory. */
  file(label: string): string {
    return spillFileIn(this.path, `${label}-${++this.counter}`);
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
    untrackTempPath(this.path);
  }
}

/** Reads a spill file's records in batches (one batch per chunk read), so callers await once per batch, not per record. */
export async function* readRecordBatches<T>(file: string): AsyncGenerator<T[]> {
  let carry = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 }) as AsyncIterable<string>) {
    const text = carry + chunk;
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      carry = text;
      continue;
    }
    carry = text.slice(last + 1);
    const batch: T[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0 && nl <= last; nl = text.indexOf('\n', start)) {
      if (nl > start) batch.push(decodeRecord<T>(text.slice(start, nl)));
      start = nl + 1;
    }
    yield batch;
  }
  if (carry !== '') yield [decodeRecord<T>(carry)];
}

export async function* readRecords<T>(file: string): AsyncGenerator<T> {
  for await (const batch of readRecordBatches<T>(file)) yield* batch;
}

/** A fresh spill file name in `dir` (worker threads name their own files this way). */
export function spillFileIn(dir: string, label: string): string {
  return path.join(dir, `${label}-${process.pid}-${randomBytes(6).toString('hex')}.jsonl`);
}

/**
 * Writes records synchronously in ~1 MB batches: spills happen inside the
 * per-line loop of a map task (in a worker thread), where waiting on a stream
 * is not possible and a blocking write is the simple, bounded choice.
 */
export class SyncRecordWriter {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingBytes = 0;
  count = 0;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  write(record: unknown): void {
    const line = encodeRecord(record) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.count++;
    if (this.pendingBytes >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
