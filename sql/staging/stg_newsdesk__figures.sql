-- Staging: one row per figure (a number that measures something).
CREATE OR REPLACE VIEW stg_newsdesk__figures AS
WITH source AS (
    SELECT * FROM read_parquet('{{tables}}/figures/*.parquet', union_by_name = true)
)
SELECT
    article_id, source_file, figure_index, sentence_index, char_start, char_end, span,
    CAST(kind AS VARCHAR) AS kind, value, value_high, CAST(unit AS VARCHAR) AS unit,
    CAST(qualifier AS VARCHAR) AS qualifier, base, CAST(per AS VARCHAR) AS per, spelled, subject
FROM source;

COMMENT ON VIEW stg_newsdesk__figures IS 'Staging: figures.parquet, normalised numbers found in body text.';
COMMENT ON COLUMN stg_newsdesk__figures.article_id IS 'Article the figure appears in.';
COMMENT ON COLUMN stg_newsdesk__figures.source_file IS 'Input file of the article, relative to the input folder.';
COMMENT ON COLUMN stg_newsdesk__figures.figure_index IS 'Position of the figure in the article, from 0.';
COMMENT ON COLUMN stg_newsdesk__figures.sentence_index IS 'Sentence that holds the figure.';
COMMENT ON COLUMN stg_newsdesk__figures.char_start IS 'Start offset of the span in the article text.';
COMMENT ON COLUMN stg_newsdesk__figures.char_end IS 'End offset (exclusive) of the span in the article text.';
COMMENT ON COLUMN stg_newsdesk__figures.span IS 'The figure as written, with currency and scale words, qualifier excluded ($65.9 billion).';
COMMENT ON COLUMN stg_newsdesk__figures.kind IS 'money, percent, count, quantity or fraction.';
COMMENT ON COLUMN stg_newsdesk__figures.value IS 'The number fully scaled ($65.9 billion -> 65900000000); the low end of a range.';
COMMENT ON COLUMN stg_newsdesk__figures.value_high IS 'High end of a range, else null.';
COMMENT ON COLUMN stg_newsdesk__figures.unit IS 'ISO 4217 code for money, percent, the singular counted noun, the quantity unit, or fraction.';
COMMENT ON COLUMN stg_newsdesk__figures.qualifier IS 'over, more than, almost, nearly, around, about, up to, at least ... or null.';
COMMENT ON COLUMN stg_newsdesk__figures.base IS 'What a percentage or fraction is of (GDP), where the sentence says it.';
COMMENT ON COLUMN stg_newsdesk__figures.per IS 'Period of a rate (year for per year), else null.';
COMMENT ON COLUMN stg_newsdesk__figures.spelled IS 'True when the number is written in words (three percent, a third).';
COMMENT ON COLUMN stg_newsdesk__figures.subject IS 'Subject noun phrase of the clause that holds the figure (US consumer confidence rose 4.3% -> US consumer confidence), else null.';
