"""Corpus builders for the scale benchmark (bench/run.py).

- `reuters_stories` / `build_reuters`: the Reuters-21578 SGML files (Latin-1)
  split on `<REUTERS`, one article per story that has a <BODY>: the title, and
  the body with its hard-wrapped lines reflowed into paragraphs (a line that
  starts with white space, or follows a blank line, starts a new paragraph; the
  others are joined to the line before with one space). The dateline
  ("SALVADOR, Feb 26 - ") leads the first paragraph, as on the wire; the
  trailing "Reuter" sign-off and control entities (&#3; ...) are dropped. Written
  once as one JSON-lines dump (keys text, title, url, published_at, source).
- `bbc_articles`: the BBC News files as (title, paragraphs).
- `synthetic_records` / `build_synthetic`: N articles, deterministic for a
  seed: the title of one source article over 3-12 paragraphs drawn from other
  articles, with exact copies (same title and text, another url) and near
  copies (bench.bench_dedup.rewrite over the paragraphs: a syndication copy, or
  drops, a swap, a trimmed tail and synonym swaps) of earlier synthetic
  articles mixed in.

Dumps are cached: a dump is rebuilt only when its parameters change (they are
in the folder name and in `<folder>.meta.json` beside it, written after the data, so a build that
was cut short is never reused).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import random
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.bench_dedup import rewrite
from bench.bench_figures import read_text

GENERATOR_VERSION = 1  # bump when the output of synthetic_records or reuters_stories changes
EXACT_SHARE = 0.03  # share of synthetic articles that are exact copies of an earlier one
NEAR_SHARE = 0.05  # share that are near copies (rewrites) of an earlier one
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 3, 12
MIN_POOL_WORDS = 8  # paragraphs shorter than this (table rows, sign-offs) are not drawn


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    source: str = ""
    published_at: str | None = None
    url: str | None = None

    def record(self) -> dict:
        return {"text": "\n\n".join(self.paragraphs), "title": self.title, "url": self.url,
                "published_at": self.published_at, "source": self.source}


# ---------------------------------------------------------------- Reuters-21578
_TAG = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("TITLE", "DATELINE", "BODY", "DATE")}
_NEWID = re.compile(r'NEWID="(\d+)"')
_CONTROL_ENTITY = re.compile(r"&#(\d+);")
_SIGNOFF = re.compile(r"\s*\bReuter\s*$")


def _unescape(s: str) -> str:
    # Numeric entities below 32 are wire control codes (&#3; ends a story): drop them.
    s = _CONTROL_ENTITY.sub(lambda m: "" if int(m.group(1)) < 32 else m.group(0), s)
    return html.unescape(s)


def reflow(body: str) -> list[str]:
    """Paragraphs of a hard-wrapped wire body: an indented line or one after a blank line starts a paragraph."""
    paras: list[list[str]] = []
    new_para = True
    for line in body.split("\n"):
        if not line.strip():
            new_para = True
            continue
        if new_para or line[:1].isspace():
            paras.append([])
        paras[-1].append(line.strip())
        new_para = False
    return [re.sub(r"\s+", " ", " ".join(p)).strip() for p in paras if p]


def _reuters_date(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        dt = datetime.strptime(raw.strip().split(".")[0], "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return None
    return dt.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


def parse_reuters_sgml(text: str, file_name: str = "") -> Iterator[Article]:
    """The stories of one SGML file that have a <BODY>, in file order."""
    for story in text.split("<REUTERS")[1:]:
        body_m = _TAG["BODY"].search(story)
        if not body_m:
            continue
        body = _SIGNOFF.sub("", _unescape(body_m.group(1)).rstrip())
        paras = reflow(body)
        if not paras:
            continue
        title_m, date_m, line_m = _TAG["TITLE"].search(story), _TAG["DATE"].search(story), _TAG["DATELINE"].search(story)
        dateline = re.sub(r"\s+", " ", _unescape(line_m.group(1))).strip() if line_m else ""
        if dateline:
            paras[0] = f"{dateline} {paras[0]}"
        title = re.sub(r"\s+", " ", _unescape(title_m.group(1))).strip() if title_m else ""
        newid = _NEWID.search(story[:300])
        yield Article(title=title, paragraphs=tuple(paras), source="Reuters",
                      published_at=_reuters_date(date_m.group(1) if date_m else None),
                      url=f"reuters21578:{file_name}#{newid.group(1)}" if newid else None)


def reuters_stories(root: Path) -> list[Article]:
    out: list[Article] = []
    for f in sorted(Path(root).glob("reut2-*.sgm")):
        out.extend(parse_reuters_sgml(f.read_text(encoding="latin-1"), f.name))
    return out


# ---------------------------------------------------------------- BBC
def bbc_articles(root: Path) -> list[Article]:
    """Every BBC article file as title (first line) and its paragraphs (blocks between blank lines)."""
    out: list[Article] = []
    for f in sorted(p for p in Path(root).rglob("*.txt") if p.name.upper() != "README.TXT"):
        lines = read_text(f).replace("\r\n", "\n").split("\n")
        title = lines[0].strip()
        blocks = re.split(r"\n\s*\n", "\n".join(lines[1:]))
        paras = tuple(re.sub(r"\s+", " ", b).strip() for b in blocks if b.strip())
        if title and paras:
            out.append(Article(title=title, paragraphs=paras, source="BBC News", url=f"bbc:{f.relative_to(root).as_posix()}"))
    return out


# ---------------------------------------------------------------- dumps and the cache
def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def write_jsonl(records: Iterable[dict], path: Path) -> int:
    """Write records one per line (atomically: a temp file renamed into place). Returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
            fh.write("\n")
            n += 1
    os.replace(tmp, path)
    return n


def _meta(folder: Path) -> Path:
    """Beside the input folder, not in it: the pipeline would read it as an input file."""
    return folder.with_name(folder.name + ".meta.json")


def _cached(folder: Path, params: dict) -> dict | None:
    meta = _meta(folder)
    if not meta.exists():
        return None
    try:
        got = json.loads(meta.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return got if got.get("params") == params else None


def _mark_done(folder: Path, params: dict, articles: int) -> dict:
    info = {"params": params, "articles": articles}
    _meta(folder).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info


def _ensure_ignored(data_dir: Path) -> None:
    """The cache never belongs in git: a .gitignore of its own."""
    data_dir.mkdir(parents=True, exist_ok=True)
    gi = data_dir / ".gitignore"
    if not gi.exists():
        gi.write_text("*\n", encoding="utf-8")


def build_reuters(sgml_root: Path, data_dir: Path) -> tuple[Path, int]:
    """The Reuters dump under data_dir/reuters/ (built on first use): (input folder, articles)."""
    _ensure_ignored(data_dir)
    folder = Path(data_dir) / "reuters"
    files = sorted(Path(sgml_root).glob("reut2-*.sgm"))
    params = {"generator": GENERATOR_VERSION, "files": [[f.name, f.stat().st_size] for f in files]}
    hit = _cached(folder, params)
    if hit and (folder / "reuters21578.jsonl").exists():
        return folder, hit["articles"]
    folder.mkdir(parents=True, exist_ok=True)
    _meta(folder).unlink(missing_ok=True)
    n = write_jsonl((a.record() for a in reuters_stories(sgml_root)), folder / "reuters21578.jsonl")
    _mark_done(folder, params, n)
    return folder, n


# ---------------------------------------------------------------- synthetic
def paragraph_pool(sources: list[Article]) -> tuple[list[str], list[int]]:
    """Paragraphs worth drawing (MIN_POOL_WORDS words or more) and the index of the source of each."""
    paras, owner = [], []
    for i, art in enumerate(sources):
        for p in art.paragraphs:
            if len(p.split()) >= MIN_POOL_WORDS:
                paras.append(p)
                owner.append(i)
    return paras, owner


def synthetic_records(sources: list[Article], n: int, seed: int, t0: datetime | None = None) -> Iterator[dict]:
    """n JSON-lines records, the same for the same sources, n and seed (streamed: memory does not grow with n)."""
    if not sources:
        raise ValueError("no source articles to build from")
    paras, owner = paragraph_pool(sources)
    if not paras:
        raise ValueError("no paragraphs long enough to draw from")
    rng = random.Random(seed)
    t0 = t0 or datetime(2026, 1, 1, tzinfo=timezone.utc)
    recent: list[dict] = []  # earlier synthetic articles copies are made of (a bounded window)
    window = 5000
    for i in range(n):
        when = (t0 + timedelta(seconds=30 * i)).isoformat().replace("+00:00", "Z")
        url = f"https://synthetic.example/story/{i:07d}"
        kind = rng.random()
        if recent and kind < EXACT_SHARE:
            orig = recent[rng.randrange(len(recent))]
            rec = {**orig, "url": url, "published_at": when, "source": "Synthetic Syndicate"}
        elif recent and kind < EXACT_SHARE + NEAR_SHARE:
            orig = recent[rng.randrange(len(recent))]
            body = rewrite(orig["text"].split("\n\n"), rng)
            rec = {"text": "\n\n".join(body), "title": orig["title"], "url": url, "published_at": when,
                   "source": "Synthetic Syndicate"}
        else:
            t = rng.randrange(len(sources))
            k = rng.randint(MIN_PARAGRAPHS, MAX_PARAGRAPHS)
            body: list[str] = []
            tries = 0
            while len(body) < k and tries < 10 * k:
                tries += 1
                j = rng.randrange(len(paras))
                if owner[j] != t or len(sources) == 1:
                    body.append(paras[j])
            rec = {"text": "\n\n".join(body), "title": sources[t].title, "url": url, "published_at": when,
                   "source": "Synthetic Wire"}
            if len(recent) < window:
                recent.append(rec)
            else:
                recent[rng.randrange(window)] = rec
        yield rec


def pool_fingerprint(sources: list[Article]) -> str:
    h = hashlib.blake2b(digest_size=8)
    for a in sources:
        h.update(a.title.encode("utf-8"))
        h.update(b"\x00")
        for p in a.paragraphs:
            h.update(p.encode("utf-8"))
            h.update(b"\x01")
    return h.hexdigest()


def build_synthetic(sources: list[Article], n: int, seed: int, data_dir: Path) -> tuple[Path, int]:
    """The synthetic dump under data_dir/synthetic-n<N>-s<seed>/ (built on first use): (input folder, articles)."""
    _ensure_ignored(data_dir)
    folder = Path(data_dir) / f"synthetic-n{n}-s{seed}"
    params = {"generator": GENERATOR_VERSION, "n": n, "seed": seed, "pool": pool_fingerprint(sources)}
    hit = _cached(folder, params)
    if hit and (folder / "synthetic.jsonl").exists():
        return folder, hit["articles"]
    folder.mkdir(parents=True, exist_ok=True)
    _meta(folder).unlink(missing_ok=True)
    count = write_jsonl(synthetic_records(sources, n, seed), folder / "synthetic.jsonl")
    _mark_done(folder, params, count)
    return folder, count


def link_or_copy(src: str, dst: str) -> None:
    """A hard link to src at dst, or a copy on another file system."""
    try:
        os.link(src, dst)
    except OSError:  # another file system: a copy
        shutil.copy2(src, dst)


def grown(base: Path, extra: Path, out: Path) -> Path:
    """out/: base's files (linked, not copied) and extra's JSON-lines dump as added.jsonl: the same
    articles, at the same paths, plus new ones."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for f in sorted(Path(base).iterdir()):
        if f.is_file():
            link_or_copy(str(f), str(out / f.name))
    link_or_copy(str(next(Path(extra).glob("*.jsonl"))), str(out / "added.jsonl"))
    return out


def shrunk(base: Path, removed: int, out: Path) -> tuple[Path, int]:
    """out/: base's JSON-lines dump without its last `removed` lines (the other articles keep their
    line numbers, so their ids): (folder, articles left)."""
    src = next(Path(base).glob("*.jsonl"))
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with open(src, "rb") as fh:
        total = sum(1 for _ in fh)
    left = max(total - removed, 0)
    with open(src, "rb") as fh, open(out / src.name, "wb") as dst:
        for i, line in enumerate(fh):
            if i >= left:
                break
            dst.write(line)
    return out, left
