-- Mart: every article with its near-duplicate cluster and the cluster's size.
CREATE OR REPLACE VIEW article_clusters AS
SELECT
    c.article_id, c.cluster_id, c.similarity, c.method,
    a.source_file, a.title,
    count(*) OVER (PARTITION BY c.cluster_id) AS cluster_size
FROM stg_newsdesk__article_clusters c
JOIN stg_newsdesk__articles a USING (article_id);

COMMENT ON VIEW article_clusters IS 'Every article with the near-duplicate cluster it belongs to, how it was linked and how similar it is to the cluster''s first article.';
COMMENT ON COLUMN article_clusters.source_file IS 'Input file of the article, relative to the input folder.';
COMMENT ON COLUMN article_clusters.title IS 'Title of the article.';
COMMENT ON COLUMN article_clusters.cluster_size IS 'Articles in the cluster (1 for an article without duplicates).';
