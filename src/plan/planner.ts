import type { Expr, OrderItem, SelectQuery } from '../hive/ast.js';
import { makeCast } from '../hive/cast.js';
import { SemanticError, type SourcePosition } from '../hive/errors.js';
import { T, type HiveType, type HiveValue } from '../hive/types.js';
import type { Catalog, Partition, TableDefinition } from './catalog.js';
import type { AggregateSpec, CompiledExpr, OutputColumn } from './compiled.js';
import { aggregateSpec, collectAggregates, compileExpr, exprKey, exprText, forEachChild, type CompileContext, type ScopeColumn } from './expressions.js';
import type { MapReduceStage, QueryPlan, SortKey, StageInput, TableScan } from './plan.js';

/** Compiles a SELECT into map-reduce stages. */
export class Planner {
  private stageCounter = 0;

  constructor(
    private readonly catalog: Catalog,
    private readonly position: (offset: number) => SourcePosition,
    /** hive.orderby.position.alias (default true since Hive 2.2): ORDER BY 1 means the first column. */
    private readonly orderByPosition = true,
  ) {}

  plan(query: SelectQuery): QueryPlan {
    const stages: MapReduceStage[] = [];
    const columns = this.planQuery(query, stages);
    return { stages, columns };
  }

  private nextStageId(): string {
    return `Stage-${++this.stageCounter}`;
  }

  /** Appends the stages for `q` and returns its visible columns (the last stage's first columns). */
  private planQuery(q: SelectQuery, stages: MapReduceStage[]): OutputColumn[] {
    const fail = (msg: string, at: number): never => {
      throw new SemanticError(msg, this.position(at));
    };
    // ---- the source and its scope
    let input: StageInput;
    let scope: ScopeColumn[];
    let table: TableDefinition | undefined;
    if (q.from.kind === 'table') {
      table = this.catalog.require(q.from.name, this.position(q.from.at));
      const qualifier = q.from.alias ?? table.name;
      scope = [...table.columns, ...table.partitionColumns].map((c, index) => ({ name: c.name, qualifier, type: c.type, index }));
      input = { kind: 'table-scan', table, neededColumns: [], totalPartitions: table.partitions.size };
    } else {
      const inner = this.planQuery(q.from.query, stages);
      const qualifier = q.from.alias;
      scope = inner.map((c, index) => ({ name: c.name, qualifier, type: c.type, index }));
      input = { kind: 'stage-output', stageId: stages[stages.length - 1]!.id, columns: inner };
    }
    const baseCtx: CompileContext = { columns: scope, position: this.position };

    // ---- WHERE
    const where = q.where ? compileExpr(q.where, { ...baseCtx, noAggregatesIn: 'WHERE' }) : undefined;

    // ---- SELECT list, with * expanded
    const items: { expr: Expr; name: string; at: number }[] = [];
    q.items.forEach((item) => {
      if (item.kind === 'star') {
        const cols = scope.filter((c) => item.qualifier === undefined || c.qualifier === item.qualifier);
        if (cols.length === 0) fail(`Invalid table alias '${item.qualifier}'`, item.at);
        for (const c of cols) items.push({ expr: { kind: 'column', at: item.at, name: c.name, qualifier: c.qualifier }, name: c.name, at: item.at });
      } else {
        const name = item.alias ?? (item.expr.kind === 'column' ? item.expr.name : `_c${items.length}`);
        items.push({ expr: item.expr, name, at: item.at });
      }
    });

    const aggregateCalls: Expr[] = [];
    for (const it of items) collectAggregates(it.expr, aggregateCalls);
    if (q.having) collectAggregates(q.having, aggregateCalls);
    const orderExprs = q.orderBy.map((o) => o.expr);
    for (const e of orderExprs) collectAggregates(e, aggregateCalls);
    const grouped = q.groupBy.length > 0 || aggregateCalls.length > 0 || q.distinct;
    if (q.having && !grouped) fail('HAVING needs GROUP BY or an aggregate', q.having.at);

    const mapId = this.nextStageId();
    let stage: MapReduceStage;
    let outputs: CompiledExpr[];
    let ctx: CompileContext;
    let reads: number[] = [...(where?.reads ?? [])];

    if (grouped) {
      const groupExprs = q.distinct ? items.map((i) => i.expr) : [...q.groupBy];
      if (q.distinct && q.groupBy.length > 0) {
        // SELECT DISTINCT … GROUP BY: the distinct is over the grouped rows; Hive plans another stage, we reject it clearly.
        fail('SELECT DISTINCT together with GROUP BY is not supported by the local engine', q.at);
      }
      const keys = groupExprs.map((g) => compileExpr(g, { ...baseCtx, noAggregatesIn: 'GROUP BY' }));
      const uniqueAggs = new Map<string, { expr: Extract<Expr, { kind: 'call' }>; index: number }>();
      for (const a of aggregateCalls) {
        const k = exprKey(a);
        if (!uniqueAggs.has(k)) uniqueAggs.set(k, { expr: a as Extract<Expr, { kind: 'call' }>, index: uniqueAggs.size });
      }
      const aggregates: AggregateSpec[] = [...uniqueAggs.values()].map(({ expr }) =>
        aggregateSpec(expr, expr.args.map((a) => compileExpr(a, { ...baseCtx, noAggregatesIn: `an aggregate's argument (${expr.name})` })), this.position),
      );
      const keyIndex = new Map(groupExprs.map((g, i) => [exprKey(g), i]));
      const keyColumnNames = new Map<string, number>();
      groupExprs.forEach((g, i) => {
        if (g.kind === 'column' && !keyColumnNames.has(g.name)) keyColumnNames.set(g.name, i);
      });
      const groupRow: ScopeColumn[] = [
        ...keys.map((k, i) => ({ name: `_key${i}`, type: k.type, index: i })),
        ...aggregates.map((a, j) => ({ name: `_agg${j}`, type: a.type, index: keys.length + j })),
      ];
      ctx = {
        columns: groupRow,
        position: this.position,
        substitute: (e) => {
          const k = exprKey(e);
          const ki = keyIndex.get(k) ?? (e.kind === 'column' ? keyColumnNames.get(e.name) : undefined);
          if (ki !== undefined) return { index: ki, type: keys[ki]!.type };
          const ai = uniqueAggs.get(k);
          if (ai) return { index: keys.length + ai.index, type: aggregates[ai.index]!.type };
          return undefined;
        },
        groupedColumnError: (name, at) => fail(`Expression not in GROUP BY key '${name}'`, at),
      };
      outputs = items.map((it) => compileExpr(it.expr, ctx));
      const aliasMap = new Map(items.map((it) => [it.name, it.expr]));
      const having = q.having ? compileExpr(resolveAliases(q.having, aliasMap, (n) => keyColumnNames.has(n)), ctx) : undefined;
      const hidden = this.orderColumns(q.orderBy, items, outputs, ctx);
      const project = [...outputs, ...hidden.extra];
      reads.push(...keys.flatMap((k) => k.reads), ...aggregates.flatMap((a) => a.args.flatMap((x) => x.reads)));
      const columns = project.map((p, i) => ({ name: i < items.length ? items[i]!.name : `_sort${i - items.length}`, type: p.type }));
      stage = {
        id: mapId,
        map: { input, filter: where, output: { kind: 'partial-aggregate', keys, aggregates, distinct: distinctTags(aggregates) } },
        reduce: { kind: 'aggregate', keyCount: keys.length, aggregates, having, project },
        reducers: keys.length === 0 ? 1 : 'auto',
        columns,
      };
      stages.push(stage);
      if (q.orderBy.length > 0 || q.limit !== undefined) {
        const orderId = this.nextStageId();
        const identity: CompiledExpr[] = columns.map((c, i) => ({ type: c.type, eval: (row) => row[i] ?? null, text: c.name, reads: [i] }));
        stages.push({
          id: orderId,
          map: { input: { kind: 'stage-output', stageId: mapId, columns }, output: { kind: 'sort', values: identity } },
          reduce: { kind: 'order', keys: hidden.keys, limit: q.limit, keep: items.length },
          reducers: 1,
          columns,
        });
      }
    } else {
      ctx = { ...baseCtx, noAggregatesIn: 'this place' };
      outputs = items.map((it) => compileExpr(it.expr, ctx));
      const hidden = this.orderColumns(q.orderBy, items, outputs, ctx);
      const values = [...outputs, ...hidden.extra];
      reads.push(...values.flatMap((v) => v.reads));
      const columns = values.map((p, i) => ({ name: i < items.length ? items[i]!.name : `_sort${i - items.length}`, type: p.type }));
      const ordered = q.orderBy.length > 0 || q.limit !== undefined;
      stage = ordered
        ? { id: mapId, map: { input, filter: where, output: { kind: 'sort', values } }, reduce: { kind: 'order', keys: hidden.keys, limit: q.limit, keep: items.length }, reducers: 1, columns }
        : { id: mapId, map: { input, filter: where, output: { kind: 'rows', values } }, reducers: 0, columns };
      stages.push(stage);
    }

    if (input.kind === 'table-scan' && table) {
      const needed = table.columns.map((_c, i) => reads.includes(i));
      const pruned = this.prune(table, q.where);
      const scan: TableScan = { ...input, neededColumns: needed, partitions: pruned?.partitions, pruningPredicate: pruned?.predicate };
      // Stages are plain data; replace the scan with the analysed one.
      const first = stages.find((s) => s.id === mapId)!;
      stages[stages.indexOf(first)] = { ...first, map: { ...first.map, input: scan } };
    }
    reads = [];
    return items.map((it, i) => ({ name: it.name, type: outputs[i]!.type }));
  }

  /** ORDER BY keys as indexes into the projected row; expressions not in the select list become hidden columns. */
  private orderColumns(orderBy: readonly OrderItem[], items: { expr: Expr; name: string }[], outputs: CompiledExpr[], ctx: CompileContext): { keys: SortKey[]; extra: CompiledExpr[] } {
    const keys: SortKey[] = [];
    const extra: CompiledExpr[] = [];
    for (const o of orderBy) {
      let index: number | undefined;
      if (this.orderByPosition && o.expr.kind === 'literal' && typeof o.expr.value === 'number' && Number.isInteger(o.expr.value)) {
        const p = o.expr.value;
        if (p < 1 || p > items.length) throw new SemanticError(`ORDER BY position ${p} is not in the select list (1..${items.length})`, this.position(o.at));
        index = p - 1;
      } else if (o.expr.kind === 'column' && o.expr.qualifier === undefined && items.some((it) => it.name === (o.expr as { name: string }).name)) {
        index = items.findIndex((it) => it.name === (o.expr as { name: string }).name);
      } else {
        const k = exprKey(o.expr);
        const found = items.findIndex((it) => exprKey(it.expr) === k);
        if (found >= 0) index = found;
        else {
          extra.push(compileExpr(o.expr, ctx));
          index = outputs.length + extra.length - 1;
        }
      }
      keys.push({ index, descending: o.descending, nullsFirst: o.nullsFirst, text: `${exprText(o.expr)} ${o.descending ? 'DESC' : 'ASC'}` });
    }
    return { keys, extra };
  }

  /** Partition pruning: WHERE conjuncts over partition columns only, evaluated on each partition's values. */
  private prune(table: TableDefinition, where: Expr | undefined): { partitions: Partition[]; predicate?: string } | undefined {
    if (table.partitionColumns.length === 0) return undefined;
    const all = [...table.partitions.values()];
    if (!where) return { partitions: all };
    const partNames = new Set(table.partitionColumns.map((c) => c.name));
    const conjuncts = splitConjuncts(where).filter((c) => onlyReads(c, partNames));
    if (conjuncts.length === 0) return { partitions: all };
    const offset = table.columns.length;
    const scope: ScopeColumn[] = table.partitionColumns.map((c, i) => ({ name: c.name, qualifier: undefined, type: c.type, index: offset + i }));
    const preds = conjuncts.map((c) => compileExpr(stripQualifiers(c), { columns: scope, position: this.position, noAggregatesIn: 'WHERE' }));
    const casts = table.partitionColumns.map((c) => makeCast(T.string, c.type));
    const partitions = all.filter((p) => {
      const row: HiveValue[] = new Array(offset + table.partitionColumns.length).fill(null);
      table.partitionColumns.forEach((c, i) => {
        const raw = p.values.get(c.name)!;
        // Hive's default partition name stands for NULL.
        row[offset + i] = raw === '__HIVE_DEFAULT_PARTITION__' ? null : casts[i]!(raw);
      });
      return preds.every((pr) => pr.eval(row) === true);
    });
    return { partitions, predicate: preds.map((p) => p.text).join(' and ') };
  }
}

function splitConjuncts(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === 'AND') return [...splitConjuncts(e.left), ...splitConjuncts(e.right)];
  return [e];
}

function onlyReads(e: Expr, names: ReadonlySet<string>): boolean {
  let ok = true;
  let any = false;
  const visit = (x: Expr) => {
    if (x.kind === 'column') {
      any = true;
      if (!names.has(x.name)) ok = false;
    } else if (x.kind === 'call' && (x.name === 'rand' || x.name === 'current_timestamp' || x.name === 'unix_timestamp')) ok = false;
    else forEachChild(x, visit);
  };
  visit(e);
  return ok && any;
}

function stripQualifiers(e: Expr): Expr {
  return JSON.parse(JSON.stringify(e), (k, v: unknown) => (k === 'qualifier' ? undefined : v)) as Expr;
}

/** HAVING may name a select alias (Hive allows it); rewrite those to the aliased expression. */
function resolveAliases(e: Expr, aliases: ReadonlyMap<string, Expr>, isKey: (name: string) => boolean): Expr {
  return JSON.parse(JSON.stringify(e), (_k, v: unknown) => {
    if (v && typeof v === 'object' && (v as Expr).kind === 'column') {
      const c = v as Extract<Expr, { kind: 'column' }>;
      if (c.qualifier === undefined && !isKey(c.name) && aliases.has(c.name)) return aliases.get(c.name);
    }
    return v;
  }) as Expr;
}

export type { HiveType };

/** The distinct argument lists of the DISTINCT aggregates (one shuffle tag each), or undefined when there are none. */
function distinctTags(aggregates: readonly AggregateSpec[]): { arguments: (readonly CompiledExpr[])[]; tagOf: number[] } | undefined {
  if (!aggregates.some((a) => a.distinct)) return undefined;
  const lists: (readonly CompiledExpr[])[] = [];
  const signatures: string[] = [];
  const tagOf = aggregates.map((a) => {
    if (!a.distinct) return -1;
    const signature = a.args.map((x) => x.text).join('\u0000');
    let tag = signatures.indexOf(signature);
    if (tag < 0) {
      tag = signatures.push(signature) - 1;
      lists.push(a.args);
    }
    return tag;
  });
  return { arguments: lists, tagOf };
}
