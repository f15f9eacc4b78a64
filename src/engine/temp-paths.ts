import { rmSync } from 'node:fs';

/**
 * Local temporary paths a run has created (staging directories, spill
 * files). An interrupted run removes them synchronously from its signal
 * handler, so Ctrl-C or SIGTERM never leaves them behind.
 */
const live = new Set<string>();

export function trackTempPath(path: string): void {
  live.add(path);
}

export function untrackTempPath(path: string): void {
  live.delete(path);
}

/** Removes every tracked path now; safe to call from a signal handler. */
export function removeTempPathsSync(): void {
  for (const p of live) rmSync(p, { recursive: true, force: true });
  live.clear();
}
