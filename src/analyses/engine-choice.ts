/**
 * Which engine runs an analysis. `auto` keeps small inputs in the Lambda
 * (seconds, no cluster) and sends the rest to EMR; the input size is the bytes
 * stored in the partitions the rendered script registers, so pruning by
 * FROM/TO is already counted.
 */
import type { EngineName, EngineRequest } from './analysis-record.js';
import { EngineUnavailableError } from './errors.js';

export interface EngineChoice {
  readonly engine: EngineName;
  readonly reason: string;
}

export interface EngineChoiceInput {
  readonly requested: EngineRequest;
  readonly inputBytes: number;
  /** `auto` picks Lambda at or below this many bytes. */
  readonly lambdaMaxBytes: number;
  /** False when no EMR runner is configured (offline, tests). */
  readonly emrAvailable: boolean;
  /** Why the local engine cannot run this job (its planner refused a construct), if it cannot. */
  readonly lambdaRefusal?: string;
}

export function chooseEngine(input: EngineChoiceInput): EngineChoice {
  const { requested, inputBytes, lambdaMaxBytes, emrAvailable, lambdaRefusal } = input;
  const sizes = `${formatBytes(inputBytes)} of input, threshold ${formatBytes(lambdaMaxBytes)}`;
  if (lambdaRefusal !== undefined && requested !== 'emr') {
    if (requested === 'auto' && emrAvailable) return { engine: 'emr', reason: `auto: the Lambda engine cannot run this job (${lambdaRefusal})` };
    throw new EngineUnavailableError(`the Lambda engine cannot run this job: ${lambdaRefusal}`);
  }
  if (requested === 'lambda') return { engine: 'lambda', reason: `requested (${sizes})` };
  if (requested === 'emr') {
    if (!emrAvailable) throw new EngineUnavailableError('engine "emr" is not available here: this API keeps its data on an S3-compatible endpoint (LOGHIVE_S3_ENDPOINT, as serverless offline and npm run dev do), which an EMR cluster cannot read; use engine "lambda" here, or deploy to AWS (npx serverless deploy), where EMR runs each analysis on a transient cluster or on the cluster given with --param="emrClusterId=j-..." (LOGHIVE_EMR_CLUSTER_ID)');
    return { engine: 'emr', reason: `requested (${sizes})` };
  }
  if (inputBytes <= lambdaMaxBytes) return { engine: 'lambda', reason: `auto: ${sizes}` };
  if (!emrAvailable) throw new EngineUnavailableError(`auto: ${sizes} needs EMR, which is not available here (the data is on an S3-compatible endpoint, LOGHIVE_S3_ENDPOINT, that an EMR cluster cannot read); narrow FROM/TO or ask for engine "lambda"`);
  return { engine: 'emr', reason: `auto: ${sizes}` };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
