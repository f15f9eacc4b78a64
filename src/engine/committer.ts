import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { LocalStorage } from '../storage/local-storage.js';
import type { Storage } from '../storage/storage.js';
import { trackTempPath, untrackTempPath } from './temp-paths.js';

/**
 * Writes a job's output files into a staging directory next to the target and
 * moves it into place only when every task succeeded (Hadoop's
 * FileOutputCommitter idea): a failed run leaves the old output untouched and
 * no partial directory behind.
 */
export class DirectoryCommitter {
  readonly staging: string;
  private finished = false;

  constructor(
    private readonly storage: Storage,
    readonly target: string,
  ) {
    const trimmed = target.replace(/\/+$/, '');
    const slash = trimmed.lastIndexOf('/');
    const parent = slash >= 0 ? trimmed.slice(0, slash) || '/' : '.';
    const base = slash >= 0 ? trimmed.slice(slash + 1) : trimmed;
    this.staging = storage.join(parent, `.loghive-staging-${base}-${process.pid}-${randomBytes(4).toString('hex')}`);
    // Local staging directories are removed by the signal handler if the run is interrupted.
    if (storage instanceof LocalStorage) trackTempPath(storage.toPath(this.staging));
  }

  private release(): void {
    if (this.storage instanceof LocalStorage) untrackTempPath(this.storage.toPath(this.staging));
  }

  /** Hive's name for the output of task `index`, attempt 0: 000000_0, 000001_0, … */
  static taskFileName(index: number): string {
    return `${String(index).padStart(6, '0')}_0`;
  }

  /** Streams task `index`'s output file from its text pieces (one per row). */
  async writeTaskOutput(index: number, lines: AsyncIterable<string>): Promise<void> {
    const out = this.storage.openWrite(this.storage.join(this.staging, DirectoryCommitter.taskFileName(index)));
    const done = finished(out);
    try {
      for await (const line of lines) if (!out.write(line)) await once(out, 'drain');
      out.end();
    } catch (err) {
      out.destroy();
      throw err;
    }
    await done;
  }

  async commit(): Promise<void> {
    this.finished = true;
    // A job with no output rows still produces its (empty) directory.
    await this.storage.makeDirectory(this.staging);
    await this.storage.replaceDirectory(this.staging, this.target);
    this.release();
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.storage.remove(this.staging);
    this.release();
  }
}
