-- Roles and kinds stay within the values of the guidelines.
SELECT 'paragraphs.role' AS col, role AS value FROM paragraphs
    WHERE role NOT IN ('title', 'dek', 'heading', 'body', 'caption', 'boilerplate')
UNION ALL SELECT 'quotes.kind', kind FROM quotes WHERE kind NOT IN ('full', 'partial', 'indirect')
UNION ALL SELECT 'quotes.speaker_kind', speaker_kind FROM quotes
    WHERE speaker_kind IS NOT NULL AND speaker_kind NOT IN ('person', 'organization', 'unnamed')
UNION ALL SELECT 'figures.kind', kind FROM figures WHERE kind NOT IN ('money', 'percent', 'count', 'quantity', 'fraction')
UNION ALL SELECT 'article_clusters.method', method FROM article_clusters
    WHERE method NOT IN ('exact_bytes', 'exact_text', 'minhash', 'rewrite', 'singleton')
