-- Mart: the same quote (normalised) across articles.
CREATE OR REPLACE VIEW quote_spread AS
WITH q AS (
    SELECT
        trim(regexp_replace(lower(q.quote), '[^[:alnum:]]+', ' ', 'g')) AS quote_key,
        q.quote, q.speaker, q.article_id, q.source_file, c.cluster_id
    FROM stg_newsdesk__quotes q
    LEFT JOIN stg_newsdesk__article_clusters c USING (article_id)
)
SELECT
    quote_key AS quote,
    mode(quote) AS quote_text,
    mode(speaker) AS speaker,
    count(DISTINCT speaker) AS speakers,
    count(DISTINCT article_id) AS articles,
    count(DISTINCT coalesce(cluster_id, article_id)) AS clusters,
    list(DISTINCT source_file ORDER BY source_file) AS source_files
FROM q
WHERE length(quote_key) - length(replace(quote_key, ' ', '')) >= 3
GROUP BY quote_key
HAVING count(DISTINCT article_id) > 1;

COMMENT ON VIEW quote_spread IS 'Quotes of four words or more that appear in more than one article, matched after lower-casing and folding punctuation.';
COMMENT ON COLUMN quote_spread.quote IS 'The quote normalised: lower case, runs of punctuation and space folded to one space.';
COMMENT ON COLUMN quote_spread.quote_text IS 'The quote as most often written.';
COMMENT ON COLUMN quote_spread.speaker IS 'Speaker most often credited with the quote.';
COMMENT ON COLUMN quote_spread.speakers IS 'Distinct speakers credited with the quote (more than 1: attributions disagree).';
COMMENT ON COLUMN quote_spread.articles IS 'Articles carrying the quote.';
COMMENT ON COLUMN quote_spread.clusters IS 'Distinct stories (near-duplicate clusters) carrying the quote.';
COMMENT ON COLUMN quote_spread.source_files IS 'Input files of the articles carrying the quote, sorted.';
