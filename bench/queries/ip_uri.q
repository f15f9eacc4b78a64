-- Bench query: ip_uri (not a product job: bench/README.md says why)
-- Answers: How many requests did each (client IP, URI) pair make between FROM and TO?
--          A stress test of the shuffle: most pairs occur once or twice (20 MB of
--          generated logs: 82,295 records, 53,716 pairs), so little is aggregated
--          away and the engine must hold, sort or spill millions of keys at 1 GB.
-- Reads:   cloudfront_logs, the EMR tutorial's table (RegexSerDe, whole-line regex),
--          exactly as jobs/os_requests.q and jobs/top_uris.q declare it.
-- Variables: INPUT, OUTPUT (this script writes OUTPUT/ip_uri/), FROM, TO, as for the jobs.
-- Output:  requestip, uri, requests; one row per pair, in no particular order.

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

INSERT OVERWRITE DIRECTORY '${OUTPUT}/ip_uri/'
SELECT requestip, uri, COUNT(*) AS requests
FROM cloudfront_logs
WHERE dateobject BETWEEN '${FROM}' AND '${TO}'
GROUP BY requestip, uri;
