"""The newsdesk command: run, sql and eval as a user calls them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import DATA
from newsdesk import cli, publish, store
from test_catalog import run_info, tiny_frames


@pytest.fixture()
def warehouse(tmp_path):
    wh = tmp_path / "wh"
    publish.publish(wh, tiny_frames(), run_info())
    return wh


def test_sql_prints_a_table(warehouse, capsys):
    assert cli.main(["sql", "SELECT speaker, quote FROM quotes", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("|")[0].strip() == "speaker"
    assert "Ann Lee" in out[2] and out[-1] == "(1 row)"


def test_sql_csv_and_json(warehouse, capsys):
    cli.main(["sql", "SELECT span, value FROM figures", "--warehouse", str(warehouse), "--format", "csv"])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["span", "value"], ["$5 billion", "5e+09"]]
    cli.main(["sql", "SELECT span, value FROM figures", "--warehouse", str(warehouse), "--format", "json"])
    assert json.loads(capsys.readouterr().out) == [{"span": "$5 billion", "value": 5e9}]


@pytest.mark.parametrize(
    "query", ["SELECT * FROM no_such_view", "DROP VIEW quotes", "COPY (SELECT 1) TO '/tmp/x.csv'"]
)
def test_sql_failures_are_one_line_and_non_zero(warehouse, capsys, query):
    assert cli.main(["sql", query, "--warehouse", str(warehouse)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsdesk: query failed") and err.count("\n") == 1


def test_sql_without_a_warehouse(tmp_path, capsys):
    assert cli.main(["sql", "SELECT 1", "--warehouse", str(tmp_path / "none")]) == 1
    assert "run `newsdesk run` first" in capsys.readouterr().err


def test_check_without_a_warehouse(tmp_path, capsys):
    assert cli.main(["check", "--warehouse", str(tmp_path / "none")]) == 1
    assert "run `newsdesk run` first" in capsys.readouterr().err


def test_run_prints_a_summary(prefect_harness, seeds_dir, tmp_path, capsys):
    assert cli.main(["run", "--input", str(seeds_dir), "--warehouse", str(tmp_path / "wh")]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("newsdesk: 5 files read, 5 articles, 0 rejects, ")
    assert " quotes, " in line and " figures in " in line


def test_run_fails_cleanly_on_a_missing_folder(tmp_path, capsys):
    assert cli.main(["run", "--input", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "wh")]) == 1
    assert capsys.readouterr().err == f"newsdesk: input folder not found: {tmp_path / 'nope'}\n"


def test_run_refuses_while_another_run_writes(prefect_harness, seeds_dir, tmp_path, capsys):
    wh = tmp_path / "wh"
    with store.WriterLock(wh):
        assert cli.main(["run", "--input", str(seeds_dir), "--warehouse", str(wh)]) == 3
    assert "another newsdesk run is writing" in capsys.readouterr().err


def test_eval_scores_against_gold(prefect_harness, tmp_path, capsys):
    wh = tmp_path / "wh"
    assert cli.main(["run", "--input", str(DATA / "bbc"), "--warehouse", str(wh)]) == 0
    capsys.readouterr()
    assert cli.main(["eval", "--gold", str(DATA / "gold" / "bbc"), "--warehouse", str(wh), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["missing_documents"] == []
    names = [s["name"] for s in report["scores"]]
    assert names == ["quotes", "figures", "paragraph_roles"]
    assert cli.main(["eval", "--gold", str(DATA / "gold" / "bbc"), "--warehouse", str(wh)]) == 0
    text = capsys.readouterr().out
    assert "speaker_accuracy" in text and "value_accuracy" in text
