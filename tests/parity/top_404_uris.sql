-- jobs/top_404_uris.q. Hive: NULLS LAST for DESC, NULLS FIRST for ASC.
SELECT uri, COUNT(*) AS requests, COUNT(DISTINCT requestip) AS clients
FROM cloudfront_logs
WHERE status = 404 AND dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY uri
ORDER BY requests DESC NULLS LAST, uri ASC NULLS FIRST
LIMIT 100;
