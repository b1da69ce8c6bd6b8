"""The near-duplicate state's columns as files (newsdesk.dedup_files), and the state built on them."""

from __future__ import annotations

import gc
import mmap
import os
import random

import numpy as np
import polars as pl
import pytest

from newsdesk import dedup, dedup_files
from test_dedup import NO_FIGURES, NO_QUOTES, frames


def _owner(a: np.ndarray):
    """What finally holds an array's memory."""
    while isinstance(a, np.ndarray) and a.base is not None:
        a = a.base
    return a.obj if isinstance(a, memoryview) else a


def test_a_run_gives_back_what_was_written_mapped_from_its_files(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        run = dedup_files.Run.write(0, 3, {"a": np.arange(3, dtype=np.uint64),
                                           "b": np.ones((3, 4), np.uint8), "empty": np.zeros(0, np.uint32)})
        a = run.array("a")
        assert isinstance(_owner(a), mmap.mmap) and not a.flags.writeable  # read from the file, not copied
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


def _built(n_batches: int, per: int) -> dedup.DedupState:
    """The state after adding _batches(n_batches, per) (call inside a scratch_at block)."""
    state = None
    for articles, sentences in _batches(n_batches, per):
        _, _, state = dedup.cluster_articles(articles, sentences, NO_QUOTES, NO_FIGURES, state, finalize=False)
    return state


def _assert_same_runs(a: dedup.DedupState, b: dedup.DedupState) -> None:
    assert [(r.lo, r.hi) for r in a.runs] == [(r.lo, r.hi) for r in b.runs]
    for x, y in zip(a.runs, b.runs):
        assert x.shapes.keys() == y.shapes.keys()
        for c in x.shapes:
            assert np.array_equal(x.array(c), y.array(c)), c


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


def test_state_read_from_parts_equals_the_state_read_whole(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        state = _built(5, 700)
        frames = state.to_frames()
        sig, ev = frames["dedup_signatures"], frames["dedup_evidence"]

        def cut(frame, size):  # pieces whose edges fall inside runs, with empty ones between
            for a in range(0, frame.height, size):
                yield frame.slice(a, size)
                yield frame.clear()

        again = dedup.DedupState.from_parts(sig.height, cut(sig, 333), cut(ev, 1000),
                                            frames["dedup_sentences"], frames["dedup_edges"])
        assert [(r.lo, r.hi) for r in again.runs] == [(0, 2048), (2048, 3072), (3072, 3500)]
        _assert_same_runs(again, dedup.DedupState.from_frames(frames))
        for k, v in again.to_frames().items():
            assert v.equals(frames[k]), k
        assert dedup._clusters(again).equals(dedup._clusters(state))


def test_state_parts_that_do_not_add_up_are_an_error(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        f = _built(2, 700).to_frames()
        sig, ev, rest = f["dedup_signatures"], f["dedup_evidence"], (f["dedup_sentences"], f["dedup_edges"])
        with pytest.raises(ValueError, match="fewer"):
            dedup.DedupState.from_parts(sig.height + 1, [sig], [ev], *rest)
        with pytest.raises(ValueError, match="more rows"):
            dedup.DedupState.from_parts(sig.height - 1, [sig], [ev], *rest)


def test_a_state_cut_down_is_rebuilt_run_by_run_from_its_files(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        state = _built(5, 700)
        ids = state.meta["article_id"]
        # Gone: the first article, the wire story of batch 2, and a stretch across the first runs' edge.
        keep = np.ones(state.n, bool)
        keep[[0, 1400]] = False
        keep[2000:2100] = False
        kept = state.restrict(ids.filter(pl.Series(keep)))
        n = int(keep.sum())
        assert [(r.lo, r.hi) for r in kept.runs] == [(0, 2048), (2048, 3072), (3072, n)]
        newpos = np.full(state.n, -1)
        newpos[keep] = np.arange(n)
        before, after = state.to_frames(), kept.to_frames()
        # Every article's own columns, in order.
        own = [c for c in before["dedup_signatures"].columns if c not in ("index", "parent", "best")]
        assert after["dedup_signatures"].select(own).equals(before["dedup_signatures"].filter(pl.Series(keep)).select(own))
        # Lookup keys: those of the kept articles, renumbered, each sorted within the run of its position.
        lo32 = np.uint64(0xFFFFFFFF)
        old = np.concatenate([r.array("index") for r in state.runs])
        row = (old & lo32).astype(np.int64)
        want = (old[keep[row]] & ~lo32) | newpos[row[keep[row]]].astype(np.uint64)
        got = [r.array("index") for r in kept.runs]
        assert all(np.all(g[1:] >= g[:-1]) for g in got)
        assert all(np.all(((g & lo32) >= r.lo) & ((g & lo32) < r.hi)) for g, r in zip(got, kept.runs))
        assert np.array_equal(np.sort(np.concatenate(got)), np.sort(want))
        # Evidence: the kept articles' sentence keys, by key within each run, equal keys in position order.
        ev = before["dedup_evidence"].filter(pl.Series(keep[before["dedup_evidence"]["pos"].to_numpy()]))
        ev = ev.with_columns(pos=pl.Series(newpos[ev["pos"].to_numpy()].astype(np.uint32)))
        assert after["dedup_evidence"].sort("pos", "key").equals(ev.sort("pos", "key"))
        for r in kept.runs:
            k, q = r.array("ev_key"), r.array("ev_pos").astype(np.int64)
            assert np.all((k[1:] > k[:-1]) | ((k[1:] == k[:-1]) & (q[1:] > q[:-1])))
        # The wire story's text is still in more than one article; no kept link points at a removed one.
        assert after["dedup_sentences"].height == before["dedup_sentences"].height > 0
        assert after["dedup_edges"]["a"].max() < n and after["dedup_edges"]["b"].max() < n
        assert set(dedup._clusters(kept)["article_id"]) == set(ids.filter(pl.Series(keep)))


def test_a_column_of_unknown_length_is_counted_as_written_and_reads_back_with_numpy(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        w = dedup_files.RunWriter(0, 3)
        w.columns({"vals": ((None,), np.uint16), "rows": ((None, 4), np.uint8), "off": ((4,), np.int64)},
                  [(np.arange(5), np.ones((2, 4)), np.arange(2)), (np.zeros(0), np.zeros((0, 4)), np.arange(2)),
                   (np.arange(3), np.full((1, 4), 7), np.zeros(0))])
        run = w.done()
        assert run.array("vals").tolist() == [0, 1, 2, 3, 4, 0, 1, 2]
        assert np.load(run.folder / "vals.npy").tolist() == [0, 1, 2, 3, 4, 0, 1, 2]  # a valid .npy file
        assert np.load(run.folder / "rows.npy").shape == run.array("rows").shape == (3, 4)
        assert run.read("rows", 2, 3).tolist() == [[7, 7, 7, 7]]
        bad = dedup_files.RunWriter(0, 1)
        with pytest.raises(ValueError, match="rows of 4"):
            bad.columns({"rows": ((None, 4), np.uint8)}, [(np.ones(6),)])


def test_a_column_is_written_from_pieces_and_read_back_a_row_range_at_a_time(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        w = dedup_files.RunWriter(0, 5)
        w.column("slots", (5, 3), np.uint8, [np.arange(6).reshape(2, 3), np.zeros((0, 3)), np.arange(9).reshape(3, 3)])
        w.columns({"k": ((4,), np.uint64), "p": ((4,), np.uint32)},
                  [(np.array([1, 2]), np.array([10, 20])), (np.array([3, 4]), np.array([30, 40]))])
        run = w.done()
        assert np.load(run.folder / "slots.npy").tolist() == [[0, 1, 2], [3, 4, 5], [0, 1, 2], [3, 4, 5], [6, 7, 8]]
        got = run.read("slots", 1, 3)
        assert not isinstance(got, np.memmap) and got.tolist() == [[3, 4, 5], [0, 1, 2]]
        assert run.read("k", 2, 9).tolist() == [3, 4] and run.read("p", 0, 1).dtype == np.uint32
        for pieces in ([np.zeros(3)], [np.zeros(3), np.zeros(3)]):  # too few values, too many
            try:
                w.column("bad", (5,), np.float64, pieces)
            except ValueError as e:
                assert "bad" in str(e)
            else:
                raise AssertionError("a column that does not fill its shape was accepted")


def test_merged_runs_written_in_small_pieces_are_the_runs_written_whole(tmp_path, monkeypatch):
    def build():
        state = None
        for articles, sentences in _batches(5, 700):
            _, _, state = dedup.cluster_articles(articles, sentences, NO_QUOTES, NO_FIGURES, state, finalize=False)
        return state

    with dedup_files.scratch_at(tmp_path / "scratch"):
        whole = build()
        monkeypatch.setattr(dedup, "_MERGE_ROWS", 100)
        monkeypatch.setattr(dedup, "_MERGE_VALUES", 1000)
        monkeypatch.setattr(dedup, "_MERGE_SORTED", 64)  # a 1,024-article run's index is ~700 pieces
        pieces = build()
        for r, q in zip(whole.runs, pieces.runs, strict=True):
            assert r.shapes.keys() == q.shapes.keys()
            for c in r.shapes:
                assert np.array_equal(r.array(c), q.array(c)), c
            index, key, pos = q.array("index"), q.array("ev_key"), q.array("ev_pos")
            assert (index[1:] > index[:-1]).all()
            assert (((index & 0xFFFFFFFF) >= q.lo) & ((index & 0xFFFFFFFF) < q.hi)).all()
            assert (key[1:] >= key[:-1]).all() and ((pos >= q.lo) & (pos < q.hi)).all()
            ties = key[1:] == key[:-1]
            assert (pos[1:][ties] >= pos[:-1][ties]).all()  # a sentence's articles in the order they came
        for k, v in whole.to_frames().items():
            assert v.equals(pieces.to_frames()[k]), k


def _mapped_kb(path) -> int:
    """Resident kB of this process's maps of the file at path (from /proc/self/smaps)."""
    kb, inside = 0, False
    with open("/proc/self/smaps") as f:
        for line in f:
            head = line.split()
            if head and "-" in head[0] and len(head) >= 5:
                inside = line.rstrip().endswith(str(path))
            elif inside and line.startswith("Rss:"):
                kb += int(head[1])
    return kb


def test_a_mapped_column_lets_go_of_its_pages_and_still_reads_the_same(tmp_path):
    with dedup_files.scratch_at(tmp_path / "scratch"):
        values = np.arange(1 << 20, dtype=np.uint64)  # 8 MB
        run = dedup_files.Run.write(0, 1, {"index": values})
        col = run.array("index")
        assert int(col.sum()) == int(values.sum())  # every page read
        path = run.folder / "index.npy"
        assert _mapped_kb(path) >= 8 * 1024
        dedup_files.let_go(col[10:])  # through a view, as the lookups hold it
        assert _mapped_kb(path) == 0
        assert np.array_equal(col, values)


def test_lookups_a_stretch_of_the_index_at_a_time_find_what_one_search_finds(tmp_path, monkeypatch):
    got = []
    for chunk in (dedup.LOOKUP_STRETCH, 7):
        monkeypatch.setattr(dedup, "LOOKUP_STRETCH", chunk)
        with dedup_files.scratch_at(tmp_path / f"scratch-{chunk}"):
            state = None
            for articles, sentences in _batches(3, 700):
                _, _, state = dedup.cluster_articles(articles, sentences, NO_QUOTES, NO_FIGURES, state, finalize=False)
            got.append((state.edges, dedup._clusters(state)))
    (edges, clusters), (edges_7, clusters_7) = got
    assert edges.height >= 2 and edges.equals(edges_7) and clusters.equals(clusters_7)
