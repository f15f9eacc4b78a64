import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { PhaseProgress } from '../engine/runner.js';

/**
 * A progress bar per phase on stderr (TTY only): bytes for map phases,
 * partitions for reduce phases, with records/s and ETA.
 */
export class ProgressDisplay {
  private readonly bars = new MultiBar(
    {
      format: ' {phase} |{bar}| {percentage}% | {progress} | {rate} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 20,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  private readonly byPhase = new Map<string, { bar: SingleBar; started: number }>();

  update(p: PhaseProgress): void {
    const key = `${p.stageId} ${p.phase}`;
    let entry = this.byPhase.get(key);
    if (!entry) {
      entry = { bar: this.bars.create(Math.max(1, p.total), 0, this.payload(p, 0)), started: performance.now() };
      this.byPhase.set(key, entry);
    }
    const seconds = (performance.now() - entry.started) / 1000;
    entry.bar.setTotal(Math.max(1, p.total));
    entry.bar.update(p.done, this.payload(p, seconds));
  }

  stop(): void {
    this.bars.stop();
  }

  private payload(p: PhaseProgress, seconds: number): Record<string, string> {
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    return {
      phase: `${p.stageId} ${p.phase.padEnd(6)}`,
      progress: p.phase === 'map' ? `${mb(p.done)}/${mb(p.total)}` : `${p.done}/${p.total} partitions`,
      rate: p.phase === 'map' && seconds > 0 ? `${Math.round(p.records / seconds).toLocaleString('en-US')} records/s` : '',
    };
  }
}
