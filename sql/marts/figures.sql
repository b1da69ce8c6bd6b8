-- Mart: every figure, normalised to value, unit and currency.
CREATE OR REPLACE VIEW figures AS
SELECT f.*, a.title AS article_title, c.cluster_id
FROM stg_newsdesk__figures f
JOIN stg_newsdesk__articles a USING (article_id)
LEFT JOIN stg_newsdesk__article_clusters c USING (article_id);

COMMENT ON VIEW figures IS 'Numbers that measure something (money, percent, count, quantity, fraction) with value, unit, qualifier, base and rate period.';
COMMENT ON COLUMN figures.article_title IS 'Title of the article the figure appears in.';
COMMENT ON COLUMN figures.cluster_id IS 'Story cluster of the article (see stories): the same claim in rewritten copies shares it.';
