-- Every span is the article text at its offsets.
WITH spans AS (
    SELECT 'paragraphs' AS tbl, article_id, char_start, char_end, text AS span FROM paragraphs
    UNION ALL SELECT 'sentences', article_id, char_start, char_end, text FROM sentences
    UNION ALL SELECT 'quotes', article_id, char_start, char_end, quote FROM quotes
    UNION ALL SELECT 'figures', article_id, char_start, char_end, span FROM figures
)
SELECT s.tbl, s.article_id, s.char_start, s.char_end, s.span
FROM spans s JOIN articles a USING (article_id)
WHERE s.char_start < 0 OR s.char_end < s.char_start
   OR substr(a.text, s.char_start + 1, s.char_end - s.char_start) <> s.span
