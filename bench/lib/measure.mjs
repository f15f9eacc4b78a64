// @ts-check
/**
 * Runs one contender as a child process and measures it as a whole:
 *
 * - wall time: process.hrtime from just before spawn to the child's exit, so
 *   process start-up, module loading and writing the answer are included;
 * - peak RSS: the kernel's high-water mark (ru_maxrss) of the process, as GNU
 *   time reports it with `/usr/bin/time -f %M`. For a process tree (a shell
 *   pipeline, a program that forks workers) ru_maxrss is that of the largest
 *   single process, not the sum, so the tree is also sampled every 100 ms
 *   (sum of VmRSS of all descendants, from /proc) and the larger of the two is
 *   reported. Threads (worker_threads, DuckDB's threads) live in one process and
 *   are covered exactly by ru_maxrss.
 *   Without /usr/bin/time only the sampled value is available (it can miss
 *   short peaks), and the report says so;
 * - CPU time: user + system seconds (GNU time's %U + %S), all threads and
 *   waited-for child processes included. Unlike wall time it hardly changes when
 *   other work competes for the cores, and over wall time it shows how many
 *   cores a contender kept busy.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';
export const HAVE_GNU_TIME = existsSync(GNU_TIME);
const SAMPLE_MS = 100;

/** Process groups of children still running, killed if the bench is interrupted. */
const running = new Set();
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    for (const pid of running) killGroup(pid);
    process.exit(130);
  });
}

/** @param {number} pid leader of a process group this bench started */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * All descendants of a process, through /proc/<pid>/task/<tid>/children.
 * @param {number} root
 * @returns {number[]}
 */
function descendants(root) {
  /** @type {number[]} */
  const found = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = /** @type {number} */ (stack.pop());
    let tasks;
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      let text = '';
      try {
        text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      } catch {
        continue;
      }
      if (text === '') continue;
      for (const child of text.split(/\s+/)) {
        found.push(Number(child));
        stack.push(Number(child));
      }
    }
  }
  return found;
}

/** @param {number} pid @returns {number} resident set size in KiB, 0 if gone */
function rssKiB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * @typedef {object} Measurement
 * @property {number} wallSeconds
 * @property {number | null} peakRssKiB  the larger of ru_maxrss and the sampled tree sum; null if neither was obtained
 * @property {number | null} maxRssKiB   ru_maxrss from GNU time (largest single process)
 * @property {number | null} cpuSeconds  user + system CPU time of the process and its waited-for children, from GNU time
 * @property {number} sampledTreeKiB     largest sampled sum of VmRSS over the tree
 * @property {number} maxProcesses       most processes seen at once in the tree
 * @property {number | null} exitCode
 * @property {string | null} signal
 * @property {boolean} timedOut
 * @property {string} stderr             the last 4 KiB of the child's stderr
 */

/**
 * @param {object} options
 * @param {string} options.command
 * @param {string[]} options.args
 * @param {string} options.cwd
 * @param {string} options.stdoutFile  the child's stdout goes here
 * @param {string} options.scratchDir  for GNU time's report
 * @param {number} [options.timeoutSeconds]  kill the whole process group after this long (0 or absent: no limit)
 * @returns {Promise<Measurement>}
 */
export function measure({ command, args, cwd, stdoutFile, scratchDir, timeoutSeconds = 0 }) {
  const rssFile = path.join(scratchDir, `time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const [file, argv] = HAVE_GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', rssFile, command, ...args]] : [command, args];
  const out = openSync(stdoutFile, 'w');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // detached: the child leads its own process group, so a timeout kills all of it.
    const child = spawn(file, argv, { cwd, stdio: ['ignore', out, 'pipe'], detached: true });
    closeSync(out);
    const pid = /** @type {number} */ (child.pid);
    running.add(pid);
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4096);
    });

    let sampledTreeKiB = 0;
    let maxProcesses = 0;
    const sample = () => {
      // Under GNU time, the contender is time's child: time's own few hundred KiB are left out.
      const pids = HAVE_GNU_TIME ? descendants(pid) : [pid, ...descendants(pid)];
      let sum = 0;
      for (const p of pids) sum += rssKiB(p);
      if (sum > sampledTreeKiB) sampledTreeKiB = sum;
      if (pids.length > maxProcesses) maxProcesses = pids.length;
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    let timedOut = false;
    const timer = timeoutSeconds > 0
      ? setTimeout(() => {
          timedOut = true;
          killGroup(pid);
        }, timeoutSeconds * 1000)
      : undefined;

    child.on('error', (err) => {
      clearInterval(sampler);
      if (timer) clearTimeout(timer);
      running.delete(pid);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sampler);
      if (timer) clearTimeout(timer);
      running.delete(pid);
      // Leftovers of a killed pipeline.
      if (timedOut) killGroup(pid);
      /** @type {number | null} */
      let maxRssKiB = null;
      /** @type {number | null} */
      let cpuSeconds = null;
      /** @type {number | null} */
      let exitCode = code;
      /** @type {string | null} */
      let signalName = signal;
      if (HAVE_GNU_TIME && existsSync(rssFile)) {
        // The last line is "%U %S %M"; a line before it may say "Command exited with non-zero status N"
        // or "Command terminated by signal N" (GNU time then exits with 128 + N itself).
        const text = readFileSync(rssFile, 'utf8').trim();
        const last = /^([\d.]+) ([\d.]+) (\d+)$/.exec(text.split('\n').at(-1) ?? '');
        if (last) {
          cpuSeconds = Number(last[1]) + Number(last[2]);
          maxRssKiB = Number(last[3]);
        }
        const killed = /Command terminated by signal (\d+)/.exec(text);
        if (killed) {
          signalName = `signal ${killed[1]}`;
          exitCode = null;
        }
        rmSync(rssFile, { force: true });
      }
      const peak = Math.max(maxRssKiB ?? 0, sampledTreeKiB);
      resolve({
        wallSeconds,
        peakRssKiB: peak > 0 ? peak : null,
        maxRssKiB,
        cpuSeconds,
        sampledTreeKiB,
        maxProcesses,
        exitCode,
        signal: signalName,
        timedOut,
        stderr,
      });
    });
  });
}
