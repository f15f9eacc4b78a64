import type { Readable, Writable } from 'node:stream';

/** One file as listed by a storage backend. */
export interface FileStatus {
  /** Full location (a local absolute path, or a URI such as `s3://bucket/key`). */
  readonly location: string;
  readonly size: number;
}

/**
 * A backend as plain data, so that a worker thread can build its own copy
 * (backends hold clients and sockets, which cannot be sent between threads).
 */
export interface StorageBackendDescriptor {
  /** Which backend, e.g. `s3`. */
  readonly kind: string;
  /** The backend's own settings: plain, structured-cloneable data that the backend validates. */
  readonly settings: unknown;
}

/**
 * Where bytes live. The engine, the output committer and MSCK REPAIR go
 * through this interface only, so local files and S3 objects behave alike.
 */
export interface Storage {
  /** True for a location this backend serves. */
  handles(location: string): boolean;
  /** The file itself if `location` is a file; otherwise every file below it, recursively, that Hive would read (no names starting with `_` or `.`), sorted by location. Missing location → `undefined`. */
  listFiles(location: string): Promise<FileStatus[] | undefined>;
  /** Immediate sub-directories (for MSCK REPAIR), hidden names skipped. */
  listDirectories(location: string): Promise<string[]>;
  /** Raw bytes of a file (no decompression), optionally a byte range [start, end). */
  openRead(location: string, range?: { start: number; end: number }): Readable;
  /** Joins a child name onto a location. */
  join(location: string, ...names: string[]): string;
  /** Creates a directory (and its parents); existing is fine. */
  makeDirectory(location: string): Promise<void>;
  /** A stream that writes a file (created with its parents); the file is complete when the stream has finished. */
  openWrite(location: string): Writable;
  /** Writes a whole file. */
  writeFile(location: string, data: Uint8Array | string): Promise<void>;
  /** Deletes a file or a directory tree; missing is fine. */
  remove(location: string): Promise<void>;
  /**
   * Replaces `target` with the directory `staged` as one step as far as the
   * backend allows (a rename locally). Used by the output committer so that a
   * failed run never leaves a half-written output directory.
   */
  replaceDirectory(staged: string, target: string): Promise<void>;
  /** How to rebuild this backend in a worker thread; absent (or undefined) for backends every thread has (local files). */
  describe?(): StorageBackendDescriptor | undefined;
}

/** Hadoop's hiddenFileFilter: names starting with `_` or `.` are not data. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}
