import { formatPosition, type SourcePosition } from './errors.js';

/**
 * Text that may have been rewritten (variables substituted) and still knows,
 * for every offset, where it came from in the original script. Errors then
 * point at the user's file, not at our rewritten copy.
 */
export class SourceText {
  /** Sorted by `at`: from this offset in `text` on, offsets map to `origin + (offset - at)` (or exactly `origin` when `fixed`). */
  private readonly segments: readonly { at: number; origin: number; fixed: boolean }[];
  private readonly lineStarts: readonly number[];

  constructor(
    readonly text: string,
    readonly file: string | undefined,
    readonly original: string = text,
    segments?: readonly { at: number; origin: number; fixed: boolean }[],
    /** Offset of `original` inside the whole script, when this is one statement of it. */
    private readonly scriptOffset = 0,
    scriptText?: string,
  ) {
    this.segments = segments ?? [{ at: 0, origin: 0, fixed: false }];
    const whole = scriptText ?? original;
    const starts = [0];
    for (let i = 0; i < whole.length; i++) if (whole.charCodeAt(i) === 10) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** Offset in the original script for an offset in `text`. */
  originOffset(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.at <= offset) lo = mid;
      else hi = mid - 1;
    }
    const seg = this.segments[lo]!;
    return this.scriptOffset + (seg.fixed ? seg.origin : seg.origin + (offset - seg.at));
  }

  position(offset: number): SourcePosition {
    const origin = this.originOffset(offset);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= origin) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: origin - this.lineStarts[lo]! + 1 };
  }

  describe(offset: number): string {
    return formatPosition(this.position(offset));
  }
}
