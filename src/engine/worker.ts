import { parentPort } from 'node:worker_threads';
import { LoghiveError } from '../hive/errors.js';
import { HiveVariables } from '../hive/script.js';
import type { MapReduceStage } from '../plan/plan.js';
import { StorageRegistry } from '../storage/registry.js';
import type { Storage, StorageBackendDescriptor } from '../storage/storage.js';
import { runMapTask, type MapTaskResult, type TaskInput, type TaskMemory } from './map-task.js';
import { runReduceTask, type ReduceTaskInput } from './reduce-task.js';
import { HiveSession } from './session.js';

/** The script a task belongs to: the worker re-plans it (plans hold closures, which cannot be sent). */
export interface JobDescriptor {
  readonly script: string;
  readonly file?: string;
  readonly hivevar: readonly [string, string][];
  readonly hiveconf: readonly [string, string][];
  readonly statementIndex: number;
  /** The main thread's non-local storage backends (StorageRegistry.descriptors()), rebuilt here. */
  readonly storage?: readonly StorageBackendDescriptor[];
}

/** A task for a worker thread: a map task over a split, or a reduce task over one partition. */
export type WorkerMessage =
  | {
      readonly kind: 'map';
      readonly job: JobDescriptor;
      readonly stageId: string;
      readonly input: TaskInput;
      readonly reducers: number;
      readonly maxSamples: number;
      readonly memory: TaskMemory;
    }
  | {
      readonly kind: 'reduce';
      readonly job: JobDescriptor;
      readonly stageId: string;
      readonly input: ReduceTaskInput;
      readonly outputLimitBytes: number;
      readonly spillDir?: string;
    };

const registries = new Map<string, Promise<StorageRegistry>>();
const plans = new Map<string, Promise<Map<string, MapReduceStage>>>();

/** This thread's registry for a job's backends, built once per distinct set. */
function storageOf(job: JobDescriptor): Promise<StorageRegistry> {
  const descriptors = job.storage ?? [];
  const key = JSON.stringify(descriptors);
  let found = registries.get(key);
  if (!found) {
    found = (async () => {
      const registry = new StorageRegistry();
      // register() puts a backend first; descriptors() lists them first to last, so register them in reverse.
      for (const d of [...descriptors].reverse()) registry.register(await backendOf(d));
      return registry;
    })();
    registries.set(key, found);
  }
  return found;
}

/** Builds a backend from its descriptor; the AWS SDK is loaded only when a job reads or writes S3. */
async function backendOf(descriptor: StorageBackendDescriptor): Promise<Storage> {
  switch (descriptor.kind) {
    case 's3': {
      const { S3Storage } = await import('../cloud/s3-storage.js');
      return S3Storage.fromDescriptor(descriptor);
    }
    default:
      throw new Error(`worker threads cannot rebuild the storage backend "${descriptor.kind}"`);
  }
}

async function stagesOf(job: JobDescriptor): Promise<Map<string, MapReduceStage>> {
  const key = JSON.stringify(job);
  let found = plans.get(key);
  if (!found) {
    found = (async () => {
      const variables = new HiveVariables();
      for (const [k, v] of job.hivevar) variables.hivevar.set(k, v);
      for (const [k, v] of job.hiveconf) variables.hiveconf.set(k, v);
      const explained = await new HiveSession({ file: job.file, variables, storage: await storageOf(job) }).explain(job.script);
      const plan = explained.find((s) => s.index === job.statementIndex)?.plan;
      if (!plan) throw new Error(`statement ${job.statementIndex} has no query plan`);
      return new Map(plan.stages.map((s) => [s.id, s]));
    })();
    plans.set(key, found);
  }
  return found;
}

/** A map task's in-memory runs each own their ArrayBuffer (RunWriter.bytes): move them instead of copying. */
function transferables(result: object): ArrayBuffer[] {
  const map = result as Partial<MapTaskResult>;
  const runs = [...(map.partitions ?? []), ...(map.sorted ? [map.sorted] : [])];
  return runs.flatMap((r) => (r.byteLength > 0 && r.buffer instanceof ArrayBuffer ? [r.buffer] : []));
}

parentPort?.on('message', (msg: WorkerMessage) => {
  void (async () => {
    try {
      const stage = (await stagesOf(msg.job)).get(msg.stageId);
      if (!stage) throw new Error(`no stage ${msg.stageId}`);
      const storage = await storageOf(msg.job);
      const result =
        msg.kind === 'map'
          ? await runMapTask(stage, msg.input, msg.reducers, storage, msg.maxSamples, msg.memory, (bytes, records) => parentPort!.postMessage({ progress: { bytes, records } }))
          : await runReduceTask(stage, msg.input, msg.outputLimitBytes, msg.spillDir);
      parentPort!.postMessage({ ok: true, result }, transferables(result));
    } catch (err) {
      const e = err as Error;
      parentPort!.postMessage({ ok: false, name: e.name, message: e.message, exitCode: err instanceof LoghiveError ? err.exitCode : undefined });
    }
  })();
});
