"""Bad input never stops a run and is never lost: every file is an article or a reject."""

from __future__ import annotations

import codecs
import gzip
import io
import os
from pathlib import Path

import pytest

from newsdesk import catalog, ingest, stages

ARTICLE = "A headline\n\nThe minister said “we will pay £5 billion” on Monday. Prices rose 3%.\n"


def gzip_bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        chunk = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            gz.write(chunk)
    return buf.getvalue()


def make_bad_inputs(root: Path, max_bytes: int) -> dict[str, str | None]:
    """Write every hostile case; returns name -> expected reject reason (None: an article)."""
    cases: dict[str, tuple[bytes, str | None]] = {
        "empty.txt": (b"", "empty"),
        "whitespace.txt": (b"  \n\t \r\n ", "empty"),
        "image.png": (b"\x89PNG\r\n\x1a\n" + os.urandom(512), "unsupported_type"),
        "image-named-text.txt": (b"\x89PNG\r\n\x1a\n" + os.urandom(512), "binary"),
        "program": (b"\x7fELF\x02\x01\x01\x00" + os.urandom(2048), "binary"),
        "stray-nul.txt": (ARTICLE.encode().replace(b"Monday", b"Mon\x00day"), None),
        "invalid-utf8.txt": (ARTICLE.encode() + b"\xff\xfe broken \xc3", None),
        "utf16-bom.txt": (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), None),
        "utf16-no-bom.txt": (ARTICLE.encode("utf-16-le"), None),
        "latin1-pound.txt": (ARTICLE.replace("“", '"').replace("”", '"').encode("latin-1"), None),
        "mixed-endings.txt": (b"Title\r\n\r\nOne line.\nTwo line.\rThree line.\r\n", None),
        "many-quotes.txt": (b"Title\n\n" + b'He said "' * 100_000, None),
        "corrupt.txt.gz": (b"\x1f\x8b\x08\x00garbage-not-deflate", "corrupt_gzip"),
        "bomb.txt.gz": (gzip_bomb(max_bytes * 4), "too_large"),
        "good.txt.gz": (gzip.compress(ARTICLE.encode()), None),
        "name with spaces.txt": (ARTICLE.encode(), None),
        "ünïcödé 名前.txt": (ARTICLE.encode(), None),
        "new\nline.txt": (ARTICLE.encode(), None),
        "too-big.txt": (b"word " * (max_bytes // 5 + 10), "too_large"),
    }
    for name, (data, _) in cases.items():
        (root / name).write_bytes(data)
    expected = {name: reason for name, (_, reason) in cases.items()}
    (root / "loop").mkdir()
    os.symlink(root, root / "loop" / "back")
    expected["loop/back"] = "symlink_loop"
    os.symlink(root / "missing-target.txt", root / "dangling.txt")
    expected["dangling.txt"] = "broken_link"
    os.mkfifo(root / "pipe.txt")
    expected["pipe.txt"] = "not_a_file"
    return expected


def test_every_bad_input_is_an_article_or_a_reject(prefect_harness, tmp_path):
    from flows.pipeline import news_pipeline

    root = tmp_path / "in"
    root.mkdir()
    max_bytes = 2_000_000
    expected = make_bad_inputs(root, max_bytes)
    got = news_pipeline(input_dir=str(root), warehouse=str(tmp_path / "wh"), max_file_bytes=max_bytes)

    con = catalog.connect(tmp_path / "wh")
    articles = {r[0] for r in con.execute("SELECT source_file FROM articles").fetchall()}
    rejects = dict(con.execute("SELECT source_file, reason FROM rejects").fetchall())
    assert articles == {n for n, r in expected.items() if r is None}
    assert rejects == {n: r for n, r in expected.items() if r is not None}
    assert got["files"] == len(expected) == got["articles"] + got["rejects"]
    flags = dict(con.execute("SELECT source_file, flags FROM articles").fetchall())
    assert "decoded_cp1252" in flags["invalid-utf8.txt"] and "decoded_cp1252" in flags["latin1-pound.txt"]
    assert "nul_bytes_removed" in flags["stray-nul.txt"] and "utf16_no_bom" in flags["utf16-no-bom.txt"]
    texts = dict(con.execute("SELECT source_file, text FROM articles").fetchall())
    assert "£5 billion" in texts["latin1-pound.txt"] and "\x00" not in texts["stray-nul.txt"]
    assert texts["mixed-endings.txt"] == "Title\n\nOne line.\nTwo line.\nThree line."
    assert texts["good.txt.gz"] == texts["name with spaces.txt"]


def test_a_file_that_vanishes_before_it_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE)
    refs, _ = ingest.discover(tmp_path)
    (tmp_path / "b.txt").unlink()
    docs, rejects = stages.ingest_batch(refs)
    assert docs["source_file"].to_list() == ["a.txt"]
    assert rejects.select("source_file", "reason").rows() == [("b.txt", "vanished")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text(ARTICLE)
    p.chmod(0)
    got = ingest.read_file(ingest.FileRef(str(p), "secret.txt"))
    assert isinstance(got, ingest.Reject) and got.reason == "unreadable"
