-- jobs/top_uris.q. Hive: NULLS LAST for DESC, NULLS FIRST for ASC; strings in
-- byte order, which is DuckDB's default (binary) collation.
SELECT uri, COUNT(*) AS requests, SUM(bytes)::BIGINT AS total_bytes
FROM cloudfront_logs
WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY uri
ORDER BY requests DESC NULLS LAST, uri ASC NULLS FIRST
LIMIT 100;
