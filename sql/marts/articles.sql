-- Mart: one row per article, with how much the extractors found in it.
CREATE OR REPLACE VIEW articles AS
WITH articles AS (
    SELECT * FROM stg_newsdesk__articles
),
quote_counts AS (
    SELECT article_id, count(*) AS quotes FROM stg_newsdesk__quotes GROUP BY article_id
),
figure_counts AS (
    SELECT article_id, count(*) AS figures FROM stg_newsdesk__figures GROUP BY article_id
)
SELECT
    a.*,
    coalesce(q.quotes, 0) AS quote_count,
    coalesce(f.figures, 0) AS figure_count
FROM articles a
LEFT JOIN quote_counts q USING (article_id)
LEFT JOIN figure_counts f USING (article_id);

COMMENT ON VIEW articles IS 'One row per input file that became an article: cleaned text, title, metadata and counts.';
COMMENT ON COLUMN articles.quote_count IS 'Quote rows (all kinds) found in the article.';
COMMENT ON COLUMN articles.figure_count IS 'Figure rows found in the article.';
