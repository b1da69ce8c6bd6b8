"""Figure extraction throughput and accuracy: newsdesk.figures vs quantulum3.

    python -m bench.bench_figures [PATH] [--limit N] [--repeat R] [--gold DIR]

PATH defaults to ../shared/corpus/bbc (relative to the project root); --gold
defaults to ../shared/gold. Both extractors see exactly the same cleaned
article texts, in one process; segmentation is done once beforehand and is not
timed (it is the same input for both). Prints articles/second for each and the
speed ratio, then, when the gold files are there, figure F1 and value accuracy
for each on the seeds and bbc gold sets (scored by newsdesk.evaluate).

quantulum3 is an optional dependency of this benchmark only:
    .venv/bin/uv pip install --python .venv/bin/python quantulum3
(it pulls in inflect, num2words and typeguard; its optional classifier is not
needed). Without it the benchmark reports newsdesk alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

from newsdesk.clean import clean_text
from newsdesk.evaluate import read_jsonl, score_figures
from newsdesk.figures import extract_figures
from newsdesk.segment import segment

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "bbc"
DEFAULT_GOLD = ROOT.parent / "shared" / "gold"

# quantulum3 unit names -> ISO 4217, for the currencies news text uses.
_Q_CURRENCY = {
    "dollar": "USD", "united states dollar": "USD", "pound sterling": "GBP", "euro": "EUR", "yen": "JPY",
    "japanese yen": "JPY", "russian ruble": "RUB", "renminbi": "CNY", "swiss franc": "CHF",
    "indian rupee": "INR", "australian dollar": "AUD", "canadian dollar": "CAD", "hong kong dollar": "HKD",
    "norwegian krone": "NOK", "danish krone": "DKK", "swedish krona": "SEK", "polish złoty": "PLN",
    "cent": "USD", "penny": "GBP",
}
_Q_UNITS = {
    "percentage": "percent", "kilometre": "km", "kilogram": "kg", "tonne": "tonne", "ton": "tonne",
    "short ton": "tonne", "metre": "metre", "mile": "mile", "hour": "hour", "day": "day", "week": "week",
    "month": "month", "year": "year", "minute": "minute", "second": "second", "barrel": "barrel",
    "point": "point", "litre": "litre", "acre": "acre", "hectare": "hectare", "gigabyte": "GB",
}


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def load_articles(root: Path, limit: int | None) -> list[tuple[str, str]]:
    files = sorted(p for p in root.rglob("*.txt") if p.name != "README.TXT")[:limit]
    return [(str(f.relative_to(root)), clean_text(read_text(f))) for f in files]


def quantulum_rows(text: str, parse) -> list[dict]:
    """quantulum3 output mapped to our rows as fairly as we can.

    Currency -> money with an ISO code; "percentage" -> percent; dimensionless
    numbers -> count (quantulum3 has no counted noun, so unit None) or, for
    values below 1 written in words, fraction; any other unit -> quantity with
    the unit's name, singular. Offsets are quantulum3's own spans.
    """
    rows = []
    for q in parse(text):
        start, end = q.span
        name = q.unit.name
        entity = q.unit.entity.name
        if entity == "currency":
            code = getattr(q.unit, "currency_code", None) or _Q_CURRENCY.get(name, name.upper())
            scale = 0.01 if name in ("cent", "penny") else 1.0
            kind, unit, value = "money", code, q.value * scale
        elif name == "percentage":
            kind, unit, value = "percent", "percent", q.value
        elif entity == "dimensionless":
            spelled_fraction = q.value < 1 and not any(c.isdigit() for c in q.surface)
            kind = "fraction" if spelled_fraction else "count"
            unit, value = ("fraction" if spelled_fraction else None), q.value
        else:
            kind, unit, value = "quantity", _Q_UNITS.get(name, name), q.value
        rows.append({"char_start": start, "char_end": end, "span": text[start:end], "kind": kind,
                     "value": float(value), "unit": unit})
    return rows


def time_one(label: str, fn, inputs, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for item in inputs:
            fn(*item)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    rate = len(inputs) / best
    print(f"  {label:<12} {rate:>10,.0f} articles/s   ({best / len(inputs) * 1e3:.3f} ms/article, "
          f"best of {repeat}, median {statistics.median(runs):.2f}s)")
    return rate


def score_sets(gold_root: Path, corpus_bbc: Path, parse) -> None:
    sets = {"seeds": (gold_root / "seeds" / "figures.jsonl", ROOT.parent / "shared" / "seeds"),
            "bbc": (gold_root / "bbc" / "figures.jsonl", corpus_bbc)}
    for name, (gold_file, text_root) in sets.items():
        gold = read_jsonl(gold_file)
        if not gold or not text_root.exists():
            print(f"  {name}: gold or texts missing, skipped")
            continue
        docs = sorted({g["doc"] for g in gold})
        if name == "seeds":  # every seed article is labelled, including those without figures
            docs = sorted(p.name for p in text_root.iterdir() if p.is_file())
        ours, theirs = [], []
        for doc in docs:
            path = text_root / doc
            if not path.exists():
                continue
            text = clean_text(read_text(path))
            paragraphs, sentences = segment(text)
            ours += [{"doc": doc, **r} for r in extract_figures(text, sentences, paragraphs)]
            if parse is not None:
                theirs += [{"doc": doc, **r} for r in quantulum_rows(text, parse)]
        for label, rows in (("newsdesk", ours), ("quantulum3", theirs if parse is not None else None)):
            if rows is None:
                continue
            sc = score_figures(gold, rows)
            print(f"  {name:<6} {label:<11} F1 {sc.f1:.3f}  P {sc.precision:.3f}  R {sc.recall:.3f}  "
                  f"value accuracy {sc.attr_accuracy:.3f}  (gold {sc.gold}, predicted {sc.predicted})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=500, help="number of articles (default 500)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args = ap.parse_args(argv)

    if not args.path.exists():
        print(f"bench_figures: {args.path} not found; nothing to benchmark (pass the BBC corpus folder).")
        return 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as qparser
        parse = qparser.parse
    except ImportError:
        parse = None
        print("bench_figures: quantulum3 not installed; timing newsdesk only "
              "(install with: .venv/bin/uv pip install --python .venv/bin/python quantulum3)")

    articles = load_articles(args.path, args.limit)
    if not articles:
        print(f"bench_figures: no .txt articles under {args.path}")
        return 0
    segmented = []
    for _, text in articles:
        paragraphs, sentences = segment(text)
        segmented.append((text, sentences, paragraphs))
    kb = sum(len(t) for t, _, _ in segmented) / len(segmented) / 1024
    print(f"figure extraction on {len(segmented)} articles from {args.path} (mean {kb:.1f} KB)")

    ours = time_one("newsdesk", extract_figures, segmented, args.repeat)
    if parse is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            q_inputs = [(t,) for t, _, _ in segmented]
            theirs = time_one("quantulum3", parse, q_inputs, 1)
        print(f"  ratio        newsdesk is {ours / theirs:,.0f}x faster than quantulum3")

    if args.gold.exists():
        print(f"accuracy against {args.gold}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            score_sets(args.gold, args.path, parse)
    else:
        print(f"(no gold folder at {args.gold}; accuracy not scored)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
