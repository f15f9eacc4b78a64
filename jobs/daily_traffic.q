-- Job:     daily_traffic
-- Answers: How many requests and bytes were served each day between FROM and TO?
-- Reads:   cloudfront_logs, the EMR tutorial CloudFront sample format (11 tab-separated fields,
--          RegexSerDe with the tutorial pattern) under INPUT/cloudfront/data.
--          Lines the pattern rejects become all-NULL rows, and the date filter drops them.
-- Variables:
--   INPUT   where the logs are, e.g. s3://us-east-1.elasticmapreduce.samples or sample-data
--   OUTPUT  where results go, e.g. s3://amzn-s3-demo-bucket/loghive (this job writes OUTPUT/daily_traffic/)
--   FROM    first day included, yyyy-MM-dd, e.g. 2014-07-05
--   TO      last day included, yyyy-MM-dd, e.g. 2014-08-05
-- Output:  dateobject, requests, total_bytes (one row per day, by day).
--          Hive text files, columns separated by ^A (\x01), NULL written as \N.
-- Chart:   line dateobject requests

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

INSERT OVERWRITE DIRECTORY '${OUTPUT}/daily_traffic/'
SELECT dateobject, COUNT(*) AS requests, SUM(bytes) AS total_bytes
FROM cloudfront_logs
WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY dateobject
ORDER BY dateobject;
