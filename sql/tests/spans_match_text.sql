-- Every span is the article text at its offsets.
-- Run a group of Parquet parts at a time (PER_PART in newsdesk/checks.py).
-- Read from staging: the marts add joins (sentences to paragraphs, quotes and figures to articles and
-- clusters) that change no span but doubled this test's time and memory, the largest of the data tests.
WITH spans AS (
    SELECT 'paragraphs' AS tbl, article_id, char_start, char_end, text AS span FROM stg_newsdesk__paragraphs
    UNION ALL SELECT 'sentences', article_id, char_start, char_end, text FROM stg_newsdesk__sentences
    UNION ALL SELECT 'quotes', article_id, char_start, char_end, quote FROM stg_newsdesk__quotes
    UNION ALL SELECT 'figures', article_id, char_start, char_end, span FROM stg_newsdesk__figures
)
SELECT s.tbl, s.article_id, s.char_start, s.char_end, s.span
FROM spans s JOIN stg_newsdesk__articles a USING (article_id)
WHERE s.char_start < 0 OR s.char_end < s.char_start
   OR substr(a.text, s.char_start + 1, s.char_end - s.char_start) <> s.span
