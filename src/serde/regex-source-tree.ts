/**
 * Parses a JavaScript RegExp source ('u' mode, as `JavaRegex.source` is written) into a tree,
 * for interpreters that need the pattern's structure rather than a RegExp object.
 *
 * Single-character atoms (literals, escapes, classes, `.`, property escapes) are kept as their
 * source text: callers test one character at a time with a RegExp built from it, which gives
 * exactly the engine's set semantics under every flag without re-implementing them.
 *
 * Throws UnsupportedSyntax for what it does not model (e.g. the 'v' flag's nested classes or
 * `(?i:...)` modifiers, which Node 20 does not have either).
 */

export type RegexTree =
  /** One character: `src` is a literal, an escape, a class or `.`. */
  | { readonly k: 'set'; readonly src: string }
  | { readonly k: 'seq'; readonly items: readonly RegexTree[] }
  | { readonly k: 'alt'; readonly alts: readonly RegexTree[] }
  /** `capture` is the group number (1-based), 0 for a non-capturing group. */
  | { readonly k: 'group'; readonly capture: number; readonly body: RegexTree }
  | { readonly k: 'quant'; readonly body: RegexTree; readonly min: number; readonly max: number; readonly lazy: boolean }
  | { readonly k: 'assert'; readonly kind: 'begin' | 'end' | 'wordBoundary' | 'notWordBoundary' }
  | { readonly k: 'look'; readonly behind: boolean; readonly negative: boolean; readonly body: RegexTree }
  /** A backreference by number (named ones are resolved to their number). */
  | { readonly k: 'backref'; readonly group: number };

export class UnsupportedSyntax extends Error {}

export interface ParsedSource {
  readonly tree: RegexTree;
  readonly groupCount: number;
}

const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

export function parseRegexSource(source: string): ParsedSource {
  const parser = new SourceParser(source);
  const tree = parser.parse();
  return { tree, groupCount: parser.groupCount };
}

class SourceParser {
  private i = 0;
  groupCount = 0;
  private readonly names = new Map<string, number>();
  /** Named references seen before the whole pattern is known (they may point forward). */
  private readonly namedRefs: { readonly name: string; readonly node: { k: 'backref'; group: number } }[] = [];

  constructor(private readonly s: string) {}

  parse(): RegexTree {
    const tree = this.disjunction();
    if (this.i !== this.s.length) throw new UnsupportedSyntax(`unbalanced ) at ${this.i}`);
    for (const { name, node } of this.namedRefs) {
      const group = this.names.get(name);
      if (group === undefined) throw new UnsupportedSyntax(`\\k<${name}> names no group`);
      node.group = group;
    }
    return tree;
  }

  private disjunction(): RegexTree {
    const alts = [this.alternative()];
    while (this.s[this.i] === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    return alts.length === 1 ? alts[0] : { k: 'alt', alts };
  }

  private alternative(): RegexTree {
    const items: RegexTree[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') items.push(this.term());
    return items.length === 1 ? items[0] : { k: 'seq', items };
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) throw new UnsupportedSyntax(`expected ${c} at ${this.i}`);
    this.i++;
  }

  private term(): RegexTree {
    const s = this.s;
    const start = this.i;
    const c = s[start];
    if (c === '^' || c === '$') {
      this.i++;
      return { k: 'assert', kind: c === '^' ? 'begin' : 'end' };
    }
    if (c === '\\' && (s[start + 1] === 'b' || s[start + 1] === 'B')) {
      this.i += 2;
      return { k: 'assert', kind: s[start + 1] === 'b' ? 'wordBoundary' : 'notWordBoundary' };
    }
    if (c === '(') {
      const look = s.startsWith('(?=', start) || s.startsWith('(?!', start) ? 3 : s.startsWith('(?<=', start) || s.startsWith('(?<!', start) ? 4 : 0;
      if (look > 0) {
        this.i += look;
        const body = this.disjunction();
        this.expect(')');
        // In 'u' mode a lookaround cannot be quantified.
        return { k: 'look', behind: look === 4, negative: s[start + look - 1] === '!', body };
      }
      let capture = 0;
      if (s.startsWith('(?:', start)) {
        this.i += 3;
      } else if (s.startsWith('(?<', start)) {
        const close = s.indexOf('>', start);
        if (close < 0) throw new UnsupportedSyntax('unterminated group name');
        capture = ++this.groupCount;
        this.names.set(s.slice(start + 3, close), capture);
        this.i = close + 1;
      } else if (s[start + 1] === '?') {
        throw new UnsupportedSyntax(`group modifiers ${s.slice(start, start + 4)}`);
      } else {
        this.i++;
        capture = ++this.groupCount;
      }
      const body = this.disjunction();
      this.expect(')');
      return this.quantified({ k: 'group', capture, body });
    }
    if (c === '\\' && /[1-9]/.test(s[start + 1] ?? '')) {
      let end = start + 1;
      while (isDigit(s[end])) end++;
      this.i = end;
      return this.quantified({ k: 'backref', group: Number(s.slice(start + 1, end)) });
    }
    if (c === '\\' && s[start + 1] === 'k') {
      const close = s.indexOf('>', start);
      if (s[start + 2] !== '<' || close < 0) throw new UnsupportedSyntax('\\k without a name');
      const node: { k: 'backref'; group: number } = { k: 'backref', group: 0 };
      this.namedRefs.push({ name: s.slice(start + 3, close), node });
      this.i = close + 1;
      return this.quantified(node);
    }
    return this.quantified({ k: 'set', src: this.charAtom() });
  }

  /** Source text of one character atom. */
  private charAtom(): string {
    const s = this.s;
    const start = this.i;
    const c = s[start];
    if (c === '[') {
      if (s[start + 1] === '[') throw new UnsupportedSyntax('nested class (v flag)');
      // 'u' mode (not 'v'): no nesting, the first unescaped ']' closes, even right after '['.
      let j = start + 1;
      if (s[j] === '^') j++;
      while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) throw new UnsupportedSyntax('unterminated class');
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
      if ('dDsSwWtnvfr'.includes(d) || SYNTAX_CHARS.includes(d)) {
        // A plain escape.
      } else if (d === '0') {
        if (isDigit(s[end])) throw new UnsupportedSyntax('octal escape');
      } else if (d === 'p' || d === 'P') {
        const close = s.indexOf('}', end);
        if (s[end] !== '{' || close < 0) throw new UnsupportedSyntax('property escape');
        end = close + 1;
      } else if (d === 'u') {
        if (s[end] === '{') {
          const close = s.indexOf('}', end);
          if (close < 0) throw new UnsupportedSyntax('code point escape');
          end = close + 1;
        } else {
          const hex = s.slice(end, end + 4);
          if (hex.length !== 4 || ![...hex].every(isHex)) throw new UnsupportedSyntax('unicode escape');
          end += 4;
          // A surrogate pair written as two escapes is one character in 'u' mode.
          const next = s.slice(end, end + 6);
          if (isHighSurrogate(parseInt(hex, 16)) && /^\\u[0-9A-Fa-f]{4}$/.test(next) && isLowSurrogate(parseInt(next.slice(2), 16))) end += 6;
        }
      } else if (d === 'x') {
        if (!isHex(s[end]) || !isHex(s[end + 1])) throw new UnsupportedSyntax('hex escape');
        end += 2;
      } else if (d === 'c') {
        if (!/[A-Za-z]/.test(s[end] ?? '')) throw new UnsupportedSyntax('control escape');
        end += 1;
      } else {
        throw new UnsupportedSyntax(`escape \\${d}`);
      }
      this.i = end;
      return s.slice(start, end);
    }
    if ('*+?{}]'.includes(c)) throw new UnsupportedSyntax(`misplaced ${c} at ${start}`);
    this.i += isHighSurrogate(s.charCodeAt(start)) && isLowSurrogate(s.charCodeAt(start + 1)) ? 2 : 1;
    return s.slice(start, this.i);
  }

  private quantified(atom: RegexTree): RegexTree {
    const s = this.s;
    let min: number;
    let max: number;
    switch (s[this.i]) {
      case '*': min = 0; max = Infinity; this.i++; break;
      case '+': min = 1; max = Infinity; this.i++; break;
      case '?': min = 0; max = 1; this.i++; break;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i, this.i + 40));
        if (m === null) throw new UnsupportedSyntax('bad quantifier');
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
