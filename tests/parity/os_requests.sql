-- jobs/os_requests.q. No ORDER BY: the rows are compared as a multiset.
-- A DATE compared with a string literal compares as dates.
SELECT os, COUNT(*) AS count
FROM cloudfront_logs
WHERE dateobject BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY os;
