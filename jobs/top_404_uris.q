-- Job:     top_404_uris
-- Answers: Which 100 URIs answered 404 Not Found most often between FROM and TO,
--          and from how many distinct client addresses? Finds broken links and probes.
-- Reads:   cloudfront_logs, the EMR tutorial CloudFront sample format (11 tab-separated fields,
--          RegexSerDe with the tutorial pattern) under INPUT/cloudfront/data.
--          Lines the pattern rejects become all-NULL rows, and the date filter drops them.
-- Variables:
--   INPUT   where the logs are, e.g. s3://us-east-1.elasticmapreduce.samples or sample-data
--   OUTPUT  where results go, e.g. s3://amzn-s3-demo-bucket/loghive (this job writes OUTPUT/top_404_uris/)
--   FROM    first day included, yyyy-MM-dd, e.g. 2014-07-05
--   TO      last day included, yyyy-MM-dd, e.g. 2014-08-05
-- Output:  uri, requests, clients (100 rows at most, most requested first).
--          Hive text files, columns separated by ^A (\x01), NULL written as \N.
-- Chart:   bar uri requests clients

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

INSERT OVERWRITE DIRECTORY '${OUTPUT}/top_404_uris/'
SELECT uri, COUNT(*) AS requests, COUNT(DISTINCT requestip) AS clients
FROM cloudfront_logs
WHERE status = 404 AND dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY uri
ORDER BY requests DESC, uri
LIMIT 100;
