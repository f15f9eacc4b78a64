#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { parseSizeBytes } from '../dist/cli/size.js';
import { semiSpaceMb } from '../dist/engine/heap-limits.js';

// The memory budget (--memory, default 512m) is only a bound if V8's heap is bounded too: run the CLI in a
// child node process whose old generation and semi-spaces are sized from the budget, unless that is already set.
const budgetMb = memoryBudgetMb(process.argv.slice(2));
if (budgetMb !== undefined && !process.execArgv.some((a) => a.startsWith('--max-old-space-size')) && !process.env.LOGHIVE_HEAP_SET) {
  const heapFlags = [`--max-old-space-size=${budgetMb + 64}`, `--max-semi-space-size=${semiSpaceMb(budgetMb * 2 ** 20)}`];
  const child = spawn(process.execPath, [...process.execArgv, ...heapFlags, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, LOGHIVE_HEAP_SET: '1' },
  });
  // Signals sent to us are passed on; the child cleans up and exits with the signal's status.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGTERM' ? 143 : 130)));
} else {
  const { installSignalCleanup, main } = await import('../dist/cli/main.js');
  installSignalCleanup((s) => process.stderr.write(s));
  process.exitCode = await main(process.argv);
}

/** The budget in MB for `run` (default 512), or undefined for commands that do not run queries. */
function memoryBudgetMb(args) {
  if (args[0] !== 'run') return undefined;
  const i = args.findIndex((a) => a === '--memory' || a.startsWith('--memory='));
  const value = i < 0 ? '512m' : args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
  const bytes = parseSizeBytes(String(value ?? ''));
  // A bad value is left for the CLI to report.
  return bytes === undefined ? undefined : Math.max(32, Math.ceil(bytes / 2 ** 20));
}
