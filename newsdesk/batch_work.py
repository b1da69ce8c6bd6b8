"""One batch's stages, its frames held in the process that works on them.

A batch's frames (texts, paragraphs, sentences) are large. Shipped to a worker
process and back at every stage, the copying cost the orchestrating process
more CPU than clustering. Here every step works on the batch held under its key
in this process (a worker process, or the orchestrator itself) and returns only
what the orchestrator needs: rejects, row counts, ids and clustering features.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from newsdesk import dedup, publish, stages, store

_HELD: dict[str, dict] = {}


def begin(key: str, docs: pl.DataFrame, started_at: datetime) -> None:
    _HELD[key] = {"docs": docs, "started_at": started_at}


def end(key: str) -> None:
    _HELD.pop(key, None)


def clean(key: str) -> int:
    held = _HELD[key]
    held["docs"] = stages.clean_batch(held["docs"])
    return held["docs"].height


def segment(key: str) -> pl.DataFrame:
    """Segments the held documents; returns the rejects."""
    held = _HELD[key]
    held["docs"], held["paragraphs"], held["sentences"], held["seg_rejects"] = \
        stages.segment_batch_with_furniture(held["docs"])
    return held["seg_rejects"]


def extract(key: str) -> pl.DataFrame:
    """Quotes and figures of the held documents; returns the rejects. Rejected articles leave every table."""
    held = _HELD[key]
    docs, paragraphs, sentences = held["docs"], held.pop("paragraphs"), held.pop("sentences")
    quotes, figures, ext_rejects = stages.extract_batch(docs, paragraphs, sentences)
    bad = pl.concat([held.pop("seg_rejects"), ext_rejects])
    bad_ids = docs.join(bad.select("source_file"), on="source_file", how="semi").select("article_id")
    held["frames"] = {
        "articles": stages.articles_frame(stages.drop_rejected(docs, bad), held["started_at"]),
        "paragraphs": paragraphs.join(bad_ids, on="article_id", how="anti"),
        "sentences": sentences.join(bad_ids, on="article_id", how="anti"),
        "quotes": quotes,
        "figures": figures,
    }
    del held["docs"]
    return ext_rejects


def write(key: str, staged: store.StagedVersion, part: str) -> dict[str, int]:
    """Writes the held tables as Parquet parts; returns the rows written per table."""
    frames = _HELD[key]["frames"]
    publish.write_batch(staged, frames, part)
    return {name: frame.height for name, frame in frames.items() if frame.height}


def features(key: str) -> tuple[pl.DataFrame, dedup.Features]:
    """(article_id of the new articles, their clustering features); the batch is let go."""
    frames = _HELD.pop(key)["frames"]
    articles = frames["articles"]
    return articles.select("article_id"), stages.cluster_features(
        articles, frames["sentences"], frames["quotes"], frames["figures"])
