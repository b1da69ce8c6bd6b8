"""JSON files (`.json`): one article object, or an array of them.

The keys are the same configurable ones as JSON-lines dumps (jsonl.Fields),
and each object goes through jsonl.parse_line, so a `.json` article and a
`.jsonl` line with the same fields give the same text and meta. The results
are jsonl.Line values, which ingest.read_ref already turns into Decoded
documents or Rejects:

- one object: one Line, locator `<source_file>`, raw = the file's bytes;
- an array: one Line per item, locator `<source_file>#0`, `#1`, ...; raw = the
  item as canonical JSON (sorted keys, UTF-8), so the same item hashes the same
  wherever it sits in the array;
- JSON lines saved as `.json` (objects one per line): one Line per line,
  locator `<source_file>#L<n>`, as for a `.jsonl` dump;
- a file that is not JSON, a top-level scalar, or an empty array: one Line
  with an error, locator `<source_file>`.
"""

from __future__ import annotations

import codecs
import json

from newsdesk import jsonl

JSON_SUFFIXES = {".json"}


def json_documents(raw: bytes, fields: jsonl.Fields | None = None, source_file: str = "") -> list[jsonl.Line]:
    """Articles of one JSON file; every item is a document or carries (reason, detail) in .error."""
    fields = fields or jsonl.Fields()
    try:
        data = _load(raw)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" and raw.lstrip().startswith(b"{"):
            return _as_lines(raw, fields, source_file)  # JSON lines saved under a .json name
        return [jsonl.Line(source_file, raw, error=("bad_json", str(err)[:200]))]
    except UnicodeDecodeError as err:
        return [jsonl.Line(source_file, raw, error=("bad_json", str(err)[:200]))]
    except RecursionError:
        return [jsonl.Line(source_file, raw, error=("bad_json", "nested too deeply"))]
    if isinstance(data, dict):
        line = jsonl.parse_line(source_file, _canonical(data), fields)
        line.raw = raw
        return [line]
    if not isinstance(data, list):
        return [jsonl.Line(source_file, raw, error=("bad_json", "a .json file must hold an object or an array of objects"))]
    if not data:
        return [jsonl.Line(source_file, raw, error=("empty", "the JSON array is empty"))]
    out = []
    for i, item in enumerate(data):
        locator = f"{source_file}#{i}"
        if not isinstance(item, dict):
            out.append(jsonl.Line(locator, _canonical(item), error=("bad_json", "an array item must be a JSON object")))
            continue
        out.append(jsonl.parse_line(locator, _canonical(item), fields))
    return out


def _as_lines(raw: bytes, fields: jsonl.Fields, source_file: str) -> list[jsonl.Line]:
    """One object per line, as in a .jsonl dump, with the same `#L<n>` locators."""
    return [jsonl.parse_line(f"{source_file}#L{n}", line.rstrip(b"\r"), fields)
            for n, line in enumerate(raw.split(b"\n"), 1) if line.strip()]


def _load(raw: bytes):
    """json.loads, which reads UTF-8/16/32 with or without BOM; bytes that are none of those are cp1252."""
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
            raise
        return json.loads(raw.decode("cp1252", errors="replace"))


def _canonical(value) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800"): keep it escaped, as the input had it
        return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode("ascii")
