import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trackTempPath, untrackTempPath } from './temp-paths.js';

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

/** A fresh spill file name in `dir` (worker threads name their own files this way). */
export function spillFileIn(dir: string, label: string): string {
  return path.join(dir, `${label}-${process.pid}-${randomBytes(6).toString('hex')}.run`);
}
