"""`newsdesk report` (one self-contained HTML page) and `newsdesk describe` (the data dictionary).

Two warehouses: one built by the real stages (ingest → clean → segment →
extract, no Prefect) over the seeds, the BBC samples and a hostile article,
published twice; and one built by hand where every text field is hostile.
The page is checked as text (self-contained, escaped, deterministic) and, when
Chromium is installed, rendered headless: the charts must draw and no
injected script may run. Install Chromium with

    apt-get update && apt-get install -y chromium
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import time
import zlib
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from newsdesk import catalog, ingest, publish, report, stages

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
HOSTILE_FILE = "<img src=x onerror=alert(1)>.txt"
HOSTILE_REJECT = "<svg onload=alert(2)>.bin"
CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium"
GENERATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


# ---------------------------------------------------------------- warehouses
def run_stages(input_dir: Path, warehouse: Path, run_id: str) -> None:
    """One pipeline run without Prefect: the real stages, then publish.

    Story clusters group byte-identical files (exact_bytes), so this test does
    not depend on the near-duplicate algorithm.
    """
    started = datetime.now(timezone.utc)
    seconds: dict[str, float] = {}

    def timed(stage, fn, *args):
        t0 = time.perf_counter()
        try:
            return fn(*args)
        finally:
            seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - t0

    refs, walk_rejects = ingest.discover(input_dir)
    docs, rejects = timed("ingest", stages.ingest_batch, refs)
    docs = timed("clean", stages.clean_batch, docs)
    docs, paragraphs, sentences, seg_rejects = timed("segment", stages.segment_batch, docs,
                                                     stages.furniture(docs["text"]))
    quotes, figures, ext_rejects = timed("extract", stages.extract_batch, docs, paragraphs, sentences)
    bad = pl.concat([seg_rejects, ext_rejects])
    articles = stages.articles_frame(stages.drop_rejected(docs, bad), started)
    first = (articles.sort("source_file").group_by("content_hash", maintain_order=True)
             .agg(pl.col("article_id").first().alias("cluster_id")))
    clusters = articles.join(first, on="content_hash").select(
        "article_id", "cluster_id", pl.lit(1.0).alias("similarity"),
        pl.when(pl.col("article_id") == pl.col("cluster_id")).then(pl.lit("singleton"))
        .otherwise(pl.lit("exact_bytes")).alias("method"),
    )
    frames = {
        "articles": articles, "paragraphs": paragraphs, "sentences": sentences, "quotes": quotes,
        "figures": figures, "rejects": pl.concat([stages.rejects_frame(walk_rejects), rejects, bad]),
        "article_clusters": clusters,
    }
    publish.publish(warehouse, frames, publish.RunInfo(run_id, started, str(input_dir), len(refs) + len(walk_rejects),
                                                       seconds))


@pytest.fixture(scope="module")
def real_warehouse(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("report")
    inp, wh = base / "in", base / "wh"
    shutil.copytree(ROOT / "seeds", inp)
    hostile = (DATA / "report" / "hostile.txt").read_bytes()
    (inp / HOSTILE_FILE).write_bytes(hostile)
    (inp / "copy_of_hostile.txt").write_bytes(hostile)
    (inp / HOSTILE_REJECT).write_bytes(b"not a news file")
    (inp / "empty.txt").write_bytes(b"")
    run_stages(inp, wh, "run-0001")
    shutil.copytree(DATA / "bbc", inp / "bbc")  # a second, bigger run
    run_stages(inp, wh, "run-0002")
    return wh


@pytest.fixture(scope="module")
def real_report(real_warehouse) -> str:
    return report.build_report(real_warehouse, generated_at=GENERATED).read_text(encoding="utf-8")


EVIL = "<script>document.body.setAttribute('data-pwned','{}')</script>"


def hostile_frames() -> dict[str, pl.DataFrame]:
    """Every text field that reaches the page carries markup."""
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    title = EVIL.format("title") + " Title"
    quote = "<img src=x onerror=alert(1)> we can"
    text = f"{title}\nHe said “{quote},” Ann said, citing $5 billion."
    q0, f0 = text.index(quote), text.index("$5")
    speaker = "<b onmouseover=alert(2)>Ann</b>"
    articles, paragraphs, sentences, quotes, figures, clusters = [], [], [], [], [], []
    for aid, sf in (("a1", "x/<i>a</i>.txt"), ("a2", "x/b.txt")):
        articles.append({"article_id": aid, "content_hash": "h", "source_file": sf, "title": title, "text": text,
                         "word_count": 10, "byte_size": len(text.encode()), "encoding": "utf-8", "flags": [],
                         "ingested_at": now, "extraction_version": "1"})
        paragraphs += [
            {"article_id": aid, "paragraph_index": 0, "role": "title", "text": title, "char_start": 0,
             "char_end": len(title)},
            {"article_id": aid, "paragraph_index": 1, "role": "body", "text": text[len(title) + 1:],
             "char_start": len(title) + 1, "char_end": len(text)},
        ]
        sentences.append({"article_id": aid, "sentence_index": 0, "paragraph_index": 1, "text": text[len(title) + 1:],
                          "char_start": len(title) + 1, "char_end": len(text)})
        quotes.append({"article_id": aid, "source_file": sf, "quote_index": 0, "sentence_index": 0,
                       "paragraph_index": 1, "char_start": q0, "char_end": q0 + len(quote), "quote": quote,
                       "speaker": speaker, "speaker_kind": "person", "kind": "full", "verb": "said", "flagged": False})
        figures.append({"article_id": aid, "source_file": sf, "figure_index": 0, "sentence_index": 0,
                        "char_start": f0, "char_end": f0 + 10, "span": "$5 billion", "kind": "money", "value": 5e9,
                        "value_high": None, "unit": "<u onclick=alert(3)>USD</u>", "qualifier": None, "base": None,
                        "per": None, "spelled": False})
        clusters.append({"article_id": aid, "cluster_id": "a1", "similarity": 1.0,
                         "method": "singleton" if aid == "a1" else "exact_bytes"})
    return {
        "articles": pl.DataFrame(articles), "paragraphs": pl.DataFrame(paragraphs),
        "sentences": pl.DataFrame(sentences), "quotes": pl.DataFrame(quotes), "figures": pl.DataFrame(figures),
        "rejects": pl.DataFrame([{"source_file": "<iframe src=javascript:alert(4)>.bin",
                                  "reason": "<marquee>binary</marquee>", "detail": EVIL.format("detail"),
                                  "content_hash": None}]),
        "article_clusters": pl.DataFrame(clusters),
    }


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory) -> Path:
    wh = tmp_path_factory.mktemp("hostile") / "wh"
    run = publish.RunInfo("<script>alert(5)</script>", datetime.now(timezone.utc), "<in>", 3,
                          {"ingest": 0.25, "<i onclick=alert(6)>stage</i>": 0.5})
    publish.publish(wh, hostile_frames(), run)
    return wh


# ---------------------------------------------------------------- HTML as text
class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def parse(page: str) -> Tags:
    p = Tags()
    p.feed(page)
    p.close()
    return p


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "div", "h1", "h2", "h3", "p", "code", "nav", "a",
    "main", "section", "figure", "figcaption", "svg", "line", "rect", "text", "g", "table", "thead", "tbody", "tr",
    "th", "td", "span", "ul", "li", "details", "summary", "footer", "script",
}


def assert_self_contained(page: str) -> None:
    tags = parse(page)
    names = {t for t, _ in tags.tags}
    assert names <= ALLOWED_TAGS, f"unexpected elements: {names - ALLOWED_TAGS}"
    for tag, attrs in tags.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler attribute on <{tag}>: {name}"
            if name in ("src", "href", "xlink:href", "action", "formaction", "poster", "data", "background"):
                assert (value or "").startswith("#"), f"<{tag} {name}={value!r}> points outside the page"
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    assert scripts == [{}], "exactly one inline script, without src"
    assert "url(" not in tags.style and "@import" not in tags.style and "@font-face" not in tags.style
    csp = [a for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]


def test_report_is_written_to_the_warehouse_by_default(real_warehouse):
    out = report.build_report(real_warehouse)
    assert out == real_warehouse.resolve() / "report.html"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_writes_where_asked(real_warehouse, tmp_path):
    out = report.build_report(real_warehouse, tmp_path / "sub" / "r.html")
    assert out == tmp_path / "sub" / "r.html" and out.stat().st_size > 10_000
    assert not list((tmp_path / "sub").glob(".*tmp*"))


def test_report_loads_nothing_from_outside(real_report):
    assert_self_contained(real_report)
    assert not re.search(r"https?://", real_report), "no http(s) reference at all"
    assert "<link" not in real_report and "@import" not in real_report


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    # Close at once: DuckDB shares one instance per file in a process, and catalog.connect()
    # cannot set up a second connection while another one is open.
    with catalog.connect(warehouse) as con:
        return con.execute(sql, params or []).fetchall()


def test_report_has_every_section(real_report, real_warehouse):
    speaker, quotes = query(real_warehouse, "SELECT speaker, quotes FROM speakers ORDER BY quotes DESC, speaker LIMIT 1")[0]
    for anchor in ("runs", "rejects", "speakers", "figures", "stories", "dictionary"):
        assert f'<section id="{anchor}">' in real_report
    assert "run-0001" in real_report and "run-0002" in real_report
    assert "unsupported_type" in real_report and "empty.txt" in real_report  # rejects by reason, with files
    assert f"{speaker}: {quotes}" in real_report  # the top speaker's bar
    for kind, in query(real_warehouse, "SELECT DISTINCT kind FROM figures"):
        assert f"<title>{kind}: " in real_report  # a bar per figure kind
    for unit, in query(real_warehouse, "SELECT DISTINCT unit FROM figures WHERE kind = 'money'"):
        assert f"<code>{unit}</code>" in real_report  # money by currency
    assert "copy_of_hostile.txt" in real_report  # the story with two members
    for stage in ("ingest", "clean", "segment", "extract"):
        assert re.search(rf'<span class="st"><svg class="key"[^>]*>.*?</svg>{stage} \d+\.\d\d</span>', real_report), stage
    assert real_report.count('<svg class="chart') >= 6
    assert "Generated 2026-01-02 03:04:05 UTC" in real_report


def test_hostile_text_from_the_pipeline_is_escaped(real_report):
    assert "data-pwned" in real_report  # the hostile title and quote are on the page ...
    assert "<script>document" not in real_report  # ... but only as text
    assert "&lt;script&gt;document.body.setAttribute(&#x27;data-pwned&#x27;" in real_report
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in real_report  # a hostile file name
    assert "&lt;svg onload=alert(2)&gt;.bin" in real_report  # ... and a hostile reject
    assert_self_contained(real_report)


def test_every_hostile_field_is_escaped(hostile_warehouse):
    page = report.build_report(hostile_warehouse, generated_at=GENERATED).read_text(encoding="utf-8")
    assert_self_contained(page)
    for raw in ("<script>alert(5)", "<img src=x", "<b onmouseover", "<u onclick", "<iframe", "<marquee>",
                "<i onclick", "<i>a</i>", "<in>", "<script>document"):
        assert raw not in page, raw
    for escaped in ("&lt;script&gt;alert(5)", "&lt;img src=x onerror=alert(1)&gt; we can",
                    "&lt;b onmouseover=alert(2)&gt;Ann&lt;/b&gt;", "&lt;u onclick=alert(3)&gt;USD",
                    "&lt;iframe src=javascript:alert(4)&gt;.bin", "&lt;marquee&gt;binary",
                    "&lt;i onclick=alert(6)&gt;stage", "x/&lt;i&gt;a&lt;/i&gt;.txt"):
        assert escaped in page, escaped


def test_report_is_deterministic_apart_from_the_generated_line(real_warehouse, tmp_path):
    a = report.build_report(real_warehouse, tmp_path / "a.html", generated_at=GENERATED).read_text()
    b = report.build_report(real_warehouse, tmp_path / "b.html").read_text()
    assert a != b
    strip = re.compile(r'<p class="meta generated">[^<]*</p>')
    assert len(strip.findall(a)) == 1
    assert strip.sub("", a) == strip.sub("", b)
    assert report.build_report(real_warehouse, tmp_path / "c.html", generated_at=GENERATED).read_text() == a


def test_empty_sections_say_so(tmp_path):
    from test_catalog import run_info, tiny_frames

    frames = tiny_frames()
    frames["rejects"] = frames["rejects"].clear()
    wh = tmp_path / "wh"
    publish.publish(wh, frames, run_info())
    page = report.build_report(wh).read_text()
    assert "No input file was rejected." in page
    assert "Every article is its own story" in page or "0 stories" in page
    assert_self_contained(page)


def test_describe_lists_every_view_column_type_and_comment(real_warehouse):
    text = report.describe(real_warehouse)
    with catalog.connect(real_warehouse) as con:
        views = catalog.views(con)
        columns: dict[str, list[tuple]] = {}
        for table, column, dtype, comment in con.execute(
            "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
            "WHERE database_name = current_database() ORDER BY table_name, column_index"
        ).fetchall():
            columns.setdefault(table, []).append((column, dtype, comment))
    assert {"articles", "quotes", "speakers", "figures", "rejects", "runs", "stories"} <= {v for v, _ in views}
    blocks = {}
    for block in text.split("\n\n"):
        head = block.splitlines()[0] if block.strip() else ""
        blocks[head] = block
    for view, comment in views:
        assert view in blocks, view
        assert " ".join(blocks[view].split()).count(" ".join(comment.split()[:6])) == 1, view
        assert columns.get(view), view
        for column, dtype, col_comment in columns[view]:
            line = next((ln for ln in blocks[view].splitlines() if ln.startswith(f"    {column} ")), None)
            assert line is not None, f"{view}.{column}"
            assert dtype in line and col_comment.split()[0] in line, line
    marts = text.index("\narticles\n")
    assert marts < text.index("\nstg_newsdesk__articles\n")  # marts first, staging after
    assert "stg_newsdesk__" not in report.describe(real_warehouse, include_staging=False)


# ---------------------------------------------------------------- in a real browser
def chromium() -> str | None:
    for name in (os.environ.get("NEWSDESK_CHROMIUM"), "chromium", "chromium-browser", "google-chrome",
                 "google-chrome-stable"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


# CI can set NEWSDESK_REQUIRE_CHROMIUM=1 to turn the skip into a failure.
needs_chromium = pytest.mark.skipif(
    chromium() is None and os.environ.get("NEWSDESK_REQUIRE_CHROMIUM") != "1",
    reason=f"Chromium is not installed (needed to render the report): {CHROMIUM_INSTALL}",
)


def run_chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    assert chromium(), f"Chromium is not installed: {CHROMIUM_INSTALL}"
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    cmd = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
        f"--user-data-dir={profile}", *extra, page.resolve().as_uri(),
    ]
    got = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert got.returncode == 0, got.stderr[-2000:]
    return got


def dump_dom(page: Path, tmp_path: Path) -> str:
    return run_chromium(page, tmp_path, "--dump-dom").stdout


@needs_chromium
def test_chromium_draws_every_chart_and_runs_no_injected_script(real_warehouse, tmp_path):
    page = report.build_report(real_warehouse, tmp_path / "report.html")
    charts = page.read_text().count('<svg class="chart')
    dom = dump_dom(page, tmp_path)
    # The page's own script ran (CSP allowed it) and found bars with a real size in every chart.
    assert f'data-charts-drawn="{charts}"' in dom, re.search(r"<html[^>]*>", dom).group(0)
    assert len(re.findall(r'<rect class="bar"', dom)) >= 20
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert "pwned" not in body, body  # neither the hostile title nor the hostile quote ran


@needs_chromium
def test_chromium_runs_no_script_from_any_hostile_field(hostile_warehouse, tmp_path):
    page = report.build_report(hostile_warehouse, tmp_path / "report.html")
    dom = dump_dom(page, tmp_path)
    assert "pwned" not in re.search(r"<body[^>]*>", dom).group(0)
    assert "<iframe" not in dom and "<marquee" not in dom and "<img" not in dom
    assert re.search(r'data-charts-drawn="[1-9]', dom)


def read_png(path: Path) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and rows of an 8-bit RGB(A) non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride, rows, prev = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + (left + prev[i]) // 2) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def count_colour(rows: list[bytes], bpp: int, rgb: tuple[int, int, int], tolerance: int = 8) -> int:
    n = 0
    r0, g0, b0 = rgb
    for row in rows:
        for i in range(0, len(row), bpp):
            if abs(row[i] - r0) <= tolerance and abs(row[i + 1] - g0) <= tolerance and abs(row[i + 2] - b0) <= tolerance:
                n += 1
    return n


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


@needs_chromium
def test_chromium_screenshot_shows_the_styled_page_and_its_bars(real_warehouse, tmp_path):
    from newsdesk import report_svg

    page = report.build_report(real_warehouse, tmp_path / "report.html")
    png = tmp_path / "report.png"
    run_chromium(page, tmp_path, f"--screenshot={png}", "--window-size=1200,900")
    width, height, bpp, rows = read_png(png)
    assert (width, height) == (1200, 900)
    assert len(set(rows)) > 100, "the screenshot is (nearly) blank"
    area = width * height
    assert count_colour(rows, bpp, (0x0F, 0x17, 0x2A)) > area * 0.03  # the header: the CSS applied
    assert count_colour(rows, bpp, hex_rgb(report_svg.BLUE)) > 1000  # article bars of the runs chart
    assert count_colour(rows, bpp, hex_rgb(report_svg.RED)) > 50  # reject bars stacked on them
