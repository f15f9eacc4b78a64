-- Job:     browsers
-- Answers: How many requests did each browser make between FROM and TO, and how many
--          versions of it were seen? Browser and version are the last Name/Version token
--          of the user agent, as the tutorial pattern extracts them.
-- Reads:   cloudfront_logs, the EMR tutorial CloudFront sample format (11 tab-separated fields,
--          RegexSerDe with the tutorial pattern) under INPUT/cloudfront/data.
--          Lines the pattern rejects become all-NULL rows, and the date filter drops them.
-- Variables:
--   INPUT   where the logs are, e.g. s3://us-east-1.elasticmapreduce.samples or sample-data
--   OUTPUT  where results go, e.g. s3://amzn-s3-demo-bucket/loghive (this job writes OUTPUT/browsers/)
--   FROM    first day included, yyyy-MM-dd, e.g. 2014-07-05
--   TO      last day included, yyyy-MM-dd, e.g. 2014-08-05
-- Output:  browser, requests, versions (one row per browser, most requests first).
--          Hive text files, columns separated by ^A (\x01), NULL written as \N.
-- Chart:   bar browser requests

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

INSERT OVERWRITE DIRECTORY '${OUTPUT}/browsers/'
SELECT browser, COUNT(*) AS requests, COUNT(DISTINCT browserversion) AS versions
FROM cloudfront_logs
WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY browser
ORDER BY requests DESC, browser;
