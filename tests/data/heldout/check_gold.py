"""Sanity check for the held-out gold: every quote, figure span and segment
text must occur in its source text, and every row must follow the schema.

    python tests/data/heldout/check_gold.py
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPEN, CLOSE = "\"“«‘'„", "\"”»’'“"
QKEYS = ["doc", "quote", "speaker", "speaker_kind", "kind", "verb"]
FKEYS = ["doc", "span", "kind", "value", "value_high", "unit", "qualifier", "base", "per", "spelled"]
ROLES = {"title", "dek", "heading", "caption", "boilerplate"}


def text(p):
    b = p.read_bytes()
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")


def rows(p):
    return [json.loads(l) for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]


def main():
    bad = 0
    for s in ["bbc", "reuters", "web"]:
        d = HERE / s
        docs = [r["doc"] for r in rows(d / "docs.jsonl")]
        texts = {doc: text(d / "texts" / doc) for doc in docs}
        for r in rows(d / "quotes.jsonl"):
            t, q = texts[r["doc"]], r["quote"]
            ok = sorted(r) == sorted(QKEYS) and r["kind"] in {"full", "partial"} \
                and r["speaker_kind"] in {"person", "organization", "unnamed"}
            ok = ok and any(i and t[i - 1] in OPEN for i in (m.start() for m in re.finditer(re.escape(q), t)))
            if not ok:
                bad += 1; print("bad quote", s, r)
        for (doc, span), n in Counter((r["doc"], r["span"]) for r in rows(d / "figures.jsonl")).items():
            if texts[doc].count(span) < n:
                bad += 1; print("bad span", s, doc, span)
        for r in rows(d / "figures.jsonl"):
            if sorted(r) != sorted(FKEYS) or r["kind"] not in {"money", "percent", "count", "quantity", "fraction"}:
                bad += 1; print("bad figure", s, r)
        for r in rows(d / "segments.jsonl"):
            paras = [p.strip() for p in texts[r["doc"]].split("\n")]
            if r["role"] not in ROLES or r["text"] not in paras:
                bad += 1; print("bad segment", s, r)
    print("problems:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
