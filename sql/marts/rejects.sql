-- Mart: inputs that did not become articles. Every input file is an article or a reject.
CREATE OR REPLACE VIEW rejects AS
SELECT * FROM stg_newsdesk__rejects;

COMMENT ON VIEW rejects IS 'Input files that did not become articles, with a reason; files in = articles + rejects.';
