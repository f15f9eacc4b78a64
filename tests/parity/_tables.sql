-- The three tables the jobs declare, built by DuckDB from the raw files under
-- ${INPUT}: it reads the files itself (hive_lines) and parses lines with its own
-- regex engine (RE2), so nothing here goes through loghive. Materialised once
-- (the files do not change during the test) rather than re-parsed per job.

-- cloudfront_logs: RegexSerDe with the EMR tutorial's input.regex. After Hive's
-- string unescaping the Java regex is
--   ^(?!#)([^ ]+)\s+ ... ([^ ]+)\s+[^\(]+[\(]([^\;]+).*\%20([^\/]+)[\/](.*)$
-- Rewritten for RE2, with the same meaning:
--   (?!#)  RE2 has no lookahead: at the start of the line it only says the first
--          char is not '#', so it becomes NOT starts_with(line, '#').
--   \s     Java's \s is [ \t\n\x0B\f\r]; RE2's \s lacks \x0B, so the class is spelled out.
--   .      Java's dot excludes the line terminators \n \r \u0085 \u2028 \u2029
--          (RE2's only excludes \n), so it is spelled out too.
--   [^\(] [\(] [^\;] \%20 [^\/] [\/]  are plain [^(] \( [^;] %20 [^/] /.
-- RegexSerDe uses Matcher.matches() (the whole line), hence regexp_full_match;
-- RE2 picks the same submatches as Java's backtracking for the same pattern
-- (leftmost-first, greedy). A line that does not match is a row of NULLs.
CREATE TABLE cloudfront_logs AS
WITH parsed AS (
  SELECT
    NOT starts_with(line, '#')
      AND regexp_full_match(line, '([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+[^(]+\(([^;]+)[^\n\r\x{85}\x{2028}\x{2029}]*%20([^/]+)/([^\n\r\x{85}\x{2028}\x{2029}]*)') AS matched,
    regexp_extract(line, '^([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+([^ ]+)[ \t\n\x0B\f\r]+[^(]+\(([^;]+)[^\n\r\x{85}\x{2028}\x{2029}]*%20([^/]+)/([^\n\r\x{85}\x{2028}\x{2029}]*)$',
      ['dateobject', 'time', 'location', 'bytes', 'requestip', 'method', 'host', 'uri', 'status', 'referrer', 'os', 'browser', 'browserversion']) AS g
  FROM hive_lines('${INPUT}/cloudfront/data/*')
)
SELECT
  -- A group that fails its type's conversion is NULL for that column only.
  CASE WHEN matched THEN hive_date_valueof(g.dateobject) END AS dateobject,
  CASE WHEN matched THEN g.time END AS "time",
  CASE WHEN matched THEN g.location END AS location,
  CASE WHEN matched THEN hive_regex_int(g.bytes) END AS bytes,
  CASE WHEN matched THEN g.requestip END AS requestip,
  CASE WHEN matched THEN g.method END AS method,
  CASE WHEN matched THEN g.host END AS host,
  CASE WHEN matched THEN g.uri END AS uri,
  CASE WHEN matched THEN hive_regex_int(g.status) END AS status,
  CASE WHEN matched THEN g.referrer END AS referrer,
  CASE WHEN matched THEN g.os END AS os,
  CASE WHEN matched THEN g.browser END AS browser,
  CASE WHEN matched THEN g.browserversion END AS browserversion
FROM parsed;

-- cloudfront_standard_logs: LazySimpleSerDe, fields split on each tab (extra
-- fields ignored, missing ones NULL), skip.header.line.count=2 skips the first
-- two lines of each file (not header lines met later). Only the columns the job
-- reads are built here.
CREATE TABLE cloudfront_standard_logs AS
WITH fields AS (
  SELECT string_split(line, chr(9)) AS f
  FROM hive_lines('${INPUT}/cloudfront-standard/*')
  WHERE line_number > 2
)
SELECT
  hive_lazy_date(hive_lazy_field(f, 1)) AS "date",
  hive_lazy_bigint(hive_lazy_field(f, 4)) AS sc_bytes,
  hive_lazy_int(hive_lazy_field(f, 9)) AS sc_status,
  hive_lazy_field(f, 14) AS x_edge_result_type
FROM fields;

-- combined_logs: RegexSerDe. The pattern, after Hive's unescaping of the single-
-- quoted literal, is valid and means the same in RE2 (no \s, no dot, no lookahead).
CREATE TABLE combined_logs AS
WITH parsed AS (
  SELECT
    regexp_full_match(line, '([^ ]+) ([^ ]+) ([^ ]+) \[([^\]]+)\] "([^ "]+) ([^ "]+) ([^ "]+)" ([0-9]{3}) ([0-9]+|-) "([^"]*)" "([^"]*)"') AS matched,
    regexp_extract(line, '^([^ ]+) ([^ ]+) ([^ ]+) \[([^\]]+)\] "([^ "]+) ([^ "]+) ([^ "]+)" ([0-9]{3}) ([0-9]+|-) "([^"]*)" "([^"]*)"$',
      ['remote_host', 'remote_logname', 'remote_user', 'request_time', 'method', 'path', 'protocol', 'status', 'response_bytes', 'referer', 'user_agent']) AS g
  FROM hive_lines('${INPUT}/combined/*')
)
SELECT
  CASE WHEN matched THEN g.remote_host END AS remote_host,
  CASE WHEN matched THEN g.remote_logname END AS remote_logname,
  CASE WHEN matched THEN g.remote_user END AS remote_user,
  CASE WHEN matched THEN g.request_time END AS request_time,
  CASE WHEN matched THEN g.method END AS method,
  CASE WHEN matched THEN g.path END AS path,
  CASE WHEN matched THEN g.protocol END AS protocol,
  CASE WHEN matched THEN hive_regex_int(g.status) END AS status,
  CASE WHEN matched THEN hive_regex_bigint(g.response_bytes) END AS response_bytes,
  CASE WHEN matched THEN g.referer END AS referer,
  CASE WHEN matched THEN g.user_agent END AS user_agent
FROM parsed;
