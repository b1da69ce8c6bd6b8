"""Score a published warehouse against a gold folder (docs/quotes/figures/segments .jsonl)."""

from __future__ import annotations

from pathlib import Path

from newsdesk import evaluate


def _rows(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def evaluate_warehouse(con, gold_dir: Path) -> dict:
    gold_dir = Path(gold_dir)
    docs = [d["doc"] for d in evaluate.read_jsonl(gold_dir / "docs.jsonl")]
    sources = [r[0] for r in con.execute("SELECT source_file FROM articles").fetchall()]
    doc_to_source = evaluate.resolve_docs(docs, sources)
    source_to_doc = {s: d for d, s in doc_to_source.items()}
    wanted = list(source_to_doc)

    def pred(sql: str) -> list[dict]:
        rows = _rows(con, sql, [wanted]) if wanted else []
        for r in rows:
            r["doc"] = source_to_doc[r.pop("source_file")]
        return rows

    quotes = pred(
        "SELECT source_file, quote, speaker, speaker_kind, kind, verb FROM quotes "
        "WHERE list_contains(?, source_file) ORDER BY source_file, char_start"
    )
    figures = pred(
        "SELECT source_file, span, kind, value, value_high, unit, qualifier, base, per, spelled FROM figures "
        "WHERE list_contains(?, source_file) ORDER BY source_file, char_start"
    )
    paragraphs = pred(
        "SELECT source_file, role, text FROM paragraphs WHERE list_contains(?, source_file) "
        "ORDER BY source_file, paragraph_index"
    )
    gold_quotes = evaluate.read_jsonl(gold_dir / "quotes.jsonl")
    gold_figures = evaluate.read_jsonl(gold_dir / "figures.jsonl")
    gold_segments = evaluate.read_jsonl(gold_dir / "segments.jsonl")
    scores = [
        evaluate.score_quotes(gold_quotes, quotes),
        evaluate.score_figures(gold_figures, figures),
        evaluate.score_segments(gold_segments, paragraphs),
    ]
    return {
        "gold": str(gold_dir),
        "documents": len(docs),
        "missing_documents": [d for d in docs if d not in doc_to_source],
        "scores": [s.as_dict() for s in scores],
    }


def format_report(report: dict, show_misses: bool = True) -> str:
    lines = [f"gold: {report['gold']} ({report['documents']} documents)"]
    if report["missing_documents"]:
        lines.append(f"  NOT IN WAREHOUSE: {', '.join(report['missing_documents'])}")
    for s in report["scores"]:
        attr = [k for k in s if k.endswith("_accuracy")][0]
        if s["name"] == "paragraph_roles":
            lines.append(
                f"{s['name']:<16} gold non-body {s['gold']:>4}  right role {s['matched']:>4}  "
                f"marked non-body {s['predicted']:>4}  recall {s['recall']:.3f}  precision {s['precision']:.3f}"
            )
        else:
            lines.append(
                f"{s['name']:<16} gold {s['gold']:>4}  predicted {s['predicted']:>4}  matched {s['matched']:>4}  "
                f"P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  {attr} {s[attr]:.3f}"
            )
    if show_misses:
        for s in report["scores"]:
            if s["misses"]:
                lines.append(f"\n{s['name']} misses:")
                lines.extend("  " + m for m in s["misses"])
    return "\n".join(lines)
