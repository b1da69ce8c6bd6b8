-- Mart: one row per canonical speaker across all articles.
CREATE OR REPLACE VIEW speakers AS
WITH quoted AS (
    SELECT q.speaker, q.speaker_kind, q.article_id, a.ingested_at
    FROM stg_newsdesk__quotes q
    JOIN stg_newsdesk__articles a USING (article_id)
    WHERE q.speaker IS NOT NULL
)
SELECT
    speaker,
    mode(speaker_kind) AS speaker_kind,
    count(DISTINCT article_id) AS articles,
    count(*) AS quotes,
    min(ingested_at) AS first_seen,
    max(ingested_at) AS last_seen
FROM quoted
GROUP BY speaker;

COMMENT ON VIEW speakers IS 'One row per canonical speaker (fullest name) with how often and where they are quoted.';
COMMENT ON COLUMN speakers.speaker IS 'Canonical speaker name, as in quotes.speaker.';
COMMENT ON COLUMN speakers.speaker_kind IS 'Most frequent kind for this speaker: person, organization or unnamed.';
COMMENT ON COLUMN speakers.articles IS 'Articles that quote the speaker.';
COMMENT ON COLUMN speakers.quotes IS 'Quote rows attributed to the speaker.';
COMMENT ON COLUMN speakers.first_seen IS 'Earliest ingested_at of an article quoting the speaker.';
COMMENT ON COLUMN speakers.last_seen IS 'Latest ingested_at of an article quoting the speaker.';
