"""Segmentation: paragraphs with roles, sentences with offsets (baseline, to be deepened)."""

from __future__ import annotations

import re

ROLES = ("title", "dek", "heading", "body", "caption", "boilerplate")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Every non-empty line is a paragraph: (char_start, char_end) into text."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


_SENT_END = re.compile(r"(?<=[.!?])[\"”’»]?\s+(?=[\"“‘«A-Z0-9])")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in _SENT_END.finditer(text, start, end):
        close = len(m.group(0)) - len(m.group(0).lstrip("\"”’»"))
        out.append((pos, m.start() + close))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def assign_roles(text: str, spans: list[tuple[int, int]], furniture: frozenset[str] = frozenset()) -> list[str]:
    roles = ["body"] * len(spans)
    if spans:
        roles[0] = "title"
    return roles


def segment(text: str, furniture: frozenset[str] = frozenset()) -> tuple[list[dict], list[dict]]:
    spans = split_paragraphs(text)
    roles = assign_roles(text, spans, furniture)
    paragraphs, sentences = [], []
    for i, ((s, e), role) in enumerate(zip(spans, roles)):
        paragraphs.append({"paragraph_index": i, "role": role, "char_start": s, "char_end": e})
        for ss, se in split_sentences(text, s, e):
            sentences.append({"sentence_index": len(sentences), "paragraph_index": i, "char_start": ss, "char_end": se})
    return paragraphs, sentences
