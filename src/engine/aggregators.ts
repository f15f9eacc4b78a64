import { compareValues } from '../hive/cast.js';
import type { HiveValue } from '../hive/types.js';
import type { AggregateSpec } from '../plan/compiled.js';
import type { ByteReader, ByteWriter } from './value-codec.js';

/** Partial state of one aggregate in one group; mutable, merged on the reduce side. */
export type AggregateState = { n: number; sum: number; value: HiveValue };

/** Writes a group's partial states as a run record's payload. */
export function writeStates(out: ByteWriter, states: readonly AggregateState[]): void {
  out.varint(states.length);
  for (const s of states) {
    out.value(s.n);
    out.value(s.sum);
    out.value(s.value);
  }
}

/** The inverse of writeStates. */
export function readStates(payload: ByteReader): AggregateState[] {
  const states: AggregateState[] = new Array(payload.varint());
  for (let i = 0; i < states.length; i++) states[i] = { n: payload.value() as number, sum: payload.value() as number, value: payload.value() };
  return states;
}

/**
 * One aggregate's map-side update, the merge of two partial states (the
 * combiner's and reducer's work) and the final value, as Hive's UDAF
 * evaluators do in PARTIAL1 / PARTIAL2 / FINAL modes.
 */
export interface Aggregator {
  init(): AggregateState;
  update(state: AggregateState, row: readonly HiveValue[]): void;
  merge(into: AggregateState, from: AggregateState): void;
  finish(state: AggregateState): HiveValue;
}

/**
 * The map-side stand-in for a DISTINCT aggregate whose values travel in the
 * shuffle key (MapOutput.distinctKeys): nothing to keep per group.
 */
export const DISTINCT_IN_KEY: Aggregator = {
  init: () => ({ n: 0, sum: 0, value: null }),
  update: () => {},
  merge: () => {},
  finish: () => null,
};

/**
 * The reduce-side half of a DISTINCT aggregate whose values travel in the
 * shuffle key: it is fed each distinct argument tuple of a group once, as a
 * row of the arguments, and computes the plain aggregate over them.
 */
export function overDistinctValues(spec: AggregateSpec): Aggregator {
  return createAggregator({ ...spec, distinct: false, args: spec.args.map((a, j) => ({ ...a, eval: (r: readonly HiveValue[]) => r[j] ?? null })) });
}

export function createAggregator(spec: AggregateSpec): Aggregator {
  const args = spec.args.map((a) => a.eval);
  const arg0 = args[0];
  const init = (): AggregateState => ({ n: 0, sum: 0, value: null });
  // DISTINCT values travel in the shuffle key (MapOutput.distinct); reducers use overDistinctValues.
  if (spec.distinct) throw new Error(`${spec.text}: DISTINCT aggregates are computed from the shuffle key`);
  switch (spec.fn) {
    case 'count':
      return {
        init,
        update:
          args.length === 0
            ? (s) => {
                s.n++;
              }
            : (s, row) => {
                for (const f of args) if (f(row) === null) return;
                s.n++;
              },
        merge: (into, from) => {
          into.n += from.n;
        },
        finish: (s) => s.n,
      };
    case 'sum':
    case 'avg': {
      const isAvg = spec.fn === 'avg';
      return {
        init,
        update: (s, row) => {
          const v = arg0!(row);
          if (v === null) return;
          s.n++;
          s.sum += v as number;
        },
        merge: (into, from) => {
          into.n += from.n;
          into.sum += from.sum;
        },
        finish: (s) => (s.n === 0 ? null : isAvg ? s.sum / s.n : s.sum),
      };
    }
    case 'min':
    case 'max': {
      const sign = spec.fn === 'min' ? -1 : 1;
      const take = (s: AggregateState, v: HiveValue) => {
        if (v === null) return;
        if (s.value === null || sign * compareValues(v, s.value) > 0) s.value = v;
      };
      return {
        init,
        update: (s, row) => take(s, arg0!(row)),
        merge: (into, from) => take(into, from.value),
        finish: (s) => s.value,
      };
    }
  }
}
