"""Data tests run a group of Parquet parts at a time (newsdesk.checks.PER_PART), deciding as over the whole version."""

from __future__ import annotations

import polars as pl

from newsdesk import checks, publish, schema, store
from test_catalog import tiny_frames


def _second_article() -> dict[str, pl.DataFrame]:
    """tiny_frames' article again under another id and file: the same spans, so they are right too."""
    frames = tiny_frames()
    del frames["rejects"]
    for name, frame in frames.items():
        frame = frame.with_columns(article_id=pl.lit("a2"))
        if "source_file" in frame.columns:
            frame = frame.with_columns(source_file=pl.lit("x/b.txt"))
        frames[name] = frame
    frames["articles"] = frames["articles"].with_columns(content_hash=pl.lit("h2"))
    return frames


def _version(tmp_path, first: dict[str, pl.DataFrame], second: dict[str, pl.DataFrame]):
    """Tables of a finished version with two parts, one per batch."""
    staged = store.StagedVersion(tmp_path / "wh", "r-1")
    publish.write_batch(staged, first, "part-00000")
    publish.write_batch(staged, second, "part-00001")
    staged.write("rejects", schema.empty("rejects"), "part-empty")
    staged.finish(schema.TABLES)
    return staged.root


def _moved_quote(first, second, **change):
    """The second article's quote written with the first part (as a bug in batching would)."""
    quote = second.pop("quotes")
    quote = quote.with_columns(**{k: pl.lit(v, dtype=quote.schema[k]) for k, v in change.items()})
    first["quotes"] = pl.concat([first["quotes"], quote])
    return first, second


def test_each_part_is_a_group_of_its_own_under_a_tiny_budget(tmp_path):
    tables = _version(tmp_path, tiny_frames(), _second_article())
    assert checks.part_groups(tables, group_bytes=1) == [["part-00000"], ["part-00001"]]
    assert checks.part_groups(tables) == [["part-00000", "part-00001"]]


def test_good_parts_pass_a_group_at_a_time(tmp_path):
    tables = _version(tmp_path, tiny_frames(), _second_article())
    groups = checks.part_groups(tables, group_bytes=1)
    test = checks.catalog.sql_dir() / "tests" / "spans_match_text.sql"
    assert checks._passes_per_group(test, tables, groups, tmp_path / "scratch", checks.MEMORY_LIMIT)
    assert checks.check_version(tables, group_bytes=1) == []


def test_a_wrong_span_in_one_part_is_found(tmp_path):
    second = _second_article()
    second["figures"] = second["figures"].with_columns(char_end=pl.lit(0))
    tables = _version(tmp_path, tiny_frames(), second)
    failures = checks.check_version(tables, group_bytes=1)
    assert [(f.test, f.rows) for f in failures] == [("spans_match_text", 1)]
    assert failures[0].sample[0][:2] == ("figures", "a2")


def test_a_span_whose_article_is_in_another_part_is_checked_against_it(tmp_path):
    # In its group the quote has no article: the group cannot judge it, the whole version does.
    tables = _version(tmp_path / "right", *_moved_quote(tiny_frames(), _second_article()))
    groups = checks.part_groups(tables, group_bytes=1)
    test = checks.catalog.sql_dir() / "tests" / "spans_match_text.sql"
    assert not checks._passes_per_group(test, tables, groups, tmp_path / "scratch", checks.MEMORY_LIMIT)
    assert checks.check_version(tables, group_bytes=1) == []
    wrong = _version(tmp_path / "wrong", *_moved_quote(tiny_frames(), _second_article(), char_start=0))
    failures = checks.check_version(wrong, group_bytes=1)
    assert [(f.test, f.rows) for f in failures] == [("spans_match_text", 1)]


def test_newsdesk_check_finds_a_span_broken_after_publishing(tmp_path, capsys):
    from newsdesk import cli

    from test_catalog import run_info

    wh = tmp_path / "wh"
    publish.publish(wh, tiny_frames(), run_info())
    assert cli.main(["check", "--warehouse", str(wh)]) == 0
    part = next((wh / store.TABLES_DIR / store.read_manifest(wh).version / "quotes").glob("*.parquet"))
    quotes = pl.read_parquet(part).with_columns(char_start=pl.lit(0, dtype=pl.Int32))
    part.unlink()  # a new file, not the one a hard link may share with another version
    quotes.write_parquet(part)
    capsys.readouterr()
    assert cli.main(["check", "--warehouse", str(wh)]) == 1
    out = capsys.readouterr().out
    assert "FAIL spans_match_text" in out and out.splitlines()[-1].endswith("1 failed")
