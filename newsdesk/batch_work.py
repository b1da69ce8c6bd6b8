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

from newsdesk import dedup, memory, publish, stages, store

_HELD: dict[str, dict] = {}
CHUNK = 1000  # articles a stage works on at once


def start_worker() -> None:
    """Sets up a process that works on batches (run once in it, as its pool's initializer)."""
    # Workers do not keep freed heap for reuse: at 100k it was ~50 MB more each for no measurable gain.
    memory.fixed_mmap_threshold(reuse=False)
    memory.collect_on_release_only()


def begin(key: str, docs: pl.DataFrame, started_at: datetime) -> None:
    _HELD[key] = {"docs": docs, "started_at": started_at}


def end(key: str) -> None:
    if _HELD.pop(key, None) is not None:
        memory.release()


def _chunks(frame: pl.DataFrame):
    """The frame CHUNK rows at a time: each stage builds Python objects per row, and CPython keeps the
    heap pages they used; a smaller chunk holds fewer at once, so a worker's RSS stays lower."""
    for lo in range(0, max(frame.height, 1), CHUNK):
        yield frame.slice(lo, CHUNK)


def _of(frame: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    return frame.join(docs.select("article_id"), on="article_id", how="semi")


def clean(key: str) -> int:
    held = _HELD[key]
    held["docs"] = pl.concat([stages.clean_batch(chunk) for chunk in _chunks(held["docs"])])
    return held["docs"].height


def segment(key: str) -> pl.DataFrame:
    """Segments the held documents; returns the rejects."""
    held = _HELD[key]
    docs = held["docs"]
    furniture = stages.furniture(docs["text"])  # lines that recur across the whole batch, not one chunk
    parts = [stages.segment_batch(chunk, furniture) for chunk in _chunks(docs)]
    held["docs"], held["paragraphs"], held["sentences"], held["seg_rejects"] = (
        pl.concat([p[i] for p in parts]) for i in range(4))
    return held["seg_rejects"]


def extract(key: str) -> pl.DataFrame:
    """Quotes and figures of the held documents; returns the rejects. Rejected articles leave every table."""
    held = _HELD[key]
    docs, paragraphs, sentences = held["docs"], held.pop("paragraphs"), held.pop("sentences")
    parts = [stages.extract_batch(chunk, _of(paragraphs, chunk), _of(sentences, chunk)) for chunk in _chunks(docs)]
    quotes, figures, ext_rejects = (pl.concat([p[i] for p in parts]) for i in range(3))
    del parts
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
    memory.release()
    return ext_rejects


def write(key: str, staged: store.StagedVersion, part: str) -> dict[str, int]:
    """Writes the held tables as Parquet parts; returns the rows written per table."""
    frames = _HELD[key]["frames"]
    publish.write_batch(staged, frames, part)
    return {name: frame.height for name, frame in frames.items() if frame.height}


def features(key: str) -> tuple[pl.DataFrame, dedup.Features]:
    """(article_id of the new articles, their clustering features); the batch is let go.

    Worked out a chunk at a time: tokenising a whole batch at once held several times the batch's
    text in token lists (a worker's peak); the features do not depend on how the articles are split.
    """
    frames = _HELD.pop(key)["frames"]
    articles = frames["articles"].unique("article_id", keep="first", maintain_order=True)
    parts = [stages.cluster_features(chunk, *(_of(frames[t], chunk) for t in ("sentences", "quotes", "figures")))
             for chunk in _chunks(articles)]
    del frames
    memory.release()
    return articles.select("article_id"), dedup.Features.concat(parts)
