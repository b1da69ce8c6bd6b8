-- No input is both an article and a reject.
SELECT source_file FROM articles INTERSECT SELECT source_file FROM rejects
