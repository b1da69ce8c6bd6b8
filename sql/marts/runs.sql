-- Mart: the run history, newest first.
CREATE OR REPLACE VIEW runs AS
SELECT *, date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds
FROM stg_newsdesk__runs
ORDER BY started_at DESC;

COMMENT ON VIEW runs IS 'One row per published pipeline run with its counts and per-stage timings.';
COMMENT ON COLUMN runs.seconds IS 'Wall seconds from start to publish.';
