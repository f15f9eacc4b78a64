-- jobs/hourly_requests.q. substr is 1-based in both; CAST(string AS INT) follows
-- Hive's UDFToInteger (hive_cast_string_to_int), not DuckDB's cast.
SELECT hive_cast_string_to_int(substr("time", 1, 2)) AS hour_of_day, COUNT(*) AS requests, SUM(bytes)::BIGINT AS total_bytes
FROM cloudfront_logs
WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY hive_cast_string_to_int(substr("time", 1, 2))
ORDER BY hour_of_day ASC NULLS FIRST;
