/**
 * A job's statements as the Hive CLI splits them, with only the CREATE TABLEs
 * parsed (by the engine's parser). The other statements are passed through
 * untouched, so a query the local engine does not support (a JOIN, a window)
 * can still be listed, rendered and sent to EMR.
 */
import type { CreateTableStatement } from '../hive/ast.js';
import { tokenize, type Token } from '../hive/lexer.js';
import { parseStatement } from '../hive/parser.js';
import { splitStatements, type RawStatement } from '../hive/script.js';
import { SourceText } from '../hive/source-text.js';

export interface ScriptStatement {
  readonly raw: RawStatement;
  /** The statement's text with positions mapped to the script (variables are not substituted). */
  readonly source: SourceText;
  /** For CREATE TABLE: the parsed statement and its tokens. */
  readonly create?: { readonly statement: CreateTableStatement; readonly tokens: readonly Token[] };
}

/** CREATE as the first word, after blank lines and `--` or block comments. */
const LEADS_WITH_CREATE = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*create\b/i;

export function scriptStatements(script: string, file: string): ScriptStatement[] {
  return splitStatements(script).map((raw) => {
    const source = new SourceText(raw.text, file, raw.text, undefined, raw.offset, script);
    // Only CREATE statements are even tokenized: the others may use syntax the engine's lexer refuses.
    if (!LEADS_WITH_CREATE.test(raw.text)) return { raw, source };
    const tokens = tokenize(source);
    const { statement } = parseStatement(source);
    return statement.kind === 'create-table' ? { raw, source, create: { statement, tokens } } : { raw, source };
  });
}
