/**
 * Fast whole-line matching for RegexSerDe, with exactly the groups a backtracking engine gives.
 *
 * Typical RegexSerDe patterns, like the AWS tutorial's
 * `^(?!#)([^ ]+)\s+([^ ]+)\s+ ... [^(]+[(]([^;]+).*\%20([^/]+)[/](.*)$`, make a backtracking
 * engine try a huge number of ways to split a line (`[^ ]+` also eats tabs), so V8 spends
 * ~190 µs on a 250-character line. Here the translated JavaScript pattern (the one
 * `JavaRegex.matchWhole` runs, so both agree by construction) is parsed into a small tree and,
 * when it is in the class below, compiled into a Thompson NFA over single characters, matched
 * in two linear passes:
 *
 * 1. right to left, a lazily built DFA computes for every position p the set D(p) of NFA
 *    character states that can consume line[p] and still reach the end of the line;
 * 2. left to right, the NFA is walked from the start, at each branch taking the first
 *    alternative, in the engine's priority order, that leads to a state of D(p).
 *
 * A backtracking engine explores alternatives depth-first in priority order and reports the
 * first path that succeeds, i.e. the first alternative whose subtree holds a success at every
 * branch; D tells exactly which subtrees do, because without backreferences, lookarounds in the
 * middle or repeated captures, whether the rest of a match can succeed depends only on the NFA
 * state and the position. So the walk follows that very path, and the groups are identical.
 *
 * Class handled ('compiled'): flags 'u', 's' and 'i' (every set and check is tested by a RegExp
 * with the pattern's flags, so case folding follows); single characters, escapes, classes and
 * `.` with any greedy or lazy quantifier (bounded counts are unrolled); sequences, alternations,
 * capturing and non-capturing groups; quantified groups only when they hold no capturing group
 * and cannot match the empty string (so JavaScript's capture resetting and empty-iteration
 * rules never come into play); zero-width assertions (`^`, `$`, `\b`, lookarounds without
 * capturing groups) only at the very start or end of the pattern, where they are checked once
 * at position 0 or at the end of the line, and only when checking them costs at most linear
 * time (bounded quantifiers only, or a single quantifier over one character). Anything else
 * (backreferences, assertions in the middle, quantified capturing groups, the 'm' flag, ...)
 * goes to the budgeted backtracking interpreter ('budgeted', backtrack-matcher.ts): the
 * RegExp's answers, or BUDGET_EXCEEDED once a line needs more than its step budget, so that no
 * line can hang a run.
 *
 * Characters are read as a 'u' RegExp reads them: a surrogate pair is one character, classified
 * by its code point, and a lone surrogate is one character of its own; positions between the two
 * halves of a pair are never match or group boundaries. So every line, whatever it holds, is
 * matched by the two passes: the compiled matcher never calls the RegExp.
 *
 * Each line costs O(length): DFA states are built on demand and cached across lines; a line
 * that would need too many of them gets its sets computed position by position instead.
 * Patterns in the class on which the RegExp cannot backtrack far (one-pass, see
 * LineMatcherOptions) keep the RegExp by default: V8's native code is linear and faster there.
 */
import { BUDGET_EXCEEDED, compileBudgetedMatcher, type BudgetedMatcher } from './backtrack-matcher.js';
import type { JavaRegex } from './java-regex.js';

export { BUDGET_EXCEEDED } from './backtrack-matcher.js';

export interface LineMatcher {
  /**
   * Groups 1..groupCount of Java's matches() (undefined for a group that did not participate),
   * null when the line does not match, or BUDGET_EXCEEDED ('budgeted' strategy only) when
   * deciding would take more than the step budget.
   */
  match(line: string): readonly (string | undefined)[] | null | typeof BUDGET_EXCEEDED;
  /**
   * 'compiled' (the linear exact matcher), 'regexp' (V8's RegExp, only for one-pass patterns,
   * where it cannot backtrack far) or 'budgeted' (backtracking with a step budget).
   */
  readonly strategy: 'compiled' | 'regexp' | 'budgeted';
}

export interface LineMatcherOptions {
  /**
   * 'auto' (the default) keeps the RegExp for patterns on which a backtracking engine provably
   * never backtracks more than one character (one-pass: at every branch the next character
   * tells the alternatives apart), where V8's native code is linear and faster than the
   * compiled matcher; 'compiled' uses the compiled matcher for every pattern of its class.
   */
  readonly prefer?: 'auto' | 'compiled';
}

/**
 * Matchers are shared per compiled regex (JavaRegex objects are cached too), so that every scan
 * of a table reuses the DFA states already built; `match` is synchronous, so sharing is safe.
 */
const autoMatchers = new WeakMap<JavaRegex, LineMatcher>();
const compiledMatchers = new WeakMap<JavaRegex, LineMatcher>();

export function compileLineMatcher(regex: JavaRegex, options?: LineMatcherOptions): LineMatcher {
  const preferCompiled = options?.prefer === 'compiled';
  const cache = preferCompiled ? compiledMatchers : autoMatchers;
  let matcher = cache.get(regex);
  if (matcher === undefined) {
    const program = analyse(regex);
    if (program === null) {
      matcher = new BudgetedLineMatcher(compileBudgetedMatcher(regex));
    } else {
      const compiled = new CompiledLineMatcher(program);
      matcher = !preferCompiled && program.trailingBounded && compiled.isOnePass() ? new RegExpLineMatcher(regex) : compiled;
    }
    cache.set(regex, matcher);
  }
  return matcher;
}

// ---------------------------------------------------------------------------------------------
// Outside the class

class RegExpLineMatcher implements LineMatcher {
  readonly strategy = 'regexp';

  constructor(private readonly regex: JavaRegex) {}

  match(line: string): readonly (string | undefined)[] | null {
    return groupsOf(this.regex.matchWhole(line));
  }
}

class BudgetedLineMatcher implements LineMatcher {
  readonly strategy = 'budgeted';

  constructor(private readonly budgeted: BudgetedMatcher) {}

  match(line: string): readonly (string | undefined)[] | null | typeof BUDGET_EXCEEDED {
    return this.budgeted.match(line);
  }
}

function groupsOf(m: RegExpExecArray | null): (string | undefined)[] | null {
  return m === null ? null : m.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Parsing the translated (JavaScript, 'u' mode) source into a tree

type Node =
  /** One character: `src` is a literal, an escape, a class or `.`, tested with a RegExp. */
  | { readonly k: 'set'; readonly src: string }
  | { readonly k: 'seq'; readonly items: readonly Node[] }
  | { readonly k: 'alt'; readonly alts: readonly Node[] }
  /** `capture` is the JavaScript group number, 0 for a non-capturing group. */
  | { readonly k: 'group'; readonly capture: number; readonly body: Node }
  | { readonly k: 'quant'; readonly body: Node; readonly min: number; readonly max: number; readonly lazy: boolean }
  /** Zero-width: `^`, `$`, `\b`, `\B` (body null) or a lookaround. */
  | { readonly k: 'assert'; readonly src: string; readonly body: Node | null };

/** Thrown for syntax outside the class (or not expected from the translator). */
class Unsupported extends Error {}

const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';
const isHex = (c: string) => /^[0-9A-Fa-f]$/.test(c);
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

class SourceParser {
  private i = 0;
  groups = 0;

  constructor(private readonly s: string) {}

  parse(): Node {
    const n = this.disjunction();
    if (this.i !== this.s.length) throw new Unsupported('unbalanced )');
    return n;
  }

  private disjunction(): Node {
    const alts = [this.alternative()];
    while (this.s[this.i] === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    return alts.length === 1 ? alts[0] : { k: 'alt', alts };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') items.push(this.term());
    return items.length === 1 ? items[0] : { k: 'seq', items };
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) throw new Unsupported(`expected ${c}`);
    this.i++;
  }

  private term(): Node {
    const s = this.s;
    const start = this.i;
    const c = s[start];
    if (c === '^' || c === '$') {
      this.i++;
      return { k: 'assert', src: c, body: null };
    }
    if (c === '\\' && (s[start + 1] === 'b' || s[start + 1] === 'B')) {
      this.i += 2;
      return { k: 'assert', src: s.slice(start, this.i), body: null };
    }
    let atom: Node;
    if (c === '(') {
      const look = s.startsWith('(?=', start) || s.startsWith('(?!', start) ? 3 : s.startsWith('(?<=', start) || s.startsWith('(?<!', start) ? 4 : 0;
      if (look > 0) {
        this.i += look;
        const body = this.disjunction();
        this.expect(')');
        // In 'u' mode a lookaround cannot be quantified, so none follows.
        return { k: 'assert', src: s.slice(start, this.i), body };
      }
      let capture = 0;
      if (s.startsWith('(?:', start)) {
        this.i += 3;
      } else if (s.startsWith('(?<', start)) {
        const close = s.indexOf('>', start);
        if (close < 0) throw new Unsupported('group name');
        this.i = close + 1;
        capture = ++this.groups;
      } else if (s[start + 1] === '?') {
        throw new Unsupported('group modifiers');
      } else {
        this.i++;
        capture = ++this.groups;
      }
      const body = this.disjunction();
      this.expect(')');
      atom = { k: 'group', capture, body };
    } else {
      atom = { k: 'set', src: this.charAtom() };
    }
    return this.quantified(atom);
  }

  /** Source text of one character atom. */
  private charAtom(): string {
    const s = this.s;
    const start = this.i;
    const c = s[start];
    if (c === '[') {
      // 'u' mode (not 'v'): no nesting, the first unescaped ']' closes, even right after '['.
      let j = start + 1;
      if (s[j] === '^') j++;
      while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) throw new Unsupported('unterminated class');
      this.i = j + 1;
      return s.slice(start, this.i);
    }
    if (c === '.') {
      this.i++;
      return c;
    }
    if (c === '\\') {
      const d = s[start + 1] ?? '';
      let end = start + 2;
      if ('dDsSwWtnvfr0'.includes(d) || SYNTAX_CHARS.includes(d)) {
        if (d === '0' && /[0-9]/.test(s[end] ?? '')) throw new Unsupported('octal escape');
      } else if (d === 'p' || d === 'P') {
        const close = s.indexOf('}', end);
        if (s[end] !== '{' || close < 0) throw new Unsupported('property escape');
        end = close + 1;
      } else if (d === 'u') {
        if (s[end] === '{') {
          const close = s.indexOf('}', end);
          if (close < 0) throw new Unsupported('code point escape');
          end = close + 1;
        } else {
          const hex = s.slice(end, end + 4);
          if (hex.length !== 4 || ![...hex].every(isHex)) throw new Unsupported('unicode escape');
          end += 4;
          // A surrogate pair written as two escapes is one character in 'u' mode.
          const next = s.slice(end, end + 6);
          if (isHighSurrogate(parseInt(hex, 16)) && /^\\u[0-9A-Fa-f]{4}$/.test(next) && isLowSurrogate(parseInt(next.slice(2), 16))) end += 6;
        }
      } else if (d === 'x') {
        if (!isHex(s[end] ?? '') || !isHex(s[end + 1] ?? '')) throw new Unsupported('hex escape');
        end += 2;
      } else if (d === 'c') {
        if (!/[A-Za-z]/.test(s[end] ?? '')) throw new Unsupported('control escape');
        end += 1;
      } else {
        // Backreferences (\1, \k<name>) and anything unexpected.
        throw new Unsupported(`escape \\${d}`);
      }
      this.i = end;
      return s.slice(start, end);
    }
    if ('*+?{}]'.includes(c)) throw new Unsupported(`misplaced ${c}`);
    this.i += isHighSurrogate(s.charCodeAt(start)) && isLowSurrogate(s.charCodeAt(start + 1)) ? 2 : 1;
    return s.slice(start, this.i);
  }

  private quantified(atom: Node): Node {
    const s = this.s;
    let min: number;
    let max: number;
    switch (s[this.i]) {
      case '*': min = 0; max = Infinity; this.i++; break;
      case '+': min = 1; max = Infinity; this.i++; break;
      case '?': min = 0; max = 1; this.i++; break;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
        if (m === null) throw new Unsupported('bad quantifier');
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        this.i += m[0].length;
        break;
      }
      default:
        return atom;
    }
    let lazy = false;
    if (s[this.i] === '?') {
      lazy = true;
      this.i++;
    }
    return { k: 'quant', body: atom, min, max, lazy };
  }
}

// ---------------------------------------------------------------------------------------------
// Class check and compilation to a Thompson NFA

const OP_CHAR = 0;
const OP_SPLIT = 1;
const OP_SAVE = 2;
const OP_MATCH = 3;

/** Character states beyond this (large unrolled counts) are left to the RegExp. */
const MAX_CHAR_STATES = 1024;

/** A zero-width check at the start or the end of the pattern. */
type Check = { readonly k: 'begin' } | { readonly k: 'end' } | { readonly k: 'look'; readonly re: RegExp };

interface Program {
  readonly flags: string;
  readonly groupCount: number;
  readonly op: readonly number[];
  /** CHAR: set index; SPLIT: preferred branch; SAVE: slot. */
  readonly a: readonly number[];
  /** CHAR, SAVE: next; SPLIT: other branch. */
  readonly b: readonly number[];
  readonly start: number;
  readonly setSources: readonly string[];
  readonly leading: readonly Check[];
  readonly trailing: readonly Check[];
  /**
   * The trailing checks look at a bounded stretch of the line. A backtracking engine may test
   * them at every position where the rest of the pattern could end, so only then is a one-pass
   * pattern linear in the RegExp.
   */
  readonly trailingBounded: boolean;
}

function hasCapture(n: Node): boolean {
  switch (n.k) {
    case 'set': return false;
    case 'seq': return n.items.some(hasCapture);
    case 'alt': return n.alts.some(hasCapture);
    case 'group': return n.capture > 0 || hasCapture(n.body);
    case 'quant': return hasCapture(n.body);
    case 'assert': return n.body !== null && hasCapture(n.body);
  }
}

function nullable(n: Node): boolean {
  switch (n.k) {
    case 'set': return false;
    case 'seq': return n.items.every(nullable);
    case 'alt': return n.alts.some(nullable);
    case 'group': return nullable(n.body);
    case 'quant': return n.min === 0 || nullable(n.body);
    case 'assert': return true;
  }
}

/** Whether the two passes are exact for `n` (see the header). */
function inClass(n: Node): boolean {
  switch (n.k) {
    case 'set': return true;
    case 'seq': return n.items.every(inClass);
    case 'alt': return n.alts.every(inClass);
    case 'group': return inClass(n.body);
    case 'quant': return n.body.k === 'set' || (!hasCapture(n.body) && !nullable(n.body) && inClass(n.body));
    case 'assert': return false;
  }
}

function quantifierCount(n: Node): number {
  switch (n.k) {
    case 'set': return 0;
    case 'seq': return n.items.reduce((sum, item) => sum + quantifierCount(item), 0);
    case 'alt': return n.alts.reduce((sum, alt) => sum + quantifierCount(alt), 0);
    case 'group': return quantifierCount(n.body);
    case 'quant': return 1 + quantifierCount(n.body);
    case 'assert': return n.body === null ? 0 : quantifierCount(n.body);
  }
}

/**
 * A check the RegExp tests in time linear in the line (times a constant of the pattern): one
 * with bounded quantifiers only (its work does not grow with the line), or with a single
 * quantifier, over one character.
 */
function cheapCheck(n: Node): boolean {
  if (n.k !== 'assert' || n.body === null || !unbounded(n.body)) return true;
  if (quantifierCount(n.body) > 1) return false;
  const findQuant = (m: Node): Extract<Node, { k: 'quant' }> | undefined => {
    switch (m.k) {
      case 'quant': return m;
      case 'seq': return m.items.map(findQuant).find((q) => q !== undefined);
      case 'alt': return m.alts.map(findQuant).find((q) => q !== undefined);
      case 'group': return findQuant(m.body);
      default: return undefined;
    }
  };
  return findQuant(n.body)?.body.k === 'set';
}

function unbounded(n: Node): boolean {
  switch (n.k) {
    case 'set': return false;
    case 'seq': return n.items.some(unbounded);
    case 'alt': return n.alts.some(unbounded);
    case 'group': return unbounded(n.body);
    case 'quant': return n.max === Infinity || unbounded(n.body);
    case 'assert': return n.body !== null && unbounded(n.body);
  }
}

function toCheck(n: Extract<Node, { k: 'assert' }>, flags: string): Check {
  if (n.src === '^') return { k: 'begin' };
  if (n.src === '$') return { k: 'end' };
  // Sticky, so that it is tested exactly at the given position.
  return { k: 'look', re: new RegExp(n.src, flags + 'y') };
}

function analyse(regex: JavaRegex): Program | null {
  // 'm' makes ^ and $ line anchors, which the checks at the ends do not model. ('i' comes from
  // compileJavaRegex only with a backreference, outside the class, yet is exact here too.)
  if (!/^[uis]*$/.test(regex.flags) || !regex.flags.includes('u')) return null;
  let tree: Node;
  const parser = new SourceParser(regex.source);
  try {
    tree = parser.parse();
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  // Hidden groups (possessive quantifiers, atomic groups) renumber Java's groups.
  if (parser.groups !== regex.groupCount) return null;
  const items = tree.k === 'seq' ? tree.items : [tree];
  let first = 0;
  while (first < items.length && items[first].k === 'assert') first++;
  let last = items.length;
  while (last > first && items[last - 1].k === 'assert') last--;
  const middle = items.slice(first, last);
  if (!middle.every(inClass)) return null;
  const checks = [...items.slice(0, first), ...items.slice(last)];
  // Groups inside lookarounds would be reported by the RegExp; a check that could backtrack far needs the budget.
  if (checks.some(hasCapture) || !checks.every(cheapCheck)) return null;
  const asChecks = (nodes: readonly Node[]) => nodes.map((n) => toCheck(n as Extract<Node, { k: 'assert' }>, regex.flags));

  const op: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const setSources: string[] = [];
  const setIndex = new Map<string, number>();
  let charStates = 0;
  const emit = (o: number, x: number, y: number): number => {
    op.push(o);
    a.push(x);
    b.push(y);
    return op.length - 1;
  };
  const tooBig = new Unsupported('too many states');
  // Compiled back to front: each piece is given the instruction that follows it.
  const compile = (n: Node, next: number): number => {
    switch (n.k) {
      case 'set': {
        if (++charStates > MAX_CHAR_STATES) throw tooBig;
        let si = setIndex.get(n.src);
        if (si === undefined) {
          si = setSources.length;
          setSources.push(n.src);
          setIndex.set(n.src, si);
        }
        return emit(OP_CHAR, si, next);
      }
      case 'seq': {
        let pc = next;
        for (let i = n.items.length - 1; i >= 0; i--) pc = compile(n.items[i], pc);
        return pc;
      }
      case 'alt': {
        let pc = compile(n.alts[n.alts.length - 1], next);
        for (let i = n.alts.length - 2; i >= 0; i--) {
          const branch = compile(n.alts[i], next);
          pc = emit(OP_SPLIT, branch, pc);
        }
        return pc;
      }
      case 'group': {
        if (n.capture === 0) return compile(n.body, next);
        const close = emit(OP_SAVE, 2 * n.capture + 1, next);
        return emit(OP_SAVE, 2 * n.capture, compile(n.body, close));
      }
      case 'quant':
        return compileQuant(n, next);
      case 'assert':
        throw new Unsupported('assertion in the middle');
    }
  };
  const loop = (body: Node, lazy: boolean, exit: number): { split: number; entry: number } => {
    const split = emit(OP_SPLIT, -1, -1);
    const entry = compile(body, split);
    a[split] = lazy ? exit : entry;
    b[split] = lazy ? entry : exit;
    return { split, entry };
  };
  const compileQuant = (n: Extract<Node, { k: 'quant' }>, next: number): number => {
    const { body, min, max, lazy } = n;
    if (max < min) throw new Unsupported('bad range');
    let pc: number;
    let mandatory = min;
    if (max === Infinity) {
      if (min >= 1) {
        // X{n,} is X{n-1} then a loop entered through its body, sharing one copy (X+).
        pc = loop(body, lazy, next).entry;
        mandatory = min - 1;
      } else {
        pc = loop(body, lazy, next).split;
      }
    } else {
      // X{n,m}: the optional iterations nest, each exiting to `next`, as JavaScript's counter does.
      pc = next;
      for (let i = 0; i < max - min; i++) {
        if (charStates > MAX_CHAR_STATES) throw tooBig;
        const split = emit(OP_SPLIT, -1, -1);
        const entry = compile(body, pc);
        a[split] = lazy ? next : entry;
        b[split] = lazy ? entry : next;
        pc = split;
      }
    }
    for (let i = 0; i < mandatory; i++) {
      if (charStates > MAX_CHAR_STATES) throw tooBig;
      pc = compile(body, pc);
    }
    return pc;
  };
  let start: number;
  try {
    const match = emit(OP_MATCH, -1, -1);
    start = compile({ k: 'seq', items: middle }, match);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  return {
    flags: regex.flags,
    groupCount: regex.groupCount,
    op,
    a,
    b,
    start,
    setSources,
    leading: asChecks(items.slice(0, first)),
    trailing: asChecks(items.slice(last)),
    trailingBounded: !items.slice(last).some(unbounded),
  };
}

// ---------------------------------------------------------------------------------------------
// The compiled matcher

/**
 * DFA states are addressed by the offset of their row in one table: `stride` transitions (one
 * per character class, -1 when not computed yet) followed by the state's set of character
 * states (`words` words). Offsets rather than numbers keep a multiplication off the backward
 * pass's chain of dependent loads. The state with the empty set is at offset 0 (DEAD: the line
 * cannot match), so that one test (`t <= 0`) covers both a missing transition and a dead end.
 */
const DEAD = 0;
/** Above this many DFA states the cache is emptied before the next line. */
const SOFT_STATE_LIMIT = 4096;
/** Above this many within one line, the line's sets are computed without the DFA cache. */
const HARD_STATE_LIMIT = 65536;
/** Astral code points whose class is remembered; beyond this the cache starts afresh. */
const ASTRAL_CACHE_LIMIT = 65536;

/** Outcomes of the backward pass. */
const DONE = 0;
/** Done, and the line holds a surrogate pair: the forward walk must step over pairs. */
const DONE_WITH_PAIRS = 1;
const NO_MATCH = 2;
const RESTART = 3;
const WITHOUT_DFA = 4;

class CompiledLineMatcher implements LineMatcher {
  readonly strategy = 'compiled';

  /** Number of character states (NFA CHAR instructions) and 32-bit words for a set of them. */
  private readonly m: number;
  private readonly words: number;
  private readonly setOfState: Int32Array;
  /**
   * Entries: 0..m-1 continue after character state q, m is the start. Each entry lists the
   * targets reachable without consuming (a character state, or -1 for MATCH) in the engine's
   * priority order, each with the group slots set on the way.
   */
  private readonly entryStart: Int32Array;
  private readonly targetState: Int32Array;
  private readonly targetSaves: Int32Array;
  private readonly saves: Int32Array;
  /** Per character state q, the character states of entry q (one row of `words`) and whether MATCH is among them. */
  private readonly follow: Int32Array;
  private readonly reachesMatch: Uint8Array;
  /** Per character state q, whether entry q first tries q again with no group boundary (a greedy loop). */
  private readonly selfLoopFirst: Uint8Array;

  private readonly setTests: readonly RegExp[];
  private readonly asciiClass = new Int32Array(128);
  private otherClass: Int32Array | null = null;
  private readonly astralClass = new Map<number, number>();
  private readonly classIds = new Map<string, number>();
  /** Per character class, the character states whose set holds its characters. */
  private readonly membersOf: Int32Array[] = [];

  private stride = 8;
  private rowSize = 0;
  private table = new Int32Array(0);
  private nStates = 0;
  /** Offset of the state of position line.length (nothing left to consume). */
  private end = 0;
  /** Bumped when offsets change meaning (the cache is emptied). */
  private version = 0;
  private readonly stateIds = new Map<string, number>();
  private readonly scratch: Int32Array;

  /** Per position of the current line, the offset of its DFA state. */
  private stateAt = new Int32Array(256);
  /** For lines with surrogate pairs: per character, its code unit offset and its DFA state. */
  private offsetOfChar = new Int32Array(0);
  private stateOfChar = new Int32Array(0);
  private readonly slots: Int32Array;

  constructor(private readonly program: Program) {
    const { op, a, b } = program;
    const stateOfPc = new Int32Array(op.length).fill(-1);
    let m = 0;
    for (let pc = 0; pc < op.length; pc++) if (op[pc] === OP_CHAR) stateOfPc[pc] = m++;
    this.m = m;
    this.words = Math.max(1, (m + 31) >>> 5);
    this.scratch = new Int32Array(this.words);
    this.setOfState = new Int32Array(m);
    const pcOfState = new Int32Array(m);
    for (let pc = 0; pc < op.length; pc++) {
      if (op[pc] !== OP_CHAR) continue;
      this.setOfState[stateOfPc[pc]] = a[pc];
      pcOfState[stateOfPc[pc]] = pc;
    }

    // Targets of each entry, depth-first in priority order. A pc met again is skipped: the
    // engine would reach the same (pc, position) again, which failed the first time.
    const entryStart: number[] = [];
    const targetState: number[] = [];
    const targetSaves: number[] = [0];
    const saves: number[] = [];
    const follow = new Int32Array(m * this.words);
    const reachesMatch = new Uint8Array(m);
    const closure = (entryPc: number, q: number) => {
      entryStart.push(targetState.length);
      const seen = new Uint8Array(op.length);
      const path: number[] = [];
      const visit = (pc: number) => {
        if (seen[pc] === 1) return;
        seen[pc] = 1;
        switch (op[pc]) {
          case OP_CHAR:
          case OP_MATCH: {
            const target = op[pc] === OP_CHAR ? stateOfPc[pc] : -1;
            targetState.push(target);
            saves.push(...path);
            targetSaves.push(saves.length);
            if (q >= 0 && target >= 0) follow[q * this.words + (target >>> 5)] |= 1 << (target & 31);
            if (q >= 0 && target < 0) reachesMatch[q] = 1;
            return;
          }
          case OP_SAVE:
            path.push(a[pc]);
            visit(b[pc]);
            path.pop();
            return;
          case OP_SPLIT:
            visit(a[pc]);
            visit(b[pc]);
            return;
        }
      };
      visit(entryPc);
    };
    for (let q = 0; q < m; q++) closure(b[pcOfState[q]], q);
    closure(program.start, -1);
    entryStart.push(targetState.length);
    this.entryStart = Int32Array.from(entryStart);
    this.targetState = Int32Array.from(targetState);
    this.targetSaves = Int32Array.from(targetSaves);
    this.saves = Int32Array.from(saves);
    this.follow = follow;
    this.reachesMatch = reachesMatch;
    this.selfLoopFirst = new Uint8Array(m);
    for (let q = 0; q < m; q++) {
      const t = entryStart[q];
      if (t < entryStart[q + 1] && targetState[t] === q && targetSaves[t] === targetSaves[t + 1]) this.selfLoopFirst[q] = 1;
    }
    this.slots = new Int32Array(2 * (program.groupCount + 1));

    this.setTests = program.setSources.map((src) => new RegExp(`^(?:${src})$`, program.flags));
    for (let c = 0; c < 128; c++) this.asciiClass[c] = this.classify(c);
    this.resetDfa();
  }

  /** Whether the character states each entry can go on with have pairwise disjoint sets. */
  isOnePass(): boolean {
    const sources = this.program.setSources;
    const known = new Map<string, boolean>();
    for (let e = 0; e <= this.m; e++) {
      for (let t = this.entryStart[e]; t < this.entryStart[e + 1]; t++) {
        for (let u = t + 1; u < this.entryStart[e + 1]; u++) {
          const q = this.targetState[t];
          const r = this.targetState[u];
          if (q < 0 || r < 0) continue;
          const i = this.setOfState[q];
          const j = this.setOfState[r];
          if (i === j) return false;
          const key = i < j ? `${i},${j}` : `${j},${i}`;
          let overlap = known.get(key);
          if (overlap === undefined) {
            overlap = setsOverlap(sources[i], sources[j], this.program.flags);
            known.set(key, overlap);
          }
          if (overlap) return false;
        }
      }
    }
    return true;
  }

  match(line: string): readonly (string | undefined)[] | null {
    const n = line.length;
    const p = this.program;
    for (const check of p.leading) if (!passes(check, line, 0)) return null;
    for (const check of p.trailing) if (!passes(check, line, n)) return null;
    if (this.nStates > SOFT_STATE_LIMIT) this.resetDfa();
    if (this.stateAt.length <= n) this.stateAt = new Int32Array(Math.max(n + 1, this.stateAt.length * 2));
    for (;;) {
      switch (this.backward(line)) {
        case DONE:
          return this.walk(line, this.stateAt, this.table, this.stride, line.length, null);
        case DONE_WITH_PAIRS:
          return this.walkCharacters(line, this.stateAt, this.table, this.stride);
        case NO_MATCH:
          return null;
        case WITHOUT_DFA:
          return this.matchWithoutDfa(line);
        default:
          // RESTART: a new character class widened the table; the offsets computed so far are stale.
          continue;
      }
    }
  }

  /**
   * The backward pass: stateAt[pos] = the DFA state (offset) of D(pos), for every character
   * boundary pos (the second half of a surrogate pair is not one, and its entry is left stale).
   */
  private backward(line: string): number {
    const n = line.length;
    const stateAt = this.stateAt;
    const ascii = this.asciiClass;
    const version = this.version;
    let table = this.table;
    let s = this.end;
    let done = DONE;
    stateAt[n] = s;
    for (let pos = n - 1; pos >= 0; pos--) {
      const c = line.charCodeAt(pos);
      let k: number;
      if (c < 128) {
        k = ascii[c];
      } else {
        if (isLowSurrogate(c) && pos > 0 && isHighSurrogate(line.charCodeAt(pos - 1))) {
          // One character in 'u' mode, as a RegExp reads it left to right: a low surrogate
          // after a high one always completes it.
          pos--;
          k = this.classOfAstral(line.codePointAt(pos)!);
          done = DONE_WITH_PAIRS;
        } else {
          k = this.classOfOther(c);
        }
        if (this.version !== version) return RESTART;
        table = this.table;
      }
      let t = table[s + k];
      if (t <= DEAD) {
        if (t === DEAD) return NO_MATCH;
        t = this.step(s, k);
        table = this.table;
        if (t === DEAD) return NO_MATCH;
        if (this.nStates > HARD_STATE_LIMIT) {
          this.resetDfa();
          return WITHOUT_DFA;
        }
      }
      stateAt[pos] = t;
      s = t;
    }
    return done;
  }

  /**
   * The forward pass over the line's n characters. The set D(pos) is at
   * table[stateAt[pos] + bitsAt ...] (`words` words); at each entry the first target feasible at
   * pos is taken. Positions count code units, or characters when `offsets` maps them to code
   * units (lines with surrogate pairs), so that the hot loops never look at widths.
   */
  private walk(line: string, stateAt: Int32Array, table: Int32Array, bitsAt: number, n: number, offsets: Int32Array | null): (string | undefined)[] | null {
    const entryStart = this.entryStart;
    const targetState = this.targetState;
    const targetSaves = this.targetSaves;
    const saves = this.saves;
    const selfLoopFirst = this.selfLoopFirst;
    const slots = this.slots;
    slots.fill(-1);
    let entry = this.m;
    let pos = 0;
    for (;;) {
      if (entry < selfLoopFirst.length && selfLoopFirst[entry] === 1) {
        // The loop goes on for as long as it can still finish, touching no group boundary.
        const at = bitsAt + (entry >>> 5);
        const bit = 1 << (entry & 31);
        while ((table[stateAt[pos] + at] & bit) !== 0) pos++;
      }
      const base = stateAt[pos] + bitsAt;
      let chosen = -1;
      for (let t = entryStart[entry], end = entryStart[entry + 1]; t < end; t++) {
        const q = targetState[t];
        if (q < 0 ? pos === n : ((table[base + (q >>> 5)] >>> (q & 31)) & 1) !== 0) {
          chosen = t;
          break;
        }
      }
      // Only possible at the start: every later step was chosen because it can finish.
      if (chosen < 0) return null;
      for (let i = targetSaves[chosen], end = targetSaves[chosen + 1]; i < end; i++) slots[saves[i]] = pos;
      const q = targetState[chosen];
      if (q < 0) break;
      entry = q;
      pos++;
    }
    const groupCount = this.program.groupCount;
    const groups = new Array<string | undefined>(groupCount);
    for (let g = 1; g <= groupCount; g++) {
      const from = slots[2 * g];
      const to = slots[2 * g + 1];
      groups[g - 1] = from < 0 ? undefined : offsets === null ? line.slice(from, to) : line.slice(offsets[from], offsets[to]);
    }
    return groups;
  }

  /**
   * The forward pass for a line with surrogate pairs, whose stateAt (indexed by code unit) holds
   * the sets at character boundaries only: walks the line's characters, each pair one of them.
   */
  private walkCharacters(line: string, stateAt: Int32Array, table: Int32Array, bitsAt: number): (string | undefined)[] | null {
    const n = line.length;
    if (this.offsetOfChar.length <= n) {
      this.offsetOfChar = new Int32Array(Math.max(n + 1, this.offsetOfChar.length * 2));
      this.stateOfChar = new Int32Array(this.offsetOfChar.length);
    }
    const offsets = this.offsetOfChar;
    const stateOfChar = this.stateOfChar;
    let chars = 0;
    for (let pos = 0; pos < n; pos += widthAt(line, pos)) {
      offsets[chars] = pos;
      stateOfChar[chars++] = stateAt[pos];
    }
    offsets[chars] = n;
    stateOfChar[chars] = stateAt[n];
    return this.walk(line, stateOfChar, table, bitsAt, chars, offsets);
  }

  /** The backward pass without caching sets as DFA states: for lines producing too many of them. */
  private matchWithoutDfa(line: string): (string | undefined)[] | null {
    const n = line.length;
    const words = this.words;
    // Row pos (at pos * words) holds D(pos); row n stays empty.
    const rows = new Int32Array((n + 1) * words);
    const stateAt = new Int32Array(n + 1);
    for (let pos = 0; pos <= n; pos++) stateAt[pos] = pos * words;
    let pairs = false;
    for (let pos = n - 1; pos >= 0; pos--) {
      const c = line.charCodeAt(pos);
      const next = pos + 1;
      let k: number;
      if (c < 128) {
        k = this.asciiClass[c];
      } else if (isLowSurrogate(c) && pos > 0 && isHighSurrogate(line.charCodeAt(pos - 1))) {
        pos--;
        k = this.classOfAstral(line.codePointAt(pos)!);
        pairs = true;
      } else {
        k = this.classOfOther(c);
      }
      if (!this.fillRow(rows, next * words, next === n, k, rows, pos * words)) return null;
    }
    return pairs ? this.walkCharacters(line, stateAt, rows, 0) : this.walk(line, stateAt, rows, 0, n, null);
  }

  /**
   * D(pos) from D(pos + 1) (its set at `from` in `source`; `atEnd` when pos + 1 is the end of
   * the line) for a character of class k, written at `to` in `target`. Returns whether it is
   * non-empty.
   */
  private fillRow(source: Int32Array, from: number, atEnd: boolean, k: number, target: Int32Array, to: number): boolean {
    const words = this.words;
    const follow = this.follow;
    let any = false;
    for (let w = 0; w < words; w++) target[to + w] = 0;
    for (const q of this.membersOf[k]) {
      let ok = false;
      if (atEnd) {
        ok = this.reachesMatch[q] === 1;
      } else {
        const f = q * words;
        for (let w = 0; w < words && !ok; w++) ok = (follow[f + w] & source[from + w]) !== 0;
      }
      if (ok) {
        target[to + (q >>> 5)] |= 1 << (q & 31);
        any = true;
      }
    }
    return any;
  }

  /** A DFA transition, computed and cached. */
  private step(s: number, k: number): number {
    const scratch = this.scratch;
    const any = this.fillRow(this.table, s + this.stride, s === this.end, k, scratch, 0);
    let t = DEAD;
    if (any) {
      const key = scratch.join(',');
      const known = this.stateIds.get(key);
      if (known !== undefined) {
        t = known;
      } else {
        t = this.addState(scratch);
        this.stateIds.set(key, t);
      }
    }
    this.table[s + k] = t;
    return t;
  }

  private addState(bits: Int32Array): number {
    const offset = this.nStates++ * this.rowSize;
    if (offset + this.rowSize > this.table.length) {
      const table = new Int32Array(Math.max(16 * this.rowSize, this.table.length * 2)).fill(-1);
      table.set(this.table);
      this.table = table;
    }
    this.table.set(bits, offset + this.stride);
    return offset;
  }

  private resetDfa(): void {
    this.version++;
    this.rowSize = this.stride + this.words;
    this.nStates = 0;
    this.stateIds.clear();
    this.table = new Int32Array(0);
    const empty = new Int32Array(this.words);
    this.addState(empty); // DEAD, at offset 0
    this.end = this.addState(empty);
  }

  /** The class of a non-ASCII code unit that is a character on its own (a lone surrogate included). */
  private classOfOther(c: number): number {
    let table = this.otherClass;
    if (table === null) {
      table = new Int32Array(0x10000).fill(-1);
      this.otherClass = table;
    }
    let k = table[c];
    if (k < 0) {
      k = this.classify(c);
      table[c] = k;
    }
    return k;
  }

  /** The class of an astral character (a surrogate pair). */
  private classOfAstral(cp: number): number {
    let k = this.astralClass.get(cp);
    if (k === undefined) {
      if (this.astralClass.size >= ASTRAL_CACHE_LIMIT) this.astralClass.clear();
      k = this.classify(cp);
      this.astralClass.set(cp, k);
    }
    return k;
  }

  /**
   * The class of a character (a code point, or a lone surrogate's code unit): which sets hold
   * it, as the sets' RegExps ('u' mode, the program's flags) tell.
   */
  private classify(cp: number): number {
    const ch = String.fromCodePoint(cp);
    const sets: number[] = [];
    this.setTests.forEach((re, i) => {
      if (re.test(ch)) sets.push(i);
    });
    const key = sets.join(',');
    const known = this.classIds.get(key);
    if (known !== undefined) return known;
    const k = this.membersOf.length;
    const inSets = new Set(sets);
    const members: number[] = [];
    for (let q = 0; q < this.m; q++) if (inSets.has(this.setOfState[q])) members.push(q);
    this.membersOf.push(Int32Array.from(members));
    this.classIds.set(key, k);
    if (k >= this.stride) {
      // Rows get wider: start the cache afresh (rare: the table doubles each time).
      this.stride *= 2;
      if (this.rowSize > 0) this.resetDfa();
    }
    return k;
  }
}

/**
 * One character of each kind a set written without properties, astral or surrogate code points
 * can tell apart: every BMP character but the surrogates, an astral character and a lone
 * surrogate of each half. Built once, on demand.
 */
let probe: string | undefined;

/** Whether some character is in both sets (true when unsure). */
function setsOverlap(a: string, b: string, flags: string): boolean {
  const opaque = /\\[pP]|\\u\{[0-9A-Fa-f]{5,}\}|\\u[Dd][89A-Fa-f]|[\ud800-\udfff]/;
  if (opaque.test(a) || opaque.test(b)) return true;
  if (probe === undefined) {
    const chars: string[] = ['\udc00'];
    for (let c = 0; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) chars.push(String.fromCharCode(c));
    chars.push('\u{10000}', '\ud800');
    probe = chars.join('');
  }
  return new RegExp(`(?=${a})${b}`, flags).test(probe);
}

/** Code units taken by the character at pos: 2 for a surrogate pair, else 1. */
function widthAt(line: string, pos: number): number {
  return isHighSurrogate(line.charCodeAt(pos)) && isLowSurrogate(line.charCodeAt(pos + 1)) ? 2 : 1;
}

function passes(check: Check, line: string, pos: number): boolean {
  switch (check.k) {
    case 'begin':
      return pos === 0;
    case 'end':
      return pos === line.length;
    case 'look':
      check.re.lastIndex = pos;
      return check.re.test(line);
  }
}
