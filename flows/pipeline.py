"""The news_pipeline flow: ingest → clean → segment → extract → cluster → publish.

Thin by design: every task hands a whole batch of articles to a pure function
in the newsdesk package. Prefect orchestrates; polars and pyarrow carry the
data. Batches stream: each one's rows are written as Parquet parts as soon as
it is done, so memory does not grow with the input. Only new or changed files
are extracted; unchanged articles are carried over from the last version.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import defaultdict, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.runtime import flow_run

from newsdesk import faults, ingest, publish, stages, store
from newsdesk.progress import Progress


class _Pool:
    """Worker processes for the CPU work of the stages, started on first use.

    Plain Python processes that import newsdesk only (no Prefect, no server), so
    a run that finds nothing new never pays for starting them.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        # Made only when needed: a serving runner pickles this module's globals, and locks do not pickle.
        self._lock = threading.Lock() if workers > 1 else None

    def run(self, fn, *args, **kwargs):
        if self.workers <= 1:
            return fn(*args, **kwargs)
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("spawn"))
        return self._executor.submit(fn, *args, **kwargs).result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None


_POOL = _Pool(1)


def _compute(fn, *args, **kwargs):
    return _POOL.run(fn, *args, **kwargs)


# ---------------------------------------------------------------- Dask
# A remote cluster with no worker yet would queue the batches for ever; give up after this long.
DASK_WORKER_WAIT_SECONDS = 60


def dask_task_runner(address: str | None = None, workers: int = 2, api_url: str | None = None):
    """A DaskTaskRunner: on the scheduler at address, else on a local cluster of worker processes.

    Local workers get PREFECT_API_URL (default: the one this process uses) in their
    environment, so they report to this process's Prefect server instead of each
    starting a temporary one. Workers of a remote cluster get it with every task
    (Prefect serialises its settings along), so it must be an address they can reach.
    """
    from prefect.settings import PREFECT_API_URL
    from prefect_dask import DaskTaskRunner

    # The root logger's console handler (Prefect's) would print the local scheduler's INFO chatter.
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if address:
        return DaskTaskRunner(address=address)
    api_url = api_url or PREFECT_API_URL.value()
    return DaskTaskRunner(cluster_kwargs={
        "n_workers": workers, "threads_per_worker": 1, "processes": True,
        "dashboard_address": ":0",  # any free port: two runs at once would both want 8787
        "env": {"PREFECT_API_URL": api_url} if api_url else {},
    })


def _dask_client():
    """The Dask client of the flow's task runner, with at least one worker; None under the default runner."""
    runner = getattr(FlowRunContext.get(), "task_runner", None)
    if type(runner).__module__.partition(".")[0] != "prefect_dask":
        return None
    client = runner.client  # starts the local cluster, or connects to the scheduler
    client.wait_for_workers(1, timeout=DASK_WORKER_WAIT_SECONDS)
    return client


@task(name="ingest", cache_policy=NONE, retries=2, retry_delay_seconds=[1, 5])
def ingest_task(refs: list[ingest.FileRef], max_file_bytes: int, fields: dict | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    # Reading and hashing is I/O: it stays in this process, so a rerun starts no workers.
    return stages.ingest_batch(refs, max_bytes=max_file_bytes, fields=fields)


@task(name="clean", cache_policy=NONE)
def clean_task(docs: pl.DataFrame) -> pl.DataFrame:
    return _compute(stages.clean_batch, docs)


@task(name="segment", cache_policy=NONE)
def segment_task(docs: pl.DataFrame):
    return _compute(stages.segment_batch_with_furniture, docs)


@task(name="extract", cache_policy=NONE)
def extract_task(docs: pl.DataFrame, paragraphs: pl.DataFrame, sentences: pl.DataFrame):
    return _compute(stages.extract_batch, docs, paragraphs, sentences)


@task(name="write", cache_policy=NONE, retries=2, retry_delay_seconds=[1, 5])
def write_task(staged: store.StagedVersion, frames: dict[str, pl.DataFrame], part: str) -> None:
    publish.write_batch(staged, frames, part)


@task(name="cluster", cache_policy=NONE)
def cluster_task(state, articles, sentences, quotes, figures):
    return stages.cluster_add(articles, sentences, quotes, figures, state)


@task(name="publish", cache_policy=NONE, retries=2, retry_delay_seconds=[1, 5])
def publish_task(staged: store.StagedVersion, whole: dict[str, pl.DataFrame], run: publish.RunInfo) -> store.Manifest:
    return publish.commit_version(staged, whole, run)


@dataclass
class BatchResult:
    index: int
    rejects: list[pl.DataFrame]
    unchanged: pl.DataFrame
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # rows written per table
    writer: tuple[int, int] = (0, 0)  # (process, staged object) that counted them


def _count_rows(staged: store.StagedVersion, result: BatchResult) -> None:
    """Add a batch's rows to staged.rows when the batch wrote through a copy of it (another process)."""
    if result.writer != (os.getpid(), id(staged)):
        for table, n in result.rows.items():
            staged.rows[table] = staged.rows.get(table, 0) + n


@task(name="batch", cache_policy=NONE)
def batch_task(index: int, refs: list[ingest.FileRef], previous: pl.DataFrame, staged: store.StagedVersion,
               started_at: datetime, max_file_bytes: int, jsonl_fields: dict | None) -> BatchResult:
    """ingest → clean → segment → extract → write for one batch; unchanged articles are only noted."""
    clock = _Clock()
    docs, rejects = clock.timed("ingest", ingest_task, refs, max_file_bytes, jsonl_fields)
    faults.checkpoint("flow.after_ingest")
    result = BatchResult(index, [rejects], docs.join(previous, on="article_id", how="semi").select("article_id"))
    docs = docs.join(previous, on="article_id", how="anti")
    if not docs.is_empty():
        docs = clock.timed("clean", clean_task, docs)
        docs, paragraphs, sentences, seg_rejects = clock.timed("segment", segment_task, docs)
        quotes, figures, ext_rejects = clock.timed("extract", extract_task, docs, paragraphs, sentences)
        faults.checkpoint("flow.after_extract")
        bad = pl.concat([seg_rejects, ext_rejects])
        result.rejects.append(bad)
        bad_ids = docs.join(bad.select("source_file"), on="source_file", how="semi").select("article_id")
        result.frames = {
            "articles": stages.articles_frame(stages.drop_rejected(docs, bad), started_at),
            "paragraphs": paragraphs.join(bad_ids, on="article_id", how="anti"),
            "sentences": sentences.join(bad_ids, on="article_id", how="anti"),
            "quotes": quotes,
            "figures": figures,
        }
        clock.timed("write", write_task, staged, result.frames, f"part-{staged.version}-{index:05d}")
        result.rows = {name: frame.height for name, frame in result.frames.items() if frame.height}
        result.writer = (os.getpid(), id(staged))
        del result.frames["paragraphs"]  # clustering needs the rest; this can go now
    result.seconds = dict(clock.seconds)
    return result


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
    batch_bytes: int = 16 * 1024 * 1024,
    max_file_bytes: int = ingest.DEFAULT_MAX_BYTES,
    wait_for_lock: float = 0.0,
    jsonl_fields: dict[str, str] | None = None,
    workers: int = 1,
    progress: bool = False,
) -> dict:
    """Run every stage over the files in input_dir and publish one warehouse version.

    jsonl_fields names the keys of JSON-lines dumps (text, title, url, published_at, source).
    workers > 1 runs that many batches at once, their CPU work in worker processes. Under a
    DaskTaskRunner (see dask_task_runner) the batches run on the cluster instead, as many at
    once as it has worker threads, and workers is ignored.
    progress shows a progress line on stderr when it is a terminal.
    """
    logger = get_run_logger()
    started_at = datetime.now(timezone.utc)
    run_id = str(flow_run.get_id() or uuid.uuid4())
    clock = _Clock()
    wh = Path(warehouse).resolve()
    wh.mkdir(parents=True, exist_ok=True)
    with store.WriterLock(wh, wait_seconds=wait_for_lock):
        publish.recover(wh)
        manifest = store.read_manifest(wh)
        previous = publish.previous_articles(wh, manifest)
        state = publish.load_state(wh)
        staged = store.StagedVersion(wh, run_id)

        logger.info("stage ingest: finding files in %s", input_dir)
        # Absolute paths: a batch task may run in another process, or on another machine sharing the storage.
        refs, walk_rejects = clock.timed("ingest", ingest.discover, Path(input_dir).absolute())
        reject_frames = [stages.rejects_frame(walk_rejects)]
        unchanged, new_ids = [], []
        counts = defaultdict(int)
        # On Dask the batch tasks do their CPU work in the worker that runs them: no pool here, and
        # as many batches at once as the cluster has threads.
        dask = _dask_client() if refs else None
        on_dask = dask is not None
        known = previous
        if on_dask:
            workers = max(1, sum(dask.nthreads().values()))
            logger.info("running batches on Dask: %d worker threads", workers)
            # Every batch needs the ids already published: ship them to the cluster once, not with each batch.
            known = dask.scatter(previous)
        plan = stages.batches(refs, max_items=min(batch_files, stages.even_batch_size(len(refs), workers)),
                              max_bytes=batch_bytes, size=lambda r: r.size)
        global _POOL
        _POOL = _Pool(workers if len(plan) > 1 and not on_dask else 1)
        bar = Progress(len(refs), enabled=progress)
        try:
            pending: deque = deque()

            def consume(result: BatchResult, state):
                bar.advance(len(plan[result.index]), result.frames["articles"].height if result.frames else 0)
                for stage, secs in result.seconds.items():
                    clock.seconds[stage] += secs
                reject_frames.extend(result.rejects)
                unchanged.append(result.unchanged)
                _count_rows(staged, result)
                if not result.frames:
                    return state
                f = result.frames
                logger.info("batch %d: %d new or changed articles", result.index, f["articles"].height)
                state = clock.timed("cluster", cluster_task, state, f["articles"], f["sentences"], f["quotes"], f["figures"])
                new_ids.append(f["articles"].select("article_id"))
                for name in ("articles", "quotes", "figures"):
                    counts[name] += f[name].height
                return state

            for i, batch in enumerate(plan):
                pending.append(batch_task.submit(i, batch, known, staged, started_at, max_file_bytes, jsonl_fields))
                while len(pending) > max(workers, 1):  # a bounded window: memory stays flat
                    state = consume(pending.popleft().result(), state)
            while pending:
                state = consume(pending.popleft().result(), state)
        finally:
            bar.close()
            _POOL.close()
            _POOL = _Pool(1)

        keep = pl.concat(unchanged) if unchanged else pl.DataFrame(schema={"article_id": pl.String})
        carried = clock.timed("publish", publish.reuse_previous, staged, wh, manifest, keep, previous)
        logger.info("stage cluster: %d new articles, %d carried over", counts["articles"], carried)
        current = pl.concat([keep, *new_ids])
        clusters, reuse, state = clock.timed("cluster", stages.cluster_final, state, current)

        logger.info("stage publish: data tests, manifest, catalog")
        whole = {"rejects": pl.concat(reject_frames), "article_clusters": clusters, "sentence_reuse": reuse, **state}
        run = publish.RunInfo(run_id, started_at, str(Path(input_dir).resolve()), len(refs) + len(walk_rejects),
                              dict(clock.seconds))
        manifest = clock.timed("publish", publish_task, staged, whole, run)

    rows = {name: info["rows"] for name, info in manifest.tables.items()}
    summary = {
        "run_id": run_id,
        "files": len(refs) + len(walk_rejects),
        "articles": rows.get("articles", 0),
        "new_articles": counts["articles"],
        "rejects": rows.get("rejects", 0),
        "quotes": rows.get("quotes", 0),
        "figures": rows.get("figures", 0),
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
