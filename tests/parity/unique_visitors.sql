-- jobs/unique_visitors.q. concat_ws skips NULL arguments in both engines.
SELECT dateobject, COUNT(DISTINCT visitor) AS visitors, COUNT(*) AS requests
FROM (
  SELECT dateobject, concat_ws('|', requestip, os, browser, browserversion) AS visitor
  FROM cloudfront_logs
  WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
) v
GROUP BY dateobject
ORDER BY dateobject ASC NULLS FIRST;
