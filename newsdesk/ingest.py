"""Ingest: find input files, read their bytes, decode them, hash them.

Every file found ends up either as a decoded document or as a reject with a
reason: nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import os
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk import jsonl, readers_html, readers_json, sidecar

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class FileRef:
    path: str  # absolute path as found
    source_file: str  # relative to the input folder, '/'-separated
    size: int = 0  # bytes on disk when found (batches are sized by it)
    start: int = 0  # for a slice of a JSON-lines dump: byte range and first line number
    end: int = -1
    first_line: int = 1


@dataclass
class Decoded:
    source_file: str
    raw: bytes
    content_hash: str
    text: str
    encoding: str
    flags: list[str]
    meta: dict = field(default_factory=dict)  # url, published, outlet when the input states them
    # What a sidecar or manifest said about the file (meta, and the kinds of warning it raised): not in the
    # file's bytes, yet it decides the article's row, so it is part of the article's identity (article_id).
    stated: dict = field(default_factory=dict)


@dataclass
class Reject:
    source_file: str
    reason: str
    detail: str


def discover(input_dir: str | os.PathLike) -> tuple[list[FileRef], list[Reject]]:
    """Every regular file below input_dir (sorted), and rejects for what cannot be walked."""
    root = Path(input_dir)
    if not root.is_dir():
        raise NotADirectoryError(f"input folder not found: {root}")
    refs: list[FileRef] = []
    rejects: list[Reject] = []
    seen_dirs: set[tuple[int, int]] = set()

    def onerror(err: OSError) -> None:
        name = Path(err.filename).relative_to(root).as_posix() if err.filename else "?"
        rejects.append(Reject(name, "unreadable", f"{type(err).__name__}: {err.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=True):
        try:
            st = os.stat(dirpath)
            key = (st.st_dev, st.st_ino)
        except OSError:
            continue
        if key in seen_dirs:  # a symlink loop or a second link to one folder
            dirnames[:] = []
            rel = Path(dirpath).relative_to(root).as_posix()
            rejects.append(Reject(rel, "symlink_loop", "folder already visited through another link"))
            continue
        seen_dirs.add(key)
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            if sidecar.is_sidecar(name):  # metadata for other files, read with them
                if sidecar.orphan_sidecar(full):
                    rejects.append(Reject(rel, "orphan_sidecar", "no input file beside this .meta.json"))
                continue
            try:
                size = os.stat(full).st_size
            except OSError:
                size = 0  # read_file will say why
            is_dump, gzipped = jsonl.is_jsonl(rel)
            if is_dump and not gzipped and size > jsonl.SPLIT_BYTES:
                for start, end, line in jsonl.split_points(str(full), size):
                    refs.append(FileRef(str(full), rel, end - start, start, end, line))
                continue
            refs.append(FileRef(str(full), rel, size))
    refs.sort(key=lambda r: (r.source_file, r.start))
    return refs, rejects


def sniff_decode(raw: bytes) -> tuple[str, str, list[str]] | None:
    """Decode bytes as text: BOMs first, then strict UTF-8, then cp1252 (flagged).

    Returns (text, encoding, flags), or None for binary content.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return raw.decode("utf-16", errors="replace"), "utf-16", []
    enc = utf16_without_bom(raw)
    if enc:
        return raw.decode(enc, errors="replace"), enc, ["utf16_no_bom"]
    if _is_binary(raw):
        return None
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; map those through Latin-1 so nothing is lost.
    text = raw.decode("cp1252", errors="replace")
    if "\ufffd" in text:
        text = "".join(
            ch if ch != "\ufffd" else bytes([b]).decode("latin-1") for ch, b in zip(text, raw)
        )
    return text, "cp1252", ["decoded_cp1252"]


def utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when BOM-less bytes look like UTF-16 (mostly-Latin text: a NUL in every
    other byte), else None. Shared with the HTML reader, whose pages can be saved that way too."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zero > 0.4 * half and even_zero < 0.05 * half:
        return "utf-16-le"
    if even_zero > 0.4 * half and odd_zero < 0.05 * half:
        return "utf-16-be"
    return None


_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"\x7fELF", b"MZ", b"PK\x03\x04", b"\x1f\x8b")


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _is_binary(raw: bytes) -> bool:
    """Known binary signatures, or many control bytes; a few stray NULs in text are not binary."""
    if raw.startswith(_MAGIC):
        return True
    sample = raw[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bool(sample) and controls / len(sample) > 0.05


def _inner_suffix(source_file: str) -> tuple[str, bool]:
    """The suffix that names the content type, and whether the file is gzipped."""
    path = Path(source_file)
    if path.suffix.lower() == ".gz":
        return Path(path.stem).suffix.lower(), True
    return path.suffix.lower(), False


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress at most max_bytes + 1 bytes, so a gzip bomb costs no more than the limit."""
    out = bytearray()
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        while len(out) <= max_bytes:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            out += chunk
    return bytes(out)


def read_file(ref: FileRef, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded | Reject:
    """Read and decode one file; any failure becomes a Reject with a reason."""
    suffix, gzipped = _inner_suffix(ref.source_file)
    if suffix not in TEXT_SUFFIXES | readers_html.HTML_SUFFIXES | readers_json.JSON_SUFFIXES:
        return Reject(ref.source_file, "unsupported_type", f"no reader for '{suffix}' files")
    try:
        try:
            st = os.stat(ref.path)
        except FileNotFoundError:
            if os.path.islink(ref.path):
                return Reject(ref.source_file, "broken_link", f"symbolic link to missing {os.readlink(ref.path)}")
            raise
        if not stat.S_ISREG(st.st_mode):
            return Reject(ref.source_file, "not_a_file", "not a regular file")
        if st.st_size > max_bytes:
            return Reject(ref.source_file, "too_large", f"{st.st_size} bytes > limit {max_bytes}")
        with open(ref.path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return Reject(ref.source_file, "vanished", "file disappeared before it could be read")
    except OSError as err:
        return Reject(ref.source_file, "unreadable", f"{type(err).__name__}: {err.strerror or err}")
    if len(raw) > max_bytes:
        return Reject(ref.source_file, "too_large", f"more than {max_bytes} bytes")
    if gzipped:
        try:
            raw = _gunzip(raw, max_bytes)
        except (OSError, EOFError, zlib.error) as err:
            return Reject(ref.source_file, "corrupt_gzip", f"{type(err).__name__}: {err}")
        if len(raw) > max_bytes:
            return Reject(ref.source_file, "too_large", f"decompresses to more than {max_bytes} bytes")
    if not raw.strip():
        return Reject(ref.source_file, "empty", "file is empty or white space only")
    decoded = sniff_decode(raw)
    if decoded is None:
        return Reject(ref.source_file, "binary", "content is not text")
    text, encoding, flags = decoded
    if not text.strip():
        return Reject(ref.source_file, "empty", "no text after decoding")
    if "\x00" in text:
        flags = [*flags, "nul_bytes_removed"]
    return Decoded(ref.source_file, raw, hashlib.sha256(raw).hexdigest(), text, encoding, flags)


def read_ref(ref: FileRef, max_bytes: int = DEFAULT_MAX_BYTES, fields: jsonl.Fields | None = None) -> list[Decoded | Reject]:
    """Documents from one input: a text or HTML file gives one, a JSON file or JSON-lines dump (or a slice) many."""
    docs = _read_ref(ref, max_bytes, fields)
    stated, warnings = sidecar.stated_meta(Path(ref.path))
    if stated or warnings:
        many = len(docs) > 1 or any("#" in d.source_file for d in docs)  # an item's own fields beat its file's sidecar
        flags = sorted({w.split(":", 1)[0] for w in warnings})
        identity = {**stated, **({"warnings": flags} if flags else {})}
        for d in docs:
            if isinstance(d, Decoded):
                d.meta = sidecar.merge_meta(d.meta, stated) if many else sidecar.merge_meta(stated, d.meta)
                d.flags = [*d.flags, *flags]
                d.stated = identity
    return docs


def _read_ref(ref: FileRef, max_bytes: int, fields: jsonl.Fields | None) -> list[Decoded | Reject]:
    suffix, _ = _inner_suffix(ref.source_file)
    if suffix in readers_html.HTML_SUFFIXES or suffix in readers_json.JSON_SUFFIXES:
        got = read_file(ref, max_bytes)  # reads, gunzips, rejects what is missing, empty, binary or too large
        if isinstance(got, Reject):
            return [got]
        if suffix in readers_json.JSON_SUFFIXES:
            return _from_lines(readers_json.json_documents(got.raw, fields or jsonl.Fields(), ref.source_file))
        try:
            text, meta = readers_html.html_document(got.raw)
        except ValueError as err:
            return [Reject(ref.source_file, "no_main_text", str(err))]
        encoding, flags = meta.pop("encoding"), meta.pop("flags")
        return [Decoded(ref.source_file, got.raw, got.content_hash, text, encoding, flags, meta)]
    is_dump, gzipped = jsonl.is_jsonl(ref.source_file)
    if not is_dump:
        return [read_file(ref, max_bytes)]
    if not os.path.isfile(ref.path):
        return [read_file(ref, max_bytes)]  # vanished, broken link, pipe: the same reasons as any file
    end = ref.end if ref.end >= 0 else (1 << 62)
    try:
        lines = jsonl.read_lines(ref.path, ref.source_file, ref.start, end, ref.first_line, gzipped, max_bytes,
                                 fields or jsonl.Fields())
    except OSError as err:
        return [Reject(ref.source_file, "unreadable", f"{type(err).__name__}: {err.strerror or err}")]
    out = _from_lines(lines)
    if not out and ref.start == 0:
        out.append(Reject(ref.source_file, "empty", "no JSON lines"))
    return out


def _from_lines(lines: list[jsonl.Line]) -> list[Decoded | Reject]:
    out: list[Decoded | Reject] = []
    for line in lines:
        if line.error:
            out.append(Reject(line.locator, *line.error))
        else:
            text = line.doc["text"]
            flags = ["nul_bytes_removed"] if "\x00" in text else []
            out.append(Decoded(line.locator, line.raw, jsonl.content_hash(line.raw), text, "utf-8", flags, line.meta))
    return out


def article_id(source_file: str, content_hash: str, stated: dict | None = None) -> str:
    """Stable id of this content at this path: same file, same id, run after run.

    stated is what a sidecar or manifest says about the file (Decoded.stated). Incremental runs reuse an
    article whose id is already published, so an edited sidecar has to give a new id; a file without one
    keeps the id it always had.
    """
    key = f"{source_file}\x00{content_hash}"
    if stated:
        key += "\x00" + json.dumps(stated, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
