/**
 * Axis ticks at "nice" steps (1, 2, 5 × 10^k), covering a data range. Pure
 * arithmetic, shared by the bar and line charts.
 */

/** Tick values from at or below `min` to at or above `max`, about `count` intervals apart. Always at least two ticks. */
export function niceTicks(min: number, max: number, count = 5, options: { integer?: boolean } = {}): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    // A flat series still needs an axis: widen around the value (0 → 0..1).
    if (min === 0) max = 1;
    else if (min > 0) min = 0;
    else max = 0;
  }
  let step = niceStep((max - min) / Math.max(1, count));
  if (options.integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)));
  if (ticks.length < 2) ticks.push(Number(((last + 1) * step).toFixed(decimals)));
  return ticks;
}

/** The nice step (1, 2 or 5 times a power of ten) at or above `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const f = rough / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** Day steps that read well on a date axis. */
const DAY_STEPS = [1, 2, 7, 14, 28, 91, 182, 364];

/** Ticks (in days) for a date axis from `first` to `last` day number, at most about `count` of them, starting at `first`. */
export function dayTicks(first: number, last: number, count = 6): number[] {
  if (!Number.isFinite(first) || !Number.isFinite(last)) return [];
  const span = Math.max(0, last - first);
  const rough = span / Math.max(1, count - 1);
  const step = DAY_STEPS.find((s) => s >= rough) ?? Math.ceil(rough / 364) * 364;
  const ticks: number[] = [];
  for (let d = first; d <= last + 1e-9; d += step) ticks.push(d);
  return ticks;
}
