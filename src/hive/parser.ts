import type {
  AddPartitionStatement,
  BinaryOp,
  ColumnDef,
  CreateTableStatement,
  Expr,
  FromSource,
  InsertDirectoryStatement,
  OrderItem,
  PartitionSpec,
  RowFormat,
  SelectItem,
  SelectQuery,
  Statement,
} from './ast.js';
import { HiveParseError, UnsupportedError, type SourcePosition } from './errors.js';
import { CLAUSE_KEYWORDS, NEWLY_RESERVED_IN_HIVE3, RESERVED_SINCE_HIVE12 } from './keywords.js';
import { tokenize, type Token } from './lexer.js';
import type { SourceText } from './source-text.js';
import { decimalType, T, type HiveType } from './types.js';

export interface ParseWarning {
  readonly position: SourcePosition;
  readonly message: string;
}

export interface ParsedStatement {
  readonly statement: Statement;
  readonly source: SourceText;
  readonly warnings: readonly ParseWarning[];
}

/** Parses one statement (already split and with variables substituted). */
export function parseStatement(source: SourceText): ParsedStatement {
  const set = /^\s*set(?:\s+([^=\s][^=]*?)\s*(?:=([\s\S]*))?)?\s*$/i.exec(stripLeadingComments(source.text));
  if (set) {
    const at = source.text.search(/\S/);
    const key = set[1]?.trim();
    const value = set[2]?.trim();
    return { statement: { kind: 'set', at, key, value }, source, warnings: [] };
  }
  const parser = new Parser(source);
  const statement = parser.statement();
  return { statement, source, warnings: parser.warnings };
}

function stripLeadingComments(text: string): string {
  return text.replace(/^(\s*--[^\n]*\n)*/, '');
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  readonly warnings: ParseWarning[] = [];

  constructor(private readonly source: SourceText) {
    this.tokens = tokenize(source);
  }

  // ---- token helpers -------------------------------------------------------

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isKeyword(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.upper === word;
  }
  private isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.value === op;
  }
  private acceptKeyword(...words: string[]): boolean {
    for (let i = 0; i < words.length; i++) if (!this.isKeyword(words[i]!, i)) return false;
    this.pos += words.length;
    return true;
  }
  private acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }
  private expectKeyword(...words: string[]): void {
    for (const w of words) {
      if (!this.acceptKeyword(w)) this.fail(`expected ${w} but found ${this.describe(this.peek())}`);
    }
  }
  private expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail(`expected '${op}' but found ${this.describe(this.peek())}`);
  }
  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of statement';
    if (t.kind === 'string') return `string literal '${t.value}'`;
    return `'${t.kind === 'quoted-ident' ? '`' + t.value + '`' : t.value}'`;
  }
  private fail(message: string, token: Token = this.peek()): never {
    throw new HiveParseError(message, this.source.position(token.offset));
  }
  private unsupported(construct: string, token: Token = this.peek()): never {
    throw new UnsupportedError(construct, this.source.position(token.offset));
  }
  private expectString(what: string): string {
    const t = this.peek();
    if (t.kind !== 'string') this.fail(`expected ${what} (a quoted string) but found ${this.describe(t)}`);
    this.pos++;
    return t.value;
  }
  /** A table or column name; `db.table` keeps only the table (the engine has one database). */
  private identifier(what: string): string {
    const t = this.peek();
    if (t.kind === 'quoted-ident') {
      this.pos++;
      return t.value.toLowerCase();
    }
    if (t.kind !== 'ident') this.fail(`expected ${what} but found ${this.describe(t)}`);
    this.pos++;
    return t.value.toLowerCase();
  }
  private tableName(): string {
    let name = this.identifier('a table name');
    if (this.acceptOp('.')) name = this.identifier('a table name');
    return name;
  }

  // ---- statements ----------------------------------------------------------

  statement(): Statement {
    const first = this.peek();
    let stmt: Statement;
    if (this.isKeyword('CREATE')) stmt = this.createStatement();
    else if (this.isKeyword('DROP')) stmt = this.dropStatement();
    else if (this.isKeyword('MSCK')) stmt = this.msckStatement();
    else if (this.isKeyword('ALTER')) stmt = this.alterStatement();
    else if (this.isKeyword('INSERT')) stmt = this.insertStatement();
    else if (this.isKeyword('SELECT')) stmt = { kind: 'query', at: first.offset, query: this.query() };
    else if (this.isKeyword('USE')) {
      this.next();
      stmt = { kind: 'use', at: first.offset, database: this.identifier('a database name') };
    } else if (this.isKeyword('WITH')) this.unsupported('WITH (common table expressions)');
    else if (this.isKeyword('FROM')) this.unsupported('FROM … SELECT (FROM-first queries)');
    else if (this.isOp('(')) this.unsupported('a parenthesised query at statement level');
    else if (first.kind === 'ident') this.unsupported(`${first.upper} statement`);
    else this.fail(`expected a statement but found ${this.describe(first)}`);
    if (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'ident' && ['UNION', 'INTERSECT', 'EXCEPT', 'MINUS'].includes(t.upper)) this.unsupported(t.upper);
      this.fail(`unexpected ${this.describe(t)}`);
    }
    return stmt;
  }

  private createStatement(): Statement {
    const start = this.next();
    const temporary = this.acceptKeyword('TEMPORARY');
    const external = this.acceptKeyword('EXTERNAL');
    if (!this.isKeyword('TABLE')) {
      const what = this.peek();
      this.unsupported(`CREATE ${temporary ? 'TEMPORARY ' : ''}${external ? 'EXTERNAL ' : ''}${what.kind === 'ident' ? what.upper : ''}`.trim(), start);
    }
    this.next();
    const ifNotExists = this.acceptKeyword('IF', 'NOT', 'EXISTS');
    const name = this.tableName();
    if (this.isKeyword('LIKE')) this.unsupported('CREATE TABLE … LIKE');
    if (this.isKeyword('AS')) this.unsupported('CREATE TABLE … AS SELECT');
    this.expectOp('(');
    const columns = this.columnDefs();
    const stmt: {
      -readonly [K in keyof CreateTableStatement]: CreateTableStatement[K];
    } = {
      kind: 'create-table',
      at: start.offset,
      name,
      external,
      ifNotExists,
      columns,
      partitionedBy: [],
      tblProperties: new Map(),
    };
    for (;;) {
      if (this.acceptKeyword('COMMENT')) this.expectString('a comment');
      else if (this.acceptKeyword('PARTITIONED', 'BY')) {
        this.expectOp('(');
        stmt.partitionedBy = this.columnDefs();
      } else if (this.isKeyword('CLUSTERED') || this.isKeyword('SKEWED')) this.unsupported(`${this.peek().upper} BY (bucketed or skewed tables)`);
      else if (this.isKeyword('ROW')) stmt.rowFormat = this.rowFormat();
      else if (this.acceptKeyword('STORED', 'AS')) stmt.storedAs = this.storedAs();
      else if (this.isKeyword('STORED', 0) && this.isKeyword('BY', 1)) this.unsupported('STORED BY (storage handlers)');
      else if (this.acceptKeyword('LOCATION')) stmt.location = this.expectString('a location');
      else if (this.acceptKeyword('TBLPROPERTIES')) stmt.tblProperties = this.properties();
      else if (this.isKeyword('AS')) this.unsupported('CREATE TABLE … AS SELECT');
      else break;
    }
    return stmt;
  }

  private storedAs(): string {
    if (this.acceptKeyword('INPUTFORMAT')) {
      const input = this.expectString('an input format class');
      this.expectKeyword('OUTPUTFORMAT');
      this.expectString('an output format class');
      return input === 'org.apache.hadoop.mapred.TextInputFormat' ? 'TEXTFILE' : input;
    }
    const t = this.next();
    if (t.kind !== 'ident') this.fail(`expected a file format after STORED AS but found ${this.describe(t)}`, t);
    return t.upper;
  }

  private columnDefs(): ColumnDef[] {
    const cols: ColumnDef[] = [];
    do {
      const t = this.peek();
      if (t.kind === 'ident' && NEWLY_RESERVED_IN_HIVE3.has(t.upper)) {
        this.warnings.push({
          position: this.source.position(t.offset),
          message: `column name ${t.value} is a reserved word in Hive 3 (EMR 6.0 and later): write \`${t.value}\` for the script to parse there`,
        });
      }
      const name = this.identifier('a column name');
      const type = this.type();
      let comment: string | undefined;
      if (this.acceptKeyword('COMMENT')) comment = this.expectString('a column comment');
      cols.push({ name, type, comment, at: t.offset });
    } while (this.acceptOp(','));
    this.expectOp(')');
    return cols;
  }

  private type(): HiveType {
    const t = this.next();
    if (t.kind !== 'ident') this.fail(`expected a column type but found ${this.describe(t)}`, t);
    switch (t.upper) {
      case 'STRING':
        return T.string;
      case 'VARCHAR':
      case 'CHAR': {
        this.expectOp('(');
        const n = this.integerLiteral();
        this.expectOp(')');
        return { name: t.upper === 'VARCHAR' ? 'varchar' : 'char', length: n };
      }
      case 'TINYINT':
        return T.tinyint;
      case 'SMALLINT':
        return T.smallint;
      case 'INT':
      case 'INTEGER':
        return T.int;
      case 'BIGINT':
        return T.bigint;
      case 'FLOAT':
        return T.float;
      case 'DOUBLE':
        this.acceptKeyword('PRECISION');
        return T.double;
      case 'DECIMAL':
      case 'DEC':
      case 'NUMERIC': {
        if (!this.acceptOp('(')) return decimalType(10, 0);
        const p = this.integerLiteral();
        const s = this.acceptOp(',') ? this.integerLiteral() : 0;
        this.expectOp(')');
        if (p < 1 || p > 38 || s > p) this.fail(`invalid decimal(${p},${s}): precision must be 1..38 and scale at most the precision`, t);
        return decimalType(p, s);
      }
      case 'BOOLEAN':
        return T.boolean;
      case 'DATE':
        return T.date;
      case 'TIMESTAMP':
        return T.timestamp;
      case 'ARRAY':
      case 'MAP':
      case 'STRUCT':
      case 'UNIONTYPE':
      case 'BINARY':
      case 'INTERVAL':
        this.unsupported(`the ${t.upper} type`, t);
      // falls through: unsupported() never returns
      default:
        this.fail(`unknown type ${t.value}`, t);
    }
  }

  private integerLiteral(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.value)) this.fail(`expected an integer but found ${this.describe(t)}`, t);
    return Number(t.value);
  }

  private rowFormat(): RowFormat {
    this.expectKeyword('ROW', 'FORMAT');
    if (this.acceptKeyword('SERDE')) {
      const className = this.expectString('a SerDe class name');
      const properties = this.acceptKeyword('WITH', 'SERDEPROPERTIES') ? this.properties() : new Map<string, string>();
      return { kind: 'serde', className, properties };
    }
    this.expectKeyword('DELIMITED');
    const rf: { -readonly [K in keyof Extract<RowFormat, { kind: 'delimited' }>]: Extract<RowFormat, { kind: 'delimited' }>[K] } = { kind: 'delimited' };
    for (;;) {
      if (this.acceptKeyword('FIELDS', 'TERMINATED', 'BY')) {
        rf.fieldsTerminatedBy = this.expectString('a field delimiter');
        if (this.acceptKeyword('ESCAPED', 'BY')) rf.escapedBy = this.expectString('an escape character');
      } else if (this.acceptKeyword('COLLECTION', 'ITEMS', 'TERMINATED', 'BY')) rf.collectionItemsTerminatedBy = this.expectString('a delimiter');
      else if (this.acceptKeyword('MAP', 'KEYS', 'TERMINATED', 'BY')) rf.mapKeysTerminatedBy = this.expectString('a delimiter');
      else if (this.acceptKeyword('LINES', 'TERMINATED', 'BY')) {
        const t = this.peek();
        rf.linesTerminatedBy = this.expectString('a line delimiter');
        // Hive itself only supports '\n' here.
        if (rf.linesTerminatedBy !== '\n') this.fail(`LINES TERMINATED BY only supports '\\n'`, t);
      } else if (this.acceptKeyword('NULL', 'DEFINED', 'AS')) rf.nullDefinedAs = this.expectString('a NULL marker');
      else break;
    }
    return rf;
  }

  private properties(): Map<string, string> {
    const props = new Map<string, string>();
    this.expectOp('(');
    if (this.acceptOp(')')) return props;
    do {
      const key = this.expectString('a property name');
      this.expectOp('=');
      props.set(key, this.expectString('a property value'));
    } while (this.acceptOp(','));
    this.expectOp(')');
    return props;
  }

  private dropStatement(): Statement {
    const start = this.next();
    if (!this.acceptKeyword('TABLE')) this.unsupported(`DROP ${this.peek().upper}`, start);
    const ifExists = this.acceptKeyword('IF', 'EXISTS');
    const name = this.tableName();
    this.acceptKeyword('PURGE');
    return { kind: 'drop-table', at: start.offset, name, ifExists };
  }

  private msckStatement(): Statement {
    const start = this.next();
    this.acceptKeyword('REPAIR');
    this.expectKeyword('TABLE');
    const name = this.tableName();
    if (this.isKeyword('DROP') || this.isKeyword('SYNC')) this.unsupported(`MSCK … ${this.peek().upper} PARTITIONS`);
    if (this.acceptKeyword('ADD')) this.expectKeyword('PARTITIONS');
    return { kind: 'msck-repair', at: start.offset, name };
  }

  private alterStatement(): AddPartitionStatement {
    const start = this.next();
    if (!this.acceptKeyword('TABLE')) this.unsupported(`ALTER ${this.peek().upper}`, start);
    const name = this.tableName();
    if (!this.acceptKeyword('ADD')) this.unsupported(`ALTER TABLE … ${this.peek().upper}`);
    const ifNotExists = this.acceptKeyword('IF', 'NOT', 'EXISTS');
    const partitions: PartitionSpec[] = [];
    while (this.isKeyword('PARTITION')) {
      const at = this.next().offset;
      this.expectOp('(');
      const values = new Map<string, string>();
      do {
        const key = this.identifier('a partition column');
        this.expectOp('=');
        const v = this.next();
        if (v.kind !== 'string' && v.kind !== 'number') this.fail(`expected a partition value but found ${this.describe(v)}`, v);
        values.set(key, v.value);
      } while (this.acceptOp(','));
      this.expectOp(')');
      const location = this.acceptKeyword('LOCATION') ? this.expectString('a location') : undefined;
      partitions.push({ values, location, at });
    }
    if (partitions.length === 0) this.fail(`expected PARTITION after ADD`);
    return { kind: 'add-partition', at: start.offset, name, ifNotExists, partitions };
  }

  private insertStatement(): InsertDirectoryStatement {
    const start = this.next();
    if (this.isKeyword('INTO')) this.unsupported('INSERT INTO (only INSERT OVERWRITE [LOCAL] DIRECTORY is)', start);
    this.expectKeyword('OVERWRITE');
    const local = this.acceptKeyword('LOCAL');
    if (!this.acceptKeyword('DIRECTORY')) this.unsupported(`INSERT OVERWRITE ${this.peek().upper} (only INSERT OVERWRITE [LOCAL] DIRECTORY is)`, start);
    const path = this.expectString('a directory');
    const rowFormat = this.isKeyword('ROW') ? this.rowFormat() : undefined;
    const storedAs = this.acceptKeyword('STORED', 'AS') ? this.storedAs() : undefined;
    if (!this.isKeyword('SELECT')) {
      if (this.isKeyword('FROM')) this.unsupported('FROM … SELECT (FROM-first queries)');
      this.fail(`expected SELECT but found ${this.describe(this.peek())}`);
    }
    return { kind: 'insert-directory', at: start.offset, local, path, rowFormat, storedAs, query: this.query() };
  }

  // ---- queries -------------------------------------------------------------

  query(): SelectQuery {
    const start = this.peek();
    this.expectKeyword('SELECT');
    if (this.isKeyword('TRANSFORM')) this.unsupported('SELECT TRANSFORM (streaming scripts)');
    if (this.isKeyword('MAP') || this.isKeyword('REDUCE')) this.unsupported(`${this.peek().upper} (streaming scripts)`);
    const distinct = this.acceptKeyword('DISTINCT');
    if (!distinct) this.acceptKeyword('ALL');
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptOp(','));
    this.expectKeyword('FROM');
    const from = this.fromSource();
    if (this.isOp(',')) this.unsupported('a join (comma-separated tables)');
    const joinWord = this.peek();
    if (joinWord.kind === 'ident' && ['JOIN', 'LEFT', 'RIGHT', 'FULL', 'INNER', 'CROSS'].includes(joinWord.upper)) this.unsupported('JOIN');
    if (this.isKeyword('LATERAL')) this.unsupported('LATERAL VIEW');
    const where = this.acceptKeyword('WHERE') ? this.expr() : undefined;
    let groupBy: Expr[] = [];
    if (this.acceptKeyword('GROUP', 'BY')) {
      groupBy = [];
      do groupBy.push(this.expr());
      while (this.acceptOp(','));
      if (this.isKeyword('WITH') || this.isKeyword('GROUPING')) this.unsupported('GROUPING SETS, ROLLUP and CUBE');
    }
    const having = this.acceptKeyword('HAVING') ? this.expr() : undefined;
    if (this.isKeyword('WINDOW')) this.unsupported('window functions');
    const orderBy: OrderItem[] = [];
    if (this.acceptKeyword('ORDER', 'BY')) {
      do orderBy.push(this.orderItem());
      while (this.acceptOp(','));
    }
    for (const w of ['CLUSTER', 'DISTRIBUTE', 'SORT']) if (this.isKeyword(w) && this.isKeyword('BY', 1)) this.unsupported(`${w} BY`);
    let limit: number | undefined;
    if (this.acceptKeyword('LIMIT')) {
      limit = this.integerLiteral();
      if (this.acceptOp(',')) this.unsupported('LIMIT with an offset');
      if (this.isKeyword('OFFSET')) this.unsupported('LIMIT … OFFSET');
    }
    return { kind: 'select', at: start.offset, distinct, items, from, where, groupBy, having, orderBy, limit };
  }

  private selectItem(): SelectItem {
    const t = this.peek();
    if (this.acceptOp('*')) return { kind: 'star', at: t.offset };
    if ((t.kind === 'ident' || t.kind === 'quoted-ident') && this.isOp('.', 1) && this.isOp('*', 2)) {
      this.pos += 3;
      return { kind: 'star', at: t.offset, qualifier: t.value.toLowerCase() };
    }
    const expr = this.expr();
    if (this.isOp('(') || this.isKeyword('OVER')) this.unsupported('window functions');
    const alias = this.alias();
    if (alias === undefined && this.isOp('(')) this.unsupported('multiple aliases AS (a, b)');
    return { kind: 'expr', at: t.offset, expr, alias };
  }

  private alias(): string | undefined {
    if (this.acceptKeyword('AS')) {
      if (this.isOp('(')) this.unsupported('multiple aliases AS (a, b)');
      return this.identifier('an alias');
    }
    const t = this.peek();
    if (t.kind === 'quoted-ident' || (t.kind === 'ident' && !CLAUSE_KEYWORDS.has(t.upper))) {
      this.pos++;
      return t.value.toLowerCase();
    }
    return undefined;
  }

  private fromSource(): FromSource {
    const t = this.peek();
    if (this.acceptOp('(')) {
      if (!this.isKeyword('SELECT')) this.fail(`expected SELECT in a subquery but found ${this.describe(this.peek())}`);
      const query = this.query();
      this.expectOp(')');
      const alias = this.alias();
      if (alias === undefined) this.fail('a subquery in FROM needs an alias (Hive requires one)');
      return { kind: 'subquery', at: t.offset, query, alias };
    }
    const name = this.tableName();
    if (this.isKeyword('TABLESAMPLE')) this.unsupported('TABLESAMPLE');
    const alias = this.alias();
    return { kind: 'table', at: t.offset, name, alias };
  }

  private orderItem(): OrderItem {
    const t = this.peek();
    const expr = this.expr();
    const descending = this.acceptKeyword('DESC') ? true : (this.acceptKeyword('ASC'), false);
    let nullsFirst = !descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('FIRST')) nullsFirst = true;
      else {
        this.expectKeyword('LAST');
        nullsFirst = false;
      }
    }
    return { at: t.offset, expr, descending, nullsFirst };
  }

  // ---- expressions (Hive's precedence, loosest first) ------------------------

  expr(): Expr {
    return this.orExpr();
  }

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.isKeyword('OR')) {
      const t = this.next();
      left = { kind: 'binary', at: t.offset, op: 'OR', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.isKeyword('AND') || this.isOp('&&')) {
      const t = this.next();
      left = { kind: 'binary', at: t.offset, op: 'AND', left, right: this.notExpr() };
    }
    return left;
  }

  private notExpr(): Expr {
    if (this.isKeyword('NOT') || this.isOp('!')) {
      const t = this.next();
      return { kind: 'unary', at: t.offset, op: 'NOT', operand: this.notExpr() };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    let left = this.bitOr();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && ['=', '==', '<=>', '<>', '!=', '<', '<=', '>', '>='].includes(t.value)) {
        this.next();
        left = { kind: 'binary', at: t.offset, op: t.value as BinaryOp, left, right: this.bitOr() };
        continue;
      }
      if (this.isKeyword('IS')) {
        this.next();
        const negated = this.acceptKeyword('NOT');
        if (this.acceptKeyword('NULL')) {
          left = { kind: 'isnull', at: t.offset, operand: left, negated };
          continue;
        }
        if (this.isKeyword('TRUE') || this.isKeyword('FALSE')) {
          const value = this.next().upper === 'TRUE';
          // x IS TRUE is never NULL: NULL IS TRUE is false.
          const isTrue: Expr = { kind: 'call', at: t.offset, name: '__is_boolean', args: [left, { kind: 'literal', at: t.offset, value, type: T.boolean }], distinct: false, star: false };
          left = negated ? { kind: 'unary', at: t.offset, op: 'NOT', operand: isTrue } : isTrue;
          continue;
        }
        if (this.isKeyword('DISTINCT')) this.unsupported('IS [NOT] DISTINCT FROM');
        this.fail(`expected NULL after IS but found ${this.describe(this.peek())}`);
      }
      const negated = this.isKeyword('NOT') && ['LIKE', 'RLIKE', 'REGEXP', 'IN', 'BETWEEN'].includes(this.peek(1).upper) && this.peek(1).kind === 'ident';
      if (negated) this.next();
      if (this.isKeyword('LIKE') || this.isKeyword('RLIKE') || this.isKeyword('REGEXP')) {
        const op = this.next().upper === 'LIKE' ? 'LIKE' : 'RLIKE';
        if (this.isKeyword('ANY') || this.isKeyword('ALL')) this.unsupported(`${op} ANY/ALL`);
        left = { kind: 'like', at: t.offset, op, operand: left, pattern: this.bitOr(), negated };
        continue;
      }
      if (this.acceptKeyword('IN')) {
        this.expectOp('(');
        if (this.isKeyword('SELECT')) this.unsupported('IN (subquery)');
        const list: Expr[] = [];
        do list.push(this.expr());
        while (this.acceptOp(','));
        this.expectOp(')');
        left = { kind: 'in', at: t.offset, operand: left, list, negated };
        continue;
      }
      if (this.acceptKeyword('BETWEEN')) {
        const low = this.bitOr();
        this.expectKeyword('AND');
        const high = this.bitOr();
        left = { kind: 'between', at: t.offset, operand: left, low, high, negated };
        continue;
      }
      if (negated) this.fail(`unexpected NOT`);
      return left;
    }
  }

  private binaryLevel(ops: readonly string[], keywordOps: readonly string[], next: () => Expr): Expr {
    let left = next();
    for (;;) {
      const t = this.peek();
      const isOp = t.kind === 'op' && ops.includes(t.value);
      const isKw = t.kind === 'ident' && keywordOps.includes(t.upper);
      if (!isOp && !isKw) return left;
      this.next();
      left = { kind: 'binary', at: t.offset, op: (isKw ? t.upper : t.value) as BinaryOp, left, right: next() };
    }
  }

  private bitOr(): Expr {
    return this.binaryLevel(['|'], [], () => this.bitAnd());
  }
  private bitAnd(): Expr {
    return this.binaryLevel(['&'], [], () => this.concat());
  }
  private concat(): Expr {
    return this.binaryLevel(['||'], [], () => this.additive());
  }
  private additive(): Expr {
    return this.binaryLevel(['+', '-'], [], () => this.multiplicative());
  }
  private multiplicative(): Expr {
    return this.binaryLevel(['*', '/', '%'], ['DIV'], () => this.xor());
  }
  private xor(): Expr {
    return this.binaryLevel(['^'], [], () => this.unary());
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.next();
      const operand = this.unary();
      // Fold a negative numeric literal so that -2147483648 stays an INT, as in Hive.
      if (t.value === '-' && operand.kind === 'literal' && typeof operand.value === 'number') {
        return { ...operand, at: t.offset, value: -operand.value };
      }
      return { kind: 'unary', at: t.offset, op: t.value as '-' | '+' | '~', operand };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let e = this.primary();
    while (this.isOp('[')) {
      const t = this.next();
      const index = this.expr();
      this.expectOp(']');
      e = { kind: 'index', at: t.offset, operand: e, index };
    }
    if (this.isOp('.')) this.unsupported('struct field access');
    return e;
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return numberLiteral(t, (m) => this.fail(m, t));
      case 'string':
        this.next();
        return { kind: 'literal', at: t.offset, value: t.value, type: T.string };
      case 'op':
        if (t.value === '(') {
          this.next();
          if (this.isKeyword('SELECT')) this.unsupported('a subquery in an expression', t);
          const e = this.expr();
          this.expectOp(')');
          return e;
        }
        return this.fail(`expected an expression but found ${this.describe(t)}`);
      case 'quoted-ident':
        return this.columnOrCall();
      case 'ident':
        break;
      default:
        return this.fail(`expected an expression but found ${this.describe(t)}`);
    }
    switch (t.upper) {
      case 'NULL':
        this.next();
        return { kind: 'literal', at: t.offset, value: null, type: T.void };
      case 'TRUE':
      case 'FALSE':
        this.next();
        return { kind: 'literal', at: t.offset, value: t.upper === 'TRUE', type: T.boolean };
      case 'DATE':
      case 'TIMESTAMP':
        if (this.peek(1).kind === 'string') {
          this.next();
          const s = this.next();
          return { kind: 'cast', at: t.offset, operand: { kind: 'literal', at: s.offset, value: s.value, type: T.string }, type: t.upper === 'DATE' ? T.date : T.timestamp };
        }
        break;
      case 'INTERVAL':
        this.unsupported('INTERVAL literals');
      // falls through: unsupported() never returns
      case 'EXISTS':
        if (this.isOp('(', 1)) this.unsupported('EXISTS (subquery)');
        break;
      case 'CAST': {
        if (!this.isOp('(', 1)) break;
        this.next();
        this.next();
        const operand = this.expr();
        this.expectKeyword('AS');
        const type = this.type();
        this.expectOp(')');
        return { kind: 'cast', at: t.offset, operand, type };
      }
      case 'CASE':
        return this.caseExpr();
      case 'CURRENT_DATE':
      case 'CURRENT_TIMESTAMP':
        if (!this.isOp('(', 1)) {
          this.next();
          return { kind: 'call', at: t.offset, name: t.value.toLowerCase(), args: [], distinct: false, star: false };
        }
        break;
    }
    return this.columnOrCall();
  }

  private columnOrCall(): Expr {
    const t = this.next();
    const name = t.value.toLowerCase();
    if (t.kind === 'ident' && this.isOp('(')) {
      this.next();
      let distinct = false;
      let star = false;
      const args: Expr[] = [];
      if (this.acceptOp('*')) star = true;
      else if (!this.isOp(')')) {
        distinct = this.acceptKeyword('DISTINCT');
        if (!distinct) this.acceptKeyword('ALL');
        do args.push(this.expr());
        while (this.acceptOp(','));
      }
      this.expectOp(')');
      if (this.isKeyword('OVER')) this.unsupported(`window function ${name}() OVER`);
      if (this.isKeyword('WITHIN')) this.unsupported(`${name}() WITHIN GROUP`);
      return { kind: 'call', at: t.offset, name, args, distinct, star };
    }
    if (this.isOp('.')) {
      const next = this.peek(1);
      if (next.kind === 'ident' || next.kind === 'quoted-ident') {
        this.next();
        this.next();
        return { kind: 'column', at: t.offset, qualifier: name, name: next.value.toLowerCase() };
      }
    }
    if (t.kind === 'ident' && RESERVED_SINCE_HIVE12.has(t.upper) && !['DATE', 'TIMESTAMP', 'USER'].includes(t.upper)) {
      this.fail(`${t.value} is a reserved word: quote it with backquotes to use it as a name`, t);
    }
    return { kind: 'column', at: t.offset, name };
  }

  private caseExpr(): Expr {
    const t = this.next();
    const operand = this.isKeyword('WHEN') ? undefined : this.expr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptKeyword('WHEN')) {
      const when = this.expr();
      this.expectKeyword('THEN');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) this.fail('CASE needs at least one WHEN');
    const otherwise = this.acceptKeyword('ELSE') ? this.expr() : undefined;
    this.expectKeyword('END');
    return { kind: 'case', at: t.offset, operand, whens, otherwise };
  }
}

/** Hive's numeric literal typing: INT if it fits, else BIGINT; a decimal point or exponent is DOUBLE; suffixes L S Y BD D. */
function numberLiteral(t: Token, fail: (m: string) => never): Expr {
  const text = t.value;
  const m = /^(.*?)(BD|L|S|Y|D)?$/i.exec(text)!;
  const body = m[1]!;
  const suffix = m[2]?.toUpperCase();
  const value = Number(body);
  if (!Number.isFinite(value)) fail(`invalid number ${text}`);
  const integral = /^\d+$/.test(body);
  let type: HiveType;
  switch (suffix) {
    case 'L':
      type = T.bigint;
      break;
    case 'S':
      type = T.smallint;
      break;
    case 'Y':
      type = T.tinyint;
      break;
    case 'D':
      type = T.double;
      break;
    case 'BD': {
      const [int = '', frac = ''] = body.split('.');
      const digits = (int.replace(/^0+/, '') + frac).length || 1;
      type = decimalType(Math.max(digits, frac.length), frac.length);
      break;
    }
    default:
      type = !integral ? T.double : value <= 2147483647 ? T.int : T.bigint;
  }
  if (integral && suffix !== 'BD' && suffix !== 'D' && !Number.isSafeInteger(value)) fail(`integer literal ${text} is out of range`);
  return { kind: 'literal', at: t.offset, value, type };
}
