/**
 * Storage that stops working once a signal fires. HiveSession has no
 * cancellation of its own; a Lambda run that passes its deadline must not go
 * on in the background (Lambda freezes the process after the handler returns
 * and thaws it for the next request, where the old run would resume, use
 * memory and could still commit its output). Cutting its storage makes every
 * read and write fail at once, so the run ends with an error instead.
 */
import type { Readable, Writable } from 'node:stream';
import { StorageRegistry } from '../storage/registry.js';
import type { FileStatus, Storage, StorageBackendDescriptor } from '../storage/storage.js';

export class AbortableStorageRegistry extends StorageRegistry {
  private readonly wrapped = new Map<Storage, Storage>();

  constructor(
    private readonly inner: StorageRegistry,
    private readonly signal: AbortSignal,
  ) {
    super();
  }

  override register(backend: Storage): void {
    this.inner.register(backend);
  }

  override descriptors(): StorageBackendDescriptor[] {
    return this.inner.descriptors();
  }

  override resolve(location: string): Storage {
    const backend = this.inner.resolve(location);
    let w = this.wrapped.get(backend);
    if (!w) {
      w = new AbortableStorage(backend, this.signal);
      this.wrapped.set(backend, w);
    }
    return w;
  }
}

class AbortableStorage implements Storage {
  private readonly open = new Set<Readable | Writable>();

  constructor(
    private readonly inner: Storage,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => {
      for (const s of this.open) s.destroy(this.reason());
      this.open.clear();
    });
  }

  private reason(): Error {
    const r: unknown = this.signal.reason;
    return r instanceof Error ? r : new Error('the run was stopped');
  }

  private check(): void {
    if (this.signal.aborted) throw this.reason();
  }

  private track<S extends Readable | Writable>(stream: S): S {
    this.open.add(stream);
    stream.once('close', () => this.open.delete(stream));
    return stream;
  }

  handles(location: string): boolean {
    return this.inner.handles(location);
  }
  async listFiles(location: string): Promise<FileStatus[] | undefined> {
    this.check();
    return this.inner.listFiles(location);
  }
  async listDirectories(location: string): Promise<string[]> {
    this.check();
    return this.inner.listDirectories(location);
  }
  openRead(location: string, range?: { start: number; end: number }): Readable {
    this.check();
    return this.track(this.inner.openRead(location, range));
  }
  join(location: string, ...names: string[]): string {
    return this.inner.join(location, ...names);
  }
  async makeDirectory(location: string): Promise<void> {
    this.check();
    return this.inner.makeDirectory(location);
  }
  openWrite(location: string): Writable {
    this.check();
    return this.track(this.inner.openWrite(location));
  }
  async writeFile(location: string, data: Uint8Array | string): Promise<void> {
    this.check();
    return this.inner.writeFile(location, data);
  }
  async remove(location: string): Promise<void> {
    // Cleaning up staged output after a stop is wanted, so removing stays allowed.
    return this.inner.remove(location);
  }
  async replaceDirectory(staged: string, target: string): Promise<void> {
    this.check();
    return this.inner.replaceDirectory(staged, target);
  }
  describe(): StorageBackendDescriptor | undefined {
    return this.inner.describe?.();
  }
}
