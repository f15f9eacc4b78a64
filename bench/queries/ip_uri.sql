-- bench/queries/ip_uri.q in DuckDB, over tests/parity's Hive-exact cloudfront_logs
-- view. No ORDER BY: the rows are compared as a multiset (through a digest).
SELECT requestip, uri, COUNT(*) AS requests
FROM cloudfront_logs
WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY requestip, uri;
