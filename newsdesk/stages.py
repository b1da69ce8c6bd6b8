"""The pipeline's stages as pure functions over batches (polars frames in, frames out).

Each stage takes a whole batch so that the orchestrator runs one task per batch,
never one per article. Failures inside one article become a reject row for
that article; the rest of the batch goes on.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

import polars as pl

from newsdesk import clean, dedup, figures, ingest, jsonl, quotes, schema, segment

DOC_SCHEMA = {
    "article_id": pl.String,
    "content_hash": pl.String,
    "source_file": pl.String,
    "raw_text": pl.String,
    "encoding": pl.String,
    "flags": pl.List(pl.String),
    "byte_size": pl.Int64,
    "url": pl.String,
    "stated_published": pl.String,  # from the input's own fields (JSON lines), preferred over the text
    "stated_outlet": pl.String,
    "stated_byline": pl.String,
}
REJECT_SCHEMA = {"source_file": pl.String, "reason": pl.String, "detail": pl.String, "content_hash": pl.String}


def batches(items: Sequence, max_items: int = 2000, max_bytes: int = 32 * 1024 * 1024, size=lambda _: 1) -> list[list]:
    """Split items into batches bounded by count and by (estimated) bytes."""
    out, cur, cur_bytes = [], [], 0
    for item in items:
        b = size(item)
        if cur and (len(cur) >= max_items or cur_bytes + b > max_bytes):
            out.append(cur)
            cur, cur_bytes = [], 0
        cur.append(item)
        cur_bytes += b
    if cur:
        out.append(cur)
    return out


def even_batch_size(n_items: int, workers: int, minimum: int = 50) -> int:
    """A batch size that gives every worker a few batches, so that both cores stay busy."""
    if workers <= 1:
        return max(n_items, 1)
    return max(minimum, -(-n_items // (workers * 4)))


def rejects_frame(rows: Iterable[ingest.Reject | dict]) -> pl.DataFrame:
    recs = [
        r if isinstance(r, dict) else {"source_file": r.source_file, "reason": r.reason, "detail": r.detail, "content_hash": None}
        for r in rows
    ]
    return pl.DataFrame(recs, schema=REJECT_SCHEMA)


# ---------------------------------------------------------------- ingest
def ingest_batch(refs: Sequence[ingest.FileRef], max_bytes: int = ingest.DEFAULT_MAX_BYTES,
                 fields: dict | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read and decode files: (documents, rejects)."""
    docs, rejects = [], []
    jsonl_fields = jsonl.Fields.from_dict(fields)
    for got in (segment.screen(doc) for ref in refs for doc in ingest.read_ref(ref, max_bytes, jsonl_fields)):
        if isinstance(got, ingest.Reject):
            rejects.append(got)
            continue
        docs.append({
            "article_id": ingest.article_id(got.source_file, got.content_hash, got.stated),
            "content_hash": got.content_hash,
            "source_file": got.source_file,
            "raw_text": got.text,
            "encoding": got.encoding,
            "flags": got.flags,
            "byte_size": len(got.raw),
            "url": got.meta.get("url"),
            "stated_published": got.meta.get("published"),
            "stated_outlet": got.meta.get("outlet"),
            "stated_byline": got.meta.get("byline"),
        })
    return pl.DataFrame(docs, schema=DOC_SCHEMA), rejects_frame(rejects)


# ---------------------------------------------------------------- clean
def clean_batch(docs: pl.DataFrame) -> pl.DataFrame:
    """Add `text` (repaired, NFC, white space folded) and the anchors that map it back to the raw text.

    raw_anchors + raw_chars rebuild a clean.OffsetMap, so a quote or figure can be
    found in the original file; files whose text was repaired are flagged.
    """
    texts, flags, anchors, raw_chars = [], [], [], []
    for raw, fl in zip(docs["raw_text"], docs["flags"]):
        text, repaired, offsets = clean.clean_with_map(raw)
        texts.append(text)
        flags.append([*fl, "mojibake_repaired"] if repaired else list(fl))
        anchors.append([{"clean": c, "raw": r} for c, r in offsets.anchors()])
        raw_chars.append(len(raw))
    return docs.drop("raw_text").with_columns(
        pl.Series("text", texts, dtype=pl.String),
        pl.Series("flags", flags, dtype=pl.List(pl.String)),
        pl.Series("raw_anchors", anchors, dtype=pl.List(pl.Struct({"clean": pl.Int32, "raw": pl.Int32}))),
        pl.Series("raw_chars", raw_chars, dtype=pl.Int32),
    )


# ---------------------------------------------------------------- segment
def furniture(texts: Iterable[str]) -> frozenset[str]:
    """Lines that recur across files of the input: site furniture."""
    fn = getattr(segment, "furniture_lines", None)
    return fn(texts) if fn else frozenset()


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def segment_batch(docs: pl.DataFrame, furniture_set: frozenset[str] = frozenset()) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Paragraphs with roles and sentences for each document.

    Returns (docs with title/word_count/meta, paragraphs, sentences, rejects).
    """
    p_rows: list[dict] = []
    s_rows: list[dict] = []
    meta_rows: list[dict] = []
    rejects: list[dict] = []
    meta_fn = getattr(segment, "article_meta", None)
    for aid, sf, ch, text in zip(docs["article_id"], docs["source_file"], docs["content_hash"], docs["text"]):
        try:
            paras, sents = segment.segment(text, furniture_set)
            meta = meta_fn(text, paras) if meta_fn else {}
        except Exception as err:  # one bad article must not sink its batch
            rejects.append(_extraction_reject(sf, ch, "segment", err))
            continue
        title = next((text[p["char_start"]:p["char_end"]] for p in paras if p["role"] == "title"), None)
        body_words = sum(
            len(_WORD.findall(text, p["char_start"], p["char_end"])) for p in paras if p["role"] in ("body", "dek")
        )
        meta_rows.append({
            "article_id": aid, "title": title, "word_count": body_words,
            "byline": meta.get("byline"), "dateline": meta.get("dateline"),
            "published": meta.get("published"), "outlet": meta.get("outlet"),
        })
        for p in paras:
            p_rows.append({"article_id": aid, **p, "text": text[p["char_start"]:p["char_end"]]})
        for s in sents:
            s_rows.append({"article_id": aid, **s, "text": text[s["char_start"]:s["char_end"]]})
    meta_df = pl.DataFrame(meta_rows, schema={
        "article_id": pl.String, "title": pl.String, "word_count": pl.Int32, "byline": pl.String,
        "dateline": pl.String, "published": pl.String, "outlet": pl.String,
    })
    out_docs = (
        docs.join(meta_df, on="article_id", how="inner")
        .with_columns(
            pl.coalesce("stated_published", "published").alias("published"),
            pl.coalesce("stated_outlet", "outlet").alias("outlet"),
            pl.coalesce("stated_byline", "byline").alias("byline"),
        )
        .drop("stated_published", "stated_outlet", "stated_byline")
    )
    paragraphs = pl.DataFrame(p_rows, schema={
        "article_id": pl.String, "paragraph_index": pl.Int32, "role": pl.String, "text": pl.String,
        "char_start": pl.Int32, "char_end": pl.Int32,
    })
    sentences = pl.DataFrame(s_rows, schema={
        "article_id": pl.String, "sentence_index": pl.Int32, "paragraph_index": pl.Int32, "text": pl.String,
        "char_start": pl.Int32, "char_end": pl.Int32,
    })
    return out_docs, paragraphs, sentences, pl.DataFrame(rejects, schema=REJECT_SCHEMA)


def segment_batch_with_furniture(docs: pl.DataFrame):
    """segment_batch with the furniture lines of this batch's own files."""
    return segment_batch(docs, furniture(docs["text"]))


# ---------------------------------------------------------------- extract
QUOTE_SCHEMA = {
    "article_id": pl.String, "source_file": pl.String, "quote_index": pl.Int32, "sentence_index": pl.Int32,
    "paragraph_index": pl.Int32, "char_start": pl.Int32, "char_end": pl.Int32, "quote": pl.String,
    "speaker": pl.String, "speaker_kind": pl.String, "kind": pl.String, "verb": pl.String, "flagged": pl.Boolean,
}
FIGURE_SCHEMA = {
    "article_id": pl.String, "source_file": pl.String, "figure_index": pl.Int32, "sentence_index": pl.Int32,
    "char_start": pl.Int32, "char_end": pl.Int32, "span": pl.String, "kind": pl.String, "value": pl.Float64,
    "value_high": pl.Float64, "unit": pl.String, "qualifier": pl.String, "base": pl.String, "per": pl.String,
    "spelled": pl.Boolean, "subject": pl.String,
}


def _group(frame: pl.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in frame.iter_rows(named=True):
        out.setdefault(row["article_id"], []).append(row)
    return out


def extract_batch(docs: pl.DataFrame, paragraphs: pl.DataFrame, sentences: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Quotes with speakers and figures for each document: (quotes, figures, rejects)."""
    paras_by, sents_by = _group(paragraphs.drop("text")), _group(sentences.drop("text"))
    q_rows: list[dict] = []
    f_rows: list[dict] = []
    rejects: list[dict] = []
    for aid, sf, ch, text in zip(docs["article_id"], docs["source_file"], docs["content_hash"], docs["text"]):
        paras, sents = paras_by.get(aid, []), sents_by.get(aid, [])
        try:
            qs = quotes.extract_quotes(text, paras, sents)
            fs = figures.extract_figures(text, sents, paras)
        except Exception as err:
            rejects.append(_extraction_reject(sf, ch, "extract", err))
            continue
        for i, q in enumerate(qs):
            q_rows.append({**{k: q.get(k) for k in QUOTE_SCHEMA}, "article_id": aid, "source_file": sf, "quote_index": i,
                           "flagged": bool(q.get("flagged", False))})
        for i, f in enumerate(fs):
            f_rows.append({**{k: f.get(k) for k in FIGURE_SCHEMA}, "article_id": aid, "source_file": sf, "figure_index": i,
                           "spelled": bool(f.get("spelled", False))})
    return (
        pl.DataFrame(q_rows, schema=QUOTE_SCHEMA),
        pl.DataFrame(f_rows, schema=FIGURE_SCHEMA),
        pl.DataFrame(rejects, schema=REJECT_SCHEMA),
    )


def _extraction_reject(source_file: str, content_hash: str, stage: str, err: Exception) -> dict:
    where = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    loc = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return {"source_file": source_file, "reason": f"{stage}_error", "detail": f"{type(err).__name__}: {err}{loc}",
            "content_hash": content_hash}


# ---------------------------------------------------------------- cluster
def cluster_features(articles: pl.DataFrame, sentences: pl.DataFrame, quotes_: pl.DataFrame,
                     figures_: pl.DataFrame) -> dedup.Features:
    """What clustering needs of a batch of new articles; needs no state, so it runs beside the batch's other work."""
    return dedup.batch_features(articles, sentences, quotes_, figures_)


def cluster_add(features: dedup.Features, state: dict[str, pl.DataFrame] | None = None) -> dict[str, pl.DataFrame]:
    """Add a batch of new articles (their cluster_features) to the near-duplicate state (signatures, evidence, links)."""
    previous = dedup.DedupState.from_frames(state) if state else dedup.DedupState.empty()
    # Clusters are only worked out once, at the end of the run (cluster_final).
    return dedup.add_features(previous, features).to_frames()


def cluster_final(state: dict[str, pl.DataFrame] | None, current: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, pl.DataFrame]]:
    """Story clusters over the current articles: (article_clusters, sentence_reuse, state).

    The state is first cut down to the articles still in the input, so a removed
    or changed file leaves no trace in the clusters.
    """
    if not state or current.is_empty():
        return pl.DataFrame(), pl.DataFrame(), {}
    kept = dedup.DedupState.from_frames(state).restrict(current["article_id"])
    none = pl.DataFrame(schema={"article_id": pl.String, "content_hash": pl.String, "source_file": pl.String,
                                "text": pl.String, "ingested_at": pl.Datetime("us", "UTC")})
    sentences = pl.DataFrame(schema={"article_id": pl.String, "sentence_index": pl.Int32, "paragraph_index": pl.Int32,
                                     "text": pl.String, "char_start": pl.Int32, "char_end": pl.Int32})
    clusters, reuse, new_state = dedup.cluster_articles(
        none, sentences, pl.DataFrame(schema=QUOTE_SCHEMA), pl.DataFrame(schema=FIGURE_SCHEMA),
        kept,
    )
    return clusters, reuse, new_state.to_frames()


def articles_frame(docs: pl.DataFrame, ingested_at: datetime | None = None) -> pl.DataFrame:
    """The articles table rows for documents that came through every stage."""
    now = ingested_at or datetime.now(timezone.utc)
    return docs.with_columns(
        pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("ingested_at"),
        pl.lit(schema.EXTRACTION_VERSION).alias("extraction_version"),
    )


def drop_rejected(frame: pl.DataFrame, rejects: pl.DataFrame, key: str = "source_file") -> pl.DataFrame:
    if rejects.is_empty():
        return frame
    return frame.join(rejects.select(key), on=key, how="anti")
