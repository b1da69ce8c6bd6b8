"""Near-duplicates and story clusters: exact copies, MinHash near-copies and rewrites.

`cluster_articles` takes a run's new articles (with their sentences, quotes and
figures) and what earlier runs left (`DedupState`), and links every new
article to the articles it duplicates, old or new, without comparing all pairs:

- exact_bytes: same content_hash (byte-identical files);
- exact_text: same cleaned text up to case, punctuation and spacing;
- minhash: candidate pairs from LSH banding over a one-permutation MinHash of
  5-word shingles (128 slots, 42 bands of 3 rows: ~0.3 Jaccard starts to
  collide, ~0.5 almost always does), accepted when the estimated Jaccard is
  0.6 or more; from 0.4 only when `verify_pair` finds a copy (below);
- rewrite: heavy paraphrases that share few 5-word runs; candidates come from
  banding a MinHash of the lede's content words (first two full sentences),
  kept when the lede or whole-article content words are fairly similar, and
  accepted only when `verify_pair` finds a copy (method minhash) or a paraphrase.

`verify_pair` aligns the two articles sentence by sentence (each sentence is
its set of content-word stems, compared by Dice): a copy keeps the shorter
article nearly verbatim and in order, with the same lede; a paraphrase has a
loose counterpart for nearly every sentence of both, on one in-order
alignment, with corresponding ledes and closing sentences and little copied
verbatim. A follow-up story (new lede over background copied as a block)
passes neither, even when it shares many sentences and quotes.

Clusters are connected components of the accepted pairs plus earlier clusters;
cluster_id is the earliest member's article_id (ingested_at, source_file,
article_id), so ids survive later runs unless a new article joins two
clusters, when the later cluster takes the earlier one's id.

Every hash is stable across processes and library versions (BLAKE2b of each
distinct token or string, then fixed 64-bit arithmetic in polars), so the
state written by one run is valid in the next. Work is linear in the number of
articles: band buckets larger than BUCKET_CAP are linked as a star to their
earliest member instead of all pairs.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field

import polars as pl

# ---------------------------------------------------------------- parameters
SHINGLE = 5
SLOTS = 128  # one-permutation MinHash slots over shingles
ROWS = 3  # rows per band
BANDS = 42  # 42 * 3 = 126 of the 128 slots
WORD_SLOTS = 64  # MinHash of an article's content-word set
LEDE_SLOTS = 32  # MinHash of the lede's content-word set
LEDE_ROWS = 2
LEDE_BANDS = 16
BUCKET_CAP = 64  # larger band buckets: star to the earliest member

# Acceptance rules (Jaccard estimates from the signatures).
MINHASH_ALONE = 0.6  # near-copies: accept on the estimate alone
MINHASH_CONFIRMED = 0.4  # from here up to MINHASH_ALONE: accepted only when verify_pair agrees
# Candidate pairs below MINHASH_ALONE, and lede-band candidates, are verified by sentence alignment
# (see `verify_pair`): each sentence is its set of content-word stems (first STEM letters), compared by Dice.
CANDIDATE_LEDE = 0.25  # lede-band candidates: lede MinHash estimate at least this, or
CANDIDATE_WORDS = 0.2  # content-word MinHash estimate at least this
STEM = 5
SENT_MIN_STEMS = 3  # sentences with fewer distinct stems are left out of the alignment
STRONG = 0.6  # Dice of a copied (or lightly edited) sentence
WEAK = 0.25  # Dice of a paraphrased sentence
# copy rule (near-copy, trim, update): the shorter article mostly copied in order, the longer half covered.
COPY_SHORT, COPY_LONG, COPY_LEDE = 0.75, 0.5, 0.6
# paraphrase rule (rewrite): every part paraphrased in order, same lede and close, little copied verbatim.
PARA_MONO, PARA_LEDE, PARA_CLOSE, PARA_MAX_COPIED = 0.39, 0.45, 0.25, 0.15

# Sentence reuse: sentences shorter than this (normalised words) are skipped.
REUSE_MIN_WORDS = 6
QUOTE_MIN_WORDS = 4

METHODS = ("exact_bytes", "exact_text", "minhash", "rewrite", "singleton")
_RANK = {m: i for i, m in enumerate(METHODS)}

_MASK32 = (1 << 32) - 1
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_MUL = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
        0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53)

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
off on once only or other our ours ourselves out over own said same say says she should so some such than that
the their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves mr mrs ms
s t told
""".split())

_WORD_RE = r"\w+"


# ---------------------------------------------------------------- hashing
def _blake(values) -> list[int]:
    return [int.from_bytes(hashlib.blake2b(v.encode("utf-8"), digest_size=8).digest(), "little") for v in values]


def stable_hash(s: pl.Series) -> pl.Series:
    """UInt64 BLAKE2b-64 of each string, computed once per distinct value; stable across versions."""
    uniq = s.drop_nulls().unique()
    table = pl.DataFrame({"_v": uniq, "_h": pl.Series(_blake(uniq.to_list()), dtype=pl.UInt64)})
    out = pl.DataFrame({"_v": s}).join(table, on="_v", how="left", maintain_order="left")["_h"]
    return out.alias(s.name)


def _mix(e: pl.Expr) -> pl.Expr:
    """splitmix64 finaliser in wrapping UInt64 arithmetic (x >> k written as x // 2**k)."""
    e = e.cast(pl.UInt64)
    e = e ^ (e // (1 << 30))
    e = e * pl.lit(_M1, pl.UInt64)
    e = e ^ (e // (1 << 27))
    e = e * pl.lit(_M2, pl.UInt64)
    return e ^ (e // (1 << 31))


def _tokens(frame: pl.DataFrame, key: str, text: str) -> pl.DataFrame:
    """Long frame (key, pos, tok, th): lower-cased word tokens with stable UInt64 hashes."""
    long = (
        frame.select(key, pl.col(text).str.to_lowercase().str.extract_all(_WORD_RE).alias("tok"))
        .explode("tok")
        .drop_nulls("tok")
        .with_columns(pos=pl.int_range(pl.len()).over(key).cast(pl.Int32))
    )
    vocab = long.select(pl.col("tok").unique())
    vocab = vocab.with_columns(th=stable_hash(vocab["tok"]))
    return long.join(vocab, on="tok", how="left", maintain_order="left")


# ---------------------------------------------------------------- signatures
def _oph(items: pl.DataFrame, key: str, slots: int, ids: pl.Series) -> pl.DataFrame:
    """One-permutation MinHash, densified: (key, sig List[UInt32] of `slots` values) for every id.

    items: (key, h) with h a UInt64 hash of each set element. Ids with no items get a null signature.
    """
    h = _mix(pl.col("h"))
    per = (
        items.select(key, h.alias("m"))
        .select(key, (pl.col("m") % slots).cast(pl.Int32).alias("slot"),
                ((pl.col("m") // slots) % (1 << 32)).cast(pl.UInt32).alias("v"))
        .group_by(key, "slot").agg(pl.col("v").min())
    )
    ends = per.group_by(key).agg(first_v=pl.col("v").sort_by("slot").first(), last_slot=pl.col("slot").max())
    grid = ends.select(key).join(pl.DataFrame({"slot": pl.int_range(slots, eager=True).cast(pl.Int32)}), how="cross")
    # Densification, circular: an empty slot borrows the next filled slot's value.
    dense = (
        grid.join(per, on=[key, "slot"], how="left")
        .sort(key, "slot")
        .with_columns(pl.col("v").fill_null(strategy="backward"))
        .join(ends, on=key, how="left", maintain_order="left")
        .with_columns(v=pl.when(pl.col("slot") > pl.col("last_slot")).then(pl.col("first_v")).otherwise(pl.col("v")))
        .group_by(key, maintain_order=True).agg(pl.col("v").alias("sig"))
    )
    return pl.DataFrame({key: ids}).join(dense, on=key, how="left", maintain_order="left")


def _bands(sigs: pl.DataFrame, key: str, rows: int, bands: int) -> pl.DataFrame:
    """(key, band, bkey): the LSH band keys of each non-null signature."""
    long = (
        sigs.drop_nulls("sig")
        .select(key, pl.col("sig").list.head(rows * bands))
        .explode("sig")
        .with_columns(i=pl.int_range(pl.len()).over(key))
    )
    mult = pl.Series("mult", [_MUL[i] for i in range(rows)], dtype=pl.UInt64)
    return (
        long.with_columns(band=(pl.col("i") // rows).cast(pl.Int16),
                          term=pl.col("sig").cast(pl.UInt64) * pl.lit(mult).gather(pl.col("i") % rows))
        .group_by(key, "band").agg(pl.col("term").sum())
        .select(key, "band", bkey=_mix(pl.col("term") + pl.col("band").cast(pl.UInt64) * pl.lit(_MUL[5], pl.UInt64)))
    )


def _with_agreement(frame: pl.DataFrame, out: str, a: str, b: str, n: int) -> pl.DataFrame:
    """Add column `out`: fraction of equal slots of list columns a and b (null when either is null)."""
    if frame.height == 0:
        return frame.with_columns(pl.lit(None, pl.Float64).alias(out))
    idx = frame.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_p"), a, b)
    valid = idx.filter(pl.col(a).is_not_null() & pl.col(b).is_not_null())
    long = valid.select(pl.col("_p").repeat_by(n).explode(), pl.col(a).explode(), pl.col(b).explode())
    agg = long.group_by("_p").agg(((pl.col(a) == pl.col(b)).sum() / n).cast(pl.Float64).alias(out))
    return frame.with_columns(
        idx.select("_p").join(agg, on="_p", how="left", maintain_order="left")[out])


# ---------------------------------------------------------------- features of new articles
def _norm_text(col: str) -> pl.Expr:
    """Lower case, every run of non-word characters folded to one space."""
    return pl.col(col).str.to_lowercase().str.replace_all(r"[^\w]+", " ").str.strip_chars()


def _article_features(articles: pl.DataFrame, sentences: pl.DataFrame) -> dict[str, pl.DataFrame]:
    ids = articles["article_id"]
    toks = _tokens(articles, "article_id", "text")
    n_tok = toks.group_by("article_id").agg(pl.len().alias("n"))
    toks = toks.join(n_tok, on="article_id")
    # 5-word shingles: within each article, a rolling combination of the token hashes.
    sh = pl.lit(0, pl.UInt64)
    for k in range(SHINGLE):
        sh = sh + pl.col("th").shift(-k) * pl.lit(_MUL[k], pl.UInt64)
    shingles = (
        toks.with_columns(h=sh)
        .filter(pl.col("pos") + SHINGLE <= pl.col("n"))
        .select("article_id", "h")
    )
    # Articles shorter than a shingle: the whole token run is their only shingle.
    short = toks.filter(pl.col("n") < SHINGLE).group_by("article_id").agg(
        (pl.col("th") * pl.lit(_MUL[0], pl.UInt64) + pl.col("pos").cast(pl.UInt64)).sum().alias("h"))
    shingles = pl.concat([shingles, short])
    sig = _oph(shingles, "article_id", SLOTS, ids)
    content = toks.filter(~pl.col("tok").is_in(list(STOPWORDS)) & (pl.col("tok").str.len_chars() > 1))
    wsig = _oph(content.select("article_id", h="th").unique(), "article_id", WORD_SLOTS, ids).rename({"sig": "wsig"})
    # Lede: the first two full sentences (>= 10 words, ending in . ! ? or a closing mark).
    lede_s = (
        sentences.sort("article_id", "sentence_index")
        .filter(pl.col("text").str.count_matches(_WORD_RE) >= 10,
                pl.col("text").str.strip_chars().str.contains(r"[.!?][\"'”’»)]*$"))
        .group_by("article_id", maintain_order=True).head(2)
    )
    lt = _tokens(lede_s.with_row_index("_r").with_columns(pl.col("_r").cast(pl.Int64)), "_r", "text")
    lt = lt.join(lede_s.with_row_index("_r").select(pl.col("_r").cast(pl.Int64), "article_id"), on="_r")
    lt = lt.filter(~pl.col("tok").is_in(list(STOPWORDS)) & (pl.col("tok").str.len_chars() > 1))
    lsig = _oph(lt.select("article_id", h="th").unique(), "article_id", LEDE_SLOTS, ids).rename({"sig": "lsig"})
    sketch = _sketches(sentences, ids)
    text_hash = stable_hash(articles.select(_norm_text("text"))["text"])
    sigs = (
        articles.select("article_id", "content_hash", "source_file", "ingested_at")
        .with_columns(text_hash=text_hash)
        .join(n_tok, on="article_id", how="left")
        .with_columns(words=pl.col("n").fill_null(0).cast(pl.Int32))
        .drop("n")
        .join(sig, on="article_id", how="left")
        .join(wsig, on="article_id", how="left")
        .join(lsig, on="article_id", how="left")
        .join(sketch, on="article_id", how="left")
    )
    return {"signatures": sigs}


def _sketches(sentences: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """(article_id, sketch): per sentence in order, the sorted 16-bit hashes of its content-word stems.

    Stems are the first STEM letters of words that are not stopwords; sentences with fewer than
    SENT_MIN_STEMS distinct stems are left out. Hashes are BLAKE2b-derived, in 1..65535.
    """
    toks = (
        sentences.select("article_id", "sentence_index", tok=pl.col("text").str.to_lowercase().str.extract_all(_WORD_RE))
        .explode("tok").drop_nulls("tok")
        .filter(~pl.col("tok").is_in(list(STOPWORDS)) & (pl.col("tok").str.len_chars() > 1))
        .with_columns(stem=pl.col("tok").str.slice(0, STEM))
    )
    vocab = toks.select(pl.col("stem").unique())
    vocab = vocab.with_columns(h=(stable_hash(vocab["stem"]) % 65535 + 1).cast(pl.UInt16))
    per = (
        toks.join(vocab, on="stem", how="left")
        .group_by("article_id", "sentence_index").agg(pl.col("h").unique().sort())
        .filter(pl.col("h").list.len() >= SENT_MIN_STEMS)
        .sort("article_id", "sentence_index")
        .group_by("article_id", maintain_order=True).agg(sketch=pl.col("h"))
    )
    return pl.DataFrame({"article_id": ids}).join(per, on="article_id", how="left", maintain_order="left")


# ---------------------------------------------------------------- pair verification
def _lis(seq: list[int]) -> int:
    """Length of the longest strictly increasing subsequence."""
    tails: list[int] = []
    for v in seq:
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
    return len(tails)


def _in_order(m: list[list[float]], n: int, k: int, thr: float) -> float:
    """Share of the n rows whose best column (Dice >= thr) lies on one increasing alignment."""
    seq = []
    for i in range(n):
        row = m[i]
        j = max(range(k), key=row.__getitem__)
        if row[j] >= thr:
            seq.append(j)
    return _lis(seq) / n


def pair_features(a: list[set], b: list[set]) -> dict[str, float]:
    """Sentence alignment of two articles (each a list of per-sentence stem sets, in order)."""
    m = [[2 * len(x & y) / (len(x) + len(y)) for y in b] for x in a]
    mt = [list(col) for col in zip(*m)]
    na, nb = len(a), len(b)
    wa, wb = _in_order(m, na, nb, WEAK), _in_order(mt, nb, na, WEAK)
    sa, sb = _in_order(m, na, nb, STRONG), _in_order(mt, nb, na, STRONG)
    copied_a = sum(max(r) >= STRONG for r in m) / na
    copied_b = sum(max(r) >= STRONG for r in mt) / nb
    short_first = na <= nb
    return {
        "weak_short": wa if short_first else wb, "weak_long": wb if short_first else wa,
        "strong_short": sa if short_first else sb, "strong_long": sb if short_first else sa,
        "copied_short": copied_a if short_first else copied_b,
        "lede": max(m[i][j] for i in range(min(2, na)) for j in range(min(2, nb))),
        "close": max(max(m[-1][-2:]), max(m[i][-1] for i in range(max(0, na - 2), na))),
    }


def verify_pair(a: list[set], b: list[set]) -> str | None:
    """'copy', 'paraphrase' or None (not the same story) for two articles' sentence stem sets.

    copy: the shorter article's sentences mostly reappear nearly verbatim, in order, in the longer,
    which is itself at least half covered, and the ledes match closely (near-copies, trims, updates
    that keep the story). paraphrase: nearly every sentence of both has a loose counterpart on one
    in-order alignment, the ledes and the closing sentences correspond, and little is copied verbatim
    (a rewrite). A follow-up story fails both: a new lede, and background copied as a block.
    """
    if len(a) < 2 or len(b) < 2:
        return None
    f = pair_features(a, b)
    if f["strong_short"] >= COPY_SHORT and f["strong_long"] >= COPY_LONG and f["lede"] >= COPY_LEDE:
        return "copy"
    if (min(f["weak_short"], f["weak_long"]) >= PARA_MONO and f["lede"] >= PARA_LEDE
            and f["close"] >= PARA_CLOSE and f["copied_short"] <= PARA_MAX_COPIED):
        return "paraphrase"
    return None


def _verified(pairs: pl.DataFrame, sigs: pl.DataFrame) -> pl.DataFrame:
    """The pairs (a, b, ...) verify_pair accepts, with column `verdict`."""
    if pairs.height == 0:
        return pairs.with_columns(verdict=pl.lit(None, pl.String))
    ids = pl.concat([pairs["a"], pairs["b"]]).unique()
    sk = sigs.select("article_id", "sketch").join(ids.to_frame("article_id"), on="article_id", how="semi")
    sets = {k: [set(x) for x in v] if v is not None else [] for k, v in zip(sk["article_id"].to_list(), sk["sketch"].to_list())}
    verdict = [verify_pair(sets.get(x, []), sets.get(y, [])) for x, y in zip(pairs["a"].to_list(), pairs["b"].to_list())]
    return pairs.with_columns(verdict=pl.Series(verdict, dtype=pl.String)).filter(pl.col("verdict").is_not_null())


def _evidence(articles: pl.DataFrame, sentences: pl.DataFrame, quotes: pl.DataFrame,
              figures: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(evidence: article_id, kind, key) exact signals; sentence texts: sentence_hash, sentence."""
    sn = sentences.select("article_id", sentence=_norm_text("text")).filter(
        pl.col("sentence").str.count_matches(_WORD_RE) >= REUSE_MIN_WORDS)
    sn = sn.with_columns(key=stable_hash(sn["sentence"])).unique(["article_id", "key"])
    parts = [sn.select("article_id", kind=pl.lit("sentence"), key="key")]
    if quotes.height:
        qn = quotes.select("article_id", q=_norm_text("quote")).filter(
            pl.col("q").str.count_matches(_WORD_RE) >= QUOTE_MIN_WORDS)
        parts.append(qn.select("article_id", kind=pl.lit("quote"), key=stable_hash(qn["q"])))
    if figures.height:
        fk = figures.select("article_id", f=pl.concat_str(
            pl.col("kind").cast(pl.String), pl.col("value").round(6).cast(pl.String),
            pl.col("unit").cast(pl.String).fill_null(""), separator="|")).drop_nulls("f")
        parts.append(fk.select("article_id", kind=pl.lit("figure"), key=stable_hash(fk["f"])))
    ev = pl.concat(parts).unique().sort("article_id", "kind", "key")
    texts = sn.select(sentence_hash="key", sentence="sentence").unique("sentence_hash").sort("sentence_hash")
    return ev, texts


# ---------------------------------------------------------------- state
@dataclass
class DedupState:
    """What earlier runs left, as polars frames (one Parquet table each).

    signatures: article_id, content_hash, source_file, ingested_at, text_hash, words, sig, wsig, lsig, sketch
    evidence:   article_id, kind ('sentence' | 'quote' | 'figure'), key (UInt64 hash of the normalised value)
    sentences:  sentence_hash, sentence (normalised text, kept only for sentences seen in > 1 article)
    edges:      a, b, method, similarity: every accepted pair so far (a earlier than b)
    """

    signatures: pl.DataFrame
    evidence: pl.DataFrame
    sentences: pl.DataFrame
    edges: pl.DataFrame
    params: dict = field(default_factory=lambda: {"shingle": SHINGLE, "slots": SLOTS, "bands": BANDS, "rows": ROWS})

    TABLES = ("dedup_signatures", "dedup_evidence", "dedup_sentences", "dedup_edges")

    def to_frames(self) -> dict[str, pl.DataFrame]:
        return dict(zip(self.TABLES, (self.signatures, self.evidence, self.sentences, self.edges)))

    @classmethod
    def from_frames(cls, frames: dict[str, pl.DataFrame]) -> "DedupState":
        return cls(*(frames[t] for t in cls.TABLES))

    @classmethod
    def empty(cls) -> "DedupState":
        return cls(
            pl.DataFrame(schema=_SIG_SCHEMA),
            pl.DataFrame(schema={"article_id": pl.String, "kind": pl.String, "key": pl.UInt64}),
            pl.DataFrame(schema={"sentence_hash": pl.UInt64, "sentence": pl.String}),
            pl.DataFrame(schema=_EDGE_SCHEMA),
        )


_SIG_SCHEMA = {
    "article_id": pl.String, "content_hash": pl.String, "source_file": pl.String,
    "ingested_at": pl.Datetime("us", "UTC"), "text_hash": pl.UInt64, "words": pl.Int32,
    "sig": pl.List(pl.UInt32), "wsig": pl.List(pl.UInt32), "lsig": pl.List(pl.UInt32),
    "sketch": pl.List(pl.List(pl.UInt16)),
}
_EDGE_SCHEMA = {"a": pl.String, "b": pl.String, "method": pl.String, "similarity": pl.Float64}
CLUSTER_SCHEMA = {"article_id": pl.String, "cluster_id": pl.String, "similarity": pl.Float64, "method": pl.String}
REUSE_SCHEMA = {"sentence_hash": pl.UInt64, "sentence": pl.String, "article_ids": pl.List(pl.String),
                "articles": pl.UInt32}


# ---------------------------------------------------------------- candidate pairs
def _order(sigs: pl.DataFrame) -> pl.DataFrame:
    """article_id -> rank: earliest by ingested_at, then source_file, then article_id."""
    return (
        sigs.select("article_id", "ingested_at", "source_file")
        .sort("ingested_at", "source_file", "article_id", nulls_last=True)
        .with_row_index("rank")
        .select("article_id", "rank")
    )


def _bucket_pairs(keys: pl.DataFrame, group: list[str], rank: pl.DataFrame, new_ids: pl.DataFrame) -> pl.DataFrame:
    """Pairs (a, b) of articles sharing a key in `group`, at least one of them new, a before b.

    Small buckets give all pairs; a bucket over BUCKET_CAP links each member to its earliest member.
    """
    k = keys.join(rank, on="article_id").with_columns(
        new=pl.col("article_id").is_in(new_ids["article_id"].implode()))
    touched = k.filter(pl.col("new")).select(group).unique()
    k = k.join(touched, on=group, how="semi")
    sizes = k.group_by(group).agg(pl.len().alias("size"), pl.col("rank").min().alias("first"))
    k = k.join(sizes, on=group)
    small = k.filter(pl.col("size") <= BUCKET_CAP)
    pairs = (
        small.join(small.select(*group, b="article_id", rank_b="rank", new_b="new"), on=group)
        .filter(pl.col("rank") < pl.col("rank_b"), pl.col("new") | pl.col("new_b"))
        .select(a="article_id", b="b")
    )
    big = k.filter(pl.col("size") > BUCKET_CAP)
    star = (
        big.join(big.filter(pl.col("rank") == pl.col("first")).select(*group, a="article_id"), on=group)
        .filter(pl.col("a") != pl.col("article_id"), pl.col("new"))
        .select("a", b="article_id")
    )
    return pl.concat([pairs, star]).unique()


def _shared_evidence(pairs: pl.DataFrame, evidence: pl.DataFrame) -> pl.DataFrame:
    """(a, b, shared): distinct exact signals the two articles share."""
    if pairs.height == 0:
        return pairs.with_columns(shared=pl.lit(0, pl.UInt32))
    ea = evidence.join(pairs.select("a").unique(), left_on="article_id", right_on="a", how="semi")
    eb = evidence.join(pairs.select("b").unique(), left_on="article_id", right_on="b", how="semi")
    shared = (
        pairs.join(ea.rename({"article_id": "a"}), on="a")
        .join(eb.rename({"article_id": "b"}), on=["b", "kind", "key"])
        .group_by("a", "b").agg(pl.len().cast(pl.UInt32).alias("shared"))
    )
    return pairs.join(shared, on=["a", "b"], how="left").with_columns(pl.col("shared").fill_null(0))


def _with_sigs(pairs: pl.DataFrame, sigs: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    s = sigs.select("article_id", *cols)
    return (
        pairs.join(s.rename({c: f"{c}_a" for c in cols}), left_on="a", right_on="article_id")
        .join(s.rename({c: f"{c}_b" for c in cols}), left_on="b", right_on="article_id")
    )


def _new_edges(sigs: pl.DataFrame, evidence: pl.DataFrame, new_ids: pl.DataFrame, rank: pl.DataFrame) -> pl.DataFrame:
    """Accepted pairs involving at least one new article."""
    edges = []
    # Exact: same bytes, then same normalised text.
    for method, col in (("exact_bytes", "content_hash"), ("exact_text", "text_hash")):
        p = _bucket_pairs(sigs.select("article_id", col).drop_nulls(), [col], rank, new_ids)
        edges.append(p.with_columns(method=pl.lit(method), similarity=pl.lit(1.0)))
    # MinHash near-copies: accepted on a high estimate; a fair one must pass the sentence alignment.
    bands = _bands(sigs.select("article_id", "sig"), "article_id", ROWS, BANDS)
    cand = _bucket_pairs(bands, ["band", "bkey"], rank, new_ids)
    cand = _with_agreement(_with_sigs(cand, sigs, ["sig"]), "j", "sig_a", "sig_b", SLOTS)
    cand = cand.filter(pl.col("j") >= MINHASH_CONFIRMED).select("a", "b", "j")
    edges.append(cand.filter(pl.col("j") >= MINHASH_ALONE).select("a", "b", method=pl.lit("minhash"), similarity="j"))
    fair = _verified(cand.filter(pl.col("j") < MINHASH_ALONE), sigs)
    edges.append(fair.select("a", "b", method=pl.lit("minhash"), similarity="j"))
    # Rewrites: candidates from similar ledes, then the sentence alignment decides.
    lb = _bands(sigs.select("article_id", sig="lsig"), "article_id", LEDE_ROWS, LEDE_BANDS)
    rc = _bucket_pairs(lb, ["band", "bkey"], rank, new_ids)
    rc = rc.join(cand.select("a", "b"), on=["a", "b"], how="anti")
    rc = _with_sigs(rc, sigs, ["lsig", "wsig", "sig"])
    rc = _with_agreement(rc, "lj", "lsig_a", "lsig_b", LEDE_SLOTS)
    rc = _with_agreement(rc, "wj", "wsig_a", "wsig_b", WORD_SLOTS)
    rc = rc.filter((pl.col("lj") >= CANDIDATE_LEDE) | (pl.col("wj") >= CANDIDATE_WORDS))
    rc = _with_agreement(rc, "j", "sig_a", "sig_b", SLOTS)
    rc = _verified(rc.select("a", "b", "j"), sigs)
    edges.append(rc.select("a", "b", method=pl.when(pl.col("verdict") == "copy").then(pl.lit("minhash"))
                           .otherwise(pl.lit("rewrite")), similarity="j"))
    out = pl.concat([e.select(_EDGE_SCHEMA.keys()).cast(_EDGE_SCHEMA) for e in edges])
    # One edge per pair, strongest method first.
    out = (
        out.with_columns(r=pl.col("method").replace_strict(_RANK, return_dtype=pl.Int8))
        .sort("a", "b", "r").unique(["a", "b"], keep="first", maintain_order=True).drop("r")
    )
    # Orient a before b.
    out = out.join(rank.rename({"article_id": "a", "rank": "ra"}), on="a").join(
        rank.rename({"article_id": "b", "rank": "rb"}), on="b")
    return out.select(
        a=pl.when(pl.col("ra") < pl.col("rb")).then("a").otherwise("b"),
        b=pl.when(pl.col("ra") < pl.col("rb")).then("b").otherwise("a"),
        method="method", similarity="similarity",
    ).unique(["a", "b"], keep="first", maintain_order=True)


# ---------------------------------------------------------------- clusters
def _components(edges: pl.DataFrame, rank: pl.DataFrame) -> pl.DataFrame:
    """(article_id, cluster_id): union-find over edges, root = the earliest member."""
    r = dict(zip(rank["article_id"].to_list(), rank["rank"].to_list()))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in zip(edges["a"].to_list(), edges["b"].to_list()):
        ra, rb = find(a), find(b)
        if ra != rb:
            if r[rb] < r[ra]:
                ra, rb = rb, ra
            parent[rb] = ra
    ids = rank["article_id"].to_list()
    return pl.DataFrame({"article_id": ids, "cluster_id": [find(x) for x in ids]}, schema={
        "article_id": pl.String, "cluster_id": pl.String})


def _cluster_frame(sigs: pl.DataFrame, edges: pl.DataFrame, rank: pl.DataFrame) -> pl.DataFrame:
    comp = _components(edges, rank)
    # Method: the strongest accepted pair that touches the article; singleton without any.
    ends = pl.concat([edges.select(article_id="a", method="method"), edges.select(article_id="b", method="method")])
    best = (
        ends.with_columns(r=pl.col("method").replace_strict(_RANK, return_dtype=pl.Int8))
        .group_by("article_id").agg(pl.col("method").sort_by("r").first())
    )
    root_sig = sigs.select(cluster_id="article_id", root_sig="sig")
    out = (
        comp.join(best, on="article_id", how="left")
        .join(sigs.select("article_id", "sig"), on="article_id", how="left")
        .join(root_sig, on="cluster_id", how="left")
        .join(rank, on="article_id")
    )
    out = (
        _with_agreement(out, "agree", "sig", "root_sig", SLOTS)
        .with_columns(
            method=pl.col("method").fill_null("singleton"),
            similarity=pl.when(pl.col("article_id") == pl.col("cluster_id")).then(1.0)
            .when(pl.col("method").is_in(["exact_bytes", "exact_text"])
                  & (pl.col("sig").is_null() | pl.col("root_sig").is_null())).then(1.0)
            .otherwise(pl.col("agree")).fill_null(0.0),
        )
        .sort("rank")
    )
    return out.select(CLUSTER_SCHEMA.keys()).cast(CLUSTER_SCHEMA)


def _sentence_reuse(evidence: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    reused = (
        evidence.filter(pl.col("kind") == "sentence")
        .group_by("key").agg(pl.col("article_id").unique().sort().alias("article_ids"))
        .with_columns(articles=pl.col("article_ids").list.len().cast(pl.UInt32))
        .filter(pl.col("articles") > 1)
    )
    return (
        reused.join(texts, left_on="key", right_on="sentence_hash", how="left")
        .select(sentence_hash="key", sentence="sentence", article_ids="article_ids", articles="articles")
        .sort("articles", "sentence_hash", descending=[True, False])
        .cast(REUSE_SCHEMA)
    )


# ---------------------------------------------------------------- entry point
def cluster_articles(
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    quotes: pl.DataFrame,
    figures: pl.DataFrame,
    previous: DedupState | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, DedupState]:
    """Cluster this run's articles with each other and with every earlier article.

    Returns (article_clusters, sentence_reuse, state), both frames covering all
    articles known so far (earlier runs included), in a stable order:
    - article_clusters: article_id, cluster_id, similarity, method;
    - sentence_reuse: sentence_hash, sentence, article_ids, articles.
    Articles already in `previous` are not recomputed (their signatures are reused).
    """
    prev = previous or DedupState.empty()
    articles = articles.join(prev.signatures.select("article_id"), on="article_id", how="anti")
    articles = articles.unique("article_id", keep="first", maintain_order=True)
    new_ids = articles.select("article_id")
    sentences = sentences.join(new_ids, on="article_id", how="semi")
    quotes = quotes.join(new_ids, on="article_id", how="semi")
    figures = figures.join(new_ids, on="article_id", how="semi")
    if "ingested_at" not in articles.columns:
        articles = articles.with_columns(ingested_at=pl.lit(None, pl.Datetime("us", "UTC")))
    articles = articles.with_columns(pl.col("ingested_at").cast(pl.Datetime("us", "UTC")))

    new_sigs = _article_features(articles, sentences)["signatures"].select(_SIG_SCHEMA.keys()).cast(_SIG_SCHEMA)
    new_ev, new_texts = _evidence(articles, sentences, quotes, figures)
    sigs = pl.concat([prev.signatures.cast(_SIG_SCHEMA), new_sigs])
    evidence = pl.concat([prev.evidence, new_ev.cast(prev.evidence.schema)])
    rank = _order(sigs)

    edges = pl.concat([prev.edges.cast(_EDGE_SCHEMA), _new_edges(sigs, evidence, new_ids, rank)])
    edges = edges.unique(["a", "b"], keep="first", maintain_order=True)
    clusters = _cluster_frame(sigs, edges, rank)

    texts = pl.concat([prev.sentences, new_texts]).unique("sentence_hash", keep="first").sort("sentence_hash")
    reuse = _sentence_reuse(evidence, texts)
    state = DedupState(
        signatures=sigs.sort("article_id"),
        evidence=evidence.sort("article_id", "kind", "key"),
        sentences=texts.join(reuse.select("sentence_hash"), on="sentence_hash", how="semi").sort("sentence_hash"),
        edges=edges.sort("a", "b"),
    )
    return clusters, reuse, state
