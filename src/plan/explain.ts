import type { ExplainedStatement } from '../engine/session.js';
import { typeToString } from '../hive/types.js';
import type { MapReduceStage, QueryPlan } from './plan.js';

/** Renders plans in the shape of Hive's EXPLAIN: stage dependencies, then each stage's operator tree. */
export function renderExplain(statements: readonly ExplainedStatement[]): string {
  const out: string[] = [];
  for (const s of statements) {
    if (!s.plan) continue;
    out.push(`-- statement ${s.index + 1}: ${s.directory ? `INSERT OVERWRITE DIRECTORY '${s.directory}'` : 'SELECT (rows to stdout)'}`);
    out.push(renderPlan(s.plan, s.directory));
  }
  return out.length > 0 ? out.join('\n') : 'No query statements to explain.\n';
}

export function renderPlan(plan: QueryPlan, directory?: string): string {
  const lines: string[] = ['STAGE DEPENDENCIES:'];
  const stageOf = (id: string) => plan.stages.find((s) => s.id === id);
  for (const st of plan.stages) {
    const input = st.map.input;
    lines.push(input.kind === 'stage-output' && stageOf(input.stageId) ? `  ${st.id} depends on stages: ${input.stageId}` : `  ${st.id} is a root stage`);
  }
  lines.push(`  Stage-0 depends on stages: ${plan.stages[plan.stages.length - 1]!.id} (${directory ? 'move files into place' : 'fetch rows'})`, '', 'STAGE PLANS:');
  for (const st of plan.stages) lines.push(...renderStage(st));
  lines.push('  Stage: Stage-0', directory ? `    Move Operator\n      directory: ${directory}` : '    Fetch Operator', `      columns: ${plan.columns.map((c) => `${c.name} ${typeToString(c.type)}`).join(', ')}`, '');
  return lines.join('\n');
}

function renderStage(st: MapReduceStage): string[] {
  const l: string[] = [`  Stage: ${st.id}`, `    Map Reduce${st.reduce ? '' : ' (map-only)'}`, '      Map Operator Tree:'];
  let indent = '          ';
  const push = (s: string) => l.push(indent + s);
  const nest = () => (indent += '  ');
  const input = st.map.input;
  if (input.kind === 'table-scan') {
    push('TableScan');
    nest();
    push(`alias: ${input.table.name}`);
    push(`location: ${input.table.location}`);
    push(`serde: ${input.table.createSerDe().className}`);
    const read = input.table.columns.filter((_c, i) => input.neededColumns[i]).map((c) => c.name);
    push(`columns read: ${read.length > 0 ? read.join(', ') : '(none)'}`);
    if (input.table.skipHeaderLines > 0) push(`skip header lines: ${input.table.skipHeaderLines}`);
    if (input.partitions) push(`partitions: ${input.partitions.length} of ${input.totalPartitions}${input.pruningPredicate ? ` (pruned by ${input.pruningPredicate})` : ''}`);
  } else {
    push(`Input: output of ${input.stageId}`);
    nest();
  }
  if (st.map.filter) {
    push('Filter Operator');
    nest();
    push(`predicate: ${st.map.filter.text}`);
  }
  const out = st.map.output;
  if (out.kind === 'partial-aggregate') {
    push('Group By Operator (mode: hash, the map-side combiner)');
    nest();
    push(`aggregations: ${out.aggregates.map((a) => a.text).join(', ') || '(none)'}`);
    push(`keys: ${out.keys.map((k) => `${k.text} (type: ${typeToString(k.type)})`).join(', ') || '(none: global aggregate)'}`);
    push('Reduce Output Operator');
    nest();
    const tagged = out.distinct ? out.distinct.arguments.map((args, t) => `(${[...out.keys.map((k) => k.text), String(t), ...args.map((a) => a.text)].join(', ')})`) : [];
    if (out.distinct) push(`key expressions: one key per distinct argument list: ${tagged.join(' | ')}; sort order: ascending`);
    else push(`key expressions: ${out.keys.map((k) => k.text).join(', ') || '(none)'}; sort order: ${'+'.repeat(out.keys.length)}`);
    push(`partition by: ${out.keys.length > 0 ? `hash(${out.keys.map((k) => k.text).join(', ')})` : 'single reducer'}`);
  } else if (out.kind === 'sort') {
    push('Select Operator');
    nest();
    push(`expressions: ${out.values.map((v) => v.text).join(', ')}`);
    push('Reduce Output Operator (single partition for total order)');
  } else {
    push('Select Operator');
    nest();
    push(`expressions: ${out.values.map((v) => v.text).join(', ')}`);
    push('File Output Operator (one file per map task)');
  }
  if (st.reduce) {
    l.push(`      Reduce Operator Tree (reducers: ${st.reducers === 'auto' ? 'auto, from input size' : st.reducers}):`);
    indent = '          ';
    const r = st.reduce;
    if (r.kind === 'aggregate') {
      push('Group By Operator (mode: mergepartial)');
      nest();
      push(`aggregations: ${r.aggregates.map((a) => `${a.text} (type: ${typeToString(a.type)})`).join(', ') || '(none)'}`);
      if (r.having) {
        push('Filter Operator (HAVING)');
        nest();
        push(`predicate: ${r.having.text}`);
      }
      push('Select Operator');
      nest();
      push(`expressions: ${r.project.map((p) => p.text).join(', ')}`);
    } else {
      push('Extract Operator (sorted)');
      nest();
      push(`order: ${r.keys.map((k) => k.text).join(', ') || '(none)'}`);
      if (r.limit !== undefined) {
        push('Limit');
        nest();
        push(`number of rows: ${r.limit}`);
      }
    }
    push('File Output Operator');
  }
  return l;
}
