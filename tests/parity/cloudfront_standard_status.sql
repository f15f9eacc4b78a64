-- jobs/cloudfront_standard_status.q. SUM of a BIGINT stays BIGINT in Hive.
SELECT sc_status, x_edge_result_type, COUNT(*) AS requests, SUM(sc_bytes)::BIGINT AS total_bytes
FROM cloudfront_standard_logs
WHERE "date" BETWEEN DATE '${FROM}' AND DATE '${TO}'
GROUP BY sc_status, x_edge_result_type
ORDER BY sc_status ASC NULLS FIRST, x_edge_result_type ASC NULLS FIRST;
