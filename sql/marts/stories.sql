-- Mart: one row per story (near-duplicate cluster).
CREATE OR REPLACE VIEW stories AS
WITH members AS (
    SELECT c.cluster_id, c.article_id, c.method, a.source_file, a.ingested_at
    FROM stg_newsdesk__article_clusters c
    JOIN stg_newsdesk__articles a USING (article_id)
)
SELECT
    m.cluster_id,
    count(*) AS members,
    min(m.ingested_at) AS first_seen,
    max(m.ingested_at) AS last_seen,
    list(m.source_file ORDER BY m.ingested_at, m.source_file) AS source_files,
    list(DISTINCT m.method) FILTER (WHERE m.method <> 'singleton') AS methods,
    m.cluster_id AS representative_article_id,
    r.title AS representative_title
FROM members m
JOIN stg_newsdesk__articles r ON r.article_id = m.cluster_id
GROUP BY m.cluster_id, r.title;

COMMENT ON VIEW stories IS 'One row per story: a cluster of near-duplicate articles (or a single article), with its first appearance and representative article.';
COMMENT ON COLUMN stories.cluster_id IS 'Id of the cluster: the article_id of its earliest article.';
COMMENT ON COLUMN stories.members IS 'Articles in the cluster.';
COMMENT ON COLUMN stories.first_seen IS 'Earliest ingested_at of a member.';
COMMENT ON COLUMN stories.last_seen IS 'Latest ingested_at of a member.';
COMMENT ON COLUMN stories.source_files IS 'Input files of the members, earliest first.';
COMMENT ON COLUMN stories.methods IS 'How members were linked (exact_bytes, exact_text, minhash, rewrite); null for a single article.';
COMMENT ON COLUMN stories.representative_article_id IS 'The representative article: the earliest member (same as cluster_id).';
COMMENT ON COLUMN stories.representative_title IS 'Title of the representative article.';
