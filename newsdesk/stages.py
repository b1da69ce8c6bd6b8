"""The pipeline's stages as pure functions over batches (polars frames in, frames out).

Each stage takes a whole batch so that the orchestrator runs one task per batch,
never one per article. Failures inside one article become a reject row for
that article; the rest of the batch goes on.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone

import polars as pl
import pyarrow as pa

from newsdesk import clean, dedup, figures, ingest, jsonl, quotes, schema, segment

DOC_SCHEMA = {
    "article_id": pl.String,
    "content_hash": pl.String,
    "source_file": pl.String,
    "raw_text": pl.String,
    "encoding": pl.String,
    "flags": pl.List(pl.String),
    "byte_size": pl.Int64,
    "url": pl.String,
    "stated_published": pl.String,  # from the input's own fields (JSON lines), preferred over the text
    "stated_outlet": pl.String,
    "stated_byline": pl.String,
}
REJECT_SCHEMA = {"source_file": pl.String, "reason": pl.String, "detail": pl.String, "content_hash": pl.String}


def batches(items: Sequence, max_items: int = 2000, max_bytes: int = 32 * 1024 * 1024, size=lambda _: 1,
            tail: int = 0) -> list[list]:
    """Split items into batches bounded by count and by (estimated) bytes.

    With tail, a long plan ends in smaller batches: the items of its last `tail` batches are split
    again at a quarter of both bounds. Each batch is added to the near-duplicate state in this
    process after its workers are done, and that costs more the bigger the state, so the last
    batches are the ones the workers would sit idle for (at a million articles, ~10 s each).
    Short plans are left whole: their state is small, and each batch costs some Prefect overhead.
    """
    plan = _split(items, max_items, max_bytes, size)
    if tail <= 0 or len(plan) < 4 * tail:
        return plan
    rest = [item for batch in plan[-tail:] for item in batch]
    return plan[:-tail] + _split(rest, max(1, max_items // 4), max(1, max_bytes // 4), size)


def _split(items: Sequence, max_items: int, max_bytes: int, size) -> list[list]:
    out, cur, cur_bytes = [], [], 0
    for item in items:
        b = size(item)
        if cur and (len(cur) >= max_items or cur_bytes + b > max_bytes):
            out.append(cur)
            cur, cur_bytes = [], 0
        cur.append(item)
        cur_bytes += b
    if cur:
        out.append(cur)
    return out


def even_batch_size(n_items: int, workers: int, minimum: int = 50) -> int:
    """A batch size that gives every worker a few batches, so that both cores stay busy."""
    if workers <= 1:
        return max(n_items, 1)
    return max(minimum, -(-n_items // (workers * 4)))


def rejects_frame(rows: Iterable[ingest.Reject | dict]) -> pl.DataFrame:
    recs = [
        r if isinstance(r, dict) else {"source_file": r.source_file, "reason": r.reason, "detail": r.detail, "content_hash": None}
        for r in rows
    ]
    return pl.DataFrame(recs, schema=REJECT_SCHEMA)


# ---------------------------------------------------------------- ingest
def ingest_batch(refs: Sequence[ingest.FileRef], max_bytes: int = ingest.DEFAULT_MAX_BYTES,
                 fields: dict | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read and decode files: (documents, rejects)."""
    docs, rejects = [], []
    jsonl_fields = jsonl.Fields.from_dict(fields)
    for got in (segment.screen(doc) for ref in refs for doc in ingest.read_ref(ref, max_bytes, jsonl_fields)):
        if isinstance(got, ingest.Reject):
            rejects.append(got)
            continue
        docs.append({
            "article_id": ingest.article_id(got.source_file, got.content_hash, got.stated),
            "content_hash": got.content_hash,
            "source_file": got.source_file,
            "raw_text": got.text,
            "encoding": got.encoding,
            "flags": got.flags,
            "byte_size": len(got.raw),
            "url": got.meta.get("url"),
            "stated_published": got.meta.get("published"),
            "stated_outlet": got.meta.get("outlet"),
            "stated_byline": got.meta.get("byline"),
        })
    return pl.DataFrame(docs, schema=DOC_SCHEMA), rejects_frame(rejects)


# ---------------------------------------------------------------- clean
def clean_batch(docs: pl.DataFrame) -> pl.DataFrame:
    """Add `text` (repaired, NFC, white space folded) and the anchors that map it back to the raw text.

    raw_anchors + raw_chars rebuild a clean.OffsetMap, so a quote or figure can be
    found in the original file; files whose text was repaired are flagged.
    """
    texts, repaired_, raw_chars = [], [], []
    # raw_anchors is built from flat columns and list offsets (one row of
    # Python dicts per anchor is slow to convert)
    a_clean: list[int] = []
    a_raw: list[int] = []
    a_offsets = [0]
    for raw in docs["raw_text"].to_list():
        text, repaired, offsets = clean.clean_with_map(raw)
        texts.append(text)
        repaired_.append(repaired)
        a_clean += offsets.clean_pos
        a_raw += offsets.raw_pos
        a_offsets.append(len(a_clean))
        raw_chars.append(len(raw))
    anchors = pa.ListArray.from_arrays(
        pa.array(a_offsets, type=pa.int32()),
        pa.StructArray.from_arrays(
            [pa.array(a_clean, type=pa.int32()), pa.array(a_raw, type=pa.int32())], names=["clean", "raw"]
        ),
    )
    flags = docs["flags"].cast(pl.List(pl.String))
    if any(repaired_):
        flags = pl.select(
            pl.when(pl.Series(repaired_, dtype=pl.Boolean))
            .then(pl.lit(flags).list.concat(pl.lit("mojibake_repaired")))
            .otherwise(pl.lit(flags))
        ).to_series()
    return docs.drop("raw_text").with_columns(
        pl.Series("text", texts, dtype=pl.String),
        flags.alias("flags"),
        pl.Series("raw_anchors", anchors, dtype=pl.List(pl.Struct({"clean": pl.Int32, "raw": pl.Int32}))),
        pl.Series("raw_chars", raw_chars, dtype=pl.Int32),
    )


# ---------------------------------------------------------------- segment
def furniture(texts: Iterable[str]) -> frozenset[str]:
    """Lines that recur across files of the input: site furniture."""
    fn = getattr(segment, "furniture_lines", None)
    return fn(texts) if fn else frozenset()


_WORD = re.compile(r"\w+(?:['’]\w+)*")


# Character classes of an ASCII text for counting _WORD matches with byte
# operations: "w" a word character (\w), "a" an apostrophe, " " anything else.
_WORD_CLASSES = bytes(
    ord("w") if chr(c).isalnum() or chr(c) == "_" else ord("a") if chr(c) == "'" else ord(" ") for c in range(256)
)


_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")


def _ascii_stand_in(m: re.Match) -> str:
    c = m.group()
    return "w" if c.isalnum() else "'" if c == "’" else " "  # re's \w is alphanumeric or "_"


def _word_count(text: str, spans: list[tuple[int, int]], others: list[tuple[int, int]]) -> int:
    """sum(len(_WORD.findall(text, s, e)) for s, e in spans), where spans and
    others are all the paragraphs of text (lines without their edge white space).

    A match starts at a word character that follows neither a word
    character nor an apostrophe that follows one ("don't" is one word); no
    match runs over a paragraph's edges. On an ASCII text those starts are
    counted in its string of character classes, once for the whole text,
    less the paragraphs in others (usually none or one or two short ones).
    A non-ASCII character is first replaced by an ASCII one of its class.
    """
    if not text.isascii():  # each other character stands in for its class (same offsets)
        text = _NON_ASCII_CHAR.sub(_ascii_stand_in, text)
    # "j": an apostrophe after a word character, so "aw" counts the other apostrophes
    classes = text.encode("ascii").translate(_WORD_CLASSES).replace(b"wa", b"wj")
    n = classes.count(b" w") + classes.count(b"aw") + classes.startswith(b"w")
    for s, e in others:
        part = classes[s:e]
        n -= part.count(b" w") + part.count(b"aw") + part.startswith(b"w")
    return n


def segment_batch(docs: pl.DataFrame, furniture_set: frozenset[str] = frozenset()) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Paragraphs with roles and sentences for each document.

    Returns (docs with title/word_count/meta, paragraphs, sentences, rejects).
    """
    # the output frames are built from one list per column
    p_aid: list[str] = []
    p_idx: list[int] = []
    p_role: list[str] = []
    p_text: list[str] = []
    p_start: list[int] = []
    p_end: list[int] = []
    s_aid: list[str] = []
    s_idx: list[int] = []
    s_para: list[int] = []
    s_text: list[str] = []
    s_start: list[int] = []
    s_end: list[int] = []
    m_aid: list[str] = []
    m_title: list[str | None] = []
    m_meta: list[dict] = []
    m_words: list[int] = []
    rejects: list[dict] = []
    for aid, sf, ch, text in zip(
        docs["article_id"].to_list(), docs["source_file"].to_list(), docs["content_hash"].to_list(), docs["text"].to_list()
    ):
        try:
            spans, roles, sents, sent_para = segment.segment_spans(text, furniture_set)
            paras = [text[s:e] for s, e in spans]
            meta = segment.meta_from_lines(list(zip(roles, paras)))
        except Exception as err:  # one bad article must not sink its batch
            rejects.append(_extraction_reject(sf, ch, "segment", err))
            continue
        n_p = len(spans)
        m_aid.append(aid)
        m_title.append(next((t for t, r in zip(paras, roles) if r == "title"), None))
        m_meta.append(meta)
        m_words.append(_word_count(
            text, [sp for sp, r in zip(spans, roles) if r == "body" or r == "dek"],
            [sp for sp, r in zip(spans, roles) if r != "body" and r != "dek"],
        ))
        p_aid += [aid] * n_p
        p_idx += range(n_p)
        p_role += roles
        p_text += paras
        p_start += [s for s, _ in spans]
        p_end += [e for _, e in spans]
        n_s = len(sents)
        s_aid += [aid] * n_s
        s_idx += range(n_s)
        s_para += sent_para
        s_text += [text[s:e] for s, e in sents]
        s_start += [s for s, _ in sents]
        s_end += [e for _, e in sents]
    meta_df = pl.DataFrame(
        {
            "article_id": pl.Series(m_aid, dtype=pl.String),
            "title": pl.Series(m_title, dtype=pl.String),
            "word_count": pl.Series(m_words, dtype=pl.Int32),
            **{k: pl.Series([m.get(k) for m in m_meta], dtype=pl.String) for k in ("byline", "dateline", "published", "outlet")},
        }
    )
    out_docs = (
        docs.join(meta_df, on="article_id", how="inner")
        .with_columns(
            pl.coalesce("stated_published", "published").alias("published"),
            pl.coalesce("stated_outlet", "outlet").alias("outlet"),
            pl.coalesce("stated_byline", "byline").alias("byline"),
        )
        .drop("stated_published", "stated_outlet", "stated_byline")
    )
    paragraphs = pl.DataFrame({
        "article_id": pl.Series(p_aid, dtype=pl.String), "paragraph_index": pl.Series(p_idx, dtype=pl.Int32),
        "role": pl.Series(p_role, dtype=pl.String), "text": pl.Series(p_text, dtype=pl.String),
        "char_start": pl.Series(p_start, dtype=pl.Int32), "char_end": pl.Series(p_end, dtype=pl.Int32),
    })
    sentences = pl.DataFrame({
        "article_id": pl.Series(s_aid, dtype=pl.String), "sentence_index": pl.Series(s_idx, dtype=pl.Int32),
        "paragraph_index": pl.Series(s_para, dtype=pl.Int32), "text": pl.Series(s_text, dtype=pl.String),
        "char_start": pl.Series(s_start, dtype=pl.Int32), "char_end": pl.Series(s_end, dtype=pl.Int32),
    })
    return out_docs, paragraphs, sentences, pl.DataFrame(rejects, schema=REJECT_SCHEMA)


# ---------------------------------------------------------------- extract
QUOTE_SCHEMA = {
    "article_id": pl.String, "source_file": pl.String, "quote_index": pl.Int32, "sentence_index": pl.Int32,
    "paragraph_index": pl.Int32, "char_start": pl.Int32, "char_end": pl.Int32, "quote": pl.String,
    "speaker": pl.String, "speaker_kind": pl.String, "kind": pl.String, "verb": pl.String, "flagged": pl.Boolean,
}
FIGURE_SCHEMA = {
    "article_id": pl.String, "source_file": pl.String, "figure_index": pl.Int32, "sentence_index": pl.Int32,
    "char_start": pl.Int32, "char_end": pl.Int32, "span": pl.String, "kind": pl.String, "value": pl.Float64,
    "value_high": pl.Float64, "unit": pl.String, "qualifier": pl.String, "base": pl.String, "per": pl.String,
    "spelled": pl.Boolean, "subject": pl.String,
}


def _group(frame: pl.DataFrame) -> dict[str, list[dict]]:
    """The rows of frame as dicts, by article_id (in frame order)."""
    cols = frame.columns
    key = cols.index("article_id")
    out: dict[str, list[dict]] = {}
    for values in zip(*[frame.get_column(c).to_list() for c in cols]):
        row = dict(zip(cols, values))
        rows = out.get(values[key])
        if rows is None:
            out[values[key]] = [row]
        else:
            rows.append(row)
    return out


def extract_batch(docs: pl.DataFrame, paragraphs: pl.DataFrame, sentences: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Quotes with speakers and figures for each document: (quotes, figures, rejects)."""
    paras_by, sents_by = _group(paragraphs.drop("text")), _group(sentences.drop("text"))
    # The output is built column by column (one list per column, one frame at the end): a dict
    # per row cost as much as a fifth of the extraction itself.
    q_cols: dict[str, list] = {k: [] for k in QUOTE_SCHEMA}
    f_cols: dict[str, list] = {k: [] for k in FIGURE_SCHEMA}
    q_own = [(k, q_cols[k]) for k in QUOTE_SCHEMA if k not in ("article_id", "source_file", "quote_index", "flagged")]
    f_own = [(k, f_cols[k]) for k in FIGURE_SCHEMA if k not in ("article_id", "source_file", "figure_index", "spelled")]
    rejects: list[dict] = []
    # An article whose text, paragraphs and sentences are those of an earlier article of the batch
    # (a copy under another name: feeds repeat stories) gets copies of that article's rows:
    # extraction is a function of these three alone.
    done: dict[str, tuple] = {}  # text -> (paragraphs, sentences, (first, end) of its quote rows, of its figure rows)

    def _same_rows(a: list[dict], b: list[dict]) -> bool:
        """Whether two articles' paragraph (or sentence) rows agree in everything but the article_id."""
        return len(a) == len(b) and all(
            x.keys() == y.keys() and all(x[k] == y[k] for k in x if k != "article_id") for x, y in zip(a, b))

    for aid, sf, ch, text in zip(docs["article_id"], docs["source_file"], docs["content_hash"], docs["text"]):
        paras, sents = paras_by.get(aid, []), sents_by.get(aid, [])
        seen = done.get(text) if text is not None else None
        if seen is not None and _same_rows(seen[0], paras) and _same_rows(seen[1], sents):
            for cols, index, (a, b) in ((q_cols, "quote_index", seen[2]), (f_cols, "figure_index", seen[3])):
                if a == b:
                    continue
                cols["article_id"].extend([aid] * (b - a))
                cols["source_file"].extend([sf] * (b - a))
                cols[index].extend(range(b - a))
                for k, col in cols.items():
                    if k not in ("article_id", "source_file", index):
                        col.extend(col[a:b])
            continue
        try:
            qs = quotes.extract_quotes(text, paras, sents)
            fs = figures.extract_figures(text, sents, paras)
        except Exception as err:
            rejects.append(_extraction_reject(sf, ch, "extract", err))
            continue
        spans = []
        for rows, cols, own, index, flag in ((qs, q_cols, q_own, "quote_index", "flagged"),
                                             (fs, f_cols, f_own, "figure_index", "spelled")):
            first = len(cols["article_id"])
            spans.append((first, first + len(rows)))
            if not rows:
                continue
            n = len(rows)
            cols["article_id"].extend([aid] * n)
            cols["source_file"].extend([sf] * n)
            cols[index].extend(range(n))
            cols[flag].extend([bool(r.get(flag, False)) for r in rows])
            for k, col in own:
                col.extend([r.get(k) for r in rows])
        if seen is None and text is not None:
            done[text] = (paras, sents, spans[0], spans[1])
    return (
        pl.DataFrame(q_cols, schema=QUOTE_SCHEMA),
        pl.DataFrame(f_cols, schema=FIGURE_SCHEMA),
        pl.DataFrame(rejects, schema=REJECT_SCHEMA),
    )


def _extraction_reject(source_file: str, content_hash: str, stage: str, err: Exception) -> dict:
    where = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    loc = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return {"source_file": source_file, "reason": f"{stage}_error", "detail": f"{type(err).__name__}: {err}{loc}",
            "content_hash": content_hash}


# ---------------------------------------------------------------- cluster
def cluster_features(articles: pl.DataFrame, sentences: pl.DataFrame, quotes_: pl.DataFrame,
                     figures_: pl.DataFrame) -> dedup.Features:
    """What clustering needs of a batch of new articles; needs no state, so it runs beside the batch's other work."""
    return dedup.batch_features(articles, sentences, quotes_, figures_)


def cluster_add(features: dedup.Features, state: dedup.DedupState | None = None) -> dedup.DedupState:
    """Add a batch of new articles (their cluster_features) to the near-duplicate state (signatures, evidence,
    links): as the last batch left it, as publish.load_state read it, or none yet."""
    # Clusters are only worked out once, at the end of the run (cluster_final).
    return dedup.add_features(state if state is not None else dedup.DedupState.empty(), features)


def cluster_final(state: dedup.DedupState | None,
                  current: pl.DataFrame) -> tuple[pl.DataFrame, Iterator[pl.DataFrame], dedup.DedupState | None]:
    """Story clusters over the current articles: (article_clusters, sentence_reuse as parts, state).

    The state is first cut down to the articles still in the input, so a removed
    or changed file leaves no trace in the clusters. The sentence reuse parts, in the
    table's order, are worked out as they are consumed (publish.write_whole writes each
    before the next is made): at a million articles the table is ~200 MB, held at the
    run's end beside everything else when it came as one frame.
    """
    if state is None or current.is_empty():
        return pl.DataFrame(), iter(()), None
    kept = state.restrict(current["article_id"])
    clusters, reuse = dedup.final_tables(kept)
    return clusters, reuse, kept


def articles_frame(docs: pl.DataFrame, ingested_at: datetime | None = None) -> pl.DataFrame:
    """The articles table rows for documents that came through every stage."""
    now = ingested_at or datetime.now(timezone.utc)
    return docs.with_columns(
        pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("ingested_at"),
        pl.lit(schema.EXTRACTION_VERSION).alias("extraction_version"),
    )


def drop_rejected(frame: pl.DataFrame, rejects: pl.DataFrame, key: str = "source_file") -> pl.DataFrame:
    if rejects.is_empty():
        return frame
    return frame.join(rejects.select(key), on=key, how="anti")
