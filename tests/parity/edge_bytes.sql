-- jobs/edge_bytes.q. Hive's AVG of an INT sums in a double and divides by the
-- count of non-NULL values; written out so DuckDB does the same arithmetic.
SELECT location, COUNT(*) AS requests, SUM(bytes)::BIGINT AS total_bytes,
       SUM(bytes)::DOUBLE / COUNT(bytes) AS avg_bytes
FROM cloudfront_logs
WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY location
ORDER BY total_bytes DESC NULLS LAST, location ASC NULLS FIRST;
