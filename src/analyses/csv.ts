/**
 * RFC 4180 CSV (csv-stringify is not a dependency, and the rule is short): a
 * field is quoted when it holds a comma, a double quote, CR or LF, or starts
 * or ends with a space (spreadsheets trim those); quotes inside are doubled;
 * records end with CRLF.
 */
export function csvField(value: string): string {
  return /[",\r\n]|^ | $/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
