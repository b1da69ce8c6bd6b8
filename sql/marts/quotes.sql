-- Mart: who said what, where. Join speakers on speaker for per-person totals.
CREATE OR REPLACE VIEW quotes AS
SELECT q.*, a.title AS article_title, c.cluster_id
FROM stg_newsdesk__quotes q
JOIN stg_newsdesk__articles a USING (article_id)
LEFT JOIN stg_newsdesk__article_clusters c USING (article_id);

COMMENT ON VIEW quotes IS 'Quoted stretches with speaker, speaker kind, quote kind and attribution verb; offsets index articles.text.';
COMMENT ON COLUMN quotes.article_title IS 'Title of the article the quote appears in.';
COMMENT ON COLUMN quotes.cluster_id IS 'Story cluster of the article (see stories): the same claim in rewritten copies shares it.';
