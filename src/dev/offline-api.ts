/**
 * The HTTP API offline: `serverless offline start` on the project's own serverless.yml (the same
 * handlers, bundled by serverless-esbuild), in a child process, pointed at an S3-compatible
 * endpoint. Nothing in it needs the network beyond 127.0.0.1: the credentials are s3rver's, and
 * the AWS SDK is kept from probing the EC2 metadata service for others.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Engine } from '../cloud/config.js';
import { ServiceStartError } from './errors.js';
import { HOST } from './ports.js';
import { REPO_ROOT } from './repo-root.js';
import { prepareServiceDir } from './service-dir.js';
import { parseRouteLine, type ApiRoute } from './route-table.js';
import { S3RVER_CREDENTIALS } from './s3-server.js';
import { ServiceProcess, type OutputStream } from './service-process.js';

export interface OfflineApiOptions {
  /** Where serverless.yml is (default: the repository). */
  readonly serviceDir?: string;
  /**
   * Run from a private view of serviceDir made here, with its own bundles (src/dev/service-dir.ts);
   * absent: run in serviceDir itself, sharing its .esbuild folder.
   */
  readonly workDir?: string;
  readonly httpPort: number;
  /** serverless-offline's Lambda invoke endpoint (it always opens one). */
  readonly lambdaPort: number;
  /** The bucket on `s3Endpoint` that the functions use (LOGHIVE_BUCKET). */
  readonly bucket: string;
  readonly s3Endpoint: string;
  /** Default "lambda": no EMR cluster can read an offline endpoint. */
  readonly defaultEngine?: Engine;
  /** Further serverless.yml params (`--param name=value`). */
  readonly params?: Readonly<Record<string, string>>;
  /** Every line serverless prints (its request log included). */
  readonly onLine?: (line: string, stream: OutputStream) => void;
  /** How long bundling and start-up may take (default 120 s). */
  readonly readyTimeoutMs?: number;
}

export interface OfflineApi {
  /** `http://127.0.0.1:{httpPort}` */
  readonly url: string;
  readonly httpPort: number;
  readonly lambdaPort: number;
  readonly process: ServiceProcess;
  /** Milliseconds from spawn to the first 200 from GET /jobs. */
  readonly readyMs: number;
  /** The HTTP routes, as serverless-offline announced them. */
  readonly routes: readonly ApiRoute[];
  stop(): Promise<void>;
}

/**
 * Preloaded into the serverless process (main thread only; the Lambda handlers run in worker
 * threads): stop like Ctrl-C would when our end of its stdin closes, i.e. when this process is gone.
 * Unreferenced, so that watching stdin does not keep serverless alive after a failed start.
 */
const PARENT_WATCH = `import { isMainThread } from 'node:worker_threads';
if (isMainThread) {
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
  process.stdin.unref();
}`;

const POLL_INTERVAL_MS = 250;

/** The serverless CLI's entry point, as its package declares it (the package is osls, installed as `serverless`). */
export function serverlessBin(serviceDir: string): string {
  const require = createRequire(path.join(serviceDir, 'package.json'));
  const manifestPath = require.resolve('serverless/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.serverless;
  if (!bin) throw new ServiceStartError('serverless offline', `${manifestPath} declares no "serverless" bin`, []);
  return path.join(path.dirname(manifestPath), bin);
}

/** The child's environment: no AWS settings of the user's (a profile or a session token would reach the handlers), s3rver's credentials, nothing that phones home. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
  };
}

export async function startOfflineApi(options: OfflineApiOptions): Promise<OfflineApi> {
  const serviceDir = options.workDir ? await prepareServiceDir(options.serviceDir ?? REPO_ROOT, options.workDir) : (options.serviceDir ?? REPO_ROOT);
  const params: Record<string, string> = {
    ...options.params,
    bucketName: options.bucket,
    s3Endpoint: options.s3Endpoint,
    defaultEngine: options.defaultEngine ?? 'lambda',
  };
  const args = [
    '--import',
    `data:text/javascript,${encodeURIComponent(PARENT_WATCH)}`,
    serverlessBin(serviceDir),
    'offline',
    'start',
    // Named explicitly: without --config, serverless looks for a regular file and so misses the
    // symlink in a private service directory; with it, it follows the link.
    '--config',
    'serverless.yml',
    '--host',
    HOST,
    '--httpPort',
    String(options.httpPort),
    '--lambdaPort',
    String(options.lambdaPort),
    // On AWS every route is IAM-authorized; serverless-offline cannot verify SigV4.
    '--noAuth',
    '--noSponsor',
    ...Object.entries(params).map(([name, value]) => `--param=${name}=${value}`),
  ];
  const started = Date.now();
  const routes: ApiRoute[] = [];
  const onLine = (line: string, stream: OutputStream) => {
    const route = parseRouteLine(line);
    if (route) routes.push(route);
    options.onLine?.(line, stream);
  };
  const child = await ServiceProcess.start({ name: 'serverless offline', nodeArgs: args, cwd: serviceDir, env: offlineEnv(), onLine, tailLines: 60 });
  const url = `http://${HOST}:${options.httpPort}`;
  const failure = await waitUntilReady(child, `${url}/jobs`, options.readyTimeoutMs ?? 120_000);
  if (failure !== undefined) {
    await child.stop();
    throw new ServiceStartError('serverless offline', failure, child.tail());
  }
  return { url, httpPort: options.httpPort, lambdaPort: options.lambdaPort, process: child, readyMs: Date.now() - started, routes, stop: () => child.stop() };
}

/** Polls `probeUrl` until it answers 200; otherwise why not: another answer, the child's exit, the deadline. */
async function waitUntilReady(child: ServiceProcess, probeUrl: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!child.running) {
      const exit = await child.exited;
      return `it exited (code ${exit.code}, signal ${exit.signal}) before answering GET ${probeUrl}`;
    }
    const answer = await fetch(probeUrl, { signal: AbortSignal.timeout(Math.max(1, Math.min(30_000, deadline - Date.now()))) }).then(
      async (res) => ({ status: res.status, body: await res.text() }),
      // Not listening yet (still bundling), or the probe itself timed out: try again.
      () => undefined,
    );
    if (answer?.status === 200) return undefined;
    if (answer) return `GET ${probeUrl} answered ${answer.status}: ${answer.body.slice(0, 500)}`;
    if (Date.now() >= deadline) return `GET ${probeUrl} had no answer after ${Math.round(timeoutMs / 1000)} s`;
    await delay(POLL_INTERVAL_MS);
  }
}
