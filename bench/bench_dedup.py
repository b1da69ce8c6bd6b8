"""Near-duplicate clustering: pairwise precision and recall, speed and memory on synthetic rewrites.

    python -m bench.bench_dedup [--n 100000] [--seed 7] [--corpus PATH]

Base stories are the BBC News files and the Reuters-21578 bodies (SGML read as
Latin-1, split on <REUTERS>, <BODY> taken) of /work/shared/corpus. Bases that
are already exact or near copies of each other (the originals ship some) are
left out, so every base is its own true story. Each of the N articles is a
variant of one base (bases reused round-robin, so a story has about N/bases
members): an exact syndication copy (dateline and credit line added), or a
rewrite with sentence drops, a reorder, a tail trim and synonym swaps. The
true clusters are the bases.

Hard negatives (--hard, a share of the articles; each its own true story) are
different stories on the same topic as a base: a follow-up (the lede and close
of a reserved base around a block of half the base's sentences, as background)
and a round-up (the lede sentences of several bases, the first one's lede
first, then the rest of a reserved base). Merging them with the base's cluster
costs precision.

cluster_articles sees the articles in batches of --batch (0: one call) with
finalize=False, then one finalize call, as the pipeline does; articles are made
batch by batch so memory is the state's, not the corpus's. Prints pairwise
precision and recall, seconds and peak RSS. Deterministic for a given --seed.
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


def hard_negative(bases: list[list[str]], b: int, donor: list[str], rng: random.Random) -> list[str]:
    """A different story on base b's topic: a follow-up or a round-up."""
    base = bases[b]
    if rng.random() < 0.5:  # follow-up: new lede and close, half the base as a background block
        body = base[1:]
        k = max(2, len(body) // 2)
        i = rng.randrange(max(1, len(body) - k + 1))
        return donor[:2] + body[i:i + k] + donor[2:4]
    others = [bases[rng.randrange(len(bases))][0] for _ in range(3)]  # round-up of ledes
    return [base[0], *others, *donor[1:]]


def synthesise(bases: list[list[str]], n: int, seed: int, hard: float = 0.0, batch: int = 0):
    """Batches of (articles, sentences, truth); truth is the base index (-1 - i for a hard negative)."""
    rng = random.Random(seed)
    order = list(range(len(bases)))
    rng.shuffle(order)
    n_res = int(len(order) * hard * 2) if hard else 0  # reserved bases: ledes for hard negatives only
    donors, order = order[:n_res], order[n_res:]
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    step = batch or n
    for s0 in range(0, n, step):
        arts, s_ids, s_idx, s_txt, truth = [], [], [], [], []
        for i in range(s0, min(n, s0 + step)):
            b = order[i % len(order)]
            if i >= len(order) and donors and rng.random() < hard:
                sents = hard_negative(bases, b, bases[donors[rng.randrange(len(donors))]], rng)
                label = -1 - i
            else:
                sents = bases[b] if i < len(order) else rewrite(bases[b], rng)
                label = b
            aid = f"a{i:07d}"
            arts.append((aid, f"h{i}", f"synth/{i:07d}.txt", "\n".join(sents), t0 + timedelta(seconds=i)))
            truth.append((aid, label))
            s_ids.extend([aid] * len(sents))
            s_idx.extend(range(len(sents)))
            s_txt.extend(sents)
        articles = pl.DataFrame(arts, schema=["article_id", "content_hash", "source_file", "text", "ingested_at"],
                                orient="row")
        sentences = pl.DataFrame({"article_id": s_ids, "sentence_index": s_idx, "text": s_txt},
                                 schema={"article_id": pl.String, "sentence_index": pl.Int32, "text": pl.String})
        yield articles, sentences, pl.DataFrame(truth, schema={"article_id": pl.String, "truth": pl.Int64},
                                                orient="row")


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


def _none() -> pl.DataFrame:
    return pl.DataFrame(schema={"article_id": pl.String, "content_hash": pl.String, "source_file": pl.String,
                                "text": pl.String, "ingested_at": pl.Datetime("us", "UTC")})


def _none_s() -> pl.DataFrame:
    return pl.DataFrame(schema={"article_id": pl.String, "sentence_index": pl.Int32, "text": pl.String})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--batch", type=int, default=2000, help="articles per call (0: all in one call)")
    ap.add_argument("--hard", type=float, default=0.05, help="share of hard negatives")
    args = ap.parse_args(argv)
    if not (args.corpus / "bbc").exists() or not (args.corpus / "reuters21578").exists():
        print(f"skipped: corpus not found under {args.corpus}")
        return 0
    bases = load_bases(args.corpus)
    # Leave out bases that already duplicate each other: each base must be its own story.
    b_art, b_sent, b_truth = next(synthesise(bases, len(bases), args.seed))
    b_cl, _, _ = dedup.cluster_articles(b_art, b_sent, NO_Q, NO_F)
    keep_ids = set(b_cl.filter(pl.col("method") == "singleton")["article_id"])
    kept = [bases[int(t)] for a, t in b_truth.iter_rows() if a in keep_ids]
    del b_art, b_sent, b_cl
    print(f"bases: {len(bases)} read, {len(bases) - len(kept)} left out as duplicates of each other, {len(kept)} used")
    truths, secs, state = [], 0.0, None
    for articles, sentences, truth in synthesise(kept, args.n, args.seed, args.hard, args.batch):
        truths.append(truth)
        t = time.perf_counter()
        _, _, state = dedup.cluster_articles(articles, sentences, NO_Q, NO_F, state, finalize=False)
        secs += time.perf_counter() - t
    del articles, sentences
    truth = pl.concat(truths)
    t = time.perf_counter()
    clusters, reuse, state = dedup.cluster_articles(_none(), _none_s(), NO_Q, NO_F,
                                                    state)
    fin = time.perf_counter() - t
    secs += fin
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, r, pp, tt = pairwise(clusters, truth)
    print(f"articles: {args.n}  true pairs: {tt}  predicted pairs: {pp}")
    print(f"pairwise precision: {p:.4f}  recall: {r:.4f}")
    print(f"methods: {dict(clusters.group_by('method').len().sort('method').iter_rows())}")
    print(f"hard negatives: {int((truth['truth'] < 0).sum())}, merged into a cluster: "
          f"{clusters.join(truth.filter(pl.col('truth') < 0), on='article_id').filter(pl.col('method') != 'singleton').height}")
    print(f"seconds: {secs:.1f} (final {fin:.1f})  ({args.n / secs:,.0f} articles/s)  peak RSS: {peak:,.0f} MB")
    print(f"reused sentences: {reuse.height}  state rows: "
          f"{ {k: v.height for k, v in state.to_frames().items()} }")
    return 0


if __name__ == "__main__":
    sys.exit(main())
