import { compareValues } from '../hive/cast.js';
import type { HiveValue } from '../hive/types.js';
import type { AggregateSpec } from '../plan/compiled.js';
import { encodeKey } from './keys.js';

/** Partial state of one aggregate in one group; mutable, merged on the reduce side. */
export type AggregateState = { n: number; sum: number; value: HiveValue; seen?: Set<string>; values?: Map<string, HiveValue> };

/** A group's key values and states flattened into one array: the compact record of a spill file. */
export type PackedGroup = [HiveValue[], ...unknown[]];

export function packGroup(keys: HiveValue[], states: readonly AggregateState[]): PackedGroup {
  const out: PackedGroup = [keys];
  for (const s of states) {
    out.push(s.n, s.sum, s.value);
    if (s.seen) out.push(s.seen, s.values ?? null);
  }
  return out;
}

/** The inverse of packGroup; `distinct[i]` says whether aggregate i keeps a DISTINCT set. */
export function unpackGroup(record: PackedGroup, distinct: readonly boolean[]): { keys: HiveValue[]; states: AggregateState[] } {
  const states: AggregateState[] = [];
  let i = 1;
  for (const d of distinct) {
    const s: AggregateState = { n: record[i] as number, sum: record[i + 1] as number, value: record[i + 2] as HiveValue };
    i += 3;
    if (d) {
      s.seen = record[i] as Set<string>;
      const values = record[i + 1] as Map<string, HiveValue> | null;
      if (values) s.values = values;
      i += 2;
    }
    states.push(s);
  }
  return { keys: record[0], states };
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

export function createAggregator(spec: AggregateSpec): Aggregator {
  const args = spec.args.map((a) => a.eval);
  const arg0 = args[0];
  const init = (): AggregateState => ({ n: 0, sum: 0, value: null, seen: spec.distinct ? new Set() : undefined });
  // DISTINCT: the state keeps the set of distinct argument tuples; the result is computed from it at the end.
  if (spec.distinct) {
    return {
      init,
      update(s, row) {
        const vals = args.map((f) => f(row));
        if (vals.some((v) => v === null)) return;
        s.seen!.add(encodeKey(vals));
        if (spec.fn !== 'count') {
          // Keep the typed value alongside for SUM/AVG/MIN/MAX(DISTINCT x).
          s.values ??= new Map();
          s.values!.set(encodeKey(vals), vals[0]!);
        }
      },
      merge(into, from) {
        for (const k of from.seen!) into.seen!.add(k);
        const fv = from.values;
        if (fv) {
          const iv = (into.values ??= new Map());
          for (const [k, v] of fv) iv.set(k, v);
        }
      },
      finish(s) {
        if (spec.fn === 'count') return s.seen!.size;
        const values = [...(s.values?.values() ?? [])];
        const plain = createAggregator({ ...spec, distinct: false, args: [{ type: spec.args[0]!.type, eval: (r) => r[0] ?? null, text: '', reads: [] }] });
        const st = plain.init();
        for (const v of values) plain.update(st, [v]);
        return plain.finish(st);
      },
    };
  }
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
