/**
 * Every jobs/*.q must run unchanged on EMR (Hive 3.1) and on the local engine.
 * Hive itself is not available here, so the closest check is dt-sql-parser's
 * HiveSQL grammar: it follows Hive 4 and is stricter than Hive 3 (it rejects
 * the tutorial's unquoted `Time` column, as Hive 3 does). The rest checks the
 * conventions the CLI, the API and the local engine rely on.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HiveSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';

const JOBS_DIR = fileURLToPath(new URL('../jobs', import.meta.url));
const jobFiles = readdirSync(JOBS_DIR)
  .filter((f) => f.endsWith('.q'))
  .sort();

/** Plausible values, as a user would pass them with -d NAME=VALUE. */
const VALUES: Record<string, string> = {
  INPUT: 's3://us-east-1.elasticmapreduce.samples',
  OUTPUT: 's3://amzn-s3-demo-bucket/loghive',
  FROM: '2014-07-05',
  TO: '2014-08-05',
};

/** The tutorial's pattern as it appears inside its Hive string literal (REFERENCE §1). */
const TUTORIAL_REGEX =
  '^(?!#)([^ ]+)\\\\s+([^ ]+)\\\\s+([^ ]+)\\\\s+([^ ]+)\\\\s+([^ ]+)\\\\s+([^ ]+)\\\\s+([^ ]+)\\\\s+([^ ]+)\\\\s+([^ ]+)\\\\s+([^ ]+)\\\\s+[^\\(]+[\\(]([^\\;]+).*\\%20([^\\/]+)[\\/](.*)$';

type Piece = { kind: 'code' | 'string' | 'comment' | 'backquoted'; text: string };

/** Splits HiveQL into code, string literals (with backslash escapes), backquoted names and `--` comments. */
function lex(sql: string): Piece[] {
  const pieces: Piece[] = [];
  let code = '';
  let i = 0;
  const flush = (): void => {
    if (code) pieces.push({ kind: 'code', text: code });
    code = '';
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      flush();
      let j = i + 1;
      while (j < sql.length && sql[j] !== c) j += c !== '`' && sql[j] === '\\' ? 2 : 1;
      pieces.push({ kind: c === '`' ? 'backquoted' : 'string', text: sql.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      flush();
      const end = sql.indexOf('\n', i);
      const j = end < 0 ? sql.length : end;
      pieces.push({ kind: 'comment', text: sql.slice(i, j) });
      i = j;
    } else {
      code += c;
      i++;
    }
  }
  flush();
  return pieces;
}

/** Statements separated by `;` outside literals and comments, comments removed, empty ones dropped. */
function statements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of lex(sql)) {
    if (piece.kind === 'comment') continue;
    if (piece.kind !== 'code') {
      current += piece.text;
      continue;
    }
    const parts = piece.text.split(';');
    current += parts[0];
    for (const part of parts.slice(1)) {
      out.push(current.trim());
      current = part;
    }
  }
  out.push(current.trim());
  return out.filter((s) => s.length > 0);
}

function substitute(sql: string): string {
  return sql.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = VALUES[name];
    if (value === undefined) throw new Error(`no test value for \${${name}}`);
    return value;
  });
}

interface Header {
  job?: string;
  variables: Map<string, string>;
  lines: string[];
}

/** The leading `--` block; `-- Variables:` is followed by `--   NAME   description, e.g. value` lines. */
function header(text: string): Header {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('--')) break;
    lines.push(line);
  }
  const variables = new Map<string, string>();
  const start = lines.findIndex((l) => /^-- Variables:\s*$/.test(l));
  if (start >= 0) {
    for (const line of lines.slice(start + 1)) {
      const m = /^--\s{3}([A-Z][A-Z0-9_]*)\s+(\S.*)$/.exec(line);
      if (!m) break;
      variables.set(m[1]!, m[2]!);
    }
  }
  const job = /^-- Job:\s+(\S+)\s*$/.exec(lines[0] ?? '')?.[1];
  return { job, variables, lines };
}

describe('jobs/*.q', () => {
  it('has the expected jobs', () => {
    expect(jobFiles).toEqual(
      [
        'browsers.q',
        'cloudfront_standard_status.q',
        'combined_top_pages.q',
        'daily_traffic.q',
        'edge_bytes.q',
        'hourly_requests.q',
        'os_requests.q',
        'status_codes.q',
        'top_404_uris.q',
        'top_uris.q',
        'unique_visitors.q',
      ].sort(),
    );
  });

  describe.each(jobFiles)('%s', (file) => {
    const name = file.replace(/\.q$/, '');
    const text = readFileSync(join(JOBS_DIR, file), 'utf8');
    const pieces = lex(text);

    it('parses with dt-sql-parser HiveSQL, statement by statement', () => {
      const parser = new HiveSQL();
      const sqls = statements(substitute(text));
      expect(sqls.length).toBe(2);
      for (const sql of sqls) {
        const errors = parser.validate(sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`);
        expect(errors, sql).toEqual([]);
      }
    });

    it('creates its table, then writes OUTPUT/<job name>/', () => {
      const [ddl, insert] = statements(text);
      expect(ddl).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS \w+ \(/);
      expect(ddl).toMatch(/LOCATION '\$\{INPUT\}\/[^']+'/);
      expect(insert).toMatch(new RegExp(`^INSERT OVERWRITE DIRECTORY '\\$\\{OUTPUT\\}/${name}/'\\s+SELECT\\s`));
    });

    it('has a header naming the job, what it answers, what it reads, its variables with examples, its output', () => {
      const h = header(text);
      expect(h.job).toBe(name);
      for (const section of ['Answers:', 'Reads:', 'Variables:', 'Output:']) {
        expect(h.lines.some((l) => l.startsWith(`-- ${section}`)), section).toBe(true);
      }
      const used = new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!));
      expect([...h.variables.keys()].sort()).toEqual([...used].sort());
      for (const required of ['INPUT', 'OUTPUT', 'FROM', 'TO']) expect(h.variables.has(required), required).toBe(true);
      for (const [variable, description] of h.variables) expect(description, variable).toMatch(/e\.g\. \S/);
    });

    it('uses variables only inside string literals', () => {
      for (const piece of pieces) {
        if (piece.kind !== 'string') expect(piece.text, piece.kind).not.toContain('${');
      }
    });

    it('keeps comments safe for the Hive CLI: whole lines, no quotes or semicolons', () => {
      // The Hive CLI drops lines that start with `--` before splitting on `;`;
      // a trailing comment or a quote in one could cut a statement in two.
      for (const line of text.split('\n')) {
        const comment = lex(line).find((p) => p.kind === 'comment');
        if (!comment) continue;
        expect(line.startsWith('--'), line).toBe(true);
        expect(comment.text, line).not.toMatch(/[;'"`]/);
      }
    });

    it('stays within the local engine subset: no joins, windows, CTEs, unions or SET', () => {
      const code = pieces
        .filter((p) => p.kind === 'code')
        .map((p) => p.text)
        .join(' ');
      expect(code).not.toMatch(/\b(JOIN|OVER|UNION|WITH\s+\w+\s+AS|SET|LATERAL|WINDOW)\b/i);
    });
  });

  it('repeats the same cloudfront_logs table in every job that reads it, with the tutorial pattern', () => {
    const ddls = jobFiles
      .map((f) => statements(readFileSync(join(JOBS_DIR, f), 'utf8'))[0]!)
      .filter((ddl) => /^CREATE EXTERNAL TABLE IF NOT EXISTS cloudfront_logs\b/.test(ddl));
    expect(ddls.length).toBe(9);
    expect(new Set(ddls).size).toBe(1);
    expect(ddls[0]).toContain(`"input.regex" = "${TUTORIAL_REGEX}"`);
    expect(ddls[0]).toContain('`Time` STRING');
    expect(ddls[0]).toContain("LOCATION '${INPUT}/cloudfront/data'");
  });

  it('keeps the tutorial query in os_requests', () => {
    const insert = statements(readFileSync(join(JOBS_DIR, 'os_requests.q'), 'utf8'))[1]!;
    expect(insert.replace(/\s+/g, ' ')).toBe(
      "INSERT OVERWRITE DIRECTORY '${OUTPUT}/os_requests/' SELECT os, COUNT(*) count FROM cloudfront_logs WHERE dateobject BETWEEN '${FROM}' AND '${TO}' GROUP BY os",
    );
  });

  it('the tutorial DDL as published fails at `Time`, which is why the jobs backquote it', () => {
    const published = statements(readFileSync(join(JOBS_DIR, 'os_requests.q'), 'utf8'))[0]!.replace('`Time`', 'Time');
    const errors = new HiveSQL().validate(substitute(published));
    expect(errors.length).toBeGreaterThan(0);
  });

  it('lists every job in jobs/README.md', () => {
    const readme = readFileSync(join(JOBS_DIR, 'README.md'), 'utf8');
    for (const file of jobFiles) expect(readme, file).toContain(`\`${file}\``);
  });
});
