-- Staging: one row per normalised sentence found in more than one article.
CREATE OR REPLACE VIEW stg_newsdesk__sentence_reuse AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/sentence_reuse/*.parquet', union_by_name = true)
)
SELECT sentence_hash, sentence, article_ids, articles
FROM source;

COMMENT ON VIEW stg_newsdesk__sentence_reuse IS 'Staging: sentence_reuse.parquet, normalised sentences (six words or more) that occur in more than one article.';
COMMENT ON COLUMN stg_newsdesk__sentence_reuse.sentence_hash IS 'Stable 64-bit BLAKE2b hash of the normalised sentence.';
COMMENT ON COLUMN stg_newsdesk__sentence_reuse.sentence IS 'The sentence normalised: lower case, runs of punctuation and space folded to one space.';
COMMENT ON COLUMN stg_newsdesk__sentence_reuse.article_ids IS 'Articles containing the sentence, sorted.';
COMMENT ON COLUMN stg_newsdesk__sentence_reuse.articles IS 'Number of articles containing the sentence.';
