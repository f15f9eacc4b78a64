import type { HiveType } from './types.js';

/** Every node remembers the offset of its first token in its statement's text. */
interface Node {
  readonly at: number;
}

export type Expr =
  | LiteralExpr
  | ColumnRefExpr
  | UnaryExpr
  | BinaryExpr
  | FunctionCallExpr
  | CaseExpr
  | CastExpr
  | BetweenExpr
  | InExpr
  | LikeExpr
  | IsNullExpr
  | IndexExpr;

export interface LiteralExpr extends Node {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
  readonly type: HiveType;
}
export interface ColumnRefExpr extends Node {
  readonly kind: 'column';
  readonly qualifier?: string;
  /** Lower-cased: Hive identifiers are case-insensitive. */
  readonly name: string;
}
export interface UnaryExpr extends Node {
  readonly kind: 'unary';
  readonly op: 'NOT' | '-' | '+' | '~';
  readonly operand: Expr;
}
export type BinaryOp = 'AND' | 'OR' | '=' | '==' | '<=>' | '<>' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | 'DIV' | '||' | '&' | '|' | '^';
export interface BinaryExpr extends Node {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface FunctionCallExpr extends Node {
  readonly kind: 'call';
  /** Lower-cased. */
  readonly name: string;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  /** `COUNT(*)`. */
  readonly star: boolean;
}
export interface CaseExpr extends Node {
  readonly kind: 'case';
  readonly operand?: Expr;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly otherwise?: Expr;
}
export interface CastExpr extends Node {
  readonly kind: 'cast';
  readonly operand: Expr;
  readonly type: HiveType;
}
export interface BetweenExpr extends Node {
  readonly kind: 'between';
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
}
export interface InExpr extends Node {
  readonly kind: 'in';
  readonly operand: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
}
export interface LikeExpr extends Node {
  readonly kind: 'like';
  readonly op: 'LIKE' | 'RLIKE';
  readonly operand: Expr;
  readonly pattern: Expr;
  readonly negated: boolean;
}
export interface IsNullExpr extends Node {
  readonly kind: 'isnull';
  readonly operand: Expr;
  readonly negated: boolean;
}
export interface IndexExpr extends Node {
  readonly kind: 'index';
  readonly operand: Expr;
  readonly index: Expr;
}

export type SelectItem =
  | (Node & { readonly kind: 'star'; readonly qualifier?: string })
  | (Node & { readonly kind: 'expr'; readonly expr: Expr; readonly alias?: string });

export type FromSource =
  | (Node & { readonly kind: 'table'; readonly name: string; readonly alias?: string })
  | (Node & { readonly kind: 'subquery'; readonly query: SelectQuery; readonly alias: string });

export interface OrderItem extends Node {
  readonly expr: Expr;
  readonly descending: boolean;
  /** Hive's default: NULLS FIRST for ASC, NULLS LAST for DESC. */
  readonly nullsFirst: boolean;
}

export interface SelectQuery extends Node {
  readonly kind: 'select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from: FromSource;
  readonly where?: Expr;
  readonly groupBy: readonly Expr[];
  readonly having?: Expr;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: number;
}

export interface ColumnDef {
  /** Lower-cased. */
  readonly name: string;
  readonly type: HiveType;
  readonly comment?: string;
  readonly at: number;
}

export type RowFormat =
  | { readonly kind: 'serde'; readonly className: string; readonly properties: ReadonlyMap<string, string> }
  | {
      readonly kind: 'delimited';
      readonly fieldsTerminatedBy?: string;
      readonly escapedBy?: string;
      readonly collectionItemsTerminatedBy?: string;
      readonly mapKeysTerminatedBy?: string;
      readonly linesTerminatedBy?: string;
      readonly nullDefinedAs?: string;
    };

export interface CreateTableStatement extends Node {
  readonly kind: 'create-table';
  readonly name: string;
  readonly external: boolean;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDef[];
  readonly partitionedBy: readonly ColumnDef[];
  readonly rowFormat?: RowFormat;
  readonly storedAs?: string;
  readonly location?: string;
  readonly tblProperties: ReadonlyMap<string, string>;
}
export interface DropTableStatement extends Node {
  readonly kind: 'drop-table';
  readonly name: string;
  readonly ifExists: boolean;
}
export interface MsckRepairStatement extends Node {
  readonly kind: 'msck-repair';
  readonly name: string;
}
export interface PartitionSpec {
  readonly values: ReadonlyMap<string, string>;
  readonly location?: string;
  readonly at: number;
}
export interface AddPartitionStatement extends Node {
  readonly kind: 'add-partition';
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly partitions: readonly PartitionSpec[];
}
export interface SetStatement extends Node {
  readonly kind: 'set';
  /** `undefined` for a bare `SET;` that lists the configuration. */
  readonly key?: string;
  readonly value?: string;
}
export interface UseStatement extends Node {
  readonly kind: 'use';
  readonly database: string;
}
export interface InsertDirectoryStatement extends Node {
  readonly kind: 'insert-directory';
  readonly local: boolean;
  readonly path: string;
  readonly rowFormat?: RowFormat;
  readonly storedAs?: string;
  readonly query: SelectQuery;
}
export interface QueryStatement extends Node {
  readonly kind: 'query';
  readonly query: SelectQuery;
}

export type Statement =
  | CreateTableStatement
  | DropTableStatement
  | MsckRepairStatement
  | AddPartitionStatement
  | SetStatement
  | UseStatement
  | InsertDirectoryStatement
  | QueryStatement;
