-- Mart: every money figure, with its amount in US dollars where a reference rate is known.
-- The rates are a copy of newsdesk/data/fx_rates.csv (documented there; tests/test_figures.py checks that
-- the two agree): fixed year-end reference rates, no network access, no inflation adjustment.
CREATE OR REPLACE VIEW money AS
WITH rates AS (
    SELECT * FROM (VALUES
        ('USD', 1.0, DATE '2024-12-31'),
        ('EUR', 1.0389, DATE '2024-12-31'),
        ('GBP', 1.2529, DATE '2024-12-31'),
        ('JPY', 0.006371, DATE '2024-12-31'),
        ('CHF', 1.1038, DATE '2024-12-31'),
        ('CAD', 0.6950, DATE '2024-12-31'),
        ('AUD', 0.6194, DATE '2024-12-31'),
        ('NZD', 0.5606, DATE '2024-12-31'),
        ('CNY', 0.1370, DATE '2024-12-31'),
        ('HKD', 0.1288, DATE '2024-12-31'),
        ('SGD', 0.7335, DATE '2024-12-31'),
        ('INR', 0.01168, DATE '2024-12-31'),
        ('KRW', 0.000678, DATE '2024-12-31'),
        ('SEK', 0.09066, DATE '2024-12-31'),
        ('NOK', 0.08808, DATE '2024-12-31'),
        ('DKK', 0.1393, DATE '2024-12-31'),
        ('PLN', 0.2430, DATE '2024-12-31'),
        ('CZK', 0.04125, DATE '2024-12-31'),
        ('HUF', 0.002526, DATE '2024-12-31'),
        ('ZAR', 0.05295, DATE '2024-12-31'),
        ('BRL', 0.1617, DATE '2024-12-31'),
        ('MXN', 0.04821, DATE '2024-12-31'),
        ('TRY', 0.02828, DATE '2024-12-31'),
        ('RUB', 0.00983, DATE '2024-12-31')
    ) t(currency, usd_per_unit, as_of)
)
SELECT
    f.article_id, f.source_file, f.figure_index, f.sentence_index, f.char_start, f.char_end, f.span,
    f.value AS amount,
    f.value_high AS amount_high,
    f.unit AS currency,
    round(f.value * r.usd_per_unit, 2) AS amount_usd,
    round(f.value_high * r.usd_per_unit, 2) AS amount_usd_high,
    CAST(r.usd_per_unit AS DOUBLE) AS usd_per_unit,
    r.as_of AS rate_as_of,
    f.qualifier, f.per, f.spelled, f.article_title, f.cluster_id
FROM figures f
LEFT JOIN rates r ON r.currency = f.unit
WHERE f.kind = 'money';

COMMENT ON VIEW money IS 'Money figures (kind = money) with amount, currency and, where newsdesk/data/fx_rates.csv has a rate for the currency, the amount in US dollars at that fixed reference rate.';
COMMENT ON COLUMN money.article_id IS 'Article the amount appears in.';
COMMENT ON COLUMN money.source_file IS 'Input file of the article, relative to the input folder.';
COMMENT ON COLUMN money.figure_index IS 'Position of the figure in the article, from 0 (joins to figures).';
COMMENT ON COLUMN money.sentence_index IS 'Sentence that holds the amount.';
COMMENT ON COLUMN money.char_start IS 'Start offset of the span in the article text.';
COMMENT ON COLUMN money.char_end IS 'End offset (exclusive) of the span in the article text.';
COMMENT ON COLUMN money.span IS 'The amount as written, with currency and scale words ($65.9 billion).';
COMMENT ON COLUMN money.amount IS 'The amount fully scaled in its own currency ($65.9 billion -> 65900000000); the low end of a range.';
COMMENT ON COLUMN money.amount_high IS 'High end of a range ($5-7 billion -> 7000000000), else null.';
COMMENT ON COLUMN money.currency IS 'ISO 4217 code of the currency (USD, GBP, EUR ...; a bare $ is USD).';
COMMENT ON COLUMN money.amount_usd IS 'amount times usd_per_unit, rounded to cents; null when the currency has no rate in the table.';
COMMENT ON COLUMN money.amount_usd_high IS 'amount_high times usd_per_unit, rounded to cents; null for a single amount or an unknown rate.';
COMMENT ON COLUMN money.usd_per_unit IS 'US dollars per unit of the currency, from newsdesk/data/fx_rates.csv; null when unknown.';
COMMENT ON COLUMN money.rate_as_of IS 'Date of the reference rate used (not the date of the article): no inflation or historical adjustment.';
COMMENT ON COLUMN money.qualifier IS 'over, more than, almost, nearly, around, about, up to, at least ... or null.';
COMMENT ON COLUMN money.per IS 'Period of a rate (year for £4.3 billion per year), else null.';
COMMENT ON COLUMN money.spelled IS 'True when the number is written in words (five billion dollars).';
COMMENT ON COLUMN money.article_title IS 'Title of the article the amount appears in.';
COMMENT ON COLUMN money.cluster_id IS 'Story cluster of the article (see stories): the same amount in rewritten copies shares it.';
