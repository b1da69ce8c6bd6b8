"""The news_pipeline flow end to end under the real Prefect engine."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from conftest import DATA
from newsdesk import catalog, store

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
TABLES = ("articles", "paragraphs", "sentences", "quotes", "figures", "rejects")


def snapshot(wh: Path) -> dict[str, list[tuple]]:
    con = catalog.connect(wh)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        con.close()


@pytest.fixture()
def mixed_input(seeds_dir: Path) -> Path:
    """The seeds plus a Latin-1 BBC file with a space in its name and two inputs that must be rejected."""
    shutil.copy(DATA / "articles" / "bbc_sport_199_latin1.txt", seeds_dir / "sport 199.txt")
    (seeds_dir / "empty.txt").write_bytes(b"")
    (seeds_dir / "picture.png").write_bytes(PNG)
    return seeds_dir


def test_flow_end_to_end_then_rerun_adds_no_rows(prefect_harness, mixed_input, tmp_path):
    from flows.pipeline import news_pipeline

    wh = tmp_path / "wh"
    first = news_pipeline(input_dir=str(mixed_input), warehouse=str(wh))
    assert (first["files"], first["articles"], first["rejects"]) == (8, 6, 2)
    assert first["quotes"] > 0 and first["figures"] > 0
    assert set(first["stage_seconds"]) >= {"ingest", "clean", "segment", "extract", "publish"}

    con = catalog.connect(wh)
    articles = {r[0] for r in con.execute("SELECT source_file FROM articles").fetchall()}
    rejects = dict(con.execute("SELECT source_file, reason FROM rejects").fetchall())
    files = {p.relative_to(mixed_input).as_posix() for p in mixed_input.rglob("*") if p.is_file()}
    assert articles | set(rejects) == files and not articles & set(rejects)
    assert rejects == {"empty.txt": "empty", "picture.png": "unsupported_type"}

    latin = con.execute("SELECT encoding, flags, text FROM articles WHERE source_file = 'sport 199.txt'").fetchone()
    assert latin[0] == "cp1252" and "decoded_cp1252" in latin[1] and "£" in latin[2]

    # Every offset points at its text.
    for table, col in (("paragraphs", "text"), ("sentences", "text"), ("quotes", "quote"), ("figures", "span")):
        bad = con.execute(
            f"SELECT count(*) FROM {table} t JOIN articles a USING (article_id) "
            f"WHERE substr(a.text, t.char_start + 1, t.char_end - t.char_start) <> t.{col}"
        ).fetchone()[0]
        assert bad == 0, f"{table}: {bad} rows whose offsets do not give their text"
    roles = {r[0] for r in con.execute("SELECT DISTINCT role FROM paragraphs").fetchall()}
    assert roles <= {"title", "dek", "heading", "body", "caption", "boilerplate"} and "title" in roles
    con.close()

    before = snapshot(wh)
    second = news_pipeline(input_dir=str(mixed_input), warehouse=str(wh))
    assert second["articles"] == first["articles"]
    assert snapshot(wh) == before
    con = catalog.connect(wh)
    assert con.execute("SELECT count(*), count(DISTINCT run_id) FROM runs").fetchone() == (2, 2)


def test_the_near_duplicate_state_goes_to_the_warehouse_disk_and_is_removed_after(prefect_harness, seeds_dir,
                                                                                   tmp_path, monkeypatch):
    # Not the system temp folder: it may be a RAM file system, which would hold the state in memory again.
    from flows.pipeline import news_pipeline
    from newsdesk import dedup_files

    written = []
    done = dedup_files.RunWriter.done

    def spy(self):
        run = done(self)
        written.append(run.folder)
        return run

    monkeypatch.setattr(dedup_files.RunWriter, "done", spy)
    wh = tmp_path / "wh"
    news_pipeline(input_dir=str(seeds_dir), warehouse=str(wh))
    assert written and all(f.is_relative_to(wh.resolve() / store.SCRATCH_DIR) for f in written)
    assert not (wh / store.SCRATCH_DIR).exists()


def test_flow_posts_a_table_artifact(prefect_harness, seeds_dir, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.pipeline import news_pipeline

    news_pipeline(input_dir=str(seeds_dir), warehouse=str(tmp_path / "wh"))

    async def latest():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["news-pipeline-counts"])), limit=1
            )

    artifacts = asyncio.run(latest())
    assert artifacts and artifacts[0].type == "table"
    assert "articles" in str(artifacts[0].data)


def test_an_article_that_breaks_extraction_becomes_a_reject(prefect_harness, seeds_dir, tmp_path, monkeypatch):
    from flows.pipeline import news_pipeline
    from newsdesk import figures

    real = figures.extract_figures

    def fragile(text, sentences, paragraphs=None):
        if "Kellogg" in text:
            raise ValueError("boom")
        return real(text, sentences, paragraphs)

    monkeypatch.setattr(figures, "extract_figures", fragile)
    got = news_pipeline(input_dir=str(seeds_dir), warehouse=str(tmp_path / "wh"))
    assert (got["articles"], got["rejects"]) == (4, 1)
    con = catalog.connect(tmp_path / "wh")
    reason, detail = con.execute("SELECT reason, detail FROM rejects").fetchone()
    assert reason == "extract_error" and "ValueError: boom" in detail
    orphans = con.execute(
        "SELECT count(*) FROM paragraphs WHERE article_id NOT IN (SELECT article_id FROM articles)"
    ).fetchone()
    assert orphans == (0,)


def test_a_version_that_fails_its_data_tests_is_reported_as_such_and_not_retried(prefect_harness, seeds_dir,
                                                                                   tmp_path, monkeypatch):
    from flows.pipeline import news_pipeline
    from newsdesk import checks

    wh = tmp_path / "wh"
    first = news_pipeline(input_dir=str(seeds_dir), warehouse=str(wh))
    calls = []

    def refuse(tables_dir, *args, **kwargs):
        calls.append(tables_dir)
        return [checks.Failure("spans_match_text", 1, [("a", 0)])]

    monkeypatch.setattr(checks, "check_version", refuse)
    # The error the user sees is the refusal, not what a retry of the removed version ran into.
    with pytest.raises(checks.DataTestsFailed, match="spans_match_text"):
        news_pipeline(input_dir=str(seeds_dir), warehouse=str(wh))
    assert len(calls) == 1
    assert store.read_manifest(wh).version == first["version"]
    assert [p.name for p in (wh / store.TABLES_DIR).iterdir()] == [first["version"]]


def test_publishing_is_retried_when_the_catalog_cannot_be_built(prefect_harness, seeds_dir, tmp_path, monkeypatch):
    from flows.pipeline import news_pipeline

    real, calls = catalog.build, []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")  # a hiccup of shared storage
        return real(*args, **kwargs)

    monkeypatch.setattr(catalog, "build", flaky)
    got = news_pipeline(input_dir=str(seeds_dir), warehouse=str(tmp_path / "wh"))
    assert len(calls) == 2
    assert store.read_manifest(tmp_path / "wh").version == got["version"]
    assert snapshot(tmp_path / "wh")["articles"] and got["articles"] == 5
