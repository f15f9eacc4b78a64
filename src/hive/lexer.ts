import { HiveParseError } from './errors.js';
import type { SourceText } from './source-text.js';
import { unescapeHiveString } from './string-literal.js';

export type TokenKind = 'ident' | 'quoted-ident' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** For `ident`: the text as written; for `string`: the unescaped value; for `number`: the literal text. */
  readonly value: string;
  /** Upper-cased text for identifiers (keywords compare against it). */
  readonly upper: string;
  /** Offset in the (substituted) statement text. */
  readonly offset: number;
}

const OPERATORS = ['<=>', '<>', '!=', '<=', '>=', '==', '||', '&&', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '.', '[', ']', ':', '~', '&', '|', '^', '!', ';'];

/** Hive's lexer, enough for the statements the engine runs. */
export function tokenize(source: SourceText): Token[] {
  const text = source.text;
  const tokens: Token[] = [];
  let i = 0;
  const fail = (msg: string, at: number): never => {
    throw new HiveParseError(msg, source.position(at));
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment', i);
      i = end + 2;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      // Adjacent literals concatenate, as in Hive ('a' 'b' is 'ab').
      let value = '';
      while (i < text.length && (text[i] === "'" || text[i] === '"')) {
        const q = text[i]!;
        let j = i + 1;
        while (j < text.length && text[j] !== q) j += text[j] === '\\' ? 2 : 1;
        if (j >= text.length) fail('unterminated string literal', i);
        value += unescapeHiveString(text.slice(i + 1, j));
        i = j + 1;
        let k = i;
        while (k < text.length && /\s/.test(text[k]!)) k++;
        if (text[k] === "'" || text[k] === '"') i = k;
      }
      tokens.push({ kind: 'string', value, upper: value, offset: start });
      continue;
    }
    if (c === '`') {
      let j = i + 1;
      let name = '';
      for (;;) {
        if (j >= text.length) fail('unterminated quoted identifier', i);
        if (text[j] === '`') {
          if (text[j + 1] === '`') {
            name += '`';
            j += 2;
            continue;
          }
          break;
        }
        name += text[j];
        j++;
      }
      if (name === '') fail('empty quoted identifier', i);
      tokens.push({ kind: 'quoted-ident', value: name, upper: name.toUpperCase(), offset: start });
      i = j + 1;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      let j = i;
      while (isDigit(text[j] ?? '')) j++;
      if (text[j] === '.' && isDigit(text[j + 1] ?? '')) {
        j++;
        while (isDigit(text[j] ?? '')) j++;
      } else if (text[j] === '.' && !isIdentStart(text[j + 1] ?? '')) j++;
      if ((text[j] === 'e' || text[j] === 'E') && /[-+]?\d/.test(text.slice(j + 1, j + 3))) {
        j++;
        if (text[j] === '+' || text[j] === '-') j++;
        while (isDigit(text[j] ?? '')) j++;
      }
      // Type suffixes: 10L bigint, 10S smallint, 10Y tinyint, 10BD decimal, 1.5D double.
      const suffix = /^(BD|bd|Bd|bD|[LlSsYyDd])(?![A-Za-z0-9_])/.exec(text.slice(j));
      if (suffix) j += suffix[0].length;
      else if (isIdentStart(text[j] ?? '')) {
        // Hive accepts identifiers that start with digits (e.g. 1col); read it as one.
        while (isIdentPart(text[j] ?? '')) j++;
        const word = text.slice(i, j);
        tokens.push({ kind: 'ident', value: word, upper: word.toUpperCase(), offset: start });
        i = j;
        continue;
      }
      const lit = text.slice(i, j);
      tokens.push({ kind: 'number', value: lit, upper: lit.toUpperCase(), offset: start });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentPart(text[j] ?? '')) j++;
      const word = text.slice(i, j);
      tokens.push({ kind: 'ident', value: word, upper: word.toUpperCase(), offset: start });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) fail(`unexpected character '${c}'`, i);
    tokens.push({ kind: 'op', value: op!, upper: op!, offset: start });
    i += op!.length;
  }
  tokens.push({ kind: 'eof', value: '', upper: '', offset: text.length });
  return tokens;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}
