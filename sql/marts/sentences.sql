-- Mart: sentences with their paragraph role, so that body text is one filter away.
CREATE OR REPLACE VIEW sentences AS
SELECT s.*, p.role AS paragraph_role
FROM stg_newsdesk__sentences s
LEFT JOIN stg_newsdesk__paragraphs p USING (article_id, paragraph_index);

COMMENT ON VIEW sentences IS 'Every sentence of every article with offsets into the article text.';
COMMENT ON COLUMN sentences.paragraph_role IS 'Role of the paragraph that holds the sentence.';
