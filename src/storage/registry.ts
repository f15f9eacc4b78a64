import { InputError } from '../hive/errors.js';
import { LocalStorage } from './local-storage.js';
import type { Storage, StorageBackendDescriptor } from './storage.js';

/**
 * Picks the backend for a location. Local files are always served; other
 * schemes (s3://) are registered by whoever can reach them (the cloud side
 * registers an S3 backend), so the engine itself never imports the AWS SDK.
 */
export class StorageRegistry {
  private readonly backends: Storage[];

  constructor(backends: readonly Storage[] = []) {
    this.backends = [...backends, new LocalStorage()];
  }

  register(backend: Storage): void {
    this.backends.unshift(backend);
  }

  /** The registered backends as plain data, for worker threads to rebuild (see worker.ts). */
  descriptors(): StorageBackendDescriptor[] {
    return this.backends.flatMap((b) => b.describe?.() ?? []);
  }

  resolve(location: string): Storage {
    const backend = this.backends.find((b) => b.handles(location));
    if (!backend) {
      const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1] ?? location;
      throw new InputError(`no storage backend for ${scheme}:// locations in this run (the local engine reads local paths and file:// URIs; s3:// needs the S3 backend)`, { file: location });
    }
    return backend;
  }
}
