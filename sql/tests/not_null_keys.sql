-- Keys and required fields are never null.
SELECT 'articles' AS tbl, source_file AS key FROM articles WHERE article_id IS NULL OR content_hash IS NULL OR source_file IS NULL OR text IS NULL
UNION ALL SELECT 'paragraphs', article_id FROM paragraphs WHERE article_id IS NULL OR paragraph_index IS NULL OR role IS NULL
UNION ALL SELECT 'sentences', article_id FROM sentences WHERE article_id IS NULL OR sentence_index IS NULL
UNION ALL SELECT 'quotes', article_id FROM quotes WHERE article_id IS NULL OR quote IS NULL OR kind IS NULL
UNION ALL SELECT 'figures', article_id FROM figures WHERE article_id IS NULL OR span IS NULL OR kind IS NULL OR value IS NULL
UNION ALL SELECT 'rejects', source_file FROM rejects WHERE source_file IS NULL OR reason IS NULL
