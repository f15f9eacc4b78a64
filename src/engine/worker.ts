import { parentPort } from 'node:worker_threads';
import { LoghiveError } from '../hive/errors.js';
import { HiveVariables } from '../hive/script.js';
import type { MapReduceStage } from '../plan/plan.js';
import { StorageRegistry } from '../storage/registry.js';
import { runMapTask, type TaskInput, type TaskMemory } from './map-task.js';
import { runReduceTask, type ReduceTaskInput } from './reduce-task.js';
import { HiveSession } from './session.js';

/** The script a task belongs to: the worker re-plans it (plans hold closures, which cannot be sent). */
export interface JobDescriptor {
  readonly script: string;
  readonly file?: string;
  readonly hivevar: readonly [string, string][];
  readonly hiveconf: readonly [string, string][];
  readonly statementIndex: number;
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

const storage = new StorageRegistry();
const plans = new Map<string, Promise<Map<string, MapReduceStage>>>();

async function stagesOf(job: JobDescriptor): Promise<Map<string, MapReduceStage>> {
  const key = JSON.stringify(job);
  let found = plans.get(key);
  if (!found) {
    found = (async () => {
      const variables = new HiveVariables();
      for (const [k, v] of job.hivevar) variables.hivevar.set(k, v);
      for (const [k, v] of job.hiveconf) variables.hiveconf.set(k, v);
      const explained = await new HiveSession({ file: job.file, variables, storage }).explain(job.script);
      const plan = explained.find((s) => s.index === job.statementIndex)?.plan;
      if (!plan) throw new Error(`statement ${job.statementIndex} has no query plan`);
      return new Map(plan.stages.map((s) => [s.id, s]));
    })();
    plans.set(key, found);
  }
  return found;
}

parentPort?.on('message', (msg: WorkerMessage) => {
  void (async () => {
    try {
      const stage = (await stagesOf(msg.job)).get(msg.stageId);
      if (!stage) throw new Error(`no stage ${msg.stageId}`);
      const result =
        msg.kind === 'map'
          ? await runMapTask(stage, msg.input, msg.reducers, storage, msg.maxSamples, msg.memory)
          : await runReduceTask(stage, msg.input, msg.outputLimitBytes, msg.spillDir);
      parentPort!.postMessage({ ok: true, result });
    } catch (err) {
      const e = err as Error;
      parentPort!.postMessage({ ok: false, name: e.name, message: e.message, exitCode: err instanceof LoghiveError ? err.exitCode : undefined });
    }
  })();
});
