/**
 * One long-running child node process of the dev stack (s3rver, serverless offline): its output
 * line by line (the last lines kept for error messages), its exit, and a stop that leaves nothing
 * behind.
 *
 * The child leads its own process group, for two reasons: Ctrl-C in a terminal signals the whole
 * foreground group, and the dev stack wants to stop its children itself, in order (the API before
 * the storage it uses); and stop() can then signal the group, which also reaches whatever the child
 * started (serverless-esbuild's esbuild service process). Its stdin is a pipe that this process
 * never writes: the pipe closes when this process dies, however it dies, and the children watch
 * for that, so no orphan survives a crashed parent.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import { ServiceStartError } from './errors.js';

export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export type OutputStream = 'stdout' | 'stderr';

export interface ServiceProcessOptions {
  /** For messages: "s3rver", "serverless offline". */
  readonly name: string;
  /** Arguments to node; the child is always this node binary. */
  readonly nodeArgs: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Every line the child prints, without terminal colours. */
  readonly onLine?: (line: string, stream: OutputStream) => void;
  /** How many of the last lines to keep for error messages (default 40). */
  readonly tailLines?: number;
}

/** Time a stopped group's other members get to exit on their own before they are killed. */
const STRAGGLER_GRACE_MS = 2_000;

export class ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the child has exited (never rejects). */
  readonly exited: Promise<ServiceExit>;
  private readonly recent: string[] = [];
  private exit: ServiceExit | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(name: string, pid: number, exited: Promise<ServiceExit>) {
    this.name = name;
    this.pid = pid;
    this.exited = exited.then((e) => (this.exit = e));
  }

  /** Spawns the child; rejects with ServiceStartError when it cannot be spawned at all. */
  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    const child = spawn(process.execPath, [...options.nodeArgs], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    if (child.pid === undefined) {
      const [err] = (await once(child, 'error')) as [Error];
      throw new ServiceStartError(options.name, `cannot spawn ${process.execPath}: ${err.message}`, [], { cause: err });
    }
    // 'close', not 'exit': it comes after the output pipes are drained, so tail() is complete.
    const exited = new Promise<ServiceExit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    const service = new ServiceProcess(options.name, child.pid, exited);
    const keep = options.tailLines ?? 40;
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream], crlfDelay: Infinity }).on('line', (raw) => {
        const line = stripVTControlCharacters(raw);
        service.recent.push(line);
        if (service.recent.length > keep) service.recent.shift();
        options.onLine?.(line, stream);
      });
    }
    // Never written and never ended by us: see the module comment. An EPIPE after the child is gone is expected.
    child.stdin.on('error', () => undefined);
    return service;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The last lines the child printed, oldest first. */
  tail(): string[] {
    return [...this.recent];
  }

  /** SIGTERM to the group; SIGKILL after `graceMs` if the child is still there, and for any member it left behind. Idempotent. */
  stop(graceMs = 10_000): Promise<void> {
    return (this.stopping ??= this.terminate(graceMs));
  }

  private async terminate(graceMs: number): Promise<void> {
    if (this.running) {
      this.signalGroup('SIGTERM');
      // Cancelled once the child is gone, so a pending grace timer does not keep this process alive.
      const cancel = new AbortController();
      const timer = delay(graceMs, 'timeout' as const, { signal: cancel.signal }).catch(() => 'cancelled' as const);
      const first = await Promise.race([this.exited, timer]);
      cancel.abort();
      if (first === 'timeout') this.signalGroup('SIGKILL');
      await this.exited;
    }
    for (const deadline = Date.now() + STRAGGLER_GRACE_MS; this.groupAlive() && Date.now() < deadline; ) await delay(50);
    if (this.groupAlive()) this.signalGroup('SIGKILL');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch (err) {
      // ESRCH: the group is already gone.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }

  /** Whether any process of the child's group is still alive. */
  groupAlive(): boolean {
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}
