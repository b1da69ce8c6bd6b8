-- Staging: one row per quoted stretch found in body text.
CREATE OR REPLACE VIEW stg_newsdesk__quotes AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/quotes/*.parquet', union_by_name = true)
)
SELECT
    article_id, source_file, quote_index, sentence_index, paragraph_index, char_start, char_end,
    quote, speaker, CAST(speaker_kind AS VARCHAR) AS speaker_kind, CAST(kind AS VARCHAR) AS kind, verb, flagged
FROM source;

COMMENT ON VIEW stg_newsdesk__quotes IS 'Staging: quotes.parquet, quoted stretches with their attributed speakers.';
COMMENT ON COLUMN stg_newsdesk__quotes.article_id IS 'Article the quote appears in.';
COMMENT ON COLUMN stg_newsdesk__quotes.source_file IS 'Input file of the article, relative to the input folder.';
COMMENT ON COLUMN stg_newsdesk__quotes.quote_index IS 'Position of the quote in the article, from 0.';
COMMENT ON COLUMN stg_newsdesk__quotes.sentence_index IS 'Sentence in which the quote starts.';
COMMENT ON COLUMN stg_newsdesk__quotes.paragraph_index IS 'Paragraph in which the quote starts.';
COMMENT ON COLUMN stg_newsdesk__quotes.char_start IS 'Start offset of the quoted text (marks excluded) in the article text.';
COMMENT ON COLUMN stg_newsdesk__quotes.char_end IS 'End offset (exclusive) of the quoted text in the article text.';
COMMENT ON COLUMN stg_newsdesk__quotes.quote IS 'The words between the marks, as written, trailing comma excluded.';
COMMENT ON COLUMN stg_newsdesk__quotes.speaker IS 'Fullest name the article gives the speaker; for unnamed sources their noun phrase.';
COMMENT ON COLUMN stg_newsdesk__quotes.speaker_kind IS 'person, organization or unnamed.';
COMMENT ON COLUMN stg_newsdesk__quotes.kind IS 'full (whole clauses), partial (fragment woven into the writer''s sentence) or indirect (reported speech).';
COMMENT ON COLUMN stg_newsdesk__quotes.verb IS 'Attribution verb as written (said, told reporters ...), null for a colon or a neighbouring sentence.';
COMMENT ON COLUMN stg_newsdesk__quotes.flagged IS 'True when the paragraph had unbalanced or stray quotation marks.';
