/**
 * The dev stack behind `npm run dev`: s3rver keeping its data under `{dataDir}/s3`, the API from
 * serverless.yml under serverless offline (engine "lambda" by default: no EMR cluster exists
 * offline), and the sample logs loaded through the ingest route on first start.
 */
import path from 'node:path';
import { startOfflineApi, type OfflineApi } from './offline-api.js';
import { PortConflictError } from './errors.js';
import { assertPortFree, freePort } from './ports.js';
import { REPO_ROOT } from './repo-root.js';
import { startS3rver, type RunningS3rver } from './s3-server.js';
import { needsSeeding, seedSampleLogs, type SeedSummary } from './sample-seed.js';
import type { OutputStream } from './service-process.js';

/** The bucket name serverless.yml's comments use for offline runs. */
export const DEV_BUCKET = 'loghive-offline';

export type DevService = 's3rver' | 'serverless offline';

export interface DevStackOptions {
  /** Holds `s3/` (the bucket's objects), `service/` (the API's bundles) and the sample-load marker; created if missing. */
  readonly dataDir: string;
  /** Absent or 0: a free port. A port in use is a PortInUseError. */
  readonly s3Port?: number;
  readonly apiPort?: number;
  readonly lambdaPort?: number;
  readonly bucket?: string;
  /** Load sample-data/ on first start (default true). */
  readonly seed?: boolean;
  /** Default: the repository's sample-data/. */
  readonly sampleDir?: string;
  /** The children's output: serverless offline's, and s3rver's with s3rverLog. */
  readonly onOutput?: (service: DevService, line: string, stream: OutputStream) => void;
  /** Have s3rver log every request (to onOutput); off by default, as it is one line per S3 call. */
  readonly s3rverLog?: boolean;
  /** Progress while starting ("starting s3rver"), for a terminal. */
  readonly onProgress?: (message: string) => void;
}

export interface DevStack {
  /** `http://127.0.0.1:{apiPort}` */
  readonly apiUrl: string;
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly dataDir: string;
  readonly s3: RunningS3rver;
  readonly api: OfflineApi;
  /** What was loaded on this start; undefined when the sample logs were already there (or seed: false). */
  readonly seeded: SeedSummary | undefined;
  /** Stops the API, then the storage it uses. Idempotent. */
  stop(): Promise<void>;
}

/** How to choose another port, for each port's PortInUseError. */
const PORT_HINTS = {
  s3: 'choose another with `npm run dev -- --s3-port <port>`',
  api: 'choose another with `npm run dev -- --port <port>`',
  lambda: 'choose another with `npm run dev -- --lambda-port <port>`',
} as const;


export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const dataDir = path.resolve(options.dataDir);
  const bucket = options.bucket ?? DEV_BUCKET;
  const progress = options.onProgress ?? (() => undefined);
  const output = options.onOutput;
  // Every fixed port is checked before anything starts: a clash is reported at once, not after a build.
  const fixed = [
    { service: 's3rver', port: options.s3Port },
    { service: 'the API', port: options.apiPort },
    { service: "serverless offline's Lambda endpoint", port: options.lambdaPort },
  ].filter((f): f is { service: string; port: number } => Boolean(f.port));
  for (const { port } of fixed) {
    const sharing = fixed.filter((f) => f.port === port);
    if (sharing.length > 1) throw new PortConflictError(port, sharing.map((f) => f.service));
  }
  if (options.s3Port) await assertPortFree(options.s3Port, 's3rver', PORT_HINTS.s3);
  if (options.apiPort) await assertPortFree(options.apiPort, 'the API (serverless offline)', PORT_HINTS.api);
  if (options.lambdaPort) await assertPortFree(options.lambdaPort, "serverless offline's Lambda endpoint", PORT_HINTS.lambda);

  progress(`starting s3rver (data in ${path.join(dataDir, 's3')})`);
  const s3 = await startS3rver({
    directory: path.join(dataDir, 's3'),
    port: options.s3Port ?? 0,
    buckets: [bucket],
    ...(output && options.s3rverLog ? { onLine: (line: string, stream: OutputStream) => output('s3rver', line, stream) } : {}),
  });
  let api: OfflineApi | undefined;
  const stop = async () => {
    await api?.stop();
    await s3.stop();
  };
  try {
    // Free ports are picked once s3rver holds its own, and apart from each other.
    const apiPort = options.apiPort || (await freePort([s3.port, options.lambdaPort ?? 0]));
    const lambdaPort = options.lambdaPort || (await freePort([s3.port, apiPort]));
    progress('starting the API with serverless offline (bundling the handlers first)');
    api = await startOfflineApi({
      httpPort: apiPort,
      lambdaPort,
      bucket,
      s3Endpoint: s3.endpoint,
      defaultEngine: 'lambda',
      workDir: path.join(dataDir, 'service'),
      ...(output ? { onLine: (line: string, stream: OutputStream) => output('serverless offline', line, stream) } : {}),
    });
    let seeded: SeedSummary | undefined;
    if ((options.seed ?? true) && (await needsSeeding({ dataDir, s3Endpoint: s3.endpoint, bucket }))) {
      progress('loading the sample logs through POST /logs/{table}');
      seeded = await seedSampleLogs({ apiUrl: api.url, sampleDir: options.sampleDir ?? path.join(REPO_ROOT, 'sample-data'), dataDir });
    }
    return { apiUrl: api.url, s3Endpoint: s3.endpoint, bucket, dataDir, s3, api, seeded, stop: once(stop) };
  } catch (err) {
    await stop();
    throw err;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
