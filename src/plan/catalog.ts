import type { AddPartitionStatement, ColumnDef, CreateTableStatement, RowFormat } from '../hive/ast.js';
import { SemanticError, UnsupportedError, type SourcePosition } from '../hive/errors.js';
import { T } from '../hive/types.js';
import { LAZY_SIMPLE_SERDE, LazySimpleSerDe, separatorChar } from '../serde/lazy-simple-serde.js';
import { OPEN_CSV_SERDE, OpenCsvSerDe } from '../serde/open-csv-serde.js';
import { REGEX_SERDE, RegexSerDe } from '../serde/regex-serde.js';
import type { NeededColumns, SerDe } from '../serde/serde.js';
import type { StorageRegistry } from '../storage/registry.js';

export interface Partition {
  /** Partition column name → value, in the table's partition column order. */
  readonly values: ReadonlyMap<string, string>;
  readonly location: string;
}

/** A table as CREATE TABLE defined it, plus its registered partitions. */
export interface TableDefinition {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly partitionColumns: readonly ColumnDef[];
  readonly rowFormat?: RowFormat;
  readonly location: string;
  readonly skipHeaderLines: number;
  readonly skipFooterLines: number;
  readonly partitions: Map<string, Partition>;
  /** Where the CREATE TABLE is, for messages. */
  readonly definedAt: SourcePosition;
  /** Builds the SerDe for this table, converting only the needed columns. */
  createSerDe(needed?: NeededColumns): SerDe;
}

const SERDE_ALIASES: Record<string, string> = {
  [REGEX_SERDE]: REGEX_SERDE,
  'org.apache.hadoop.hive.contrib.serde2.RegexSerDe': REGEX_SERDE,
  [LAZY_SIMPLE_SERDE]: LAZY_SIMPLE_SERDE,
  [OPEN_CSV_SERDE]: OPEN_CSV_SERDE,
};

/**
 * The metastore of one run: tables from CREATE TABLE, partitions from
 * MSCK REPAIR and ALTER TABLE … ADD PARTITION. Like Hive's embedded metastore
 * in a fresh session, it starts empty.
 */
export class Catalog {
  private readonly tables = new Map<string, TableDefinition>();

  constructor(private readonly storage: StorageRegistry) {}

  get(name: string): TableDefinition | undefined {
    return this.tables.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.tables.keys()];
  }

  drop(name: string): boolean {
    return this.tables.delete(name.toLowerCase());
  }

  /** Returns false when the table existed and IF NOT EXISTS kept the old one. */
  create(stmt: CreateTableStatement, where: (offset: number) => SourcePosition): boolean {
    const at = where(stmt.at);
    if (this.tables.has(stmt.name)) {
      if (stmt.ifNotExists) return false;
      throw new SemanticError(`table ${stmt.name} already exists`, at);
    }
    if (stmt.storedAs !== undefined && stmt.storedAs !== 'TEXTFILE') throw new UnsupportedError(`STORED AS ${stmt.storedAs} (only TEXTFILE is)`, at);
    if (stmt.location === undefined) {
      throw new UnsupportedError('a managed table without LOCATION (the local engine has no warehouse directory; add LOCATION)', at);
    }
    const seen = new Set<string>();
    for (const c of [...stmt.columns, ...stmt.partitionedBy]) {
      if (seen.has(c.name)) throw new SemanticError(`duplicate column name ${c.name}`, where(c.at));
      seen.add(c.name);
    }
    const rowFormat = stmt.rowFormat;
    const className = rowFormat?.kind === 'serde' ? SERDE_ALIASES[rowFormat.className] : LAZY_SIMPLE_SERDE;
    if (className === undefined) throw new UnsupportedError(`the SerDe ${(rowFormat as { className: string }).className}`, at);
    // OpenCSVSerde exposes every column as a string, whatever the DDL says.
    const columns = className === OPEN_CSV_SERDE ? stmt.columns.map((c) => ({ ...c, type: T.string })) : stmt.columns;
    const intProp = (key: string) => {
      const v = stmt.tblProperties.get(key);
      if (v === undefined) return 0;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new SemanticError(`TBLPROPERTIES '${key}' must be a non-negative integer, not '${v}'`, at);
      return n;
    };
    const serdeProps = rowFormat?.kind === 'serde' ? rowFormat.properties : new Map<string, string>();
    const createSerDe = (needed?: NeededColumns): SerDe => {
      if (className === REGEX_SERDE) return new RegexSerDe(columns, serdeProps, at, needed);
      if (className === OPEN_CSV_SERDE) return new OpenCsvSerDe(columns, serdeProps);
      const d = rowFormat?.kind === 'delimited' ? rowFormat : undefined;
      const fieldSpec = d?.fieldsTerminatedBy ?? serdeProps.get('field.delim') ?? serdeProps.get('serialization.format');
      return new LazySimpleSerDe(
        columns,
        {
          fieldDelimiter: separatorChar(fieldSpec, '\u0001'),
          escapeChar: d?.escapedBy ?? serdeProps.get('escape.delim'),
          nullSequence: d?.nullDefinedAs ?? serdeProps.get('serialization.null.format') ?? '\\N',
          collectionDelimiter: separatorChar(d?.collectionItemsTerminatedBy ?? serdeProps.get('collection.delim'), '\u0002'),
        },
        needed,
      );
    };
    // Build once now so that a bad regex or column mismatch fails at CREATE TABLE, as in Hive.
    createSerDe();
    this.tables.set(stmt.name, {
      name: stmt.name,
      columns,
      partitionColumns: stmt.partitionedBy,
      rowFormat,
      location: stmt.location.replace(/\/+$/, ''),
      skipHeaderLines: intProp('skip.header.line.count'),
      skipFooterLines: intProp('skip.footer.line.count'),
      partitions: new Map(),
      definedAt: at,
      createSerDe,
    });
    return true;
  }

  /** MSCK REPAIR TABLE: registers every `k=v/…` directory under the table's location. Returns the partitions added. */
  async repair(name: string, at: SourcePosition): Promise<Partition[]> {
    const table = this.require(name, at);
    if (table.partitionColumns.length === 0) throw new SemanticError(`table ${name} is not partitioned`, at);
    const storage = this.storage.resolve(table.location);
    const added: Partition[] = [];
    const walk = async (location: string, depth: number, values: Map<string, string>): Promise<void> => {
      if (depth === table.partitionColumns.length) {
        const key = partitionKey(table, values);
        if (!table.partitions.has(key)) {
          const p = { values: new Map(values), location };
          table.partitions.set(key, p);
          added.push(p);
        }
        return;
      }
      const col = table.partitionColumns[depth]!;
      for (const dir of await storage.listDirectories(location)) {
        const base = dir.replace(/\/+$/, '').split('/').pop()!;
        const eq = base.indexOf('=');
        if (eq < 0 || base.slice(0, eq).toLowerCase() !== col.name) continue;
        values.set(col.name, unescapePathName(base.slice(eq + 1)));
        await walk(dir, depth + 1, values);
        values.delete(col.name);
      }
    };
    await walk(table.location, 0, new Map());
    return added;
  }

  addPartitions(stmt: AddPartitionStatement, where: (offset: number) => SourcePosition): void {
    const table = this.require(stmt.name, where(stmt.at));
    for (const spec of stmt.partitions) {
      const at = where(spec.at);
      const names = table.partitionColumns.map((c) => c.name);
      const given = [...spec.values.keys()];
      if (given.length !== names.length || !names.every((n) => spec.values.has(n))) {
        throw new SemanticError(`partition spec (${given.join(', ')}) does not match the partition columns (${names.join(', ')}) of ${table.name}`, at);
      }
      const key = partitionKey(table, spec.values);
      if (table.partitions.has(key)) {
        if (stmt.ifNotExists) continue;
        throw new SemanticError(`partition ${key} already exists in ${table.name}`, at);
      }
      const storage = this.storage.resolve(table.location);
      const location = spec.location ?? storage.join(table.location, ...names.map((n) => `${n}=${escapePathName(spec.values.get(n)!)}`));
      table.partitions.set(key, { values: new Map(names.map((n) => [n, spec.values.get(n)!])), location });
    }
  }

  require(name: string, at: SourcePosition): TableDefinition {
    const t = this.get(name);
    if (!t) throw new SemanticError(`Table not found '${name}'`, at);
    return t;
  }
}

function partitionKey(table: TableDefinition, values: ReadonlyMap<string, string>): string {
  return table.partitionColumns.map((c) => `${c.name}=${values.get(c.name)}`).join('/');
}

/** Hive escapes these characters in partition directory names as %XX (FileUtils.escapePathName). */
function escapePathName(value: string): string {
  return value.replace(/["#%'*/:=?\\\u007f{}[\]^\u0000-\u001f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function unescapePathName(name: string): string {
  return name.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}
