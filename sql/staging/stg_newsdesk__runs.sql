-- Staging: one row per published pipeline run.
CREATE OR REPLACE VIEW stg_newsdesk__runs AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/runs/*.parquet', union_by_name = true)
)
SELECT
    run_id, started_at, finished_at, CAST(status AS VARCHAR) AS status, input_dir, files_seen, articles,
    rejects, quotes, figures, stage_seconds, extraction_version
FROM source;

COMMENT ON VIEW stg_newsdesk__runs IS 'Staging: runs.parquet, the history of published runs.';
COMMENT ON COLUMN stg_newsdesk__runs.run_id IS 'Prefect flow run id (or a local id outside Prefect).';
COMMENT ON COLUMN stg_newsdesk__runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN stg_newsdesk__runs.finished_at IS 'When the run published its data (UTC).';
COMMENT ON COLUMN stg_newsdesk__runs.status IS 'Outcome of the run (succeeded).';
COMMENT ON COLUMN stg_newsdesk__runs.input_dir IS 'Absolute path of the input folder.';
COMMENT ON COLUMN stg_newsdesk__runs.files_seen IS 'Input files found.';
COMMENT ON COLUMN stg_newsdesk__runs.articles IS 'Articles published.';
COMMENT ON COLUMN stg_newsdesk__runs.rejects IS 'Inputs rejected.';
COMMENT ON COLUMN stg_newsdesk__runs.quotes IS 'Quote rows published.';
COMMENT ON COLUMN stg_newsdesk__runs.figures IS 'Figure rows published.';
COMMENT ON COLUMN stg_newsdesk__runs.stage_seconds IS 'JSON object: wall seconds per stage.';
COMMENT ON COLUMN stg_newsdesk__runs.extraction_version IS 'Extraction rules version of the run.';
