-- Staging: one row per sentence of every paragraph.
CREATE OR REPLACE VIEW stg_newsdesk__sentences AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/sentences/*.parquet', union_by_name = true)
)
SELECT article_id, sentence_index, paragraph_index, text, char_start, char_end
FROM source;

COMMENT ON VIEW stg_newsdesk__sentences IS 'Staging: sentences.parquet, every sentence with offsets into the article text.';
COMMENT ON COLUMN stg_newsdesk__sentences.article_id IS 'Article the sentence belongs to.';
COMMENT ON COLUMN stg_newsdesk__sentences.sentence_index IS 'Position of the sentence in the article, from 0.';
COMMENT ON COLUMN stg_newsdesk__sentences.paragraph_index IS 'Paragraph that holds the sentence.';
COMMENT ON COLUMN stg_newsdesk__sentences.text IS 'Sentence text, equal to the article text between char_start and char_end.';
COMMENT ON COLUMN stg_newsdesk__sentences.char_start IS 'Start offset (inclusive) into the article text.';
COMMENT ON COLUMN stg_newsdesk__sentences.char_end IS 'End offset (exclusive) into the article text.';
