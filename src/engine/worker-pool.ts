import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** Where the worker's compiled entry point is (tests run the sources, so they use the build). */
function workerScript(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../../dist/engine/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('the worker script is not built: run `npm run build` first');
}

/** A task's failure inside a worker: the error as it was thrown there, or the worker's death. */
export class WorkerTaskError extends Error {
  constructor(
    message: string,
    readonly remoteName: string,
    readonly remoteExitCode: number | undefined,
    readonly crashed: boolean,
  ) {
    super(message);
    this.name = 'WorkerTaskError';
  }
}

/** What a worker reports while a task runs (map tasks: bytes of the split read, records). */
export interface TaskProgress {
  readonly bytes: number;
  readonly records: number;
}

interface Pending<T> {
  readonly message: unknown;
  readonly onProgress?: (progress: TaskProgress) => void;
  readonly resolve: (value: T) => void;
  readonly reject: (err: Error) => void;
}

export interface WorkerPoolHooks {
  /** Called when a task is handed to a worker (tests use it to kill a worker mid-task). */
  onTaskStart?(worker: Worker, message: unknown): void;
}

/**
 * A fixed pool of worker threads running map tasks. A worker that dies
 * (crash, terminate) fails its current task and is replaced; retrying the
 * task is the caller's decision, as in Hadoop's task attempts.
 */
export class WorkerPool<T> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending<T>>();
  private readonly queue: Pending<T>[] = [];
  private readonly script = workerScript();
  private closed = false;
  private live = 0;

  constructor(
    private readonly size: number,
    private readonly hooks: WorkerPoolHooks = {},
    /** V8 heap limits per worker, so that the memory budget also bounds what the workers hold. */
    private readonly resourceLimits?: ResourceLimits,
  ) {}

  run(message: unknown, onProgress?: (progress: TaskProgress) => void): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ message, onProgress, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts every worker now, so their start-up overlaps the caller's own work. */
  warm(): void {
    while (!this.closed && this.live < this.size) this.idle.push(this.spawn());
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker) {
        if (this.live >= this.size) return;
        worker = this.spawn();
      }
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      worker.postMessage(task.message);
      this.hooks.onTaskStart?.(worker, task.message);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(this.script, this.resourceLimits ? { resourceLimits: this.resourceLimits } : undefined);
    this.live++;
    worker.on('message', (reply: { ok: true; result: T } | { ok: false; name: string; message: string; exitCode?: number } | { progress: TaskProgress }) => {
      const task = this.busy.get(worker);
      if (!task) return;
      if ('progress' in reply) return task.onProgress?.(reply.progress);
      this.busy.delete(worker);
      if (!this.closed) this.idle.push(worker);
      if (reply.ok) task.resolve(reply.result);
      else task.reject(new WorkerTaskError(reply.message, reply.name, reply.exitCode, false));
      this.dispatch();
    });
    let dead = false;
    const died = (why: string) => {
      // 'error' is followed by 'exit': handle the death once.
      if (dead) return;
      dead = true;
      this.live--;
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      task?.reject(new WorkerTaskError(`worker thread died: ${why}`, 'WorkerCrash', undefined, true));
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return worker;
  }
}
