"""HTML pages: the article's main text and its stated metadata, via trafilatura.

Pure functions on bytes: nothing is fetched, nothing is written. The page is
decoded here (BOM, then UTF-16 recognised without one, then the charset the page
declares, then strict UTF-8, then cp1252), so trafilatura never has to guess an
encoding.

The text has the newsdesk shape: the title on line 1, a blank line, then the
body, one paragraph per line with blank lines between them. Navigation, share
buttons, cookie banners, related links, comments, captions and footers are
left out by trafilatura.
"""

from __future__ import annotations

import codecs
import re

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
# A body needs at least one line this long: menus and link lists have none.
MIN_SENTENCE_WORDS = 6

# Sites that state a date usually state it in a meta tag or JSON-LD; guessing
# one from the running text (htmldate's extensive search) finds wrong dates.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}

_CHARSET_RES = (
    re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I),
    re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.I),
)
# Browsers read these labels as windows-1252 (WHATWG encoding standard), and so do we.
_AS_CP1252 = {"iso8859-1", "latin-1", "iso8859-15", "ascii", "cp1252"}


def declared_charset(raw: bytes) -> str | None:
    """The codec name the page declares in its first 4 KB, or None (unknown labels count as none)."""
    head = raw[:4096]
    for pattern in _CHARSET_RES:
        m = pattern.search(head)
        if not m:
            continue
        try:
            name = codecs.lookup(m.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            continue
        if name in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            return None  # a page that could be read this far as ASCII is not UTF-16, whatever it says
        return "cp1252" if name in _AS_CP1252 else name
    return None


def decode_html(raw: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, flags). BOM, BOM-less UTF-16, declared charset, UTF-8, then cp1252; never raises."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(enc, errors="replace"), enc, []
    from newsdesk.ingest import utf16_without_bom  # here: ingest imports this module

    utf16 = utf16_without_bom(raw)  # before the charset: a UTF-16 page's <meta> cannot be read as ASCII
    if utf16:
        return raw.decode(utf16, errors="replace"), utf16, ["utf16_no_bom"]
    declared = declared_charset(raw)
    flags: list[str] = []
    if declared:
        try:
            return raw.decode(declared), declared, []
        except UnicodeDecodeError:
            flags.append("charset_mismatch")  # declared one thing, holds another: sniff instead
    try:
        return raw.decode("utf-8"), "utf-8", flags
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    if "\ufffd" in text:  # the five bytes cp1252 leaves undefined: keep them as Latin-1
        text = "".join(ch if ch != "\ufffd" else bytes([b]).decode("latin-1") for ch, b in zip(text, raw))
    return text, "cp1252", [*flags, "decoded_cp1252"]


# <?xml ... encoding="..."?> in a str makes lxml refuse to parse it.
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")


def html_document(raw: bytes) -> tuple[str, dict]:
    """(text, meta) of one HTML page; ValueError when the page has no main text.

    text: title, blank line, then the body paragraphs separated by blank lines.
    meta: title, byline, published (YYYY-MM-DD), outlet, url (None when the
    page does not say), plus encoding and flags, which are about the file rather
    than the article: pop them into Decoded.encoding and Decoded.flags.
    """
    import trafilatura  # imported here: a run without HTML files never pays for loading it

    html, encoding, flags = decode_html(raw)
    html = _XML_DECL.sub("", html.replace("\x00", ""), count=1)
    if not html.strip():
        raise ValueError("no main text: the page is empty")
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as err:  # a parser crash on one odd page must not stop the run
        raise ValueError(f"no main text: extraction failed ({type(err).__name__}: {str(err)[:120]})") from err
    body = _paragraphs(getattr(doc, "text", None) or "") if doc is not None else []
    title = _one_line(doc.title) if doc is not None else None
    if body and (_same(body[0], title) or _is_h1(doc, body[0])):
        # the headline, inside <article>, comes out as the first body line too; when it differs from the
        # stated title (og:title, JSON-LD), the headline the reader sees wins
        title, body = body[0], body[1:]
    if not any(len(line.split()) >= MIN_SENTENCE_WORDS for line in body):
        # trafilatura's fallbacks return link text on pages without an article ("Home News"): not a body
        raise ValueError("no main text: trafilatura found no article body in the page")
    text = "\n\n".join([title, *body] if title else body)
    meta = {
        "title": title,
        "byline": _one_line(doc.author),
        "published": _one_line(doc.date),
        "outlet": _one_line(doc.sitename),
        "url": _one_line(doc.url),
        "encoding": encoding,
        "flags": flags,
    }
    return text, meta


def _paragraphs(text: str) -> list[str]:
    return [line for line in (" ".join(part.split()) for part in text.split("\n")) if line]


def _one_line(value) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _same(a: str, b: str | None) -> bool:
    return b is not None and a.casefold().strip(" .") == b.casefold().strip(" .")


def _is_h1(doc, line: str) -> bool:
    """Whether line is the text of an <h1> that opens the extracted body."""
    first = next(iter(getattr(doc, "body", None) if getattr(doc, "body", None) is not None else ()), None)
    if first is None or first.tag != "head" or first.get("rend") != "h1":
        return False
    return " ".join("".join(first.itertext()).split()) == line
