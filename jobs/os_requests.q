-- Job:     os_requests
-- Answers: How many requests did each operating system make between FROM and TO?
--          The analysis of the EMR tutorial (Analyze Big Data with Hadoop), unchanged except
--          that the Time column is backquoted: TIME is a reserved word in Hive 3 (EMR 6 and 7).
--          On the AWS sample data with FROM 2014-07-05 and TO 2014-08-05, published runs of
--          the tutorial report Android 855, Linux 813, MacOS 852, OSX 799, Windows 883, iOS 794.
-- Reads:   cloudfront_logs, the EMR tutorial CloudFront sample format (11 tab-separated fields,
--          RegexSerDe with the tutorial pattern) under INPUT/cloudfront/data.
--          Lines the pattern rejects become all-NULL rows, and the date filter drops them.
-- Variables:
--   INPUT   where the logs are, e.g. s3://us-east-1.elasticmapreduce.samples or sample-data
--   OUTPUT  where results go, e.g. s3://amzn-s3-demo-bucket/loghive (this job writes OUTPUT/os_requests/)
--   FROM    first day included, yyyy-MM-dd, e.g. 2014-07-05
--   TO      last day included, yyyy-MM-dd, e.g. 2014-08-05
-- Output:  os, count (one row per operating system, in no particular order, as in the tutorial).
--          Hive text files, columns separated by ^A (\x01), NULL written as \N.
-- Chart:   bar os count

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

INSERT OVERWRITE DIRECTORY '${OUTPUT}/os_requests/'
SELECT os, COUNT(*) count
FROM cloudfront_logs
WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY os;
