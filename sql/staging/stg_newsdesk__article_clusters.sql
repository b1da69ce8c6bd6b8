-- Staging: one row per article with the near-duplicate cluster it belongs to.
CREATE OR REPLACE VIEW stg_newsdesk__article_clusters AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/article_clusters/*.parquet', union_by_name = true)
)
SELECT article_id, cluster_id, similarity, CAST(method AS VARCHAR) AS method
FROM source;

COMMENT ON VIEW stg_newsdesk__article_clusters IS 'Staging: article_clusters.parquet, every article with its near-duplicate cluster (exact copies, near-copies and rewrites).';
COMMENT ON COLUMN stg_newsdesk__article_clusters.article_id IS 'The article.';
COMMENT ON COLUMN stg_newsdesk__article_clusters.cluster_id IS 'article_id of the cluster''s earliest article (by ingested_at, then source_file); the article''s own id when it has no duplicate.';
COMMENT ON COLUMN stg_newsdesk__article_clusters.similarity IS 'Estimated Jaccard similarity of the article''s 5-word shingles with the cluster''s earliest article (MinHash, 128 slots); 1.0 for that article itself and for exact copies.';
COMMENT ON COLUMN stg_newsdesk__article_clusters.method IS 'Strongest evidence linking the article to another member: exact_bytes (same file bytes), exact_text (same text up to case and punctuation), minhash (near-copy, trim or update: MinHash estimate 0.6 or more, or its sentences reappear nearly verbatim and in order), rewrite (paraphrase: nearly every sentence has a loose counterpart in the same order, same lede and close; or the same lede and opening with most of the distinctive quotes and figures shared) or singleton (no duplicate). Follow-up stories (new lede over copied background) are not linked.';
