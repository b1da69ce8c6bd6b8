"""The near-duplicate state's columns as files (newsdesk.dedup_files), and the state built on them."""

from __future__ import annotations

import gc
import os
import random

import numpy as np
import polars as pl

from newsdesk import dedup, dedup_files
from test_dedup import NO_FIGURES, NO_QUOTES, frames


def test_a_run_gives_back_what_was_written_mapped_from_its_files(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        run = dedup_files.Run.write(0, 3, {"a": np.arange(3, dtype=np.uint64),
                                           "b": np.ones((3, 4), np.uint8), "empty": np.zeros(0, np.uint32)})
        a = run.array("a")
        assert isinstance(a, np.memmap) and not a.flags.writeable  # read from the file, not copied
        assert a.tolist() == [0, 1, 2]
        assert run.array("b").shape == (3, 4)
        assert run.array("empty").dtype == np.uint32 and run.array("empty").size == 0
        assert run.folder.parent == tmp_path / "scratch"


def test_a_runs_folder_goes_with_its_last_reference_and_the_scratch_folder_with_the_block(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        run = dedup_files.Run.write(0, 1, {"a": np.zeros(1)})
        folder = run.folder
        other = run  # a second state sharing the run
        del run
        gc.collect()
        assert folder.is_dir()
        del other
        gc.collect()
        assert not folder.exists()
        kept = dedup_files.Run.write(0, 1, {"a": np.zeros(1)})
    assert not (tmp_path / "scratch").exists()  # removed with whatever was still in it
    assert dedup_files.scratch() != tmp_path / "scratch"
    del kept


def test_a_forked_process_does_not_remove_its_parents_runs(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        run = dedup_files.Run.write(0, 1, {"a": np.zeros(1)})
        pid = os.fork()
        if pid == 0:  # the child lets go of its copy of the run, then exits
            del run
            gc.collect()
            os._exit(0)
        os.waitpid(pid, 0)
        assert run.folder.is_dir()


def _batches(n_batches: int, per: int):
    rng = random.Random(7)
    words = [f"word{i}" for i in range(5000)]
    wire = "The same wire story is copied by every batch, word for word, about a bridge that was closed today."
    for b in range(n_batches):
        docs = [(f"b{b}-0.txt", wire)]
        docs += [(f"b{b}-{i}.txt", " ".join(rng.choice(words) for _ in range(30)) + ". "
                  + " ".join(rng.choice(words) for _ in range(25)) + ".") for i in range(1, per)]
        yield frames(docs, start=b * per)


def test_state_in_files_equals_its_tables_and_old_runs_are_removed_when_let_go(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        state = None
        folders = []
        for articles, sentences in _batches(5, 700):  # 3,500 articles: runs merge as the counter carries
            _, _, state = dedup.cluster_articles(articles, sentences, NO_QUOTES, NO_FIGURES, state, finalize=False)
            folders.append({r.folder for r in state.runs})
        gc.collect()
        live = {r.folder for r in state.runs}
        assert [r.hi - r.lo for r in state.runs] == [2048, 1024, 3500 - 3072]
        # Runs merged away are gone from disk; the state's own are there.
        assert set(p for p in (tmp_path / "scratch").iterdir()) == live
        assert any(f - live for f in folders)
        # The tables, written a part at a time, are the state: read back, they cluster the same.
        parts = {t: [] for t in dedup.DedupState.TABLES}
        for table, frame in state.table_parts():
            parts[table].append(frame)
        frames = {t: pl.concat(f) for t, f in parts.items()}
        assert frames["dedup_signatures"].height == 3500
        again = dedup.DedupState.from_frames(frames)
        for k, v in again.to_frames().items():
            assert v.equals(frames[k]), k
        assert dedup._clusters(again).equals(dedup._clusters(state))
        clusters = dedup._clusters(state)
        copies = clusters.filter(pl.col("method") == "exact_bytes")
        # The wire story of every batch, found in the runs of earlier batches; nothing else is linked.
        assert copies.height == 5 and copies["cluster_id"].unique().to_list() == ["id0000"]
        assert clusters.filter(pl.col("method") != "singleton").height == 5
