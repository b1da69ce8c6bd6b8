"""Cleaning: mojibake repaired, NFC, white space folded, paragraphs and curly quotes kept."""

from __future__ import annotations

import unicodedata

import pytest

from newsdesk.clean import clean_text, clean_text_flagged


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ukraineâ€™s forces", "Ukraine’s forces"),  # UTF-8 read as cp1252
        ("â€œNo cardsâ€\x9d, he said", "“No cards”, he said"),
        ("“Curly” and ‘single’ stay", "“Curly” and ‘single’ stay"),
        ("e\u0301te\u0301", "été"),  # NFC
        ("See also\u00a0 Russia", "See also Russia"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("  padded line  \n\n\n\n next ", "padded line\n\nnext"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_repair_is_flagged_only_when_ftfy_changed_something():
    assert clean_text_flagged("Ukraineâ€™s")[1] is True
    assert clean_text_flagged("Ukraine’s")[1] is False
    assert clean_text_flagged("plain ascii")[1] is False


def test_paragraph_lines_survive():
    raw = "Title\n\nFirst para.\nSecond para.\n\n\nThird."
    assert clean_text(raw).split("\n") == ["Title", "", "First para.", "Second para.", "", "Third."]


def test_output_is_nfc():
    out = clean_text("Zoe\u0308 and Ame\u0301lie")
    assert out == unicodedata.normalize("NFC", out)


# ------------------------------------------------------------- offset map --

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsdesk.clean import OffsetMap, byte_offset, clean_with_map  # noqa: E402

# Mojibake pieces and what they repair to (UTF-8 read as cp1252 / Latin-1).
MOJIBAKE = {"â€™": "’", "â€œ": "“", "â€\x9d": "”", "Ã©": "é", "â€”": "—", "Â£": "£", "Ã¼": "ü"}
WORDS = ["Ukraine", "said", "the", "5%", "£1.6bn", "café", "e\u0301te\u0301", "Zoe\u0308", "“quoted”", "’s", "ﬁne", "a"]
SEPARATORS = [" ", "  ", "   ", "\t", "\u00a0", "\u00a0 ", "\u2009", "\u200b", "\ufeff", "\x00", "\n", "\r\n", "\r",
              "\n\n", "\n\n\n\n", "\r\n\r\n\r\n", " \n ", "\n  \n"]
_pieces = st.one_of(st.sampled_from(WORDS), st.sampled_from(list(MOJIBAKE)), st.sampled_from(SEPARATORS),
                    st.text(alphabet="abcXYZ .,é—\u00a0\u200b\n", max_size=6))
raw_texts = st.lists(_pieces, max_size=40).map("".join)


def _redecoded(piece: str) -> str:
    """piece read back as the UTF-8 it was mis-decoded from (what ftfy undoes), or ''."""
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    for enc in ("sloppy-windows-1252", "latin-1"):
        try:
            return unicodedata.normalize("NFC", piece.encode(enc).decode("utf-8", errors="ignore"))
        except UnicodeEncodeError:
            continue
    return ""


def _region(omap: OffsetMap, raw: str, i: int) -> str:
    """The raw text between the anchors around clean offset i.

    Several clean characters can share one raw anchor (ftfy decoded a run of mojibake sequences as one:
    'é\xa0—Ã©' gives '頗é', both at raw 0); the region then runs to the next anchor further on in raw.
    """
    from bisect import bisect_right

    k = bisect_right(omap.clean_pos, i) - 1
    start = omap.raw_pos[k]
    end = next((r for r in omap.raw_pos[k + 1:] if r > start), len(raw))
    return raw[start:end]


def _region_fix(omap: OffsetMap, raw: str, i: int) -> str:
    """A repair that ftfy made as a whole (several raw characters decoded
    together) maps to the start of its raw region: check c against that region."""
    region = _region(omap, raw, i)
    return clean_text(region) + _redecoded(region)


def _check_map(raw: str) -> None:
    clean, flagged, omap = clean_with_map(raw)
    assert (clean, flagged) == clean_text_flagged(raw)
    prev = -1
    for i, c in enumerate(clean):
        r = omap.to_raw(i)
        assert 0 <= r < len(raw) and r >= prev  # inside raw, never going back (a ligature gives two)
        prev = r
        end = omap.to_raw(i + 1)
        piece = raw[r:max(end, r + 1)]
        if c.isspace():  # a replaced (folded) white space comes from white space
            assert raw[r].isspace() or raw[r] in "\u200b\ufeff\x00", (i, c, piece)
        elif c != raw[r]:  # else the same character, an NFC composition or a repaired sequence
            explained = (
                c in unicodedata.normalize("NFC", piece)
                or c in clean_text(piece)
                or any(c in fixed for bad, fixed in MOJIBAKE.items() if piece.startswith(bad))
                or c in unicodedata.normalize("NFKC", raw[r])
                or c in _redecoded(piece)
                or c in _region_fix(omap, raw, i)
            )
            # ftfy sometimes decodes several mojibake sequences as one (in
            # context): then the char maps to the start of that non-ASCII raw
            # region, and only the region is checked.
            assert explained or (flagged and not c.isascii() and not _region(omap, raw, i).isascii()), (i, c, piece)
    assert omap.to_raw(len(clean)) == len(raw)


# derandomize: the same 400 texts on every run, so CI fails for a change, not for a new draw. Random
# draws found the two gaps pinned below; hunt for more with `--hypothesis-seed=N` and no derandomize.
@settings(max_examples=400, deadline=None, derandomize=True)
@given(raw_texts)
def test_offset_map_property(raw: str) -> None:
    _check_map(raw)


@pytest.mark.xfail(strict=True, reason="known gap: when ftfy repairs a sequence only in the context of the "
                   "whole text ('é\xa0’' is fixed to '頒' because 'Ã©' comes later), _align cannot find the "
                   "edit in its window and its anchors put the following clean characters back at raw 1")
def test_offset_map_of_a_repair_made_only_in_context() -> None:
    _check_map("Xé\xa0’sÃ©")


@pytest.mark.parametrize(
    "raw",
    [
        "a\r\nb  c\t\td\u200be",
        "  x  \n\n\n\n y ",
        "Ukraineâ€™s â€œNoâ€\x9d cafÃ© e\u0301te\u0301\u00a0 z",
        "â€™â€™x",
        "\ufeffHi\n\n",
        "plain ascii text\n\nsecond paragraph",
        "é\xa0—Ã©",  # two mojibake sequences decoded as one: two clean characters at one raw anchor
    ],
)
def test_offset_map_examples(raw: str) -> None:
    _check_map(raw)


def test_offset_map_finds_quote_in_raw_bytes() -> None:
    raw = "Title\r\n\r\n\r\nâ€œWe are ready,â€\x9d\u00a0 she  said of the Â£5bn plan.\r\n"
    clean, _, omap = clean_with_map(raw)
    s = clean.index("We are ready")
    e = s + len("We are ready")
    rs, re_ = omap.span_to_raw(s, e)
    assert raw[rs:re_] == "We are ready"
    f = clean.index("£5bn")
    rs, re_ = omap.span_to_raw(f, f + 4)
    assert raw[rs:re_].endswith("£5bn") and rs >= raw.index("Â£5bn")  # inside the repaired sequence
    data = raw.encode("utf-8")
    b = byte_offset(raw, omap.to_raw(s))
    assert data[b:b + 12] == b"We are ready"


def test_offset_map_is_compact_for_clean_text() -> None:
    raw = "Title\n\nA plain paragraph.\n\nAnother one."
    clean, _, omap = clean_with_map(raw)
    assert clean == raw and omap.anchors() == [(0, 0)]
    again = OffsetMap.from_anchors(omap.anchors(), len(clean), len(raw))
    assert again.to_raw(7) == 7


def test_offset_map_is_linear() -> None:
    import time

    unit = "Ukraineâ€™s  forces\u00a0said\r\n\r\n\r\ncafÃ© e\u0301te\u0301 \u200b“ok”.\n"
    timings = []
    for n in (200, 1600):
        raw = unit * n
        t0 = time.perf_counter()
        clean_with_map(raw)
        timings.append(time.perf_counter() - t0)
    assert timings[1] < 8 * 4 * max(timings[0], 1e-4)  # 8x the text: far from 64x


# ------------------------------------------------------------ fast paths --
#
# ftfy runs only on the lines that need it (_ftfy, _ftfy_keeps) and each
# cleaning step runs only when a cheap test says its pattern can match
# (_STEPS). Both must give exactly what the direct ways give.

import ftfy  # noqa: E402

from newsdesk import clean as _clean  # noqa: E402

_FTFY_ALPHABET = st.sampled_from(
    [*"abcXYZ 019.,'\"-\t", "the ", "said ", "\n", "\r\n", "\r", "\x1b[31m", "\x00", "\x0b", "\x0c", "\x85",
     "\u2028", "\ufeff", "\u200b", "ﬁ", "Ｌ", "\u3000", "e\u0301", "’", "“", "”", "—", "–", "…", "£", "€", "©",
     "®", "°", "±", "½", "×", "é", "ü", "ß", "ñ", "Ø", "Ù", "Ã", "Â", "â", "€", "™", "œ", "Œ", "√", "≈", "‚", "Ä",
     "Г", "ў", "В", "Ђ", "β", "Β", "ā", "¢", "¥", "¬", "¦", "¨", "\x9d", "\x80", "ð", "Ÿ", "µ", "²",
     *MOJIBAKE]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_FTFY_ALPHABET, max_size=30).map("".join))
def test_ftfy_by_lines_is_ftfy(text: str) -> None:
    assert _clean._ftfy(text) == ftfy.fix_text(text, _clean._FTFY)


@settings(max_examples=500, deadline=None)
@given(st.lists(_FTFY_ALPHABET, max_size=12).map("".join))
@example("\nÃ")  # "ab \nÃ cd": ftfy fixes "Ã cd" as a line of its own; once taken for kept
def test_ftfy_keeps_only_what_ftfy_keeps(line: str) -> None:
    for piece in (line, line + "\n", f"ab {line} cd"):
        if _clean._ftfy_keeps(piece):
            assert ftfy.fix_text(piece, _clean._FTFY) == piece


def test_ftfy_shortcut_is_set_up() -> None:
    # the shortcut checks the installed ftfy; with the pinned one it must be on
    assert _clean._FTFY_SHORTCUT is not None
    assert _clean._ftfy_keeps("It cost £5 – “cheap”, she said.\n")
    assert not _clean._ftfy_keeps("Ukraineâ€™s forces\n")


_STEP_ALPHABET = st.sampled_from(
    [*"ab. ", "  ", "\n", "\n\n\n", " \n", "\n ", "\t", "\x00", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "\x85",
     "\u2028", "\u2029", "\u00a0", "\u200b", "\ufeff", "\u3000", "é"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_STEP_ALPHABET, max_size=30).map("".join))
def test_step_prechecks_never_miss_a_match(text: str) -> None:
    assert _clean._edge_newline_spans(text) == [m.span() for m in _clean._EDGE_NEWLINES.finditer(text)]
    ascii_ = text.isascii()
    for pattern, repl, may_match, _ in _clean._STEPS:  # in order, as clean_with_map runs them
        if pattern.search(text) is not None:
            assert may_match(text, ascii_), (pattern.pattern, text)
        text = pattern.sub(repl, text)


def test_clean_batch_anchors_and_flags(tmp_path) -> None:
    import polars as pl

    from newsdesk import stages

    raws = ["plain", "Ukraineâ€™s  forces\r\n\r\n\r\nsaid", "  x \n\n\n y\t", "cafÃ© â€œok", ""]
    docs = pl.DataFrame({"article_id": [str(i) for i in range(len(raws))], "raw_text": raws,
                         "flags": [["a"], [], ["b", "c"], [], []]},
                        schema={"article_id": pl.String, "raw_text": pl.String, "flags": pl.List(pl.String)})
    out = stages.clean_batch(docs)
    for i, raw in enumerate(raws):
        text, repaired, omap = clean_with_map(raw)
        assert out["text"][i] == text
        assert out["raw_anchors"][i].to_list() == [{"clean": c, "raw": r} for c, r in omap.anchors()]
        assert out["flags"][i].to_list() == docs["flags"][i].to_list() + (["mojibake_repaired"] if repaired else [])
        assert out["raw_chars"][i] == len(raw)
    assert out.schema["raw_anchors"] == pl.List(pl.Struct({"clean": pl.Int32, "raw": pl.Int32}))
    assert stages.clean_batch(docs.head(0)).schema == out.schema
