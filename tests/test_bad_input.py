"""Bad input never stops a run and is never lost: every file is an article or a reject."""

from __future__ import annotations

import codecs
import ctypes
import gzip
import io
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from newsdesk import catalog, ingest, stages

ARTICLE = "A headline\n\nThe minister said “we will pay £5 billion” on Monday. Prices rose 3%.\n"
HUGE_LINE_BYTES = 50_000_000  # the "one 50 MB line", under the default 50 MiB file limit


def gzip_bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        chunk = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            gz.write(chunk)
    return buf.getvalue()


def one_line(n_bytes: int) -> bytes:
    """Exactly n_bytes of real news prose (the BBC test articles, curly quotes, £ and all) with no line break."""
    words = " ".join(
        " ".join(p.read_text(encoding="utf-8", errors="replace").split()) for p in sorted((DATA / "bbc").rglob("*.txt"))
    ).encode()
    data = (words + b" ") * (n_bytes // (len(words) + 1) + 1)
    cut = data[:n_bytes]
    while True:  # never end inside a UTF-8 sequence: the file must be valid UTF-8, not a cp1252 fallback
        try:
            cut.decode("utf-8")
            break
        except UnicodeDecodeError:
            cut = cut[:-1]
    return cut + b"x" * (n_bytes - len(cut))


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
        # Long lines under segment.MAX_LINE_CHARS are articles, however dense their marks and figures.
        "long-prose-line.txt": (b"Title\n\n" + one_line(300_000), None),
        "long-figures-line.txt": (b"Title\n\n" + "$1,234.5 £5bn 12% 3-4 €7m 1/8 2004 10:30 ".encode() * 7_000, None),
        "long-marks-line.txt": (b"Title\n\n" + "He said “we will pay” and \"then\" 'so' ‘x’ ".encode() * 7_000, None),
        # Over it: one paragraph of 50 million characters is not an article (segment.MAX_LINE_CHARS).
        "one-50mb-line.txt": (one_line(HUGE_LINE_BYTES), "line_too_long"),
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
    max_bytes = ingest.DEFAULT_MAX_BYTES  # the default: the 50 MB line must pass the size check
    assert HUGE_LINE_BYTES <= max_bytes
    expected = make_bad_inputs(root, max_bytes)
    assert (root / "one-50mb-line.txt").stat().st_size == HUGE_LINE_BYTES
    got = news_pipeline(input_dir=str(root), warehouse=str(tmp_path / "wh"))

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
    detail = con.execute("SELECT detail FROM rejects WHERE source_file = 'one-50mb-line.txt'").fetchone()[0]
    chars = len((root / "one-50mb-line.txt").read_bytes().decode("utf-8"))
    assert f"line 1 has {chars:,} characters" in detail
    # The long lines under the limit are extracted in full, not cut short.
    n = dict(con.execute(
        "SELECT a.source_file, count(*) FROM figures f JOIN articles a USING (article_id) GROUP BY 1").fetchall())
    assert n["long-figures-line.txt"] >= 7_000 * 4 and n["long-prose-line.txt"] > 500


def test_a_50mb_line_costs_little_time_and_memory(tmp_path):
    """The reject is decided before cleaning, in one pass: well under a second here, and at its
    peak the bytes read plus the decoded text (two bytes a character: it has curly quotes)."""
    (tmp_path / "huge.txt").write_bytes(one_line(HUGE_LINE_BYTES))
    probe = textwrap.dedent(f"""
        import time, tracemalloc
        from newsdesk import ingest, stages
        refs, _ = ingest.discover({str(tmp_path)!r})
        tracemalloc.start()
        t0 = time.perf_counter()
        docs, rejects = stages.ingest_batch(refs)
        seconds = time.perf_counter() - t0
        kept, peak = tracemalloc.get_traced_memory()
        print(docs.height, ",".join(rejects["reason"]), seconds, peak, kept)
    """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    n_docs, reasons, seconds, peak, kept = out.stdout.split()
    assert (n_docs, reasons) == ("0", "line_too_long")
    assert float(seconds) < 20  # CI-friendly with a wide margin
    assert int(peak) < 4 * HUGE_LINE_BYTES and int(kept) < 1 << 20  # nothing of it is held afterwards


def test_a_file_that_vanishes_before_it_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE)
    refs, _ = ingest.discover(tmp_path)
    (tmp_path / "b.txt").unlink()
    docs, rejects = stages.ingest_batch(refs)
    assert docs["source_file"].to_list() == ["a.txt"]
    assert rejects.select("source_file", "reason").rows() == [("b.txt", "vanished")]


# ------------------------------------------------------------ unreadable files
# Root reads a mode-000 file, so the case only exercises something when the run
# loses that power. The run is a real `newsdesk run` in a child process that
# either (1) keeps uid 0 but drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
# from its capability bounding set before exec, so the kernel applies the
# mode bits to it, or (2) switches to the unprivileged user nobody.

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
_NOBODY = 65534


def _drop_file_capabilities() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) needs CAP_SETPCAP")


def _become_nobody() -> None:
    os.setgroups([])
    os.setgid(_NOBODY)
    os.setuid(_NOBODY)


def _child_env(home: Path) -> dict:
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    env["PREFECT_API_URL"] = PREFECT_API_URL.value()  # the session's server: no start-up per run
    env["PREFECT_HOME"] = str(home)  # writable by whoever the child is
    for key in ("NEWSDESK_KILL_AT", "NEWSDESK_TRACE_POINTS"):
        env.pop(key, None)
    return env


def _unprivileged_preexec(secret: Path, env: dict) -> tuple[bool, object, str]:
    """(found, preexec_fn, how): a way to start a child that cannot read `secret` (mode 000), or why none works."""
    candidates = [("as is", None)]
    if os.geteuid() == 0:
        candidates += [("root without CAP_DAC_OVERRIDE", _drop_file_capabilities), ("user nobody", _become_nobody)]
    probe = f"import newsdesk.cli\ntry:\n    open({str(secret)!r}, 'rb').read()\nexcept PermissionError:\n    print('denied')"
    tried = []
    for name, fn in candidates:
        try:
            out = subprocess.run([sys.executable, "-c", probe], preexec_fn=fn, env=env, cwd=ROOT,
                                 capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as err:  # the preexec_fn or the exec failed
            tried.append(f"{name}: {err}")
            continue
        if out.stdout.strip() == "denied":
            return True, fn, name
        tried.append(f"{name}: {'could read it' if out.returncode == 0 else out.stderr.strip().splitlines()[-1:]}")
    return False, None, "; ".join(tried)


def test_an_unreadable_file_and_folder(prefect_harness):
    # A world-accessible folder: the child may run as nobody, who cannot enter pytest's 0700 tmp_path.
    base = Path(tempfile.mkdtemp(prefix="newsdesk-unreadable-"))
    try:
        base.chmod(0o777)
        root, home, wh = base / "in", base / "prefect-home", base / "wh"
        for d in (root, home):
            d.mkdir()
            d.chmod(0o777)
        (root / "good.txt").write_text(ARTICLE)
        secret = root / "secret.txt"
        secret.write_text(ARTICLE)
        secret.chmod(0)
        (root / "locked").mkdir()
        (root / "locked" / "inside.txt").write_text(ARTICLE)
        (root / "locked").chmod(0)
        env = _child_env(home)
        found, preexec, how = _unprivileged_preexec(secret, env)
        if not found:
            pytest.skip(f"this user reads mode-000 files and no way to drop that right worked ({how})")
        cmd = [sys.executable, "-m", "newsdesk.cli", "run", "--input", str(root), "--warehouse", str(wh),
               "--workers", "1"]
        run = subprocess.run(cmd, preexec_fn=preexec, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, (how, run.stderr[-2000:])
        assert "3 files read, 1 articles, 2 rejects" in run.stdout, run.stdout
        con = catalog.connect(wh)
        try:
            articles = [r[0] for r in con.execute("SELECT source_file FROM articles").fetchall()]
            rejects = dict(con.execute("SELECT source_file, reason FROM rejects").fetchall())
            details = [r[0] for r in con.execute("SELECT detail FROM rejects").fetchall()]
        finally:
            con.close()
        assert articles == ["good.txt"], how
        assert rejects == {"secret.txt": "unreadable", "locked": "unreadable"}, how
        assert all("PermissionError" in d for d in details), details
    finally:
        if (base / "in" / "locked").exists():
            (base / "in" / "locked").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
