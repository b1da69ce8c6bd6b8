"""Explicit Arrow schemas of the warehouse tables: the contract other tools read."""

from __future__ import annotations

import pyarrow as pa

# Bump when extraction output changes, so incremental runs know to redo old articles.
EXTRACTION_VERSION = "7"

_TS = pa.timestamp("us", tz="UTC")
_CAT = pa.dictionary(pa.int32(), pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("article_id", pa.string()),
        ("content_hash", pa.string()),
        ("source_file", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("word_count", pa.int32()),
        ("byte_size", pa.int64()),
        ("encoding", _CAT),
        ("flags", pa.list_(pa.string())),
        ("byline", pa.string()),
        ("dateline", pa.string()),
        ("published", pa.string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
        ("raw_chars", pa.int32()),
        ("raw_anchors", pa.list_(pa.struct([("clean", pa.int32()), ("raw", pa.int32())]))),
        ("ingested_at", _TS),
        ("extraction_version", _CAT),
    ]),
    "paragraphs": pa.schema([
        ("article_id", pa.string()),
        ("paragraph_index", pa.int32()),
        ("role", _CAT),
        ("text", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
    ]),
    "sentences": pa.schema([
        ("article_id", pa.string()),
        ("sentence_index", pa.int32()),
        ("paragraph_index", pa.int32()),
        ("text", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
    ]),
    "quotes": pa.schema([
        ("article_id", pa.string()),
        ("source_file", pa.string()),
        ("quote_index", pa.int32()),
        ("sentence_index", pa.int32()),
        ("paragraph_index", pa.int32()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("quote", pa.string()),
        ("speaker", pa.string()),
        ("speaker_kind", _CAT),
        ("kind", _CAT),
        ("verb", pa.string()),
        ("flagged", pa.bool_()),
    ]),
    "figures": pa.schema([
        ("article_id", pa.string()),
        ("source_file", pa.string()),
        ("figure_index", pa.int32()),
        ("sentence_index", pa.int32()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("span", pa.string()),
        ("kind", _CAT),
        ("value", pa.float64()),
        ("value_high", pa.float64()),
        ("unit", _CAT),
        ("qualifier", _CAT),
        ("base", pa.string()),
        ("per", _CAT),
        ("spelled", pa.bool_()),
        ("subject", pa.string()),
    ]),
    "rejects": pa.schema([
        ("source_file", pa.string()),
        ("reason", _CAT),
        ("detail", pa.string()),
        ("content_hash", pa.string()),
    ]),
    "article_clusters": pa.schema([
        ("article_id", pa.string()),
        ("cluster_id", pa.string()),
        ("similarity", pa.float64()),
        ("method", _CAT),
    ]),
    "sentence_reuse": pa.schema([
        ("sentence_hash", pa.uint64()),
        ("sentence", pa.string()),
        ("article_ids", pa.list_(pa.string())),
        ("articles", pa.uint32()),
    ]),
    "runs": pa.schema([
        ("run_id", pa.string()),
        ("started_at", _TS),
        ("finished_at", _TS),
        ("status", _CAT),
        ("input_dir", pa.string()),
        ("files_seen", pa.int64()),
        ("articles", pa.int64()),
        ("rejects", pa.int64()),
        ("quotes", pa.int64()),
        ("figures", pa.int64()),
        ("stage_seconds", pa.string()),
        ("extraction_version", pa.string()),
    ]),
}

TABLES = tuple(SCHEMAS)
# One Parquet part of each of these per batch; a part holds the rows of one set of articles.
ARTICLE_TABLES = ("articles", "paragraphs", "sentences", "quotes", "figures")
# Internal state carried from run to run (near-duplicate signatures); no views read them.
STATE_TABLES = ("dedup_signatures", "dedup_evidence", "dedup_sentences", "dedup_edges")


def to_arrow(table: str, frame) -> pa.Table:
    """A polars frame (or arrow table) cast to the table's schema, columns in schema order."""
    schema = SCHEMAS[table]
    arrow = frame.to_arrow() if hasattr(frame, "to_arrow") else frame
    missing = [n for n in schema.names if n not in arrow.column_names]
    for name in missing:
        arrow = arrow.append_column(name, pa.nulls(arrow.num_rows, schema.field(name).type))
    arrow = arrow.select(schema.names)
    # Dictionary columns: cast via plain string so polars' categorical/str both land.
    cols = []
    for field in schema:
        col = arrow.column(field.name)
        if pa.types.is_dictionary(field.type):
            if pa.types.is_dictionary(col.type):
                col = col.cast(pa.string())
            col = col.cast(pa.string()).dictionary_encode().cast(field.type)
        else:
            col = col.cast(field.type)
        cols.append(col)
    return pa.Table.from_arrays(cols, schema=schema)


def empty(table: str) -> pa.Table:
    return SCHEMAS[table].empty_table()
