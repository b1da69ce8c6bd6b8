-- Mart: sentences reused across articles, with where they appear.
CREATE OR REPLACE VIEW sentence_reuse AS
WITH by_article AS (
    SELECT s.sentence_hash, unnest(s.article_ids) AS article_id
    FROM stg_newsdesk__sentence_reuse s
),
placed AS (
    SELECT b.sentence_hash,
           list(a.source_file ORDER BY a.source_file) AS source_files,
           count(DISTINCT c.cluster_id) AS clusters
    FROM by_article b
    JOIN stg_newsdesk__articles a USING (article_id)
    LEFT JOIN stg_newsdesk__article_clusters c USING (article_id)
    GROUP BY b.sentence_hash
)
SELECT s.sentence_hash, s.sentence, s.article_ids, s.articles, p.source_files, p.clusters
FROM stg_newsdesk__sentence_reuse s
LEFT JOIN placed p USING (sentence_hash);

COMMENT ON VIEW sentence_reuse IS 'Normalised sentences (six words or more) found in more than one article: syndicated copy, boilerplate and recycled background.';
COMMENT ON COLUMN sentence_reuse.source_files IS 'Input files of the articles containing the sentence, sorted.';
COMMENT ON COLUMN sentence_reuse.clusters IS 'Distinct near-duplicate clusters containing the sentence (more than 1: reused across different stories).';
