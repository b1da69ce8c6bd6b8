"""Newline-delimited JSON dumps: one article per line, so a million articles is one file.

A large uncompressed dump is cut into byte ranges at line boundaries, so that
batches stay small and the ranges can be read independently. Each line
becomes its own document (`dump.jsonl#L17`) or its own reject.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from dataclasses import dataclass, field

SUFFIXES = {".jsonl", ".ndjson"}
# Small enough that a dump gives every worker several batches.
SPLIT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Fields:
    """Which JSON keys hold what; configurable per dump."""

    text: str = "text"
    title: str = "title"
    url: str = "url"
    published_at: str = "published_at"
    source: str = "source"

    @classmethod
    def from_dict(cls, values: dict | None) -> "Fields":
        return cls(**{k: v for k, v in (values or {}).items() if v})


@dataclass
class Line:
    locator: str  # '<source_file>#L<line number>'
    raw: bytes
    doc: dict | None = None
    error: tuple[str, str] | None = None  # (reason, detail)
    meta: dict = field(default_factory=dict)


def split_points(path: str, size: int, split_bytes: int | None = None) -> list[tuple[int, int, int]]:
    """(start, end, first line number) ranges cut at newlines, each about split_bytes long."""
    split_bytes = split_bytes or SPLIT_BYTES
    if size <= split_bytes:
        return [(0, size, 1)]
    out, start, line = [], 0, 1
    with open(path, "rb") as fh:
        while start < size:
            target = min(start + split_bytes, size)
            fh.seek(target)
            fh.readline()  # run on to the end of the line in progress
            end = min(fh.tell(), size) if target < size else size
            fh.seek(start)
            remaining, lines = end - start, 0
            while remaining > 0:
                chunk = fh.read(min(remaining, 1 << 24))
                if not chunk:
                    break
                lines += chunk.count(b"\n")
                remaining -= len(chunk)
            out.append((start, end, line))
            line += lines
            start = end
    return out


def _capped_lines(fh, max_line: int):
    """Lines of at most max_line + 1 bytes; the rest of an over-long line is skipped, not held."""
    while True:
        line = fh.readline(max_line + 1)
        if not line:
            return
        if len(line) > max_line and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield line, True
        else:
            yield line, False


def read_lines(path: str, source_file: str, start: int, end: int, first_line: int, gzipped: bool,
               max_line: int, fields: Fields) -> list[Line]:
    out: list[Line] = []
    number = first_line - 1
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as fh:
        if not gzipped and start:
            fh.seek(start)
        pos = start
        try:
            for raw, too_long in _capped_lines(fh, max_line):
                if not gzipped and pos >= end:
                    break
                pos += len(raw)
                number += 1
                loc = f"{source_file}#L{number}"
                if too_long:
                    out.append(Line(loc, b"", error=("too_large", f"line longer than {max_line} bytes")))
                    continue
                if not raw.strip():
                    continue  # blank lines separate nothing in NDJSON
                out.append(parse_line(loc, raw.rstrip(b"\r\n"), fields))
        except (OSError, EOFError, zlib.error) as err:
            out.append(Line(f"{source_file}#L{number + 1}", b"", error=("corrupt_gzip", f"{type(err).__name__}: {err}")))
    return out


def parse_line(locator: str, raw: bytes, fields: Fields) -> Line:
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return Line(locator, raw, error=("bad_json", str(err)[:200]))
    if not isinstance(doc, dict):
        return Line(locator, raw, error=("bad_json", "a line must hold a JSON object"))
    text = doc.get(fields.text)
    if not isinstance(text, str) or not text.strip():
        return Line(locator, raw, error=("missing_text", f"no non-empty string in field '{fields.text}'"))
    title = doc.get(fields.title)
    body = f"{title.strip()}\n\n{text}" if isinstance(title, str) and title.strip() else text
    meta = {
        "url": _str(doc.get(fields.url)),
        "published": _str(doc.get(fields.published_at)),
        "outlet": _str(doc.get(fields.source)),
    }
    return Line(locator, raw, doc={"text": body}, meta=meta)


def _str(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else (str(value) if value is not None else None)


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def is_jsonl(source_file: str) -> tuple[bool, bool]:
    """(is a JSON-lines dump, is gzipped)."""
    name = source_file.lower()
    gz = name.endswith(".gz")
    stem = name[:-3] if gz else name
    return os.path.splitext(stem)[1] in SUFFIXES, gz
