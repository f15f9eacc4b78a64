-- Job:     unique_visitors
-- Answers: How many distinct visitors came each day between FROM and TO?
--          A visitor is a client address with a user agent. The tutorial table keeps only
--          the OS, browser and browser version of the user agent, not the whole string, so
--          a visitor here is requestip with os, browser and browserversion joined by a bar.
--          Two people behind one address with the same browser count once.
-- Reads:   cloudfront_logs, the EMR tutorial CloudFront sample format (11 tab-separated fields,
--          RegexSerDe with the tutorial pattern) under INPUT/cloudfront/data.
--          Lines the pattern rejects become all-NULL rows, and the date filter drops them.
-- Variables:
--   INPUT   where the logs are, e.g. s3://us-east-1.elasticmapreduce.samples or sample-data
--   OUTPUT  where results go, e.g. s3://amzn-s3-demo-bucket/loghive (this job writes OUTPUT/unique_visitors/)
--   FROM    first day included, yyyy-MM-dd, e.g. 2014-07-05
--   TO      last day included, yyyy-MM-dd, e.g. 2014-08-05
-- Output:  dateobject, visitors, requests (one row per day, by day).
--          Hive text files, columns separated by ^A (\x01), NULL written as \N.
-- Chart:   line dateobject visitors requests

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

INSERT OVERWRITE DIRECTORY '${OUTPUT}/unique_visitors/'
SELECT dateobject, COUNT(DISTINCT visitor) AS visitors, COUNT(*) AS requests
FROM (
  SELECT dateobject, concat_ws('|', requestip, os, browser, browserversion) AS visitor
  FROM cloudfront_logs
  WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
) v
GROUP BY dateobject
ORDER BY dateobject;
