-- Staging: one row per article file, straight from Parquet (rename and cast only).
CREATE OR REPLACE VIEW stg_newsdesk__articles AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/articles/*.parquet', union_by_name = true)
)
SELECT
    article_id, content_hash, source_file, title, text, word_count, byte_size,
    CAST(encoding AS VARCHAR) AS encoding, flags, byline, dateline, published, outlet, url, raw_chars, raw_anchors,
    ingested_at, CAST(extraction_version AS VARCHAR) AS extraction_version
FROM source;

COMMENT ON VIEW stg_newsdesk__articles IS 'Staging: articles.parquet as written by the pipeline, one row per input file that became an article.';
COMMENT ON COLUMN stg_newsdesk__articles.article_id IS 'Stable id of this content at this path (hash of source_file and content_hash, and of the metadata its sidecar or manifest row states, if any).';
COMMENT ON COLUMN stg_newsdesk__articles.content_hash IS 'SHA-256 of the raw file bytes; identical files share it.';
COMMENT ON COLUMN stg_newsdesk__articles.source_file IS 'Path relative to the input folder, with / separators.';
COMMENT ON COLUMN stg_newsdesk__articles.title IS 'Text of the paragraph whose role is title, if any.';
COMMENT ON COLUMN stg_newsdesk__articles.text IS 'Cleaned article text (NFC, mojibake repaired, one paragraph per line); all offsets index it.';
COMMENT ON COLUMN stg_newsdesk__articles.word_count IS 'Words in body and dek paragraphs.';
COMMENT ON COLUMN stg_newsdesk__articles.byte_size IS 'Size of the raw file in bytes.';
COMMENT ON COLUMN stg_newsdesk__articles.encoding IS 'Encoding the bytes were decoded with (utf-8, utf-8-sig, utf-16, cp1252 ...).';
COMMENT ON COLUMN stg_newsdesk__articles.flags IS 'Repairs applied on the way in (decoded_cp1252, mojibake_repaired, utf16_no_bom ...).';
COMMENT ON COLUMN stg_newsdesk__articles.byline IS 'Author line stated in the text, if found.';
COMMENT ON COLUMN stg_newsdesk__articles.dateline IS 'Dateline such as "Washington (AFP) –", if found.';
COMMENT ON COLUMN stg_newsdesk__articles.published IS 'Publication date given by the input (JSON lines field) or stated in the text (ISO 8601 where parsed), if any.';
COMMENT ON COLUMN stg_newsdesk__articles.outlet IS 'Outlet given by the input (JSON lines source field) or named by the page furniture ("Discover more from X"), if any.';
COMMENT ON COLUMN stg_newsdesk__articles.url IS 'URL of the article when the input states it (JSON lines field), else null.';
COMMENT ON COLUMN stg_newsdesk__articles.raw_chars IS 'Length in characters of the decoded raw file (before cleaning).';
COMMENT ON COLUMN stg_newsdesk__articles.raw_anchors IS 'Offset map from text back to the decoded raw file: (clean, raw) pairs where the shift changes; newsdesk.clean.OffsetMap.from_anchors rebuilds it, byte_offset turns a position into a byte offset.';
COMMENT ON COLUMN stg_newsdesk__articles.ingested_at IS 'When this article_id was first published to the warehouse (UTC).';
COMMENT ON COLUMN stg_newsdesk__articles.extraction_version IS 'Version of the extraction rules that produced its rows.';
