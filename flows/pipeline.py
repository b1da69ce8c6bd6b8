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
import queue
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
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

from newsdesk import batch_work, dedup, dedup_files, faults, ingest, memory, publish, stages, store
from newsdesk.progress import Progress


class _Pool:
    """Worker processes for the CPU work of the batches, started on first use.

    A batch holds one worker from its clean stage to its last (see newsdesk.batch_work),
    so its frames stay there instead of crossing between processes at every stage.
    Plain Python processes that import newsdesk only (no Prefect, no server), so a
    run that finds nothing new never pays for starting them. With idle_seconds, a worker
    no batch has held for that long is stopped (see retire_idle), and started again when
    a batch needs it.
    """

    def __init__(self, workers: int, idle_seconds: float | None = None):
        self.workers = workers
        self.idle_seconds = idle_seconds
        self._executors: dict[int, ProcessPoolExecutor] = {}
        self._released: dict[int, float] = {}  # when each worker's last batch let it go (time.monotonic)
        # Made only when needed: a serving runner pickles this module's globals, and locks do not pickle.
        self._free: queue.SimpleQueue | None = None
        self._watcher: tuple[threading.Thread, threading.Event] | None = None
        self._watcher_lock: threading.Lock | None = None
        if workers > 1:
            self._watcher_lock = threading.Lock()  # two batches may start their workers at once
            self._free = queue.SimpleQueue()
            for i in range(workers):
                self._free.put(i)

    @property
    def started(self) -> bool:
        return bool(self._executors)

    @contextmanager
    def slot(self) -> Iterator:
        """A call(fn, *args) that runs fn in one worker, the same one for as long as the block lasts."""
        if self._free is None:
            yield lambda fn, *args: fn(*args)
            return
        i = self._free.get()
        try:
            if i not in self._executors:
                self._executors[i] = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"),
                                                         initializer=batch_work.start_worker)
                self._watch()
            executor = self._executors[i]
            yield lambda fn, *args: executor.submit(fn, *args).result()
        finally:
            self._released[i] = time.monotonic()
            self._free.put(i)

    def retire_idle(self, idle_seconds: float = 0.0) -> int:
        """Stop the workers no batch has held for idle_seconds; the next batch that needs one starts it
        again. Returns how many stopped.

        An idle worker keeps its caches (~0.1 GB over a fresh one) and its share of the libraries'
        pages: while the run reads unchanged inputs or updates its near-duplicate state, that is memory
        doing nothing.
        """
        if self._free is None:
            return 0
        free = []
        while True:
            try:
                free.append(self._free.get_nowait())
            except queue.Empty:
                break
        stopped = 0
        try:
            for i in free:  # taken out of the queue: no slot can hand them out while they stop
                if time.monotonic() - self._released.get(i, 0.0) < idle_seconds:
                    continue
                executor = self._executors.pop(i, None)
                if executor is not None:
                    executor.shutdown()
                    stopped += 1
        finally:
            for i in free:
                self._free.put(i)
        return stopped

    def _watch(self) -> None:
        """Start the thread that retires idle workers, if there is none. A thread, not a check between
        batches: the orchestrator can be busy for seconds (loading and updating the near-duplicate state)
        while both workers wait, and that is when an incremental run peaks."""
        if self.idle_seconds is None:
            return
        with self._watcher_lock:
            if self._watcher is not None:
                return
            stop = threading.Event()

            def watch() -> None:
                while not stop.wait(max(self.idle_seconds / 4, 0.05)):
                    self.retire_idle(self.idle_seconds)
            thread = threading.Thread(target=watch, name="newsdesk-idle-workers", daemon=True)
            self._watcher = (thread, stop)
            thread.start()

    def close(self) -> None:
        if self._watcher_lock is not None:
            with self._watcher_lock:
                watcher, self._watcher = self._watcher, None
            if watcher is not None:
                thread, stop = watcher
                stop.set()
                thread.join()
        for executor in self._executors.values():
            executor.shutdown(cancel_futures=True)
        self._executors = {}


_POOL = _Pool(1)
_NOT_LOADED = object()
# A worker no batch has held for this long is stopped (~0.23 GB each at a million articles): restarting one
# costs ~1.5 s of CPU, taken while a core is free anyway. Short, because an incremental run that adds a
# few articles peaks while its last state update runs, seconds after the workers are done.
WORKER_IDLE_SECONDS = 3.0


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


@task(name="write", cache_policy=NONE, retries=2, retry_delay_seconds=[1, 5])
def write_task(call, key: str, staged: store.StagedVersion, part: str) -> dict[str, int]:
    # `call` runs the write in the worker that holds the batch. Writing is I/O: worth a retry.
    return call(batch_work.write, key, staged, part)


def cluster_step(state, features: dedup.Features):
    # Not a task: a batch's task run already shows its work; this one would cost a task run per batch.
    state = stages.cluster_add(features, state)
    # The state update's temporaries are a few times the batch: give them back before the next one.
    memory.release(collect=False)
    return state


@task(name="write whole tables", cache_policy=NONE)
def write_whole_task(staged: store.StagedVersion, whole: dict[str, pl.DataFrame], state: dedup.DedupState | None) -> None:
    publish.write_whole(staged, whole, state.table_parts() if state is not None else ())


@task(name="data tests", cache_policy=NONE)
def data_tests_task(staged: store.StagedVersion, run: publish.RunInfo) -> publish.Finished:
    # No retries: a version that fails is removed, and a retry would only report the missing folder.
    return publish.finish_version(staged, {}, run)


@task(name="publish", cache_policy=NONE, retries=2, retry_delay_seconds=[1, 5])
def publish_task(done: publish.Finished) -> store.Manifest:
    # Catalog and manifest are each replaced whole: worth a retry (a warehouse on shared storage).
    return publish.swap_in(done)


@dataclass
class BatchResult:
    index: int
    rejects: list[pl.DataFrame]
    unchanged: pl.DataFrame
    new_ids: pl.DataFrame | None = None  # article_id of the new or changed articles written
    features: dedup.Features | None = None
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
    """ingest → clean → segment → extract → write → features for one batch; unchanged articles are only noted."""
    clock = _Clock()
    docs, rejects = clock.timed("ingest", ingest_task, refs, max_file_bytes, jsonl_fields)
    faults.checkpoint("flow.after_ingest")
    result = BatchResult(index, [rejects], docs.join(previous, on="article_id", how="semi").select("article_id"))
    docs = docs.join(previous, on="article_id", how="anti")
    if not docs.is_empty():
        key = f"{staged.version}-{index}"
        with _POOL.slot() as call:
            try:
                call(batch_work.begin, key, docs, started_at)
                del docs
                # The CPU steps are plain calls, not tasks of their own: a task run costs Prefect ~50 ms of
                # CPU (server and client), and at a million articles these four came to ~600 runs, ~30 s
                # of CPU, with nothing a retry could fix. Their seconds still reach the runs table.
                clock.timed("clean", call, batch_work.clean, key)
                result.rejects.append(clock.timed("segment", call, batch_work.segment, key))
                result.rejects.append(clock.timed("extract", call, batch_work.extract, key))
                faults.checkpoint("flow.after_extract")
                part = f"part-{staged.version}-{index:05d}"
                result.rows = clock.timed("write", write_task, call, key, staged, part)
                result.writer = (os.getpid(), id(staged)) if _POOL._free is None else (-1, 0)
                result.new_ids, result.features = clock.timed("cluster", call, batch_work.features, key)
            finally:
                call(batch_work.end, key)
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
    with store.WriterLock(wh, wait_seconds=wait_for_lock), ExitStack() as scratch, memory.frozen_heap():
        publish.recover(wh)
        # The near-duplicate state's files go on the warehouse's disk: a temp folder may be held in memory.
        scratch.enter_context(dedup_files.scratch_at(wh / store.SCRATCH_DIR / run_id))
        manifest = store.read_manifest(wh)
        previous = publish.previous_articles(wh, manifest)
        state = _NOT_LOADED  # loaded when first needed: a rerun with nothing new may never need it

        def loaded(state):
            return clock.timed("cluster", publish.load_state, wh, manifest) if state is _NOT_LOADED else state
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
        # The tail covers the batches still being added to the state when the workers run out of work.
        plan = stages.batches(refs, max_items=min(batch_files, stages.even_batch_size(len(refs), workers)),
                              max_bytes=batch_bytes, size=lambda r: r.size, tail=2 * (workers + 1))
        global _POOL
        _POOL = _Pool(workers if len(plan) > 1 and not on_dask else 1, idle_seconds=WORKER_IDLE_SECONDS)
        bar = Progress(len(refs), enabled=progress)
        try:
            pending: deque = deque()

            def consume(result: BatchResult, state):
                bar.advance(len(plan[result.index]), result.rows.get("articles", 0))
                for stage, secs in result.seconds.items():
                    clock.seconds[stage] += secs
                reject_frames.extend(result.rejects)
                unchanged.append(result.unchanged)
                _count_rows(staged, result)
                if result.new_ids is None:
                    # Nothing new: no state update to trim the heap after, but its reading left garbage in
                    # the heap all the same. Adding 10,000 articles to a million: peak 1.94 -> 1.85 GB.
                    memory.release(collect=False)
                    return state
                logger.info("batch %d: %d new or changed articles", result.index, result.new_ids.height)
                state = clock.timed("cluster", cluster_step, loaded(state), result.features)
                # Not needed again, and the BatchResult may outlive the batch (a future, Prefect's task state): the
                # features, ~1 KB an article, would add up to a gigabyte at a million articles.
                result.features = None
                new_ids.append(result.new_ids)
                for name in ("articles", "quotes", "figures"):
                    counts[name] += result.rows.get(name, 0)
                return state

            for i, batch in enumerate(plan):
                pending.append(batch_task.submit(i, batch, known, staged, started_at, max_file_bytes, jsonl_fields))
                # A bounded window (memory stays flat), one batch wider than the workers: it ingests
                # while they work, so they never wait for the next one.
                while len(pending) > max(workers, 1) + (workers > 1):
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
        whole = {"rejects": pl.concat(reject_frames)}
        same_articles = not new_ids and previous.height > 0 and keep["article_id"].n_unique() == previous.height
        if same_articles and clock.timed("cluster", publish.reuse_whole, staged, wh, manifest):
            state = None  # the clusters and the state carried over as they are
        else:
            current = pl.concat([keep, *new_ids])
            # The sentence reuse comes as parts, each worked out as the one before is written (its
            # seconds count in publish): the whole table is never held.
            whole["article_clusters"], whole["sentence_reuse"], state = clock.timed(
                "cluster", stages.cluster_final, loaded(state), current)

        logger.info("stage publish: data tests, manifest, catalog")
        clock.timed("publish", write_whole_task, staged, whole, state)
        # Written: let the clusters and the dedup state go before the data tests take their memory.
        del whole, state
        memory.release(collect=False)
        run = publish.RunInfo(run_id, started_at, str(Path(input_dir).resolve()), len(refs) + len(walk_rejects),
                              dict(clock.seconds))
        done = clock.timed("publish", data_tests_task, staged, run)
        manifest = clock.timed("publish", publish_task, done)

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
