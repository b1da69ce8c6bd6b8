-- Staging: input files that did not become articles, with the reason.
CREATE OR REPLACE VIEW stg_newsdesk__rejects AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/rejects/*.parquet', union_by_name = true)
)
SELECT source_file, CAST(reason AS VARCHAR) AS reason, detail, content_hash
FROM source;

COMMENT ON VIEW stg_newsdesk__rejects IS 'Staging: rejects.parquet, every input that was not turned into an article.';
COMMENT ON COLUMN stg_newsdesk__rejects.source_file IS 'Path relative to the input folder.';
COMMENT ON COLUMN stg_newsdesk__rejects.reason IS 'Short machine-readable reason (empty, binary, too_large, line_too_long, unsupported_type, unreadable, extract_error ...).';
COMMENT ON COLUMN stg_newsdesk__rejects.detail IS 'Human-readable detail of the reason.';
COMMENT ON COLUMN stg_newsdesk__rejects.content_hash IS 'SHA-256 of the bytes when they could be read, else null.';
