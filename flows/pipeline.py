"""The news_pipeline flow: ingest → clean → segment → extract → publish.

Thin by design: every task hands a whole batch of articles to a pure function
in the newsdesk package. Prefect orchestrates; polars and pyarrow carry the data.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.runtime import flow_run

from newsdesk import ingest, publish, stages, store


@task(name="ingest", retries=2, retry_delay_seconds=[1, 5])
def ingest_task(refs: list[ingest.FileRef], max_file_bytes: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    return stages.ingest_batch(refs, max_bytes=max_file_bytes)


@task(name="clean")
def clean_task(docs: pl.DataFrame) -> pl.DataFrame:
    return stages.clean_batch(docs)


@task(name="furniture")
def furniture_task(docs: list[pl.DataFrame]) -> frozenset[str]:
    return stages.furniture(t for d in docs for t in d["text"])


@task(name="segment")
def segment_task(docs: pl.DataFrame, furniture: frozenset[str]):
    return stages.segment_batch(docs, furniture)


@task(name="extract")
def extract_task(docs: pl.DataFrame, paragraphs: pl.DataFrame, sentences: pl.DataFrame):
    return stages.extract_batch(docs, paragraphs, sentences)


@task(name="cluster")
def cluster_task(articles, sentences, quotes, figures, previous):
    return stages.cluster_batch(articles, sentences, quotes, figures, previous)


@task(name="publish", retries=2, retry_delay_seconds=[1, 5])
def publish_task(warehouse: str, frames: dict[str, pl.DataFrame], run: publish.RunInfo) -> store.Manifest:
    return publish.publish(Path(warehouse), frames, run)


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def timed(self, stage: str, fn, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.seconds[stage] += time.perf_counter() - t0


@flow(name="news_pipeline", log_prints=True)
def news_pipeline(
    input_dir: str = "seeds",
    warehouse: str = "warehouse",
    batch_files: int = 2000,
    max_file_bytes: int = ingest.DEFAULT_MAX_BYTES,
    wait_for_lock: float = 0.0,
) -> dict:
    """Run every stage over the files in input_dir and publish one warehouse version."""
    logger = get_run_logger()
    started_at = datetime.now(timezone.utc)
    run_id = str(flow_run.get_id() or uuid.uuid4())
    clock = _Clock()
    wh = Path(warehouse).resolve()
    with store.WriterLock(wh, wait_seconds=wait_for_lock):
        publish.recover(wh)

        logger.info("stage ingest: finding files in %s", input_dir)
        refs, walk_rejects = ingest.discover(input_dir)
        doc_batches, reject_frames = [], [stages.rejects_frame(walk_rejects)]
        for batch in stages.batches(refs, max_items=batch_files):
            docs, rejects = clock.timed("ingest", ingest_task, batch, max_file_bytes)
            reject_frames.append(rejects)
            logger.info("stage clean: %d documents", docs.height)
            doc_batches.append(clock.timed("clean", clean_task, docs))

        furniture = clock.timed("segment", furniture_task, doc_batches)
        out = defaultdict(list)
        for docs in doc_batches:
            logger.info("stage segment: %d documents", docs.height)
            docs, paragraphs, sentences, seg_rejects = clock.timed("segment", segment_task, docs, furniture)
            logger.info("stage extract: %d documents", docs.height)
            quotes, figures, ext_rejects = clock.timed("extract", extract_task, docs, paragraphs, sentences)
            bad = pl.concat([seg_rejects, ext_rejects])
            out["articles"].append(stages.articles_frame(stages.drop_rejected(docs, bad), started_at))
            bad_ids = docs.join(bad.select("source_file"), on="source_file", how="semi")["article_id"]
            out["paragraphs"].append(paragraphs.filter(~pl.col("article_id").is_in(bad_ids.implode())))
            out["sentences"].append(sentences.filter(~pl.col("article_id").is_in(bad_ids.implode())))
            out["quotes"].append(quotes)
            out["figures"].append(figures)
            reject_frames.append(bad)

        frames = {name: pl.concat(parts) if parts else pl.DataFrame() for name, parts in out.items()}
        for name in ("articles", "paragraphs", "sentences", "quotes", "figures"):
            frames.setdefault(name, pl.DataFrame())  # an input folder with no article at all
        frames["rejects"] = pl.concat(reject_frames)

        logger.info("stage cluster: %d articles", frames["articles"].height)
        frames["articles"] = publish.keep_first_ingested(frames["articles"], wh)
        clusters, reuse, state = clock.timed(
            "cluster", cluster_task, frames["articles"], frames["sentences"], frames["quotes"], frames["figures"],
            publish.load_state(wh),
        )
        frames.update(state, article_clusters=clusters, sentence_reuse=reuse)

        logger.info("stage publish: writing Parquet and rebuilding the catalog")
        run = publish.RunInfo(run_id, started_at, str(Path(input_dir).resolve()), len(refs) + len(walk_rejects), dict(clock.seconds))
        manifest = clock.timed("publish", publish_task, str(wh), frames, run)

    summary = {
        "run_id": run_id,
        "files": len(refs) + len(walk_rejects),
        "articles": frames["articles"].height,
        "rejects": frames["rejects"].height,
        "quotes": frames["quotes"].height,
        "figures": frames["figures"].height,
        "version": manifest.version,
        "stage_seconds": {k: round(v, 3) for k, v in clock.seconds.items()},
    }
    create_table_artifact(
        key="news-pipeline-counts",
        table=[{"measure": k, "value": v} for k, v in summary.items() if k not in ("stage_seconds", "run_id")]
        + [{"measure": f"seconds_{k}", "value": v} for k, v in summary["stage_seconds"].items()],
        description=f"newsdesk run over {input_dir} into {warehouse}",
    )
    return summary
