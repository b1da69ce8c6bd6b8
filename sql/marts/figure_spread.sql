-- Mart: the same figure (kind, value, unit) across articles.
CREATE OR REPLACE VIEW figure_spread AS
WITH f AS (
    SELECT f.kind, f.value, f.unit, f.span, f.article_id, f.source_file, c.cluster_id
    FROM stg_newsdesk__figures f
    LEFT JOIN stg_newsdesk__article_clusters c USING (article_id)
    WHERE f.value IS NOT NULL
)
SELECT
    kind, value, unit,
    mode(span) AS span,
    count(*) AS mentions,
    count(DISTINCT article_id) AS articles,
    count(DISTINCT coalesce(cluster_id, article_id)) AS clusters,
    list(DISTINCT source_file ORDER BY source_file) AS source_files
FROM f
GROUP BY kind, value, unit
HAVING count(DISTINCT article_id) > 1;

COMMENT ON VIEW figure_spread IS 'Figures with the same kind, value and unit found in more than one article.';
COMMENT ON COLUMN figure_spread.kind IS 'money, percent, count, quantity or fraction.';
COMMENT ON COLUMN figure_spread.value IS 'The number fully scaled (low end of a range).';
COMMENT ON COLUMN figure_spread.unit IS 'ISO 4217 code, percent, counted noun, quantity unit or fraction.';
COMMENT ON COLUMN figure_spread.span IS 'The figure as most often written.';
COMMENT ON COLUMN figure_spread.mentions IS 'Figure rows with this kind, value and unit.';
COMMENT ON COLUMN figure_spread.articles IS 'Articles mentioning the figure.';
COMMENT ON COLUMN figure_spread.clusters IS 'Distinct stories (near-duplicate clusters) mentioning the figure.';
COMMENT ON COLUMN figure_spread.source_files IS 'Input files of the articles mentioning the figure, sorted.';
