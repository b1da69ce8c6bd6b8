-- Paragraphs, sentences, quotes and figures belong to a published article.
-- Read from staging: the marts join articles and would hide orphans.
SELECT 'paragraphs' AS tbl, article_id FROM stg_newsdesk__paragraphs WHERE article_id NOT IN (SELECT article_id FROM stg_newsdesk__articles)
UNION ALL SELECT 'sentences', article_id FROM stg_newsdesk__sentences WHERE article_id NOT IN (SELECT article_id FROM stg_newsdesk__articles)
UNION ALL SELECT 'quotes', article_id FROM stg_newsdesk__quotes WHERE article_id NOT IN (SELECT article_id FROM stg_newsdesk__articles)
UNION ALL SELECT 'figures', article_id FROM stg_newsdesk__figures WHERE article_id NOT IN (SELECT article_id FROM stg_newsdesk__articles)
