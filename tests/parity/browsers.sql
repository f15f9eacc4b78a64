-- jobs/browsers.q. COUNT(DISTINCT x) ignores NULLs in both engines.
SELECT browser, COUNT(*) AS requests, COUNT(DISTINCT browserversion) AS versions
FROM cloudfront_logs
WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY browser
ORDER BY requests DESC NULLS LAST, browser ASC NULLS FIRST;
