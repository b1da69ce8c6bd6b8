"""The scale benchmark's corpus builders (bench/corpora.py): Reuters SGML splitting and reflow, synthetic dumps.

Fast and self-contained: a tiny SGML sample shipped under tests/data/bench/ and a
hand-made source pool; nothing is read from /work/shared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import corpora

DATA = Path(__file__).parent / "data" / "bench"


# ---------------------------------------------------------------- Reuters SGML
def test_reuters_split_keeps_stories_with_a_body():
    stories = corpora.reuters_stories(DATA)
    assert [s.title for s in stories] == ["BAHIA COCOA REVIEW", "TEXAS COMMERCE BANCSHARES <TCB> FILES PLAN"]
    assert [s.url for s in stories] == ["reuters21578:reut2-tiny.sgm#1", "reuters21578:reut2-tiny.sgm#3"]
    assert stories[0].published_at == "1987-02-26T15:01:01Z"
    assert all(s.source == "Reuters" for s in stories)


def test_reuters_reflow_joins_wrapped_lines_and_splits_paragraphs():
    first, second = corpora.reuters_stories(DATA)
    assert first.paragraphs == (
        "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia cocoa zone, alleviating the "
        "drought since early January, Comissaria Smith said in its weekly review.",
        "The dry period means the temporao will be late this year.",
        "Arrivals for the week ended February 22 were 155,221 bags of 60 kilos <AB> & co.",
    )
    # A blank line also ends a paragraph; the file is Latin-1 (0xFC is ü); the sign-off and &#3; are gone.
    assert second.paragraphs == (
        "HOUSTON, Feb 26 - Texas Commerce Bancshares Inc's Texas Commerce Bank-Houston said it filed an "
        "application with the Comptroller of the Currency.",
        "It said the plan was approved by the board of directors of Müller and Co.",
    )
    for s in (first, second):
        assert "Reuter" not in s.paragraphs[-1].split()[-1]
        assert not any(ch < " " for p in s.paragraphs for ch in p)


def test_reflow_rules():
    body = "one two\nthree\n    four\nfive\n\nsix\n  seven"
    assert corpora.reflow(body) == ["one two three", "four five", "six", "seven"]


def test_reuters_record_is_title_blank_line_body(tmp_path):
    folder, n = corpora.build_reuters(DATA, tmp_path)
    lines = (folder / "reuters21578.jsonl").read_text(encoding="utf-8").splitlines()
    assert n == len(lines) == 2
    rec = json.loads(lines[0])
    assert set(rec) == {"text", "title", "url", "published_at", "source"}
    assert rec["text"].split("\n\n")[1] == "The dry period means the temporao will be late this year."
    # Built once: a second call finds the cache and does not rewrite it.
    mtime = (folder / "reuters21578.jsonl").stat().st_mtime_ns
    assert corpora.build_reuters(DATA, tmp_path) == (folder, 2)
    assert (folder / "reuters21578.jsonl").stat().st_mtime_ns == mtime
    assert (tmp_path / ".gitignore").read_text() == "*\n"
    assert [p.name for p in folder.iterdir()] == ["reuters21578.jsonl"]  # the input folder holds the dump only


# ---------------------------------------------------------------- synthetic
def _pool(k: int = 12) -> list[corpora.Article]:
    return [
        corpora.Article(
            title=f"Title number {i}",
            paragraphs=tuple(f"Article {i} paragraph {j} says the figure rose by {i + j} percent this quarter."
                             for j in range(6)) + ("Too short.",),
        )
        for i in range(k)
    ]


def test_synthetic_is_deterministic_and_seeded():
    a = list(corpora.synthetic_records(_pool(), 300, seed=7))
    b = list(corpora.synthetic_records(_pool(), 300, seed=7))
    c = list(corpora.synthetic_records(_pool(), 300, seed=8))
    assert a == b
    assert a != c
    assert len(a) == 300


def test_synthetic_shape():
    pool = _pool()
    recs = list(corpora.synthetic_records(pool, 2000, seed=1))
    titles = {p.title for p in pool}
    fresh = [r for r in recs if r["source"] == "Synthetic Wire"]
    for r in fresh:
        paras = r["text"].split("\n\n")
        assert corpora.MIN_PARAGRAPHS <= len(paras) <= corpora.MAX_PARAGRAPHS
        assert r["title"] in titles
        own = r["title"].split()[-1]
        assert not any(p.startswith(f"Article {own} ") for p in paras)  # paragraphs come from other articles
        assert "Too short." not in paras
    assert len({r["url"] for r in recs}) == len(recs)
    # Exact copies (same title and text as an earlier article) and near copies are mixed in.
    seen, exact = set(), 0
    for r in recs:
        key = (r["title"], r["text"])
        exact += key in seen
        seen.add(key)
    assert 0.01 * len(recs) < exact < 0.06 * len(recs)
    copies = len(recs) - len(fresh)
    assert 0.05 * len(recs) < copies < 0.12 * len(recs)


def test_build_synthetic_writes_once_and_rebuilds_on_new_parameters(tmp_path):
    pool = _pool()
    folder, n = corpora.build_synthetic(pool, 500, 3, tmp_path)
    dump = folder / "synthetic.jsonl"
    assert n == 500 and len(dump.read_bytes().splitlines()) == 500
    assert [json.loads(x) for x in dump.read_text(encoding="utf-8").splitlines()] == \
        list(corpora.synthetic_records(pool, 500, 3))
    mtime = dump.stat().st_mtime_ns
    assert corpora.build_synthetic(pool, 500, 3, tmp_path) == (folder, 500)
    assert dump.stat().st_mtime_ns == mtime  # reused
    other, m = corpora.build_synthetic(pool, 200, 3, tmp_path)
    assert other != folder and m == 200
    # The same folder with another source pool is rebuilt, not reused.
    corpora.build_synthetic(_pool(5), 500, 3, tmp_path)
    assert json.loads(folder.with_name(folder.name + ".meta.json").read_text())["params"]["pool"] == corpora.pool_fingerprint(_pool(5))


def test_synthetic_needs_sources():
    with pytest.raises(ValueError):
        next(corpora.synthetic_records([], 10, seed=1))


def _dump(folder: Path, lines: list[str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "synthetic.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return folder


def test_incremental_inputs_add_a_dump_beside_the_same_files_or_cut_the_last_lines(tmp_path):
    base = _dump(tmp_path / "base", [json.dumps({"text": f"article {i}"}) for i in range(10)])
    extra = _dump(tmp_path / "extra", [json.dumps({"text": "new"})])
    grown = corpora.grown(base, extra, tmp_path / "grown")
    assert sorted(p.name for p in grown.iterdir()) == ["added.jsonl", "synthetic.jsonl"]
    # The base's file itself (its articles keep their paths and bytes, so their ids), not a copy.
    assert (grown / "synthetic.jsonl").stat().st_ino == (base / "synthetic.jsonl").stat().st_ino
    shrunk, left = corpora.shrunk(base, 3, tmp_path / "shrunk")
    assert left == 7
    assert (shrunk / "synthetic.jsonl").read_text().splitlines() == (base / "synthetic.jsonl").read_text().splitlines()[:7]
