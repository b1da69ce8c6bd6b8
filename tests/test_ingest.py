"""Ingest: every file becomes a decoded document or a reject with a reason."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from newsdesk import ingest


def _read(tmp_path: Path, name: str, data: bytes, **kw):
    p = tmp_path / name
    p.write_bytes(data)
    return ingest.read_file(ingest.FileRef(str(p), name), **kw)


@pytest.mark.parametrize(
    ("data", "encoding", "flags", "text"),
    [
        ("Kyiv’s £5 plan".encode(), "utf-8", [], "Kyiv’s £5 plan"),
        (codecs.BOM_UTF8 + "Kyiv’s plan".encode(), "utf-8-sig", [], "Kyiv’s plan"),
        (codecs.BOM_UTF16_LE + "Kyiv’s plan".encode("utf-16-le"), "utf-16", [], "Kyiv’s plan"),
        (codecs.BOM_UTF16_BE + "Kyiv’s plan".encode("utf-16-be"), "utf-16", [], "Kyiv’s plan"),
        ("A plain UTF-16 text without a mark".encode("utf-16-le"), "utf-16-le", ["utf16_no_bom"], "A plain UTF-16 text without a mark"),
        ("It cost £5 – or “so”".encode("cp1252"), "cp1252", ["decoded_cp1252"], "It cost £5 – or “so”"),
        (b"caf\xe9 \x81", "cp1252", ["decoded_cp1252"], "café \x81"),
    ],
)
def test_decodes_each_encoding(tmp_path, data, encoding, flags, text):
    got = _read(tmp_path, "a.txt", data)
    assert isinstance(got, ingest.Decoded)
    assert (got.encoding, got.flags, got.text) == (encoding, flags, text)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t\r\n  ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        ("prog.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "binary"),
        ("nul.txt", b"abc\x00\x00\x00\x01\x02\x03def" * 10, "binary"),  # mostly control bytes
        ("photo.jpg", b"\xff\xd8\xff\xe0", "unsupported_type"),
    ],
)
def test_rejects_with_reason(tmp_path, name, data, reason):
    got = _read(tmp_path, name, data)
    assert isinstance(got, ingest.Reject)
    assert got.reason == reason
    assert got.source_file == name


def test_size_limit_is_configurable(tmp_path):
    got = _read(tmp_path, "big.txt", b"word " * 1000, max_bytes=100)
    assert isinstance(got, ingest.Reject) and got.reason == "too_large"
    assert isinstance(_read(tmp_path, "big2.txt", b"word " * 10, max_bytes=100), ingest.Decoded)


def test_vanished_file_is_a_reject(tmp_path):
    ref = ingest.FileRef(str(tmp_path / "gone.txt"), "gone.txt")
    got = ingest.read_file(ref)
    assert isinstance(got, ingest.Reject) and got.reason == "vanished"


def test_discover_walks_sorted_relative_posix_paths(tmp_path):
    (tmp_path / "b dir").mkdir()
    (tmp_path / "b dir" / "ünï cödé.txt").write_text("x")
    (tmp_path / "a.txt").write_text("y")
    refs, rejects = ingest.discover(tmp_path)
    assert [(r.source_file, r.size) for r in refs] == [("a.txt", 1), ("b dir/ünï cödé.txt", 1)]
    assert rejects == []


def test_discover_survives_a_symlink_loop(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("text")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    refs, rejects = ingest.discover(tmp_path)
    assert [r.source_file for r in refs] == ["sub/a.txt"]
    assert [r.reason for r in rejects] == ["symlink_loop"]


def test_discover_needs_a_folder(tmp_path):
    with pytest.raises(NotADirectoryError):
        ingest.discover(tmp_path / "nope")


def test_article_id_is_stable_per_path_and_content():
    a = ingest.article_id("x/a.txt", "h1")
    assert a == ingest.article_id("x/a.txt", "h1")
    assert a != ingest.article_id("x/b.txt", "h1")
    assert a != ingest.article_id("x/a.txt", "h2")


def test_identical_bytes_share_the_content_hash(tmp_path):
    one = _read(tmp_path, "one.txt", b"same words")
    two = _read(tmp_path, "two.txt", b"same words")
    assert one.content_hash == two.content_hash
    assert ingest.article_id("one.txt", one.content_hash) != ingest.article_id("two.txt", two.content_hash)
