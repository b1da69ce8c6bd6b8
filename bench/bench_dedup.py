"""Near-duplicate clustering: pairwise precision and recall, speed and memory on synthetic rewrites.

    python -m bench.bench_dedup [--n 100000] [--seed 7] [--corpus PATH]

Base stories are the BBC News files and the Reuters-21578 bodies (SGML read as
Latin-1, split on <REUTERS>, <BODY> taken) of /work/shared/corpus. Bases that
are already exact or near copies of each other (the originals ship some) are
left out, so every base is its own true story. Each of the N articles is a
variant of one base (bases reused round-robin, so a story has about N/bases
members): an exact syndication copy (dateline and credit line added), or a
rewrite with sentence drops, a reorder, a tail trim and synonym swaps. The
true clusters are the bases; cluster_articles sees the articles in one run,
with their sentences (no quotes or figures). Prints pairwise precision and
recall, seconds and peak RSS. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polars as pl

from newsdesk import dedup

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SYNONYMS = {
    "said": "stated", "says": "states", "rose": "increased", "fell": "declined", "big": "large", "company": "firm",
    "bought": "acquired", "buy": "acquire", "help": "assist", "start": "begin", "started": "began", "end": "finish",
    "show": "indicate", "shows": "indicates", "expected": "forecast", "government": "administration",
    "profit": "earnings", "profits": "earnings", "sales": "revenue", "people": "persons", "new": "fresh",
    "added": "noted", "told": "informed", "because": "as", "about": "around", "also": "additionally",
    "year": "twelve months", "plans": "intends", "plan": "scheme", "major": "leading", "shares": "stock",
}
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_WORD = re.compile(r"[A-Za-z]+")


def load_bases(root: Path) -> list[list[str]]:
    """Each base story as its list of sentences (title first for BBC)."""
    bases: list[list[str]] = []
    for f in sorted((root / "bbc").rglob("*.txt")):
        if f.name.upper() == "README.TXT":
            continue
        raw = f.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        lines = [x.strip() for x in text.splitlines() if x.strip()]
        if len(lines) > 2:
            bases.append([lines[0]] + [s for para in lines[1:] for s in _SENT.split(para)])
    for f in sorted((root / "reuters21578").glob("reut2-*.sgm")):
        for story in f.read_text(encoding="latin-1").split("<REUTERS")[1:]:
            m = re.search(r"<BODY>(.*?)</BODY>", story, re.S)
            if not m:
                continue
            body = html.unescape(re.sub(r"&#\d+;", " ", m.group(1))).replace("Reuter\n", "").strip()
            body = re.sub(r"\s+", " ", body)
            sents = _SENT.split(body)
            if len(body.split()) >= 80 and len(sents) >= 4:
                bases.append(sents)
    return bases


def rewrite(sents: list[str], rng: random.Random) -> list[str]:
    kind = rng.random()
    if kind < 0.3:  # syndication copy
        return [f"LONDON (Wire) - {sents[0]}", *sents[1:], "Reporting by staff; editing by the desk."]
    out = list(sents)
    head, rest = out[:2], out[2:]
    rest = [s for s in rest if rng.random() > 0.12]  # drops
    if len(rest) > 3 and rng.random() < 0.7:  # reorder: swap two adjacent sentences
        i = rng.randrange(len(rest) - 1)
        rest[i], rest[i + 1] = rest[i + 1], rest[i]
    if len(rest) > 6 and rng.random() < 0.5:  # trim the tail
        rest = rest[: max(3, int(len(rest) * rng.uniform(0.7, 0.9)))]
    out = head + rest

    def swap(m: re.Match) -> str:
        w = m.group(0)
        s = SYNONYMS.get(w.lower())
        return s if s and rng.random() < 0.5 else w

    return [_WORD.sub(swap, s) if rng.random() < 0.3 else s for s in out]


def synthesise(bases: list[list[str]], n: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    rng = random.Random(seed)
    order = list(range(len(bases)))
    rng.shuffle(order)
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    arts, s_ids, s_idx, s_txt, truth = [], [], [], [], []
    for i in range(n):
        b = order[i % len(order)]
        sents = bases[b] if i < len(order) else rewrite(bases[b], rng)
        aid = f"a{i:07d}"
        arts.append((aid, f"h{i}", f"synth/{i:07d}.txt", "\n".join(sents), t0 + timedelta(seconds=i)))
        truth.append((aid, b))
        s_ids.extend([aid] * len(sents))
        s_idx.extend(range(len(sents)))
        s_txt.extend(sents)
    articles = pl.DataFrame(arts, schema=["article_id", "content_hash", "source_file", "text", "ingested_at"],
                            orient="row")
    sentences = pl.DataFrame({"article_id": s_ids, "sentence_index": s_idx, "text": s_txt},
                             schema={"article_id": pl.String, "sentence_index": pl.Int32, "text": pl.String})
    return articles, sentences, pl.DataFrame(truth, schema=["article_id", "truth"], orient="row")


def pair_count(sizes: pl.Expr) -> pl.Expr:
    return (sizes * (sizes - 1) // 2).sum()


def pairwise(pred: pl.DataFrame, truth: pl.DataFrame) -> tuple[float, float, int, int]:
    j = pred.join(truth, on="article_id")
    tp = j.group_by("cluster_id", "truth").len().select(pair_count(pl.col("len").cast(pl.Int64))).item()
    pp = j.group_by("cluster_id").len().select(pair_count(pl.col("len").cast(pl.Int64))).item()
    tt = j.group_by("truth").len().select(pair_count(pl.col("len").cast(pl.Int64))).item()
    return (tp / pp if pp else 1.0), (tp / tt if tt else 1.0), pp, tt


NO_Q = pl.DataFrame(schema={"article_id": pl.String, "quote": pl.String})
NO_F = pl.DataFrame(schema={"article_id": pl.String, "kind": pl.String, "value": pl.Float64, "unit": pl.String})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    args = ap.parse_args(argv)
    if not (args.corpus / "bbc").exists() or not (args.corpus / "reuters21578").exists():
        print(f"skipped: corpus not found under {args.corpus}")
        return 0
    bases = load_bases(args.corpus)
    # Leave out bases that already duplicate each other: each base must be its own story.
    b_art, b_sent, _ = synthesise(bases, len(bases), args.seed)
    b_cl, _, _ = dedup.cluster_articles(b_art, b_sent, NO_Q, NO_F)
    keep_ids = set(b_cl.filter(pl.col("method") == "singleton")["article_id"])
    kept = [bases[int(t)] for a, t in synthesise(bases, len(bases), args.seed)[2].iter_rows() if a in keep_ids]
    print(f"bases: {len(bases)} read, {len(bases) - len(kept)} left out as duplicates of each other, {len(kept)} used")
    articles, sentences, truth = synthesise(kept, args.n, args.seed)
    t = time.perf_counter()
    clusters, reuse, state = dedup.cluster_articles(articles, sentences, NO_Q, NO_F)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, r, pp, tt = pairwise(clusters, truth)
    print(f"articles: {args.n}  true pairs: {tt}  predicted pairs: {pp}")
    print(f"pairwise precision: {p:.4f}  recall: {r:.4f}")
    print(f"methods: {dict(clusters.group_by('method').len().sort('method').iter_rows())}")
    print(f"seconds: {secs:.1f}  ({args.n / secs:,.0f} articles/s)  peak RSS: {peak:,.0f} MB")
    print(f"reused sentences: {reuse.height}  state rows: "
          f"{ {k: v.height for k, v in state.to_frames().items()} }")
    return 0


if __name__ == "__main__":
    sys.exit(main())
