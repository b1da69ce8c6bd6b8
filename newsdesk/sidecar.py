"""Metadata stated next to an input file rather than inside it.

Two forms, both optional:

- a sidecar `<file>.meta.json` beside the file (`story.html.meta.json` for
  `story.html`; for `story.html.gz`, either `story.html.gz.meta.json` or
  `story.html.meta.json`), a JSON object with any of url, outlet,
  published_at;
- one `manifest.csv` per folder, columns file, url, outlet, published_at
  (header row required, any column order, extra columns ignored), `file`
  being a name in that folder.

Both are tolerant: a broken sidecar or manifest gives {} (or the rows it could
read) and a warning string appended to the `warnings` list the caller passes,
never an exception. The meta comes back under the keys Decoded.meta uses:
url, outlet, published.

Sidecars and manifests are not articles: discovery skips them (is_sidecar).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

SIDECAR_SUFFIX = ".meta.json"
MANIFEST_NAME = "manifest.csv"
MAX_SIDECAR_BYTES = 1 << 20
MAX_MANIFEST_BYTES = 64 << 20

# input key -> Decoded.meta key; a few common spellings are accepted as well
_KEYS = {
    "url": "url", "link": "url", "canonical_url": "url",
    "outlet": "outlet", "source": "outlet", "publisher": "outlet", "site_name": "outlet", "sitename": "outlet",
    "published_at": "published", "published": "published", "date": "published", "pub_date": "published",
}


def is_sidecar(name: str) -> bool:
    """True for `*.meta.json` and `manifest.csv` (any case): metadata for other files, not input."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base.endswith(SIDECAR_SUFFIX) or base == MANIFEST_NAME


def sidecar_path(path: Path) -> Path | None:
    """The sidecar that exists for this input file, if any."""
    path = Path(path)
    candidates = [path.with_name(path.name + SIDECAR_SUFFIX)]
    if path.name.lower().endswith(".gz"):
        candidates.append(path.with_name(path.name[:-3] + SIDECAR_SUFFIX))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def sidecar_meta(path: Path, warnings: list[str] | None = None) -> dict | None:
    """Meta from the sidecar of the input file at path: None when there is none, {} when it is broken."""
    found = sidecar_path(path)
    if found is None:
        return None
    warn = warnings.append if warnings is not None else (lambda _msg: None)
    try:
        with open(found, "rb") as fh:
            raw = fh.read(MAX_SIDECAR_BYTES + 1)
    except OSError as err:
        warn(f"bad_sidecar: {found.name}: unreadable ({type(err).__name__}: {err.strerror or err})")
        return {}
    if len(raw) > MAX_SIDECAR_BYTES:
        warn(f"bad_sidecar: {found.name}: larger than {MAX_SIDECAR_BYTES} bytes")
        return {}
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        warn(f"bad_sidecar: {found.name}: not JSON ({str(err)[:120]})")
        return {}
    if not isinstance(data, dict):
        warn(f"bad_sidecar: {found.name}: must hold a JSON object")
        return {}
    return _meta(data, f"{found.name}", warn)


def folder_manifest(folder: Path, warnings: list[str] | None = None) -> dict[str, dict]:
    """{file name: meta} from folder/manifest.csv; {} when there is none or it cannot be read."""
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return {}
    warn = warnings.append if warnings is not None else (lambda _msg: None)
    where = path.name
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError as err:
        warn(f"bad_manifest: {where}: unreadable ({type(err).__name__}: {err.strerror or err})")
        return {}
    if len(raw) > MAX_MANIFEST_BYTES:
        warn(f"bad_manifest: {where}: larger than {MAX_MANIFEST_BYTES} bytes")
        return {}
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), _dialect(text)))
    except csv.Error as err:
        warn(f"bad_manifest: {where}: not CSV ({err})")
        return {}
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        warn(f"bad_manifest: {where}: empty")
        return {}
    header = [h.strip().lower() for h in rows[0]]
    if "file" not in header:
        warn(f"bad_manifest: {where}: no 'file' column in the header row")
        return {}
    out: dict[str, dict] = {}
    for number, row in enumerate(rows[1:], 2):
        record = dict(zip(header, (cell.strip() for cell in row)))
        name = _file_key(record.get("file", ""))
        if not name:
            warn(f"bad_manifest: {where} row {number}: no file name")
            continue
        if name in out:
            warn(f"bad_manifest: {where} row {number}: '{name}' listed again; the first row is kept")
            continue
        out[name] = _meta(record, f"{where} row {number}", warn)
    return out


def orphan_sidecar(path: Path) -> bool:
    """True for a `*.meta.json` whose input file is not there (worth a reject: nothing goes silently)."""
    path = Path(path)
    if not path.name.lower().endswith(SIDECAR_SUFFIX):
        return False
    target = path.with_name(path.name[: -len(SIDECAR_SUFFIX)])
    return not (target.exists() or target.with_name(target.name + ".gz").exists())


def stated_meta(path: Path) -> tuple[dict, list[str]]:
    """(meta, warnings) stated beside the input file at path: its sidecar, over its folder's manifest row.

    The manifest is read once per folder and kept while its size and mtime stay the same.
    """
    path = Path(path)
    warnings: list[str] = []
    side = sidecar_meta(path, warnings)
    rows, manifest_warnings = _cached_manifest(path.parent)
    row = rows.get(path.name)
    if row is None and path.name.lower().endswith(".gz"):
        row = rows.get(path.name[:-3])
    warnings += manifest_warnings  # a broken manifest concerns every file it might describe
    return merge_meta(side, row), warnings


_MANIFESTS: dict[Path, tuple[tuple[int, int], dict, list[str]]] = {}


def _cached_manifest(folder: Path) -> tuple[dict, list[str]]:
    path = folder / MANIFEST_NAME
    try:
        st = path.stat()
    except OSError:
        return {}, []
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _MANIFESTS.get(folder)
    if hit is None or hit[0] != stamp:
        warnings: list[str] = []
        rows = folder_manifest(folder, warnings)
        if len(_MANIFESTS) > 4096:
            _MANIFESTS.clear()
        _MANIFESTS[folder] = hit = (stamp, rows, warnings)
    return hit[1], hit[2]


def manifest_key(source_file: str) -> str:
    """The key a file has in its folder's manifest: its name, without any `#locator`."""
    return source_file.split("#", 1)[0].rsplit("/", 1)[-1]


def merge_meta(*layers: dict | None) -> dict:
    """First non-empty value of each key, earlier layers winning (None layers are skipped)."""
    out: dict = {}
    for layer in layers:
        for key, value in (layer or {}).items():
            if out.get(key) in (None, "") and value not in (None, ""):
                out[key] = value
    return out


def _meta(data: dict, where: str, warn) -> dict:
    out: dict = {}
    for key, value in data.items():
        target = _KEYS.get(str(key).strip().lower())
        if target is None or out.get(target):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and target == "published":
            value = str(value)  # e.g. a bare year
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            warn(f"bad_sidecar: {where}: '{key}' is not a string")
            continue
        value = " ".join(value.split())
        if value:
            out[target] = value
    return out


def _file_key(value: str) -> str:
    name = value.strip().replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


def _dialect(text: str):
    first = text.split("\n", 1)[0]
    if first.count(";") > first.count(",") and first.count(";") >= first.count("\t"):
        return _Semicolon
    if first.count("\t") > first.count(","):
        return csv.excel_tab
    return csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"
