"""The README documents every command, every option of `newsdesk run` and every view users query."""

from __future__ import annotations

import re

from conftest import ROOT
from newsdesk import catalog, cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands():
    parser = cli.build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_every_command_is_in_the_readme():
    for name in _subcommands():
        assert f"newsdesk {name}" in README, name


def test_every_run_option_is_in_the_readme():
    run = _subcommands()["run"]
    for action in run._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in README, flag


def test_every_mart_view_is_in_the_readme():
    for path in catalog.view_files():
        if path.parent.name == "marts":
            assert re.search(rf"`{path.stem}`", README), path.stem
