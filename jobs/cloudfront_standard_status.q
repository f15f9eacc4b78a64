-- Job:     cloudfront_standard_status
-- Answers: How many requests and bytes did each HTTP status and edge result type (Hit, Miss,
--          RefreshHit, Error and so on) account for between FROM and TO? Shows the cache hit
--          ratio and where errors come from, on real CloudFront standard logs.
-- Reads:   cloudfront_standard_logs, CloudFront standard (access) logs as CloudFront writes
--          them: gzip files of 33 tab-separated fields after two header lines, under
--          INPUT/cloudfront-standard. Column names follow the Athena documentation, with
--          date and time backquoted (both reserved in Hive 3).
-- Variables:
--   INPUT   where the logs are, e.g. s3://amzn-s3-demo-bucket/cf-logs or sample-data
--   OUTPUT  where results go, e.g. s3://amzn-s3-demo-bucket/loghive (this job writes OUTPUT/cloudfront_standard_status/)
--   FROM    first day included, yyyy-MM-dd, e.g. 2014-07-05
--   TO      last day included, yyyy-MM-dd, e.g. 2014-08-05
-- Output:  sc_status, x_edge_result_type, requests, total_bytes (by status, then result type).
--          Hive text files, columns separated by ^A (\x01), NULL written as \N.
-- Chart:   bar sc_status+x_edge_result_type requests

CREATE EXTERNAL TABLE IF NOT EXISTS cloudfront_standard_logs (
  `date` DATE,
  `time` STRING,
  x_edge_location STRING,
  sc_bytes BIGINT,
  c_ip STRING,
  cs_method STRING,
  cs_host STRING,
  cs_uri_stem STRING,
  sc_status INT,
  cs_referrer STRING,
  cs_user_agent STRING,
  cs_uri_query STRING,
  cs_cookie STRING,
  x_edge_result_type STRING,
  x_edge_request_id STRING,
  x_host_header STRING,
  cs_protocol STRING,
  cs_bytes BIGINT,
  time_taken FLOAT,
  x_forwarded_for STRING,
  ssl_protocol STRING,
  ssl_cipher STRING,
  x_edge_response_result_type STRING,
  cs_protocol_version STRING,
  fle_status STRING,
  fle_encrypted_fields INT,
  c_port INT,
  time_to_first_byte FLOAT,
  x_edge_detailed_result_type STRING,
  sc_content_type STRING,
  sc_content_len BIGINT,
  sc_range_start BIGINT,
  sc_range_end BIGINT
)
ROW FORMAT DELIMITED
FIELDS TERMINATED BY '\t'
LOCATION '${INPUT}/cloudfront-standard'
TBLPROPERTIES ('skip.header.line.count'='2');

INSERT OVERWRITE DIRECTORY '${OUTPUT}/cloudfront_standard_status/'
SELECT sc_status, x_edge_result_type, COUNT(*) AS requests, SUM(sc_bytes) AS total_bytes
FROM cloudfront_standard_logs
WHERE `date` BETWEEN '${FROM}' AND '${TO}'
GROUP BY sc_status, x_edge_result_type
ORDER BY sc_status, x_edge_result_type;
