-- Job:     combined_top_pages
-- Answers: Which 100 pages were served most often with a 2xx status between FROM and TO?
--          A page is the request path without its query string. Static assets (css, js,
--          images, icons, txt) are left out. Days are the server local days written in
--          the timestamps, whatever their UTC offset.
-- Reads:   combined_logs, Apache or nginx access logs in the combined format
--          (host ident user [time] request status bytes referer user-agent, RegexSerDe)
--          under INPUT/combined. Lines the pattern rejects (empty, truncated, a bare dash
--          or binary junk as the request) become all-NULL rows, which the filters drop.
--          The table properties name the column and pattern that give each line its day
--          when logs are ingested into the bucket (Hive ignores properties it does not know).
-- Variables:
--   INPUT   where the logs are, e.g. s3://amzn-s3-demo-bucket/apache or sample-data
--   OUTPUT  where results go, e.g. s3://amzn-s3-demo-bucket/loghive (this job writes OUTPUT/combined_top_pages/)
--   FROM    first day included, yyyy-MM-dd, e.g. 2014-07-05
--   TO      last day included, yyyy-MM-dd, e.g. 2014-08-05
-- Output:  page, requests, visitors (100 rows at most, most requested first, ties by page).
--          Hive text files, columns separated by ^A (\x01), NULL written as \N.
-- Chart:   bar page requests

CREATE EXTERNAL TABLE IF NOT EXISTS combined_logs (
  remote_host STRING,
  remote_logname STRING,
  remote_user STRING,
  request_time STRING,
  method STRING,
  path STRING,
  protocol STRING,
  status INT,
  response_bytes BIGINT,
  referer STRING,
  user_agent STRING
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES (
  'input.regex' = '^([^ ]+) ([^ ]+) ([^ ]+) \\[([^\\]]+)\\] "([^ "]+) ([^ "]+) ([^ "]+)" ([0-9]{3}) ([0-9]+|-) "([^"]*)" "([^"]*)"$'
) LOCATION '${INPUT}/combined'
TBLPROPERTIES ('loghive.partition.column'='request_time', 'loghive.partition.format'='dd/MMM/yyyy:HH:mm:ss Z');

INSERT OVERWRITE DIRECTORY '${OUTPUT}/combined_top_pages/'
SELECT page, COUNT(*) AS requests, COUNT(DISTINCT remote_host) AS visitors
FROM (
  SELECT
    remote_host,
    split(path, '[?]')[0] AS page,
    from_unixtime(unix_timestamp(substr(request_time, 1, 11), 'dd/MMM/yyyy'), 'yyyy-MM-dd') AS log_date,
    status
  FROM combined_logs
) requests_by_page
WHERE status BETWEEN 200 AND 299
  AND log_date BETWEEN '${FROM}' AND '${TO}'
  AND NOT (page RLIKE '[.](css|js|png|jpe?g|gif|ico|txt)$')
GROUP BY page
ORDER BY requests DESC, page
LIMIT 100;
