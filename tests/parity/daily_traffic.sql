-- jobs/daily_traffic.q. SUM of an INT is a BIGINT that skips NULL bytes.
-- Hive sorts NULL first in ascending order; DuckDB sorts it last unless told.
SELECT dateobject, COUNT(*) AS requests, SUM(bytes)::BIGINT AS total_bytes
FROM cloudfront_logs
WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY dateobject
ORDER BY dateobject ASC NULLS FIRST;
