"""`newsdesk report` and `newsdesk describe`: the warehouse at a glance.

build_report() writes one self-contained HTML page (inline CSS, inline SVG
charts, a few lines of inline script for sortable tables; nothing loaded
from anywhere) from the catalog's views. describe() prints the catalog's data
dictionary. Both only read, through catalog.connect().

Every string from the data is HTML-escaped: article text, titles, speaker
names and file names are hostile input. A Content-Security-Policy allows only
the page's own style block and script (by hash), so even a missed escape could
neither run a script nor load anything. The page is the same for the same
warehouse apart from its "generated" line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from newsdesk import catalog, store
from newsdesk.report_svg import (
    AMBER,
    BLUE,
    RED,
    STAGE_COLOURS,
    TEAL,
    clip,
    esc,
    hbar_chart,
    num,
    stacked_columns,
    stacked_hbars,
)

REPORT_NAME = "report.html"
STAGING_PREFIX = "stg_"
STAGE_ORDER = ("ingest", "clean", "segment", "extract", "cluster", "publish")
RUNS_SHOWN = 10          # rows in the runs table and the stage-seconds chart
RUNS_CHARTED = 30        # columns in the articles/rejects per run chart
SPEAKERS_CHARTED = 15
SPEAKERS_LISTED = 25
STORIES_LISTED = 50
FILES_PER_REASON = 50
SPREAD_LISTED = 10
HALF = 540               # chart width (px of viewBox) in a half-page column: text stays at its real size


# ---------------------------------------------------------------- data dictionary
def dictionary(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every view of the catalog with its comment and its columns (name, type, comment): marts first."""
    views = catalog.views(con)
    cols = con.execute(
        "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
        "WHERE database_name = current_database() ORDER BY table_name, column_index"
    ).fetchall()
    by_view: dict[str, list[tuple[str, str, str]]] = {}
    for table, column, dtype, comment in cols:
        by_view.setdefault(table, []).append((column, dtype, comment or ""))
    out = [
        {"view": name, "comment": comment or "", "staging": name.startswith(STAGING_PREFIX),
         "columns": by_view.get(name, [])}
        for name, comment in views
    ]
    return sorted(out, key=lambda v: (v["staging"], v["view"]))


def describe(warehouse: Path, include_staging: bool = True) -> str:
    """The data dictionary as text: every view, its comment, its columns with types and comments."""
    warehouse = Path(warehouse)
    con = catalog.connect(warehouse)
    try:
        views = dictionary(con)
    finally:
        con.close()
    man = store.read_manifest(warehouse.resolve())
    marts = [v for v in views if not v["staging"]]
    staging = [v for v in views if v["staging"]]
    lines = [f"newsdesk catalog: {warehouse.resolve() / store.CATALOG}"]
    if man is not None:
        lines.append(f"version {man.version}, committed {man.committed_at} by run {man.run_id}")
    lines.append(f"{len(marts)} views" + (f" (+ {len(staging)} staging views at the end)" if staging and include_staging else ""))
    lines.append("")

    def block(view: dict) -> None:
        lines.append(view["view"])
        lines.append(textwrap.fill(view["comment"] or "(no comment)", width=100, initial_indent="  ",
                                   subsequent_indent="  "))
        if not view["columns"]:
            lines.append("")
            return
        name_w = max(len(c) for c, _, _ in view["columns"])
        type_w = min(max(len(t) for _, t, _ in view["columns"]), 26)
        indent = "    " + " " * (name_w + 2 + type_w + 2)
        for column, dtype, comment in view["columns"]:
            head = f"    {column.ljust(name_w)}  {dtype.ljust(type_w)}  "
            body = textwrap.fill(comment or "(no comment)", width=max(100, len(head) + 40), initial_indent=head,
                                 subsequent_indent=indent)
            lines.append(body)
        lines.append("")

    for view in marts:
        block(view)
    if include_staging and staging:
        lines.append("-- staging views: the Parquet files as written, one per table " + "-" * 30)
        lines.append("")
        for view in staging:
            block(view)
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- data
def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict] | None:
    """Rows as dicts, or None when a view is missing (a catalog older than the report)."""
    try:
        cur = con.execute(sql)
    except duckdb.CatalogException:
        return None
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _scalar(con: duckdb.DuckDBPyConnection, sql: str):
    rows = _rows(con, sql)
    return None if not rows else next(iter(rows[0].values()))


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _stage_seconds(raw: str | None) -> dict[str, float]:
    try:
        got = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    if not isinstance(got, dict):
        return {}
    out = {}
    for key, value in got.items():
        try:
            out[str(key)] = float(value)
        except (TypeError, ValueError):
            continue
    return out


def _stages(runs: list[dict]) -> list[str]:
    seen = {k for r in runs for k in r["stage_seconds"]}
    return [s for s in STAGE_ORDER if s in seen] + sorted(seen - set(STAGE_ORDER))


def gather(con: duckdb.DuckDBPyConnection) -> dict:
    """Everything the page shows, read from the views, in a stable order."""
    d: dict = {}
    d["totals"] = {
        "articles": _scalar(con, "SELECT count(*) FROM articles"),
        "rejects": _scalar(con, "SELECT count(*) FROM rejects"),
        "quotes": _scalar(con, "SELECT count(*) FROM quotes"),
        "unattributed": _scalar(con, "SELECT count(*) FROM quotes WHERE speaker IS NULL"),
        "speakers": _scalar(con, "SELECT count(*) FROM speakers"),
        "figures": _scalar(con, "SELECT count(*) FROM figures"),
        "stories": _scalar(con, "SELECT count(*) FROM stories"),
        "multi_stories": _scalar(con, "SELECT count(*) FROM stories WHERE members > 1"),
        "runs": _scalar(con, "SELECT count(*) FROM runs"),
    }
    runs = _rows(con, f"""
        SELECT run_id, started_at, finished_at, status, files_seen, articles, rejects, quotes, figures,
               stage_seconds, seconds, extraction_version
        FROM runs ORDER BY started_at DESC, run_id DESC LIMIT {max(RUNS_SHOWN, RUNS_CHARTED)}""") or []
    for r in runs:
        r["started_at"], r["finished_at"] = _utc(r["started_at"]), _utc(r["finished_at"])
        r["stage_seconds"] = _stage_seconds(r["stage_seconds"])
    d["runs"] = runs
    d["stages"] = _stages(runs[:RUNS_SHOWN])
    d["reject_reasons"] = _rows(con, """
        SELECT coalesce(reason, '(none)') AS reason, count(*) AS files FROM rejects
        GROUP BY ALL ORDER BY files DESC, reason""")
    d["reject_files"] = _rows(con, """
        SELECT coalesce(reason, '(none)') AS reason, source_file, detail FROM rejects
        ORDER BY reason, source_file, detail""")
    d["speakers"] = _rows(con, f"""
        SELECT speaker, speaker_kind, quotes, articles FROM speakers
        ORDER BY quotes DESC, articles DESC, speaker LIMIT {SPEAKERS_LISTED}""")
    d["figure_kinds"] = _rows(con, """
        SELECT coalesce(kind, '(none)') AS kind, count(*) AS figures, count(DISTINCT article_id) AS articles
        FROM figures GROUP BY ALL ORDER BY figures DESC, kind""")
    d["currencies"] = _rows(con, """
        SELECT coalesce(unit, '(unknown)') AS currency, count(*) AS mentions, count(DISTINCT article_id) AS articles,
               min(value) AS smallest, max(value) AS largest,
               first(span ORDER BY value DESC NULLS LAST, span) AS largest_span
        FROM figures WHERE kind = 'money' GROUP BY ALL ORDER BY mentions DESC, currency""")
    d["stories"] = _rows(con, f"""
        SELECT cluster_id, members, first_seen, source_files, methods, representative_title
        FROM stories WHERE members > 1 ORDER BY members DESC, first_seen, cluster_id LIMIT {STORIES_LISTED}""")
    for s in d["stories"] or []:
        s["methods"] = sorted(m for m in (s["methods"] or []) if m)
        s["first_seen"] = _utc(s["first_seen"])
    d["quote_spread"] = _rows(con, f"""
        SELECT quote, quote_text, speaker, speakers, articles, clusters FROM quote_spread
        ORDER BY articles DESC, clusters DESC, quote LIMIT {SPREAD_LISTED}""")
    d["figure_spread"] = _rows(con, f"""
        SELECT kind, value, unit, span, mentions, articles, clusters FROM figure_spread
        ORDER BY articles DESC, mentions DESC, kind, value, unit LIMIT {SPREAD_LISTED}""")
    d["dictionary"] = [v for v in dictionary(con) if not v["staging"]]
    return d


# ---------------------------------------------------------------- formatting
def _when(value: datetime | None, seconds: bool = True) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _secs(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if value < 100 else f"{value:,.0f}"


def money(value: float | None) -> str:
    """65900000000 -> 65.9 bn; small amounts in full."""
    if value is None:
        return ""
    for scale, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= scale:
            return f"{value / scale:,.3g} {word}".replace(",", "")
    return num(round(value, 2))


def _td(value, numeric: bool = False, title: str | None = None, sort: object | None = None, cls: str = "") -> str:
    classes = " ".join(c for c in ("n" if numeric else "", cls) if c)
    attrs = f' class="{classes}"' if classes else ""
    if title:
        attrs += f' title="{esc(title)}"'
    if sort is not None:
        attrs += f' data-v="{esc(sort)}"'
    return f"<td{attrs}>{value}</td>"


def _table(head: list[tuple[str, bool]], rows: list[str], cls: str = "") -> str:
    ths = "".join(f'<th{" class=n" if numeric else ""}>{esc(name)}</th>' for name, numeric in head)
    return (f'<div class="scroll"><table class="sortable {cls}"><thead><tr>{ths}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _missing(view: str) -> str:
    return f'<p class="empty">The catalog has no <code>{esc(view)}</code> view: rebuild it with <code>newsdesk run</code>.</p>'


def _empty(text: str) -> str:
    return f'<p class="empty">{esc(text)}</p>'


def _files(files: list[str], limit: int = 6) -> str:
    items = "".join(f"<li><code>{esc(f)}</code></li>" for f in files[:limit])
    more = f'<li class="more">… and {len(files) - limit} more</li>' if len(files) > limit else ""
    return f'<ul class="files">{items}{more}</ul>'


def _plural(n: int | None, word: str, plural: str | None = None) -> str:
    n = n or 0
    return f"{num(n)} {word if n == 1 else (plural or word + 's')}"


# ---------------------------------------------------------------- sections
def _section(anchor: str, title: str, lead: str, body: str) -> str:
    return (f'<section id="{anchor}"><h2>{esc(title)}</h2>'
            f'{f"<p class=lead>{lead}</p>" if lead else ""}{body}</section>')


def _cards(d: dict) -> str:
    t = d["totals"]
    last = d["runs"][0] if d["runs"] else None
    items = [
        ("Articles", t["articles"], None),
        ("Rejects", t["rejects"], None),
        ("Quotes", t["quotes"], f"{num(t['unattributed'] or 0)} without a speaker" if t["quotes"] else None),
        ("Speakers", t["speakers"], None),
        ("Figures", t["figures"], None),
        ("Stories", t["stories"], f"{num(t['multi_stories'] or 0)} with more than one article" if t["stories"] is not None else None),
        ("Runs", t["runs"], f"last {_when(last['started_at'], False)} UTC" if last else None),
    ]
    out = []
    for name, value, note in items:
        shown = "–" if value is None else num(value)
        out.append(f'<div class="card"><div class="k">{esc(name)}</div><div class="v">{esc(shown)}</div>'
                   f'{f"<div class=note>{esc(note)}</div>" if note else ""}</div>')
    return f'<div class="cards">{"".join(out)}</div>'


def _stage_list(seconds: dict[str, float], stages: list[str], colours: dict[str, str]) -> str:
    """ingest 0.05 · clean 0.04 …, each with its colour key from the chart."""
    parts = []
    for s in stages:
        if s in seconds:
            key = f'<svg class="key" viewBox="0 0 10 10" width="9" height="9"><rect width="10" height="10" rx="2" fill="{colours[s]}"/></svg>'
            parts.append(f'<span class="st">{key}{esc(s)} {esc(_secs(seconds[s]))}</span>')
    return "".join(parts)


def _runs_section(d: dict) -> str:
    runs = d["runs"]
    if not runs:
        return _section("runs", "Runs", "", _empty("No run has been published yet."))
    charted = list(reversed(runs[:RUNS_CHARTED]))
    labels = [_when(r["started_at"], False)[5:] for r in charted]
    if len(set(labels)) < len(labels):  # runs within one minute: show seconds
        labels = [_when(r["started_at"])[5:] for r in charted]
    columns = stacked_columns(
        [(label, f"run {r['run_id']} at {_when(r['started_at'])} UTC",
          [r["articles"] or 0, r["rejects"] or 0]) for label, r in zip(labels, charted)],
        [("articles", BLUE), ("rejects", RED)],
        "Articles and rejects per run",
        width=HALF,
    )
    shown = runs[:RUNS_SHOWN]
    stages = d["stages"]
    colours = {s: STAGE_COLOURS[i % len(STAGE_COLOURS)] for i, s in enumerate(stages)}
    timing = stacked_hbars(
        [(_when(r["started_at"]), [r["stage_seconds"].get(s, 0.0) for s in stages]) for r in shown],
        [(s, colours[s]) for s in stages],
        "Seconds per stage, newest run first",
        width=HALF,
    )
    head = [("Started (UTC)", False), ("Run", False), ("Status", False), ("Files", True), ("Articles", True),
            ("Rejects", True), ("Quotes", True), ("Figures", True), ("Wall s", True)]
    head += [("Seconds per stage", False)]
    rows = []
    for r in shown:
        status = r["status"] or ""
        cells = [
            _td(esc(_when(r["started_at"])), cls="nw"),
            _td(f"<code>{esc(clip(r['run_id'], 13))}</code>", title=r["run_id"], cls="nw"),
            _td(f'<span class="pill {"ok" if status == "succeeded" else "bad"}">{esc(status)}</span>'),
            *(_td(esc(num(r[k])) if r[k] is not None else "", True, sort=r[k])
              for k in ("files_seen", "articles", "rejects", "quotes", "figures")),
            _td(esc(_secs(r["seconds"])), True, sort=r["seconds"]),
            _td(_stage_list(r["stage_seconds"], stages, colours), sort=_secs(sum(r["stage_seconds"].values()))),
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    lead = (f"{_plural(d['totals']['runs'], 'published run')}; the last {min(len(runs), RUNS_CHARTED)} charted, "
            f"the last {len(shown)} listed. Stage seconds come from <code>runs.stage_seconds</code>.")
    body = (f'<div class="grid2"><figure>{columns}<figcaption>Files per run: articles and rejects stacked.</figcaption>'
            f'</figure><figure>{timing or _empty("No stage timings recorded.")}'
            f"<figcaption>Where each run spent its time.</figcaption></figure></div>"
            + _table(head, rows, "runs"))
    return _section("runs", "Runs", lead, body)


def _rejects_section(d: dict) -> str:
    reasons, files = d["reject_reasons"], d["reject_files"]
    if reasons is None or files is None:
        return _section("rejects", "Rejects", "", _missing("rejects"))
    if not reasons:
        return _section("rejects", "Rejects", "", _empty("No input file was rejected."))
    chart = hbar_chart([(r["reason"], r["files"]) for r in reasons], "Rejected files by reason", RED)
    by_reason: dict[str, list[dict]] = {}
    for f in files:
        by_reason.setdefault(f["reason"], []).append(f)
    rows = []
    for r in reasons:
        got = by_reason.get(r["reason"], [])
        items = []
        for f in got[:FILES_PER_REASON]:
            detail = f' <span class="muted">— {esc(clip(f["detail"], 160))}</span>' if f["detail"] else ""
            items.append(f"<li><code>{esc(f['source_file'])}</code>{detail}</li>")
        if len(got) > FILES_PER_REASON:
            items.append(f'<li class="more">… and {len(got) - FILES_PER_REASON} more</li>')
        reason = f"<code>{esc(r['reason'])}</code>"
        rows.append(f"<tr>{_td(reason)}{_td(esc(num(r['files'])), True, sort=r['files'])}"
                    f"{_td('<ul class=files>' + ''.join(items) + '</ul>')}</tr>")
    lead = f"{_plural(d['totals']['rejects'], 'input file')} did not become an article. Files are relative to the input folder."
    body = (f"<figure>{chart}</figure>" + _table([("Reason", False), ("Files", True), ("Which", False)], rows))
    return _section("rejects", "Rejects", lead, body)


def _speakers_section(d: dict) -> str:
    speakers = d["speakers"]
    if speakers is None:
        return _section("speakers", "Speakers", "", _missing("speakers"))
    if not speakers:
        return _section("speakers", "Speakers", "", _empty("No quote has a speaker yet."))
    t = d["totals"]
    chart = hbar_chart([(s["speaker"], s["quotes"]) for s in speakers[:SPEAKERS_CHARTED]],
                       "Quotes per speaker, most quoted first", BLUE, width=HALF)
    rows = [
        f"<tr>{_td(esc(s['speaker']))}{_td(esc(s['speaker_kind'] or ''))}"
        f"{_td(esc(num(s['quotes'])), True, sort=s['quotes'])}{_td(esc(num(s['articles'])), True, sort=s['articles'])}</tr>"
        for s in speakers
    ]
    lead = (f"{_plural(t['speakers'], 'speaker')} credited with quotes; {_plural(t['unattributed'], 'quote')} "
            f"of {num(t['quotes'] or 0)} have no speaker. The {min(len(speakers), SPEAKERS_CHARTED)} most quoted:")
    body = (f'<div class="grid2"><figure>{chart}</figure>'
            + _table([("Speaker", False), ("Kind", False), ("Quotes", True), ("Articles", True)], rows)
            + "</div>")
    return _section("speakers", "Most quoted speakers", lead, body)


def _figures_section(d: dict) -> str:
    kinds, currencies = d["figure_kinds"], d["currencies"]
    if kinds is None:
        return _section("figures", "Figures", "", _missing("figures"))
    if not kinds:
        return _section("figures", "Figures", "", _empty("No figure was found."))
    kind_chart = hbar_chart([(k["kind"], k["figures"]) for k in kinds], "Figures by kind", TEAL, width=HALF)
    kind_rows = [
        f"<tr>{_td(esc(k['kind']))}{_td(esc(num(k['figures'])), True, sort=k['figures'])}"
        f"{_td(esc(num(k['articles'])), True, sort=k['articles'])}</tr>"
        for k in kinds
    ]
    body = (f'<div class="grid2"><figure>{kind_chart}<figcaption>Every figure row, by kind.</figcaption></figure>'
            + _table([("Kind", False), ("Figures", True), ("Articles", True)], kind_rows) + "</div>")
    body += "<h3>Money by currency</h3>"
    if currencies:
        cur_chart = hbar_chart([(c["currency"], c["mentions"]) for c in currencies], "Money figures by currency", AMBER, width=HALF)
        cur_rows = [
            f"<tr>{_td('<code>' + esc(c['currency']) + '</code>')}"
            f"{_td(esc(num(c['mentions'])), True, sort=c['mentions'])}"
            f"{_td(esc(num(c['articles'])), True, sort=c['articles'])}"
            f"{_td(esc(money(c['smallest'])), True, sort=c['smallest'])}"
            f"{_td(esc(money(c['largest'])), True, sort=c['largest'])}"
            f"{_td(esc(clip(c['largest_span'] or '', 60)), title=c['largest_span'])}</tr>"
            for c in currencies
        ]
        body += (f'<div class="grid2"><figure>{cur_chart}<figcaption>Mentions of money, by ISO 4217 code.'
                 "</figcaption></figure>"
                 + _table([("Currency", False), ("Mentions", True), ("Articles", True), ("Smallest", True),
                           ("Largest", True), ("Largest as written", False)], cur_rows) + "</div>")
    else:
        body += _empty("No money figure was found.")
    spread = d["figure_spread"]
    if spread:
        rows = [
            f"<tr>{_td(esc(clip(f['span'] or '', 60)), title=f['span'])}{_td(esc(f['kind']))}"
            f"{_td(esc(f['unit'] or ''))}{_td(esc(num(f['articles'])), True, sort=f['articles'])}"
            f"{_td(esc(num(f['clusters'])), True, sort=f['clusters'])}</tr>"
            for f in spread
        ]
        body += ("<h3>Figures in more than one article</h3>"
                 + _table([("Figure", False), ("Kind", False), ("Unit", False), ("Articles", True),
                           ("Stories", True)], rows))
    lead = f"{_plural(d['totals']['figures'], 'figure')}: numbers that measure something, with kind, value and unit."
    return _section("figures", "Figures", lead, body)


def _stories_section(d: dict) -> str:
    stories = d["stories"]
    if stories is None:
        return _section("stories", "Story clusters", "", _missing("stories"))
    t = d["totals"]
    lead = (f"{_plural(t['stories'], 'story', 'stories')} in all; {_plural(t['multi_stories'], 'story', 'stories')} "
            "carried by more than one article (exact copies, near-copies and rewrites).")
    if not stories:
        body = _empty("Every article is its own story: no near-duplicates were found.")
    else:
        rows = []
        for s in stories:
            title = s["representative_title"] or "(untitled)"
            methods = " ".join(f'<span class="pill">{esc(m)}</span>' for m in s["methods"])
            rows.append(
                f"<tr>{_td(esc(clip(title, 110)), title=title)}"
                f"{_td(esc(num(s['members'])), True, sort=s['members'])}{_td(methods)}"
                f"{_td(_files(list(s['source_files'] or [])))}"
                f"{_td(esc(_when(s['first_seen'], False)), cls='nw')}</tr>"
            )
        body = _table([("Story (earliest article's title)", False), ("Articles", True), ("Linked by", False),
                       ("Files", False), ("First seen (UTC)", False)], rows)
    spread = d["quote_spread"]
    if spread:
        rows = [
            f"<tr>{_td('“' + esc(clip(q['quote_text'] or q['quote'], 140)) + '”', title=q['quote_text'])}"
            f"{_td(esc(q['speaker'] or ''))}{_td(esc(num(q['articles'])), True, sort=q['articles'])}"
            f"{_td(esc(num(q['clusters'])), True, sort=q['clusters'])}</tr>"
            for q in spread
        ]
        body += ("<h3>Quotes in more than one article</h3>"
                 + _table([("Quote", False), ("Speaker", False), ("Articles", True), ("Stories", True)], rows))
    return _section("stories", "Story clusters", lead, body)


def _dictionary_section(d: dict) -> str:
    parts = []
    for v in d["dictionary"]:
        rows = [f"<tr>{_td(f'<code>{esc(c)}</code>')}{_td(f'<code>{esc(t)}</code>')}{_td(esc(m))}</tr>"
                for c, t, m in v["columns"]]
        parts.append(f"<details><summary><code>{esc(v['view'])}</code> <span class=muted>{esc(v['comment'])}</span>"
                     f"</summary>{_table([('Column', False), ('Type', False), ('Meaning', False)], rows)}</details>")
    lead = ("The views of <code>news.duckdb</code>, as <code>newsdesk describe</code> prints them. "
            "Query them with <code>newsdesk sql</code> or any DuckDB client.")
    return _section("dictionary", "Data dictionary", lead, "".join(parts) or _empty("The catalog has no views."))


# ---------------------------------------------------------------- page
CSS = """
:root{--ink:#111827;--body:#374151;--muted:#6b7280;--line:#e5e7eb;--bg:#f5f6f8;--card:#fff;--accent:#2563eb}
*{box-sizing:border-box}
html{color-scheme:light}
body{margin:0;background:var(--bg);color:var(--body);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
header{background:#0f172a;color:#e2e8f0;padding:28px 0 22px}
header h1{margin:0 0 4px;color:#fff;font-size:26px;font-weight:650;letter-spacing:-.01em}
header .meta{margin:0;color:#94a3b8;font-size:13px}
header code{color:#cbd5e1}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
nav{position:sticky;top:0;z-index:2;background:#fffffff0;border-bottom:1px solid var(--line)}
nav .wrap{display:flex;gap:18px;overflow-x:auto;padding-top:10px;padding-bottom:10px}
nav a{color:var(--body);text-decoration:none;font-weight:550;white-space:nowrap}
nav a:hover{color:var(--accent)}
main{padding:22px 0 40px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin-bottom:22px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.card .v{color:var(--ink);font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}
.card .note{color:var(--muted);font-size:12px}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 22px 20px;margin:0 0 22px}
h2{margin:0 0 6px;color:var(--ink);font-size:19px}
h3{margin:22px 0 8px;color:var(--ink);font-size:15px}
.lead{margin:0 0 14px;color:var(--muted)}
figure{margin:0 0 14px;min-width:0}
figcaption{color:var(--muted);font-size:12px;margin-top:2px}
svg.chart{display:block;max-width:760px;height:auto}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:22px;align-items:start}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;background:#f9fafb;cursor:pointer;user-select:none;white-space:nowrap}
table.runs th,table.runs td{padding:6px 8px}
.st{display:inline-block;white-space:nowrap;margin:0 10px 0 0;font-variant-numeric:tabular-nums}
svg.key{margin-right:4px;vertical-align:-1px}
td.nw,td.nw code{white-space:nowrap;word-break:normal}
th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}
th[data-dir=asc]::after{content:" ▲";font-size:9px}
th[data-dir=desc]::after{content:" ▼";font-size:9px}
tbody tr:hover{background:#f9fafb}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#1f2937;word-break:break-all}
ul.files{margin:0;padding:0;list-style:none}
ul.files li{margin:0 0 2px}
.more,.muted{color:var(--muted)}
.pill{display:inline-block;padding:0 8px;border-radius:999px;background:#eef2ff;color:#3730a3;font-size:12px;
margin:0 4px 2px 0}
.pill.ok{background:#dcfce7;color:#166534}
.pill.bad{background:#fee2e2;color:#991b1b}
.empty{color:var(--muted);font-style:italic}
details{border-top:1px solid var(--line);padding:8px 0}
summary{cursor:pointer}
details table{margin:8px 0 4px}
footer{color:var(--muted);font-size:12px;padding:0 0 30px}
@media print{nav{display:none}section{break-inside:avoid-page}}
""".strip()

# Sortable tables (click a header), and a mark for checks that the charts drew.
JS = """
(function () {
  function key(td) { var v = td.getAttribute('data-v'); return v !== null ? v : td.textContent.trim(); }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var dir = th.getAttribute('data-dir') === 'desc' ? 'asc' : 'desc';
        table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-dir'); });
        th.setAttribute('data-dir', dir);
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]), nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) ? nx - ny : x.localeCompare(y);
          return dir === 'asc' ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var drawn = 0;
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var bars = svg.querySelectorAll('rect.bar');
    for (var i = 0; i < bars.length; i++) {
      var box = bars[i].getBoundingClientRect();
      if (box.width > 0 && box.height > 0) { drawn++; break; }
    }
  });
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();
""".strip()


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


CSP = (f"default-src 'none'; style-src '{_hash(CSS)}'; script-src '{_hash(JS)}'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


def render(d: dict, warehouse: Path, manifest: store.Manifest | None, generated_at: datetime) -> str:
    """The whole page as one string."""
    version = (f" · version <code>{esc(manifest.version)}</code> committed {esc(manifest.committed_at)}"
               if manifest else "")
    sections = [_runs_section(d), _rejects_section(d), _speakers_section(d), _figures_section(d),
                _stories_section(d), _dictionary_section(d)]
    nav = "".join(f'<a href="#{a}">{esc(n)}</a>' for a, n in (
        ("runs", "Runs"), ("rejects", "Rejects"), ("speakers", "Speakers"), ("figures", "Figures"),
        ("stories", "Stories"), ("dictionary", "Data dictionary")))
    generated = _utc(generated_at)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        "<title>newsdesk report</title>"
        f"<style>{CSS}</style></head>\n<body>"
        f'<header><div class="wrap"><h1>newsdesk report</h1>'
        f'<p class="meta">Warehouse <code>{esc(warehouse)}</code>{version}</p>'
        f'<p class="meta generated">Generated {esc(_when(generated))} UTC</p></div></header>\n'
        f'<nav><div class="wrap">{nav}</div></nav>\n'
        f'<main class="wrap">{_cards(d)}\n' + "\n".join(sections) + "</main>\n"
        '<footer class="wrap">Made by <code>newsdesk report</code> from the views of <code>news.duckdb</code>. '
        "Self-contained: this page loads nothing from anywhere.</footer>\n"
        f"<script>{JS}</script></body></html>\n"
    )


def build_report(warehouse: Path, out: Path | None = None, *, generated_at: datetime | None = None) -> Path:
    """Write the HTML report of a warehouse (default <warehouse>/report.html) and return its path."""
    warehouse = Path(warehouse).resolve()
    con = catalog.connect(warehouse)
    try:
        data = gather(con)
    finally:
        con.close()
    page = render(data, warehouse, store.read_manifest(warehouse), generated_at or datetime.now(timezone.utc))
    out = Path(out) if out is not None else warehouse / REPORT_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.write_text(page, encoding="utf-8", errors="replace")
    os.replace(tmp, out)
    return out
