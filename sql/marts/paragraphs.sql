-- Mart: every paragraph with its role; nothing is deleted, boilerplate and captions included.
CREATE OR REPLACE VIEW paragraphs AS
SELECT p.*, a.source_file
FROM stg_newsdesk__paragraphs p
JOIN stg_newsdesk__articles a USING (article_id);

COMMENT ON VIEW paragraphs IS 'Every paragraph of every article with its role (title, dek, heading, body, caption, boilerplate).';
COMMENT ON COLUMN paragraphs.source_file IS 'Input file of the article, relative to the input folder.';
