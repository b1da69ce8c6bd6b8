"""JSON files (`.json`): one article object, or an array of them (bare or wrapped in an object).

The keys are the same configurable ones as JSON-lines dumps (jsonl.Fields),
and each object goes through jsonl.parse_line, so a `.json` article and a
`.jsonl` line with the same fields give the same text and meta. The results
are jsonl.Line values, which ingest.read_ref already turns into Decoded
documents or Rejects:

- one object: one Line, locator `<source_file>`, raw = the file's bytes;
- an object without the text field that wraps the array under a common key
  (`{"articles": [...]}`, also data, items, results, documents, stories,
  posts, nested a few levels: `{"data": {"items": [...]}}`): as the array;
- an array: one Line per item, locator `<source_file>#0`, `#1`, ...; raw = the
  item as canonical JSON (sorted keys, UTF-8), so the same item hashes the same
  wherever it sits in the array;
- JSON lines saved as `.json` (objects one per line): one Line per line,
  locator `<source_file>#L<n>`, as for a `.jsonl` dump;
- a file that is not JSON, a top-level scalar, an empty array, or an object
  with neither the text field nor a wrapped list: one Line with an error,
  locator `<source_file>`.
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
    where = "the JSON array"
    if isinstance(data, dict):
        wrapped = _unwrap(data, fields)
        if wrapped is None:
            line = jsonl.parse_line(source_file, _canonical(data), fields)
            line.raw = raw
            if line.error and line.error[0] == "missing_text":
                line.error = ("missing_text", f"{line.error[1]}, and no list of articles under any of "
                                              f"{', '.join(WRAPPER_KEYS)}")
            return [line]
        path, data = wrapped
        where = f"the JSON array under '{path}'"
    if not isinstance(data, list):
        return [jsonl.Line(source_file, raw, error=("bad_json", "a .json file must hold an object or an array of objects"))]
    if not data:
        return [jsonl.Line(source_file, raw, error=("empty", f"{where} is empty"))]
    out = []
    for i, item in enumerate(data):
        locator = f"{source_file}#{i}"
        if not isinstance(item, dict):
            out.append(jsonl.Line(locator, _canonical(item), error=("bad_json", "an array item must be a JSON object")))
            continue
        out.append(jsonl.parse_line(locator, _canonical(item), fields))
    return out


# Keys APIs and exporters wrap their list of articles in ({"articles": [...]}, {"data": {"items": [...]}}).
WRAPPER_KEYS = ("articles", "data", "items", "results", "documents", "stories", "posts")
_MAX_WRAPPING = 3


def _unwrap(obj: dict, fields: jsonl.Fields, depth: int = 0) -> tuple[str, list] | None:
    """('key' or 'key.key', the list) when obj is no article itself but wraps a list of them, else None.

    An object with the text field is an article, whatever else it holds. Wrapper keys are tried in
    WRAPPER_KEYS order (any case), a wrapped object (`{"data": {"items": [...]}}`) a few levels down; a
    list that holds objects beats one that holds none (`{"data": [1, 2], "items": [{...}]}`).
    """
    if fields.text in obj or depth >= _MAX_WRAPPING:
        return None
    by_name: dict[str, tuple] = {}
    for key, value in obj.items():
        by_name.setdefault(str(key).lower(), (key, value))
    found = []
    for name in WRAPPER_KEYS:
        key, value = by_name.get(name, (None, None))
        if isinstance(value, dict):
            inner = _unwrap(value, fields, depth + 1)
            if inner is not None:
                found.append((f"{key}.{inner[0]}", inner[1]))
        elif isinstance(value, list):
            found.append((str(key), value))
    return next((f for f in found if any(isinstance(item, dict) for item in f[1])), found[0] if found else None)


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
