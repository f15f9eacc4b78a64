/**
 * Whole-line matching with a step budget: a backtracking interpreter of the translated
 * JavaScript pattern that gives exactly what `JavaRegex.matchWhole` gives, or gives up after a
 * fixed number of steps instead of running for hours on one line.
 *
 * V8's RegExp cannot be interrupted and its linear engine refuses the 'u' flag, so a pattern
 * that can backtrack exponentially would otherwise hang a run on one bad line. Here the source
 * (`^(?:source)$` with the flags minus 'm', as matchWhole builds it) is compiled into a small
 * bytecode following ECMAScript's matcher semantics, and run with an explicit backtrack stack
 * (no JS recursion, so a 100 KB line is fine):
 * - characters are code points; each atom is tested one character at a time with a cached
 *   RegExp built from its source and the flags, so sets, `.`, escapes, property escapes and
 *   case-insensitivity are the engine's own;
 * - quantifiers follow RepeatMatcher: captures of the body reset at each iteration, and an
 *   iteration beyond the minimum that matches nothing fails;
 * - lookarounds are atomic (their choice points are dropped on success; a positive one keeps
 *   its captures); lookbehinds run right to left, captures and backreferences included;
 * - backreferences to unset groups match empty; under 'i' they compare case-folded code points.
 *
 * All state a choice point must restore (captures, loop counters, loop start positions) is
 * written through an undo log on the same stack, so backtracking restores it exactly.
 *
 * Without backreferences, a failure memo (RE2's BitState idea) prunes repeated work: at a point
 * outside lookarounds and outside loops whose count matters, whether the rest of the pattern
 * can match depends only on (instruction, position), and control flow there cannot come back to
 * the same point at the same position on one path; so once such a state has been left without a
 * match, reaching it again can only fail, and skipping it changes neither the search order nor
 * the groups found. It makes the EMR tutorial's pattern linear per star instead of exponential.
 * Two per-line caches, pure functions of the line, cut the rest of its work: where an unbounded
 * run of a set ends (its eleven `[^ ]+` share one scan), and, for a long give-back, the previous
 * position where the character that must follow matches (so it jumps from tab to tab).
 *
 * A step is one unit of work of bounded cost (the pattern fixed): one instruction executed, one
 * backtrack entry popped or scanned, one character consumed by a quantified character, compared
 * by a backreference, skipped by a give-back or indexed by the give-back cache, one group reset.
 * Character tests cost the same for every code point (bitmaps per 256 code points, filled once
 * per set by one RegExp scan), so a budget of steps is a budget of time.
 */
import type { JavaRegex } from './java-regex.js';
import { parseRegexSource, UnsupportedSyntax, type RegexTree } from './regex-source-tree.js';

export const BUDGET_EXCEEDED: unique symbol = Symbol('REGEX_BUDGET_EXCEEDED');

export interface BudgetedMatcher {
  /** Groups 1..groupCount (Java numbering), null for no match, BUDGET_EXCEEDED when the line needs more steps than the budget. */
  match(line: string): readonly (string | undefined)[] | null | typeof BUDGET_EXCEEDED;
  /** Steps the last call of `match` took: the budget plus one when it gave up. */
  readonly lastSteps: number;
}

/**
 * Chosen from measurements (node 20, best of 7 runs on a shared 2-core machine under a load
 * average of ~6): work that exhausts the budget costs 3-15 ns per step, so 3,000,000 steps are
 * at most ~45 ms; the dearest steps are loops of lookarounds, captures or backreferences
 * (`(?:(?=(a+))a|a)+y`, `((a)\2|a)+y`: ~15 ns), the cheapest the tutorial's pattern giving
 * back over tabs (~3 ns). Legitimate lines stay far below it: the EMR tutorial's pattern takes
 * ~2,800 steps on a 250-character CloudFront line and ~41,000 on one of 10 KB (1.2 ms), the
 * Apache combined pattern ~10,000 on a 10 KB line.
 */
export const DEFAULT_STEP_BUDGET = 3_000_000;

/**
 * Compiles a matcher for `regex`. Throws UnsupportedSyntax, naming the construct, for what it
 * does not model: flags other than u, i, s, m (or no 'u'), and source syntax outside 'u' mode
 * (e.g. the 'v' flag's nested classes, `(?i:...)` modifiers): none of which the translator writes.
 */
export function compileBudgetedMatcher(regex: JavaRegex, stepBudget: number = DEFAULT_STEP_BUDGET): BudgetedMatcher {
  if (!regex.flags.includes('u')) throw new UnsupportedSyntax(`flags '${regex.flags}' without 'u' (code units are not modelled)`);
  for (const f of regex.flags) if (!'uism'.includes(f)) throw new UnsupportedSyntax(`flag '${f}'`);
  // What matchWhole runs: anchored at both ends, without 'm'.
  const flags = regex.flags.replace('m', '');
  const parsed = parseRegexSource(`^(?:${regex.source})$`);
  const program = new Compiler(flags, parsed.groupCount).compile(parsed.tree);
  return new Interpreter(regex, program, stepBudget);
}

export { UnsupportedSyntax };

// ---------------------------------------------------------------------------------------------
// Bytecode

const enum Op {
  /** a: set, b: direction (1 or -1). */
  Char,
  /** A quantified single character. a: set, b: direction, c: min, d: max, e: lazy (1/0). */
  Star,
  /** Try pc+1, then a. */
  Split,
  /** Go to a. */
  Jump,
  /** regs[a] = pos. */
  Save,
  /** Captures of groups a..b become unset. */
  ResetGroups,
  /** regs[a] = 0. */
  LoopInit,
  /** Loop head. a: counter register, b: min, c: max, d: lazy, e: exit pc; the body is at pc+1. */
  Loop,
  /** regs[a]++. */
  Increment,
  /** Fails an iteration beyond the minimum that matched nothing. a: start register, b: counter register, c: min. */
  CheckProgress,
  /** a: AssertKind. */
  Assert,
  /** a: look index, b: negative (1/0), c: pc after the lookaround; the body is at pc+1. */
  Look,
  /** End of a lookaround's body. a: look index. */
  LookEnd,
  /** a: group, b: direction. */
  Backref,
  /** a: memo index. */
  Memo,
  Match,
}

const enum AssertKind {
  Begin,
  End,
  WordBoundary,
  NotWordBoundary,
}

interface Program {
  readonly op: readonly Op[];
  readonly a: readonly number[];
  readonly b: readonly number[];
  readonly c: readonly number[];
  readonly d: readonly number[];
  readonly e: readonly number[];
  readonly sets: readonly CharSet[];
  /** For a Star: the set the next consumed character must be in, if known, else -1. */
  readonly follow: readonly number[];
  /** For a Star: the memo index of the Memo right after it, else -1. */
  readonly followMemo: readonly number[];
  readonly wordChars: CharSet;
  readonly groupCount: number;
  readonly registerCount: number;
  readonly lookCount: number;
  readonly memoCount: number;
  readonly ignoreCase: boolean;
  readonly multiline: boolean;
}

/**
 * One character atom, tested with the engine's own RegExp. Answers are kept as bitmaps of 256
 * code points, each filled by one scan of the block with a global RegExp the first time a code
 * point of the block is asked for; so a test costs the same whatever the line holds, and a set
 * costs at most 1,114,112 bits.
 */
class CharSet {
  private scanner: RegExp | null = null;
  private single: RegExp | null = null;
  private readonly blocks: (Uint8Array | undefined)[] = [];

  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {}

  has(cp: number): boolean {
    const block = this.blocks[cp >>> 8] ?? this.fill(cp >>> 8);
    return (block[(cp & 255) >>> 3] & (1 << (cp & 7))) !== 0;
  }

  private fill(index: number): Uint8Array {
    try {
      return this.scan(index);
    } catch (e) {
      throw new UnsupportedSyntax(`character atom ${this.src}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private scan(index: number): Uint8Array {
    const bits = new Uint8Array(32);
    const first = index << 8;
    if (first >= 0xd800 && first <= 0xdfff) {
      // Lone surrogates would pair up in one string: test them one by one.
      this.single ??= new RegExp(`^(?:${this.src})$`, this.flags);
      for (let i = 0; i < 256; i++) if (this.single.test(String.fromCharCode(first + i))) bits[i >>> 3] |= 1 << (i & 7);
    } else {
      this.scanner ??= new RegExp(`(?:${this.src})`, `${this.flags}g`);
      let text = '';
      for (let i = 0; i < 256; i++) text += String.fromCodePoint(first + i);
      const width = first >= 0x10000 ? 2 : 1;
      this.scanner.lastIndex = 0;
      for (let m = this.scanner.exec(text); m !== null; m = this.scanner.exec(text)) {
        const i = m.index / width;
        bits[i >>> 3] |= 1 << (i & 7);
      }
    }
    this.blocks[index] = bits;
    return bits;
  }
}

/** Whether two code points are equal after the engine's case folding ('iu'): one RegExp per code point looked for. */
const foldMatchers = new Map<number, RegExp>();
function foldedEqual(x: number, y: number): boolean {
  if (x === y) return true;
  let re = foldMatchers.get(x);
  if (re === undefined) {
    re = new RegExp(`^\\u{${x.toString(16)}}$`, 'iu');
    if (foldMatchers.size >= 4096) foldMatchers.clear();
    foldMatchers.set(x, re);
  }
  return re.test(String.fromCodePoint(y));
}

// ---------------------------------------------------------------------------------------------
// Compiler: tree -> bytecode

/** Where a node is compiled: decides whether a memo point there is exact. */
interface Context {
  readonly direction: 1 | -1;
  /** Outside lookarounds and outside loops whose iteration count or start position matters. */
  readonly memoSafe: boolean;
}

class Compiler {
  private readonly op: Op[] = [];
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  private readonly c: number[] = [];
  private readonly d: number[] = [];
  private readonly e: number[] = [];
  private readonly sets: CharSet[] = [];
  private readonly setIndex = new Map<string, number>();
  private registerCount: number;
  private lookCount = 0;
  private memoCount = 0;
  private hasBackref = false;

  constructor(
    private readonly flags: string,
    private readonly groupCount: number,
  ) {
    // Registers 0..2n+1 are the captures' start and end; loop registers follow.
    this.registerCount = 2 * (groupCount + 1);
  }

  compile(tree: RegexTree): Program {
    this.hasBackref = containsBackref(tree);
    this.node(tree, { direction: 1, memoSafe: !this.hasBackref });
    this.emit(Op.Match);
    const follow: number[] = [];
    const followMemo: number[] = [];
    for (let pc = 0; pc < this.op.length; pc++) {
      follow.push(-1);
      followMemo.push(-1);
      if (this.op[pc] !== Op.Star) continue;
      let q = pc + 1;
      if (this.op[q] === Op.Memo) followMemo[pc] = this.a[q++];
      // A capture's end cannot fail; what comes after it decides.
      while (this.op[q] === Op.Save && this.a[q] < 2 * (this.groupCount + 1)) q++;
      const consumes = this.op[q] === Op.Char || (this.op[q] === Op.Star && this.c[q] >= 1);
      if (consumes && this.b[q] === this.b[pc]) follow[pc] = this.a[q];
    }
    return {
      op: this.op, a: this.a, b: this.b, c: this.c, d: this.d, e: this.e,
      sets: this.sets, follow, followMemo,
      wordChars: new CharSet('\\w', this.flags),
      groupCount: this.groupCount,
      registerCount: this.registerCount,
      lookCount: this.lookCount,
      memoCount: this.memoCount,
      ignoreCase: this.flags.includes('i'),
      multiline: this.flags.includes('m'),
    };
  }

  private emit(op: Op, a = 0, b = 0, c = 0, d = 0, e = 0): number {
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    this.c.push(c);
    this.d.push(d);
    this.e.push(e);
    return this.op.length - 1;
  }

  private set(src: string): number {
    let i = this.setIndex.get(src);
    if (i === undefined) {
      i = this.sets.length;
      const set = new CharSet(src, this.flags);
      // Fails now, not in the middle of a line, if the atom is not valid on its own.
      set.has(0);
      this.sets.push(set);
      this.setIndex.set(src, i);
    }
    return i;
  }

  private node(n: RegexTree, cx: Context): void {
    switch (n.k) {
      case 'set':
        this.emit(Op.Char, this.set(n.src), cx.direction);
        return;
      case 'seq': {
        const items = cx.direction === 1 ? n.items : [...n.items].reverse();
        for (const item of items) this.node(item, cx);
        return;
      }
      case 'alt': {
        const jumps: number[] = [];
        for (let i = 0; i < n.alts.length; i++) {
          const split = i < n.alts.length - 1 ? this.emit(Op.Split) : -1;
          this.node(n.alts[i], cx);
          if (split >= 0) {
            jumps.push(this.emit(Op.Jump));
            this.a[split] = this.op.length;
          }
        }
        for (const j of jumps) this.a[j] = this.op.length;
        return;
      }
      case 'group': {
        if (n.capture === 0) {
          this.node(n.body, cx);
          return;
        }
        // Right to left, a group's end is reached first.
        const [first, last] = cx.direction === 1 ? [2 * n.capture, 2 * n.capture + 1] : [2 * n.capture + 1, 2 * n.capture];
        this.emit(Op.Save, first);
        this.node(n.body, cx);
        this.emit(Op.Save, last);
        return;
      }
      case 'assert': {
        const kind = { begin: AssertKind.Begin, end: AssertKind.End, wordBoundary: AssertKind.WordBoundary, notWordBoundary: AssertKind.NotWordBoundary }[n.kind];
        this.emit(Op.Assert, kind);
        return;
      }
      case 'look': {
        const look = this.lookCount++;
        const at = this.emit(Op.Look, look, n.negative ? 1 : 0);
        this.node(n.body, { direction: n.behind ? -1 : 1, memoSafe: false });
        this.emit(Op.LookEnd, look);
        this.c[at] = this.op.length;
        return;
      }
      case 'backref':
        this.emit(Op.Backref, n.group, cx.direction);
        return;
      case 'quant':
        this.quant(n, cx);
        return;
    }
  }

  private quant(n: Extract<RegexTree, { k: 'quant' }>, cx: Context): void {
    const { min, max, lazy } = n;
    if (max === 0) return;
    const body = unwrapNonCapturing(n.body);
    if (body.k === 'set') {
      this.emit(Op.Star, this.set(body.src), cx.direction, min, max, lazy ? 1 : 0);
      this.memoPoint(cx);
      return;
    }
    if (min === 1 && max === 1) {
      this.node(n.body, cx);
      return;
    }
    const nullable = canMatchEmpty(body);
    const groups = groupRange(body);
    // The count matters unless every iteration is optional and unlimited; the start position
    // matters for the empty-iteration check.
    const free = min === 0 && max === Infinity && !nullable && cx.direction === 1;
    const inner: Context = { direction: cx.direction, memoSafe: cx.memoSafe && free };
    const counter = this.registerCount++;
    const start = nullable ? this.registerCount++ : -1;
    this.emit(Op.LoopInit, counter);
    // Every path through a free loop passes its head: memoize there (the back edge too).
    const top = inner.memoSafe ? this.emit(Op.Memo, this.memoCount++) : this.op.length;
    const head = this.emit(Op.Loop, counter, min, max, lazy ? 1 : 0);
    if (start >= 0) this.emit(Op.Save, start);
    if (groups !== null) this.emit(Op.ResetGroups, groups[0], groups[1]);
    this.node(n.body, inner);
    if (start >= 0) this.emit(Op.CheckProgress, start, counter, min);
    this.emit(Op.Increment, counter);
    this.emit(Op.Jump, top);
    this.e[head] = this.op.length;
  }

  private memoPoint(cx: Context): void {
    if (cx.memoSafe) this.emit(Op.Memo, this.memoCount++);
  }
}

function unwrapNonCapturing(n: RegexTree): RegexTree {
  return n.k === 'group' && n.capture === 0 ? unwrapNonCapturing(n.body) : n;
}

function containsBackref(n: RegexTree): boolean {
  switch (n.k) {
    case 'backref': return true;
    case 'seq': return n.items.some(containsBackref);
    case 'alt': return n.alts.some(containsBackref);
    case 'group': case 'quant': case 'look': return containsBackref(n.body);
    default: return false;
  }
}

/** Conservative: true unless the node surely consumes at least one character. */
function canMatchEmpty(n: RegexTree): boolean {
  switch (n.k) {
    case 'set': return false;
    case 'seq': return n.items.every(canMatchEmpty);
    case 'alt': return n.alts.some(canMatchEmpty);
    case 'group': return canMatchEmpty(n.body);
    case 'quant': return n.min === 0 || canMatchEmpty(n.body);
    default: return true;
  }
}

/** First and last capture group inside `n`, or null. */
function groupRange(n: RegexTree): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  const walk = (m: RegexTree): void => {
    if (m.k === 'group' && m.capture > 0) {
      lo = Math.min(lo, m.capture);
      hi = Math.max(hi, m.capture);
    }
    if (m.k === 'seq') m.items.forEach(walk);
    else if (m.k === 'alt') m.alts.forEach(walk);
    else if (m.k === 'group' || m.k === 'quant' || m.k === 'look') walk(m.body);
  };
  walk(n);
  return lo === Infinity ? null : [lo, hi];
}

// ---------------------------------------------------------------------------------------------
// Interpreter

/** Backtrack stack entries: four int32s, [kind, x, y, z]. */
const enum Entry {
  /** Resume at pc x, position y. */
  Choice,
  /** Restore register x to y. */
  Undo,
  /** A lookaround's start: its Look instruction at x, entered at position y. */
  Look,
  /** A greedy Star at pc x that stands at y and may give back characters down to z. */
  GiveBack,
  /** A lazy Star at pc x that stands at y after z characters and may take one more. */
  TakeMore,
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const isLineTerminator = (c: number) => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;

class Interpreter implements BudgetedMatcher {
  lastSteps = 0;
  private stack = new Int32Array(1024);
  private sp = 0;
  private readonly regs: Int32Array;
  private readonly lookHeight: Int32Array;
  private line = '';
  /** Code point read by readForward/readBackward, and the position after it. */
  private cp = 0;
  private next = 0;
  /** Characters compared by the last backreference, and how many it may compare. */
  private compared = 0;
  private compareLimit = 0;
  /** Per set, for the current line: a run [from, to) of members ending at a non-member or the end. */
  private readonly runFrom: Int32Array;
  private readonly runTo: Int32Array;
  /** Per set, for the current line: at each position, the last position at or before it where a member starts (-1 if none). */
  private readonly candidates: (Int32Array | null)[];

  constructor(
    private readonly regex: JavaRegex,
    private readonly p: Program,
    private readonly budget: number,
  ) {
    this.regs = new Int32Array(p.registerCount);
    this.lookHeight = new Int32Array(p.lookCount);
    this.runFrom = new Int32Array(p.sets.length);
    this.runTo = new Int32Array(p.sets.length);
    this.candidates = p.sets.map(() => null);
  }

  private buildCandidates(set: CharSet): Int32Array {
    const len = this.line.length;
    const table = new Int32Array(len);
    let last = -1;
    for (let i = 0; i < len; ) {
      this.read(i, 1);
      const after = this.next;
      if (set.has(this.cp)) last = i;
      for (let j = i; j < after; j++) table[j] = last;
      i = after;
    }
    return table;
  }

  match(line: string): readonly (string | undefined)[] | null | typeof BUDGET_EXCEEDED {
    const result = this.run(line);
    this.line = '';
    // Drop a stack grown by a pathological line.
    if (this.stack.length > 1 << 16) this.stack = new Int32Array(1024);
    return result;
  }

  /** Reads the character at `pos` in `direction` into cp/next; false at the edge of the line. */
  private read(pos: number, direction: number): boolean {
    const s = this.line;
    if (direction === 1) {
      if (pos >= s.length) return false;
      const c = s.charCodeAt(pos);
      if (isHighSurrogate(c) && pos + 1 < s.length && isLowSurrogate(s.charCodeAt(pos + 1))) {
        this.cp = ((c - 0xd800) << 10) + (s.charCodeAt(pos + 1) - 0xdc00) + 0x10000;
        this.next = pos + 2;
      } else {
        this.cp = c;
        this.next = pos + 1;
      }
      return true;
    }
    if (pos <= 0) return false;
    const c = s.charCodeAt(pos - 1);
    if (isLowSurrogate(c) && pos >= 2 && isHighSurrogate(s.charCodeAt(pos - 2))) {
      this.cp = ((s.charCodeAt(pos - 2) - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
      this.next = pos - 2;
    } else {
      this.cp = c;
      this.next = pos - 1;
    }
    return true;
  }

  private push(kind: Entry, x: number, y: number, z: number): void {
    if (this.sp + 4 > this.stack.length) {
      const grown = new Int32Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    const st = this.stack;
    st[this.sp] = kind;
    st[this.sp + 1] = x;
    st[this.sp + 2] = y;
    st[this.sp + 3] = z;
    this.sp += 4;
  }

  private setReg(r: number, value: number): void {
    const old = this.regs[r];
    if (old === value) return;
    this.push(Entry.Undo, r, old, 0);
    this.regs[r] = value;
  }

  private isWordAt(pos: number, direction: number): boolean {
    return this.read(pos, direction) && this.p.wordChars.has(this.cp);
  }

  private run(line: string): readonly (string | undefined)[] | null | typeof BUDGET_EXCEEDED {
    const { op, a, b, c, d, e, sets, follow, followMemo } = this.p;
    const budget = this.budget;
    const len = line.length;
    this.line = line;
    this.sp = 0;
    this.regs.fill(-1);
    this.runFrom.fill(0x7fffffff);
    this.runTo.fill(-1);
    this.candidates.fill(null);
    const memoStride = len + 1;
    const memo = this.p.memoCount > 0 ? new Uint32Array(Math.ceil((this.p.memoCount * memoStride) / 32)) : null;
    let steps = 0;
    let pc = 0;
    let pos = 0;
    for (;;) {
      if (++steps > budget) return this.exceeded(steps);
      let ok = true;
      switch (op[pc]) {
        case Op.Char:
          if (this.read(pos, b[pc]) && sets[a[pc]].has(this.cp)) {
            pos = this.next;
            pc++;
          } else {
            ok = false;
          }
          break;
        case Op.Star: {
          const set = sets[a[pc]];
          const direction = b[pc];
          const min = c[pc];
          const max = d[pc];
          let count = 0;
          let at = pos;
          while (count < min) {
            if (!this.read(at, direction) || !set.has(this.cp)) break;
            at = this.next;
            count++;
            if (++steps > budget) return this.exceeded(steps);
          }
          if (count < min) {
            ok = false;
            break;
          }
          if (e[pc] === 1) {
            if (count < max) this.push(Entry.TakeMore, pc, at, count);
          } else {
            const least = at;
            // An unbounded forward run ends where the last run of this set that covers `at`
            // ended: stars over the same set (the tutorial's eleven [^ ]+) share the work.
            const cacheable = direction === 1 && max === Infinity;
            if (cacheable && this.runFrom[a[pc]] <= at && at <= this.runTo[a[pc]]) {
              at = this.runTo[a[pc]];
            } else {
              while (count < max && this.read(at, direction) && set.has(this.cp)) {
                at = this.next;
                count++;
                if (++steps > budget) return this.exceeded(steps);
              }
              if (cacheable) {
                this.runFrom[a[pc]] = pos;
                this.runTo[a[pc]] = at;
              }
            }
            if (at !== least) this.push(Entry.GiveBack, pc, at, least);
          }
          pos = at;
          pc++;
          break;
        }
        case Op.Split:
          this.push(Entry.Choice, a[pc], pos, 0);
          pc++;
          break;
        case Op.Jump:
          pc = a[pc];
          break;
        case Op.Save:
          this.setReg(a[pc], pos);
          pc++;
          break;
        case Op.ResetGroups:
          // One step per group (the first is this instruction's own).
          if (steps + b[pc] - a[pc] > budget) return this.exceeded(budget + 1);
          for (let g = a[pc]; g <= b[pc]; g++) {
            this.setReg(2 * g, -1);
            this.setReg(2 * g + 1, -1);
          }
          steps += b[pc] - a[pc];
          pc++;
          break;
        case Op.LoopInit:
          this.setReg(a[pc], 0);
          pc++;
          break;
        case Op.Loop: {
          const count = this.regs[a[pc]];
          if (count < b[pc]) {
            pc++;
          } else if (count >= c[pc]) {
            pc = e[pc];
          } else if (d[pc] === 1) {
            this.push(Entry.Choice, pc + 1, pos, 0);
            pc = e[pc];
          } else {
            this.push(Entry.Choice, e[pc], pos, 0);
            pc++;
          }
          break;
        }
        case Op.Increment:
          this.setReg(a[pc], this.regs[a[pc]] + 1);
          pc++;
          break;
        case Op.CheckProgress:
          if (this.regs[b[pc]] >= c[pc] && pos === this.regs[a[pc]]) ok = false;
          else pc++;
          break;
        case Op.Assert:
          if (this.assertion(a[pc], pos)) pc++;
          else ok = false;
          break;
        case Op.Look:
          this.lookHeight[a[pc]] = this.sp;
          this.push(Entry.Look, pc, pos, 0);
          pc++;
          break;
        case Op.LookEnd: {
          const height = this.lookHeight[a[pc]];
          const lookPc = this.stack[height + 1];
          const st = this.stack;
          if (b[lookPc] === 1) {
            // A negative lookaround whose body matched: undo the body, then fail.
            while (this.sp > height) {
              this.sp -= 4;
              if (st[this.sp] === Entry.Undo) this.regs[st[this.sp + 1]] = st[this.sp + 2];
              if (++steps > budget) return this.exceeded(steps);
            }
            ok = false;
            break;
          }
          // A positive one: keep what its body wrote (undone if we backtrack past it), drop its choices.
          pos = st[height + 2];
          let w = height;
          for (let r = height + 4; r < this.sp; r += 4) {
            if (st[r] === Entry.Undo) {
              st[w] = st[r];
              st[w + 1] = st[r + 1];
              st[w + 2] = st[r + 2];
              w += 4;
            }
            if (++steps > budget) return this.exceeded(steps);
          }
          this.sp = w;
          pc = c[lookPc];
          break;
        }
        case Op.Backref: {
          // One step per character compared, matched or not; no more than the budget has left.
          this.compared = 0;
          this.compareLimit = budget - steps + 1;
          const end = this.backref(a[pc], b[pc], pos);
          steps += this.compared;
          if (steps > budget) return this.exceeded(steps);
          if (end < 0) {
            ok = false;
          } else {
            pos = end;
            pc++;
          }
          break;
        }
        case Op.Memo: {
          // memo is allocated whenever the program has Memo instructions.
          const bit = a[pc] * memoStride + pos;
          const word = bit >>> 5;
          const mask = 1 << (bit & 31);
          if (memo === null || (memo[word] & mask) !== 0) {
            ok = false;
          } else {
            memo[word] |= mask;
            pc++;
          }
          break;
        }
        case Op.Match:
          this.lastSteps = steps;
          return this.groups();
      }
      if (ok) continue;
      // Backtrack: undo writes until a point that can resume.
      const st = this.stack;
      for (;;) {
        if (this.sp === 0) {
          this.lastSteps = steps;
          return null;
        }
        if (++steps > budget) return this.exceeded(steps);
        this.sp -= 4;
        const at = this.sp;
        const kind = st[at];
        if (kind === Entry.Undo) {
          this.regs[st[at + 1]] = st[at + 2];
          continue;
        }
        if (kind === Entry.Choice) {
          pc = st[at + 1];
          pos = st[at + 2];
          break;
        }
        if (kind === Entry.Look) {
          // The body failed: a negative lookaround holds.
          const lookPc = st[at + 1];
          if (b[lookPc] === 0) continue;
          pos = st[at + 2];
          pc = c[lookPc];
          break;
        }
        const starPc = st[at + 1];
        const direction = b[starPc];
        if (kind === Entry.GiveBack) {
          // Give back one character at a time, the way the Star read them, skipping positions
          // where the rest surely fails at once: the next character is outside the set that
          // follows, or the memo says this point already failed there.
          const least = st[at + 3];
          const followSet = follow[starPc] < 0 ? null : sets[follow[starPc]];
          const memoBase = memo === null || followMemo[starPc] < 0 ? -1 : followMemo[starPc] * memoStride;
          let back = st[at + 2];
          let found = false;
          // Long forward give-backs jump between the positions where the follow set matches.
          let table: Int32Array | null = null;
          if (direction === 1 && followSet !== null && back - least > 64) {
            table = this.candidates[follow[starPc]];
            if (table === null) {
              if (steps + len > budget) return this.exceeded(budget + 1);
              steps += len;
              table = this.buildCandidates(followSet);
              this.candidates[follow[starPc]] = table;
            }
          }
          while (back !== least) {
            if (table !== null) {
              const candidate = table[back - 1];
              if (candidate < least) break;
              back = candidate;
              if (memoBase < 0 || memo === null || (memo[(memoBase + back) >>> 5] & (1 << ((memoBase + back) & 31))) === 0) {
                found = true;
                break;
              }
              if (++steps > budget) return this.exceeded(steps);
              continue;
            }
            this.read(back, -direction);
            back = (direction === 1 ? this.next < least : this.next > least) ? back - direction : this.next;
            if (memoBase >= 0 && memo !== null && (memo[(memoBase + back) >>> 5] & (1 << ((memoBase + back) & 31))) !== 0) {
              // Already failed from here.
            } else if (followSet === null || (this.read(back, direction) && followSet.has(this.cp))) {
              found = true;
              break;
            }
            if (back !== least && ++steps > budget) return this.exceeded(steps);
          }
          if (!found) continue;
          if (back !== least) {
            st[at + 2] = back;
            this.sp += 4;
          }
          pos = back;
          pc = starPc + 1;
          break;
        }
        // TakeMore
        const count = st[at + 3] + 1;
        if (!this.read(st[at + 2], direction) || !sets[a[starPc]].has(this.cp)) continue;
        if (count < d[starPc]) {
          st[at + 2] = this.next;
          st[at + 3] = count;
          this.sp += 4;
        }
        pos = this.next;
        pc = starPc + 1;
        break;
      }
    }
  }

  private exceeded(steps: number): typeof BUDGET_EXCEEDED {
    this.lastSteps = steps;
    return BUDGET_EXCEEDED;
  }

  private assertion(kind: AssertKind, pos: number): boolean {
    const s = this.line;
    switch (kind) {
      case AssertKind.Begin:
        return pos === 0 || (this.p.multiline && isLineTerminator(s.charCodeAt(pos - 1)));
      case AssertKind.End:
        return pos === s.length || (this.p.multiline && isLineTerminator(s.charCodeAt(pos)));
      case AssertKind.WordBoundary:
        return this.isWordAt(pos, -1) !== this.isWordAt(pos, 1);
      case AssertKind.NotWordBoundary:
        return this.isWordAt(pos, -1) === this.isWordAt(pos, 1);
    }
  }

  /** Matches a backreference at `pos` in `direction`: the position after it, or -1. */
  private backref(group: number, direction: number, pos: number): number {
    const start = this.regs[2 * group];
    const end = this.regs[2 * group + 1];
    // An unset group matches the empty string.
    if (start < 0 || end < 0) return pos;
    const s = this.line;
    const length = end - start;
    if (this.p.ignoreCase) return this.foldedBackref(start, end, direction, pos);
    const from = direction === 1 ? pos : pos - length;
    if (from < 0 || from + length > s.length) return -1;
    for (let i = 0; i < length; i++) {
      if (++this.compared >= this.compareLimit) return -1;
      if (s.charCodeAt(from + i) !== s.charCodeAt(start + i)) return -1;
    }
    // Equal code units must also be equal code points: the far edge may not split a pair.
    const edge = direction === 1 ? from + length : from;
    if (edge > 0 && edge < s.length && isHighSurrogate(s.charCodeAt(edge - 1)) && isLowSurrogate(s.charCodeAt(edge))) return -1;
    return direction === 1 ? from + length : from;
  }

  private foldedBackref(start: number, end: number, direction: number, pos: number): number {
    // Compare code point by code point, from the side the match proceeds from.
    let inGroup = direction === 1 ? start : end;
    const stop = direction === 1 ? end : start;
    let at = pos;
    while (inGroup !== stop) {
      this.read(inGroup, direction);
      const wanted = this.cp;
      inGroup = this.next;
      if (++this.compared >= this.compareLimit) return -1;
      if (!this.read(at, direction) || !foldedEqual(wanted, this.cp)) return -1;
      at = this.next;
    }
    return at;
  }

  private groups(): readonly (string | undefined)[] {
    const s = this.line;
    const n = this.p.groupCount;
    const raw: (string | undefined)[] = [s];
    for (let g = 1; g <= n; g++) {
      const start = this.regs[2 * g];
      const end = this.regs[2 * g + 1];
      raw.push(start < 0 || end < 0 ? undefined : s.slice(start, end));
    }
    // Hidden groups of possessive quantifiers and atomic groups are dropped as matchWhole does.
    const exec = Object.assign(raw, { index: 0, input: s, groups: undefined }) as unknown as RegExpExecArray;
    return this.regex.javaMatch(exec).slice(1);
  }
}
