-- Job:     hourly_requests
-- Answers: How are requests spread over the hours of the day (UTC) between FROM and TO?
--          The hour is the first two characters of the time column (HH:mm:ss).
-- Reads:   cloudfront_logs, the EMR tutorial CloudFront sample format (11 tab-separated fields,
--          RegexSerDe with the tutorial pattern) under INPUT/cloudfront/data.
--          Lines the pattern rejects become all-NULL rows, and the date filter drops them.
-- Variables:
--   INPUT   where the logs are, e.g. s3://us-east-1.elasticmapreduce.samples or sample-data
--   OUTPUT  where results go, e.g. s3://amzn-s3-demo-bucket/loghive (this job writes OUTPUT/hourly_requests/)
--   FROM    first day included, yyyy-MM-dd, e.g. 2014-07-05
--   TO      last day included, yyyy-MM-dd, e.g. 2014-08-05
-- Output:  hour_of_day, requests, total_bytes (one row per hour 0 to 23 that has requests, by hour).
--          Hive text files, columns separated by ^A (\x01), NULL written as \N.
-- Chart:   line hour_of_day requests

CREATE EXTERNAL TABLE IF NOT EXISTS cloudfront_logs (
  DateObject Date,
  `Time` STRING,
  Location STRING,
  Bytes INT,
  RequestIP STRING,
  Method STRING,
  Host STRING,
  Uri STRING,
  Status INT,
  Referrer STRING,
  OS String,
  Browser String,
  BrowserVersion String
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES (
  "input.regex" = "^(?!#)([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+([^ ]+)\\s+[^\(]+[\(]([^\;]+).*\%20([^\/]+)[\/](.*)$"
) LOCATION '${INPUT}/cloudfront/data';

INSERT OVERWRITE DIRECTORY '${OUTPUT}/hourly_requests/'
SELECT CAST(substr(`time`, 1, 2) AS INT) AS hour_of_day, COUNT(*) AS requests, SUM(bytes) AS total_bytes
FROM cloudfront_logs
WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY CAST(substr(`time`, 1, 2) AS INT)
ORDER BY hour_of_day;
