-- jobs/status_codes.q. Hive sorts NULL first in ascending order.
SELECT status, COUNT(*) AS requests, SUM(bytes)::BIGINT AS total_bytes
FROM cloudfront_logs
WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY status
ORDER BY status ASC NULLS FIRST;
