/**
 * Words that end an expression or a select item: an identifier after an
 * expression is taken as its alias unless it is one of these.
 */
export const CLAUSE_KEYWORDS = new Set([
  'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'AS', 'ON', 'JOIN', 'LEFT', 'RIGHT', 'FULL', 'INNER', 'CROSS',
  'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'LATERAL', 'CLUSTER', 'DISTRIBUTE', 'SORT', 'WINDOW', 'AND', 'OR', 'NOT',
  'BETWEEN', 'IN', 'LIKE', 'RLIKE', 'REGEXP', 'IS', 'THEN', 'WHEN', 'ELSE', 'END', 'ASC', 'DESC', 'NULLS', 'OVER',
  'SELECT', 'INSERT', 'TABLESAMPLE', 'DIV',
]);

/** Reserved in Hive 3.1 (EMR 6/7) but not in Hive 2.3 (EMR 5): a script using them unquoted only runs on older EMR releases. */
export const NEWLY_RESERVED_IN_HIVE3 = new Set(['TIME', 'NUMERIC', 'SYNC']);

/** Reserved since Hive 1.2 (hive.support.sql11.reserved.keywords). */
export const RESERVED_SINCE_HIVE12 = new Set([
  'ALL', 'ALTER', 'AND', 'ARRAY', 'AS', 'AUTHORIZATION', 'BETWEEN', 'BIGINT', 'BINARY', 'BOOLEAN', 'BOTH', 'BY', 'CASE',
  'CAST', 'CHAR', 'COLUMN', 'CONF', 'CREATE', 'CROSS', 'CUBE', 'CURRENT', 'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'CURSOR',
  'DATABASE', 'DATE', 'DECIMAL', 'DELETE', 'DESCRIBE', 'DISTINCT', 'DOUBLE', 'DROP', 'ELSE', 'END', 'EXCHANGE', 'EXISTS',
  'EXTENDED', 'EXTERNAL', 'FALSE', 'FETCH', 'FLOAT', 'FOLLOWING', 'FOR', 'FROM', 'FULL', 'FUNCTION', 'GRANT', 'GROUP',
  'GROUPING', 'HAVING', 'IF', 'IMPORT', 'IN', 'INNER', 'INSERT', 'INT', 'INTERSECT', 'INTERVAL', 'INTO', 'IS', 'JOIN',
  'LATERAL', 'LEFT', 'LESS', 'LIKE', 'LOCAL', 'MACRO', 'MAP', 'MORE', 'NONE', 'NOT', 'NULL', 'OF', 'ON', 'OR', 'ORDER',
  'OUT', 'OUTER', 'OVER', 'PARTIALSCAN', 'PARTITION', 'PERCENT', 'PRECEDING', 'PRESERVE', 'PROCEDURE', 'RANGE', 'READS',
  'REDUCE', 'REVOKE', 'RIGHT', 'ROLLUP', 'ROW', 'ROWS', 'SELECT', 'SET', 'SMALLINT', 'TABLE', 'TABLESAMPLE', 'THEN',
  'TIMESTAMP', 'TO', 'TRANSFORM', 'TRIGGER', 'TRUE', 'TRUNCATE', 'UNBOUNDED', 'UNION', 'UNIQUEJOIN', 'UPDATE', 'USER',
  'USING', 'VALUES', 'VARCHAR', 'WHEN', 'WHERE', 'WINDOW', 'WITH',
]);
