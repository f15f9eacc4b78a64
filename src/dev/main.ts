/**
 * `npm run dev`: the API and an S3-compatible server on 127.0.0.1, with the sample logs loaded on
 * first start (src/dev/dev-stack.ts). Ctrl-C or SIGTERM stops both and exits 0; the data stays in
 * the data directory for the next start.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startDevStack, type DevService, type DevStack } from './dev-stack.js';
import { DevError } from './errors.js';
import { REPO_ROOT } from './repo-root.js';
import { formatDevSummary } from './summary.js';

interface DevFlags {
  port: number;
  s3Port: number;
  lambdaPort?: number;
  dataDir: string;
  seed: boolean;
  verbose: boolean;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number, 1 to 65535');
  return n;
}

// The AWS SDK's notice that its releases after January 2027 need node 22 (the pinned ones run on 20); the children get the same.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('npm run dev --')
  .description('Run the loghive API offline: s3rver and serverless offline on 127.0.0.1, with the sample logs loaded on first start.')
  .option('--port <port>', 'the API port', portNumber, 3000)
  .option('--s3-port <port>', "s3rver's port", portNumber, 4569)
  .option('--lambda-port <port>', "serverless offline's Lambda invoke port (default: a free one)", portNumber)
  .option('--data-dir <dir>', 'where the bucket is kept (s3/) across restarts', path.join(REPO_ROOT, '.loghive'))
  .option('--no-seed', 'do not load the sample logs, even on first start')
  .option('--verbose', "show serverless offline's start-up output and s3rver's request log", false)
  .parse();
const flags = program.opts<DevFlags>();

const write = (s: string) => process.stdout.write(s);
const relative = path.relative(process.cwd(), flags.dataDir);
const dataDirLabel = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : flags.dataDir;
// Until the stack is up, the children's output is kept for error messages only, unless --verbose.
let forward = flags.verbose;
const onOutput = (service: DevService, line: string) => {
  if (forward) write(`[${service === 's3rver' ? 's3' : 'api'}] ${line}\n`);
};

let stack: DevStack | undefined;
let stopping = false;

function shutdown(signal: NodeJS.Signals): void {
  // npm passes the terminal's Ctrl-C on as well: a repeated signal is the same request.
  if (stopping) return;
  stopping = true;
  // Still starting: exit now; the children stop themselves when our end of their stdin closes.
  if (!stack) process.exit(signal === 'SIGINT' ? 130 : 143);
  write(`\n${signal}: stopping the API and s3rver…\n`);
  stack.stop().then(
    () => {
      write('Stopped. The data stays for the next `npm run dev`.\n');
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

/** A child that dies while the stack runs takes the stack down, with its last output. */
function watchChildren(running: DevStack): void {
  for (const child of [running.api.process, running.s3.process]) {
    void child.exited.then(async (exit) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\n${child.name} exited unexpectedly (code ${exit.code}, signal ${exit.signal}); its last output:\n${child.tail().join('\n')}\n`);
      await running.stop();
      process.exit(1);
    });
  }
}

try {
  stack = await startDevStack({
    dataDir: flags.dataDir,
    apiPort: flags.port,
    s3Port: flags.s3Port,
    ...(flags.lambdaPort ? { lambdaPort: flags.lambdaPort } : {}),
    seed: flags.seed,
    onOutput,
    s3rverLog: flags.verbose,
    onProgress: (message) => write(`${message}…\n`),
  });
} catch (err) {
  process.stderr.write(`npm run dev: ${err instanceof DevError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
write(formatDevSummary(stack, { dataDirLabel }));
forward = true;
watchChildren(stack);
