-- DuckDB macros that reproduce, by hand, the Hive 3.1 rules the jobs rely on.
-- Written from Hive's behaviour (REFERENCE.md sections 1 and 2, Hive's source),
-- independently of loghive's code: DuckDB's own casts differ from Hive's in
-- places (DuckDB trims blanks and rounds '1.5' to 2 when casting to INTEGER,
-- rejects '2014-07-32' as a DATE, and has no lenient parse), so each rule is
-- spelled out here instead of relying on TRY_CAST alone.

-- Hadoop's LineReader: a line ends at \n, \r or \r\n, the terminator is not part
-- of the line, a last line without terminator still counts, an empty file has no
-- lines. read_text gives one row per file, so line numbers are per file (what
-- skip.header.line.count counts). Files whose names start with _ or . are hidden
-- from Hadoop's input format, so they are left out too.
CREATE MACRO hive_lines(path) AS TABLE
  WITH files AS (
    SELECT filename, regexp_split_to_array(content, '\r\n|\r|\n') AS parts
    FROM read_text(path)
    WHERE NOT regexp_matches(filename, '(^|/)[_.][^/]*$')
  ),
  numbered AS (
    -- The piece after the final terminator (or the only piece of an empty file) is not a line.
    SELECT filename, parts, unnest(range(1, len(parts) + 1 - CASE WHEN parts[-1] = '' THEN 1 ELSE 0 END)) AS line_number
    FROM files
  )
  SELECT filename, line_number, parts[line_number] AS line FROM numbered;

-- String.trim(): strips every char <= U+0020 at both ends.
CREATE MACRO java_trim(s) AS regexp_replace(s, '^[\x00-\x20]+|[\x00-\x20]+$', '', 'g');

-- Hive 3.1 org.apache.hadoop.hive.common.type.Date.valueOf, used by RegexSerDe
-- (DATE columns) and LazySimpleSerDe (LazyDate): trim, cut at the first ' ' (else
-- the first 'T'), then y-M-d with 1-10 year digits (optional '-', but not -0),
-- 1-2 month digits, 1-2 day digits. Its formatter uses ResolverStyle.LENIENT, so
-- months and days overflow into the next unit instead of failing:
-- LocalDate.of(y, 1, 1).plusMonths(M - 1).plusDays(d - 1). Hence '2014-13-45' is
-- 2015-02-14, '2014-07-32' is 2014-08-01 and '2014-00-10' is 2013-12-10, not NULL.
-- (Years beyond DuckDB's DATE range come out NULL here; they do not occur.)
CREATE MACRO hive_date_text(s) AS
  CASE WHEN strpos(java_trim(s), ' ') > 0 THEN split_part(java_trim(s), ' ', 1)
       WHEN strpos(java_trim(s), 'T') > 0 THEN split_part(java_trim(s), 'T', 1)
       ELSE java_trim(s) END;
CREATE MACRO hive_date_valueof(s) AS
  CASE WHEN regexp_full_match(hive_date_text(s), '-?[0-9]{1,10}-[0-9]{1,2}-[0-9]{1,2}')
        AND NOT regexp_full_match(hive_date_text(s), '-0+-.*')
  THEN TRY(
    (make_date(CAST(regexp_extract(hive_date_text(s), '^(-?[0-9]+)-', 1) AS BIGINT), 1, 1)
      + to_months(CAST(regexp_extract(hive_date_text(s), '^-?[0-9]+-([0-9]+)-', 1) AS INTEGER) - 1))::DATE
      + (CAST(regexp_extract(hive_date_text(s), '-([0-9]+)$', 1) AS INTEGER) - 1))
  END;

-- RegexSerDe INT/BIGINT: Integer.valueOf / Long.valueOf on the group text: an
-- optional sign and digits, nothing else (no blanks, no fraction); out of range
-- is NULL. So '-' (CloudFront's empty field) is NULL. (Java also takes non-ASCII
-- Unicode digits; the data has none.)
CREATE MACRO hive_regex_int(s) AS CASE WHEN regexp_full_match(s, '[+-]?[0-9]+') THEN TRY_CAST(s AS INTEGER) END;
CREATE MACRO hive_regex_bigint(s) AS CASE WHEN regexp_full_match(s, '[+-]?[0-9]+') THEN TRY_CAST(s AS BIGINT) END;

-- LazyUtils.isNumberMaybe, the cheap pre-check of LazyInteger/LazyLong and of
-- CAST(string AS INT): on the byte length, '' is not a number, one byte must be a
-- digit, two bytes need a digit, four bytes must not start with N/n ('NULL').
CREATE MACRO hive_is_number_maybe(s) AS
  CASE strlen(s) WHEN 0 THEN false
                 WHEN 1 THEN regexp_full_match(s, '[0-9]')
                 WHEN 2 THEN regexp_matches(s, '[0-9]')
                 WHEN 4 THEN NOT (left(s, 1) IN ('N', 'n'))
                 ELSE true END;

-- LazyInteger.parseInt / LazyLong.parseLong: optional sign, digits (possibly
-- none), then an optional '.digits' tail that is checked and dropped ('1.9' is
-- 1, '.5' is 0); a lone sign fails. Returns the integer text, NULL on failure.
CREATE MACRO hive_lazy_integral_text(s) AS
  CASE WHEN regexp_full_match(s, '[+-]?[0-9]*([.][0-9]*)?') AND s NOT IN ('', '+', '-')
  THEN regexp_extract(s, '^([+-]?)', 1) || COALESCE(NULLIF(regexp_extract(s, '^[+-]?([0-9]*)', 1), ''), '0') END;

-- LazySimpleSerDe INT/BIGINT fields: no trimming; out of range is NULL.
CREATE MACRO hive_lazy_int(s) AS CASE WHEN hive_is_number_maybe(s) THEN TRY_CAST(hive_lazy_integral_text(s) AS INTEGER) END;
CREATE MACRO hive_lazy_bigint(s) AS CASE WHEN hive_is_number_maybe(s) THEN TRY_CAST(hive_lazy_integral_text(s) AS BIGINT) END;
-- LazyDate: fewer than 8 bytes is NULL without parsing, else Date.valueOf.
CREATE MACRO hive_lazy_date(s) AS CASE WHEN strlen(s) >= 8 THEN hive_date_valueof(s) END;
-- LazySimpleSerDe field i (1-based) of a split line: missing trailing fields are
-- NULL (DuckDB's out-of-range list index is NULL too), and \N is NULL.
CREATE MACRO hive_lazy_field(fields, i) AS CASE WHEN fields[i] = '\N' THEN NULL ELSE fields[i] END;

-- CAST(string AS INT), UDFToInteger: isNumberMaybe on the raw text, then
-- LazyInteger.parseInt with trim=true (ASCII whitespace: 9-13, 28-31, 32).
CREATE MACRO hive_cast_string_to_int(s) AS
  CASE WHEN hive_is_number_maybe(s)
  THEN TRY_CAST(hive_lazy_integral_text(regexp_replace(s, '^[\x09-\x0D\x1C-\x20]+|[\x09-\x0D\x1C-\x20]+$', '', 'g')) AS INTEGER) END;

-- unix_timestamp(s, 'dd/MMM/yyyy') then from_unixtime(..., 'yyyy-MM-dd'): Java's
-- SimpleDateFormat (en_US, lenient, session zone UTC on EMR) parses from the start
-- and ignores trailing text; numbers take as many digits as there are; the month
-- name matches the full or short English name in any case (longest first); a
-- lenient calendar lets days overflow ('32/Jul/2014' is 2014-08-01). Anything
-- else throws ParseException, and unix_timestamp returns NULL. Parsing and
-- formatting in the same zone, the round trip only normalises the date.
-- (A year with other than 4 digits or below 1000 does not occur in the data.)
CREATE MACRO hive_dd_mmm_yyyy_month(name) AS
  CASE lower(name)
    WHEN 'january' THEN 1 WHEN 'jan' THEN 1 WHEN 'february' THEN 2 WHEN 'feb' THEN 2
    WHEN 'march' THEN 3 WHEN 'mar' THEN 3 WHEN 'april' THEN 4 WHEN 'apr' THEN 4
    WHEN 'may' THEN 5 WHEN 'june' THEN 6 WHEN 'jun' THEN 6 WHEN 'july' THEN 7 WHEN 'jul' THEN 7
    WHEN 'august' THEN 8 WHEN 'aug' THEN 8 WHEN 'september' THEN 9 WHEN 'sep' THEN 9
    WHEN 'october' THEN 10 WHEN 'oct' THEN 10 WHEN 'november' THEN 11 WHEN 'nov' THEN 11
    WHEN 'december' THEN 12 WHEN 'dec' THEN 12 END;
CREATE MACRO hive_dd_mmm_yyyy_to_iso(s) AS
  CASE WHEN regexp_matches(s, '^[0-9]+/(?i:january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sep|october|oct|november|nov|december|dec)/[0-9]+')
  THEN strftime(TRY(
    make_date(CAST(regexp_extract(s, '^[0-9]+/[A-Za-z]+/([0-9]+)', 1) AS BIGINT),
              hive_dd_mmm_yyyy_month(regexp_extract(s, '^[0-9]+/([A-Za-z]+)/', 1)), 1)
    + (TRY_CAST(regexp_extract(s, '^([0-9]+)/', 1) AS INTEGER) - 1)), '%Y-%m-%d')
  END;
