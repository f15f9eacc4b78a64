import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { InputError } from '../hive/errors.js';
import { isInvalidRange, isNotFound, S3StorageError } from './s3-storage-error.js';

/**
 * The bytes of one S3 object (or a byte range of it) as a Readable that
 * streams the response body with back-pressure. Failures, including a
 * missing key, surface as stream errors; destroying the stream early (a split
 * reader stops after its last line) aborts the request instead of leaving
 * the body to hold a pooled socket.
 */
export class S3ObjectReadStream extends Readable {
  private readonly abort = new AbortController();
  private body: Readable | undefined;
  private flowing = false;
  private ended = false;
  /** The range starts at or past the end of the object: no bytes, as a local read past the end gives. */
  private empty = false;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    /** The object's s3:// location, for messages. */
    readonly location: string,
    private readonly range?: { readonly start: number; readonly end: number },
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  override _construct(callback: (err?: Error | null) => void): void {
    // HTTP ranges are inclusive; ours end before `end`.
    const Range = this.range ? `bytes=${this.range.start}-${this.range.end - 1}` : undefined;
    this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key, Range }), { abortSignal: this.abort.signal }).then(
      (res) => {
        if (!(res.Body instanceof Readable)) {
          callback(new S3StorageError('read', this.location, { cause: new TypeError('the response body is not a Node.js stream') }));
          return;
        }
        this.body = res.Body;
        callback();
      },
      (err: unknown) => {
        if (this.range && isInvalidRange(err)) {
          this.empty = true;
          callback();
        } else callback(this.failure(err));
      },
    );
  }

  override _read(): void {
    const body = this.body;
    if (!body) {
      if (this.empty) this.push(null);
      return;
    }
    if (this.flowing) {
      body.resume();
      return;
    }
    this.flowing = true;
    body.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) body.pause();
    });
    body.once('end', () => {
      this.ended = true;
      this.push(null);
    });
    body.once('error', (err) => this.destroy(this.failure(err)));
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    // Only an unfinished response is cut short; a finished one leaves its keep-alive socket to the pool.
    if (!this.ended) {
      this.abort.abort();
      this.body?.destroy();
    }
    callback(err);
  }

  private failure(err: unknown): Error {
    if (isNotFound(err)) return new InputError('no such S3 object', { file: this.location }, { cause: err });
    return new S3StorageError('read', this.location, { cause: err });
  }
}
