-- Staging: one row per paragraph (line) of every article, with its role.
CREATE OR REPLACE VIEW stg_newsdesk__paragraphs AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/paragraphs/*.parquet', union_by_name = true)
)
SELECT article_id, paragraph_index, CAST(role AS VARCHAR) AS role, text, char_start, char_end
FROM source;

COMMENT ON VIEW stg_newsdesk__paragraphs IS 'Staging: paragraphs.parquet, every paragraph of every article with its role.';
COMMENT ON COLUMN stg_newsdesk__paragraphs.article_id IS 'Article the paragraph belongs to.';
COMMENT ON COLUMN stg_newsdesk__paragraphs.paragraph_index IS 'Position of the paragraph in the article, from 0.';
COMMENT ON COLUMN stg_newsdesk__paragraphs.role IS 'title, dek, heading, body, caption or boilerplate.';
COMMENT ON COLUMN stg_newsdesk__paragraphs.text IS 'Paragraph text, equal to the article text between char_start and char_end.';
COMMENT ON COLUMN stg_newsdesk__paragraphs.char_start IS 'Start offset (0-based, inclusive) into the article text.';
COMMENT ON COLUMN stg_newsdesk__paragraphs.char_end IS 'End offset (exclusive) into the article text.';
