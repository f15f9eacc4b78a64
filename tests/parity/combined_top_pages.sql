-- jobs/combined_top_pages.q.
-- split(path, '[?]')[0]: Hive splits with String.split(regex, -1), so element 0
-- is the text before the first '?' ('' when the path starts with '?'), which is
-- split_part(path, '?', 1).
-- The day goes through unix_timestamp/from_unixtime with SimpleDateFormat:
-- hive_dd_mmm_yyyy_to_iso encodes that lenient parse; log_date is a STRING, so
-- BETWEEN compares strings.
-- RLIKE is Matcher.find() (a match anywhere). Java's $ also matches before a
-- final line terminator, which RE2's does not, so that optional terminator is
-- spelled out.
SELECT page, COUNT(*) AS requests, COUNT(DISTINCT remote_host) AS visitors
FROM (
  SELECT
    remote_host,
    split_part(path, '?', 1) AS page,
    hive_dd_mmm_yyyy_to_iso(substr(request_time, 1, 11)) AS log_date,
    status
  FROM combined_logs
) requests_by_page
WHERE status BETWEEN 200 AND 299
  AND log_date BETWEEN '${FROM}' AND '${TO}'
  AND NOT regexp_matches(page, '[.](css|js|png|jpe?g|gif|ico|txt)(\r\n|[\n\r\x{85}\x{2028}\x{2029}])?$')
GROUP BY page
ORDER BY requests DESC NULLS LAST, page ASC NULLS FIRST
LIMIT 100;
