import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Writable } from 'node:stream';
import { S3StorageError } from './s3-storage-error.js';

/** Multipart sizing for streamed writes. */
export interface UploadOptions {
  /** Bytes per part (S3's minimum is 5 MiB); a body smaller than one part is sent as one PutObject. */
  readonly partSize?: number;
  /** Parts in flight per stream. */
  readonly queueSize?: number;
}

/**
 * A Writable that streams into one S3 object through lib-storage's Upload
 * (multipart beyond one part). It emits 'finish' only once the object exists
 * (final() waits for the upload), and 'error' if the upload fails; destroying
 * it before the end aborts the upload, so no partial object appears.
 */
export class S3UploadStream extends Writable {
  private readonly body = new PassThrough({ highWaterMark: 1 << 20 });
  private readonly upload: Upload;
  private readonly done: Promise<void>;
  private completed = false;

  constructor(client: S3Client, bucket: string, key: string, readonly location: string, options: UploadOptions = {}) {
    super({ highWaterMark: 1 << 20 });
    this.upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: this.body },
      partSize: options.partSize,
      queueSize: options.queueSize,
      leavePartsOnError: false,
    });
    this.done = this.upload.done().then(
      () => {
        this.completed = true;
      },
      (err: unknown) => {
        throw new S3StorageError('write', location, { cause: err });
      },
    );
    // A failed upload stops draining `body`: fail the stream now rather than leave a writer waiting for 'drain'.
    this.done.catch((err: Error) => this.destroy(err));
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.body.write(chunk, encoding)) callback();
    else this.body.once('drain', () => callback());
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.body.end();
    this.done.then(() => callback(), callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (!this.completed) {
      this.body.destroy();
      void this.upload.abort().catch(() => undefined);
    }
    callback(err);
  }
}
