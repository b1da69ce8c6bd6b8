"""Score extracted quotes, figures and paragraph roles against a gold folder.

The rules are those of the gold folder's GUIDELINES.md ("Scoring"):
- quotes match within a document when their normalised token lists overlap by
  at least 80% of the shorter one's tokens; speaker accuracy asks for the gold
  surname (persons) or head word (organisations, unnamed sources);
- figures match when the spans overlap and the kind agrees; value accuracy asks
  for a value within 0.5% and the same unit;
- paragraph roles: every gold non-body paragraph must get its gold role, and no
  other paragraph may be marked non-body.

Everything here is pure: lists of dicts in, a report out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

_TOKEN = re.compile(r"\w+", re.UNICODE)
_PREPOSITIONS = {"of", "to", "in", "at", "for", "from", "with", "on", "by", "about", "who", "which", "that"}
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame", "prof", "professor"}


def tokens(text: str | None) -> list[str]:
    """Lower-case word tokens with punctuation and white space folded away."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("'", "")
    return _TOKEN.findall(text)


def norm_text(text: str | None) -> str:
    return " ".join(tokens(text))


def _overlap(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    shared = sum((Counter(a) & Counter(b)).values())
    return shared / min(len(a), len(b))


def speaker_key(speaker: str | None, speaker_kind: str | None) -> str | None:
    """The word a predicted speaker must contain: surname or head word."""
    toks = tokens(speaker)
    if not toks:
        return None
    if speaker_kind in ("organization", "unnamed"):
        head = []
        for t in toks:
            if t in _PREPOSITIONS:
                break
            head.append(t)
        return (head or toks)[-1]
    toks = [t for t in toks if t not in _TITLES] or toks
    return toks[-1]


def speaker_matches(pred: str | None, gold: str | None, gold_kind: str | None) -> bool:
    key = speaker_key(gold, gold_kind)
    if key is None:
        return not pred
    return key in tokens(pred)


@dataclass
class Score:
    name: str
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    attr_ok: int = 0
    attr_name: str = ""
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def attr_accuracy(self) -> float:
        return self.attr_ok / self.matched if self.matched else 0.0

    def as_dict(self) -> dict:
        return {
            "name": self.name, "gold": self.gold, "predicted": self.predicted,
            "matched": self.matched, "precision": round(self.precision, 4),
            "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            self.attr_name: round(self.attr_accuracy, 4), "misses": self.misses,
        }


def _by_doc(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["doc"], []).append(r)
    return out


def _greedy_match(gold: list[dict], pred: list[dict], score) -> list[tuple[int, int]]:
    """One-to-one matching, best-scoring pairs first; score() <= 0 means no match."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = score(g, p)
            if s > 0:
                pairs.append((s, gi, pi))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def score_quotes(gold: list[dict], pred: list[dict]) -> Score:
    """gold/pred rows carry doc, quote, speaker, speaker_kind, kind. Only full/partial count."""
    direct = ("full", "partial")
    gold = [g for g in gold if g.get("kind", "full") in direct]
    pred = [p for p in pred if p.get("kind", "full") in direct]
    sc = Score("quotes", gold=len(gold), predicted=len(pred), attr_name="speaker_accuracy")
    g_by, p_by = _by_doc(gold), _by_doc(pred)
    for doc in sorted(set(g_by) | set(p_by)):
        gs, ps = g_by.get(doc, []), p_by.get(doc, [])
        gt = [tokens(g["quote"]) for g in gs]
        pt = [tokens(p["quote"]) for p in ps]

        def s(g, p, _gi={id(x): i for i, x in enumerate(gs)}, _pi={id(x): i for i, x in enumerate(ps)}):
            ov = _overlap(gt[_gi[id(g)]], pt[_pi[id(p)]])
            return ov if ov >= 0.8 else 0

        matches = _greedy_match(gs, ps, s)
        sc.matched += len(matches)
        mg = {gi for gi, _ in matches}
        mp = {pi for _, pi in matches}
        for gi, pi in matches:
            g, p = gs[gi], ps[pi]
            if speaker_matches(p.get("speaker"), g["speaker"], g.get("speaker_kind")):
                sc.attr_ok += 1
            else:
                sc.misses.append(f"speaker  {doc}: “{g['quote'][:60]}” gold={g['speaker']!r} got={p.get('speaker')!r}")
        for gi, g in enumerate(gs):
            if gi not in mg:
                sc.misses.append(f"missed   {doc}: “{g['quote'][:70]}” ({g['speaker']})")
        for pi, p in enumerate(ps):
            if pi not in mp:
                sc.misses.append(f"spurious {doc}: “{p['quote'][:70]}” ({p.get('speaker')})")
    return sc


def _span_overlap(a: str, b: str) -> float:
    na, nb = norm_text(a), norm_text(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 2.0
    if na in nb or nb in na:
        return 1.5
    ov = _overlap(na.split(), nb.split())
    return ov if ov >= 0.5 else 0.0


def _value_ok(g: dict, p: dict) -> bool:
    gv, pv = g.get("value"), p.get("value")
    if gv is None or pv is None:
        return gv is None and pv is None
    tol = abs(gv) * 0.005 if gv else 1e-9
    return abs(float(pv) - float(gv)) <= tol and str(g.get("unit") or "").lower() == str(p.get("unit") or "").lower()


def score_figures(gold: list[dict], pred: list[dict]) -> Score:
    sc = Score("figures", gold=len(gold), predicted=len(pred), attr_name="value_accuracy")
    g_by, p_by = _by_doc(gold), _by_doc(pred)
    for doc in sorted(set(g_by) | set(p_by)):
        gs, ps = g_by.get(doc, []), p_by.get(doc, [])
        matches = _greedy_match(
            gs, ps, lambda g, p: _span_overlap(g["span"], p["span"]) if g["kind"] == p["kind"] else 0
        )
        sc.matched += len(matches)
        mg = {gi for gi, _ in matches}
        mp = {pi for _, pi in matches}
        for gi, pi in matches:
            g, p = gs[gi], ps[pi]
            if _value_ok(g, p):
                sc.attr_ok += 1
            else:
                sc.misses.append(
                    f"value    {doc}: {g['span']!r} gold={g['value']} {g['unit']} got={p.get('value')} {p.get('unit')}"
                )
        for gi, g in enumerate(gs):
            if gi not in mg:
                sc.misses.append(f"missed   {doc}: {g['span']!r} ({g['kind']})")
        for pi, p in enumerate(ps):
            if pi not in mp:
                sc.misses.append(f"spurious {doc}: {p['span']!r} ({p['kind']})")
    return sc


def score_segments(gold: list[dict], paragraphs: list[dict]) -> Score:
    """gold: non-body paragraphs (doc, role, text); paragraphs: every predicted one (doc, role, text).

    matched = gold non-body paragraphs found with their gold role; predicted =
    paragraphs marked non-body; precision falls when body text is marked otherwise.
    """
    sc = Score("paragraph_roles", gold=len(gold), attr_name="role_accuracy")
    g_by, p_by = _by_doc(gold), _by_doc(paragraphs)
    docs = set(g_by) | {d for d, ps in p_by.items() if d in g_by or not g_by}
    for doc in sorted(docs):
        ps = p_by.get(doc, [])
        used: set[int] = set()
        for g in g_by.get(doc, []):
            gt = norm_text(g["text"])
            hit = next((i for i, p in enumerate(ps) if i not in used and norm_text(p["text"]) == gt), None)
            if hit is None:
                sc.misses.append(f"missing  {doc}: [{g['role']}] {g['text'][:70]!r} (no such paragraph)")
                continue
            used.add(hit)
            if ps[hit]["role"] == g["role"]:
                sc.matched += 1
            else:
                sc.misses.append(f"role     {doc}: {g['text'][:70]!r} gold={g['role']} got={ps[hit]['role']}")
        for i, p in enumerate(ps):
            if p["role"] != "body":
                sc.predicted += 1
                if i not in used:
                    sc.misses.append(f"non-body {doc}: [{p['role']}] {p['text'][:70]!r} is body in gold")
    sc.attr_ok = sc.matched
    return sc


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def resolve_docs(gold_docs: list[str], source_files: list[str]) -> dict[str, str]:
    """Map each gold doc name to a source_file: exact, else the one path ending in it."""
    out: dict[str, str] = {}
    available = set(source_files)
    for doc in gold_docs:
        if doc in available:
            out[doc] = doc
            continue
        cands = [s for s in source_files if s.endswith("/" + doc) or doc.endswith("/" + s) or Path(s).name == doc]
        if len(cands) == 1:
            out[doc] = cands[0]
    return out
