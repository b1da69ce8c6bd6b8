"""Near-duplicates and story clusters: exact copies, MinHash near-copies and rewrites.

`cluster_articles` takes a batch of new articles (with their sentences) and what
earlier batches and runs left (`DedupState`), and links every new article to the
earlier articles it duplicates, without comparing all pairs:

- exact_bytes: same content_hash (byte-identical files);
- exact_text: same cleaned text up to case, punctuation and spacing;
- minhash: candidate pairs from LSH banding over a one-permutation MinHash of
  5-word shingles (128 slots; BANDS bands of ROWS rows), accepted when the
  estimated Jaccard is 0.6 or more; from 0.4 only when `verify_pair` finds a
  copy or a paraphrase (below);
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

Quotes and figures (from the extract stage) are exact evidence on top: a pair with the same lede
sentence that the alignment rejects is still a rewrite when most of its distinctive quotes (4+ words,
speaker ignored) and figures (kind, value, unit; no small whole numbers or years) are shared; and a
paraphrase whose articles both state several figures but share (nearly) none, nor a quote, is refused
(another company's results in the same template). Removing articles (`DedupState.restrict`) compares
the remaining members of each cluster that lost one again, so a link that was redundant when found is
not lost with the article that made it redundant.

Work per batch is proportional to the batch: every article has a fixed set of
32-bit lookup keys (its id, its two exact hashes, its shingle and lede LSH band
keys), kept in an index of sorted runs over article ranges whose layout is a
function of the number of articles only (a binary counter of BLOCK-article
blocks: runs merge like carries, so each key is re-sorted O(log N) times over a
whole run). A new article is compared with at most CAP earlier articles per key
(the most recent ones), so a boilerplate bucket costs no more than a small one
and nothing is linked without its own evidence; a lede band that many earlier
articles hold (common words) makes no pair on its own (POPULAR_LEDE).

Clusters and sentence reuse are computed only when asked (`finalize=True`, the
default): clusters are connected components of the accepted pairs; cluster_id
is the earliest member's article_id (ingested_at, source_file, article_id).

Every hash is stable across processes and library versions (BLAKE2b of each
distinct token or string, then fixed 64-bit arithmetic), so the state written
by one run is valid in the next; the state depends only on the articles and
their order, not on how they were split into batches. Its large columns live in
files, one folder per index run (`newsdesk.dedup_files`), read through memory
maps only while a step needs them: memory does not grow with the state.
"""

from __future__ import annotations

import bisect
import hashlib
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa

from newsdesk import dedup_files
from newsdesk.dedup_files import Run, RunWriter, Spill

# ---------------------------------------------------------------- parameters
SHINGLE = 5
SLOTS = 128  # one-permutation MinHash slots over shingles (stored as 8-bit values)
ROWS = 3  # rows per band
BANDS = 30  # 30 * 3 = 90 of the 128 slots
WORD_SLOTS = 32  # MinHash of an article's content-word set
LEDE_SLOTS = 32  # MinHash of the lede's content-word set
LEDE_ROWS = 2
LEDE_BANDS = 12
CAP = 48  # per lookup key, a new article meets at most the CAP most recent earlier articles
# A pair that shares only one lookup key, a lede band already held by this many earlier articles, is not a
# candidate. Two rows of a lede's MinHash are often two common words ("government", "year"): at 300,000
# synthetic articles such bands brought ~250 candidates per new article, 97% of them dropped after their
# signatures were read, and the ones kept were wrong merges (ledes shared by chance); recall was the same.
# A rarer band, or two bands, or a band over shingles still make a pair (the seeds' rewrite shares one band).
POPULAR_LEDE = 16
BLOCK = 1024  # index runs are binary-counter blocks of BLOCK articles
EDGE_CHUNK = 512  # new articles whose candidate pairs are judged at once
LOOKUP_STRETCH = 1 << 21  # index entries (16 MB) searched at once: see _lookup_old

# Acceptance rules (Jaccard estimates from the signatures).
MINHASH_ALONE = 0.6  # near-copies: accepted with mutual ledes (and the copy rule below MINHASH_SURE)
MINHASH_CONFIRMED = 0.4  # from here up to MINHASH_ALONE: accepted only when verify_pair agrees
CANDIDATE_LEDE = 0.25  # other candidates: lede MinHash estimate at least this, or
CANDIDATE_WORDS = 0.2  # content-word MinHash estimate at least this
STEM = 5
SENT_MIN_STEMS = 3  # sentences with fewer distinct stems are left out of the alignment
STRONG = 0.6  # Dice of a copied (or lightly edited) sentence
WEAK = 0.25  # Dice of a paraphrased sentence
# copy rule (near-copy, trim, update): the shorter article mostly copied in order, nearly every one of its
# sentences with a counterpart in the longer, the longer half covered.
COPY_SHORT, COPY_LONG, COPY_LEDE, COPY_COVER = 0.75, 0.5, 0.6, 0.85
# paraphrase rule (rewrite): every part paraphrased in order, same lede and close, little copied verbatim.
PARA_MONO, PARA_LEDE, PARA_CLOSE, PARA_MAX_COPIED = 0.39, 0.45, 0.25, 0.15
# A paraphrase is weak evidence (same-topic stories pass it too): it may attach an article that has no link
# yet, never join two clusters that each already have members.
# Mutual ledes: one of each article's first LEDE_OWN sentences has a counterpart (Dice >= LEDE_MATCH) among the
# other's first LEDE_SEEN. Required of every pair that is not an exact copy (a round-up or a follow-up opens
# with another story's lede; a retitled copy keeps its first body sentence).
LEDE_OWN, LEDE_SEEN, LEDE_MATCH = 2, 3, 0.45
MINHASH_SURE = 0.6  # from here the mutual-lede check alone confirms a near-copy (no alignment)

# Quotes and figures: exact evidence that two articles report the same story (outlets rewrite the prose
# around them, rarely the quoted words or the numbers).
QUOTE_MIN_WORDS = 4  # shorter quotes ("terrorist", "no comment") recur across unrelated stories
FIGURE_MIN_WHOLE = 20  # whole numbers below this (counts, ranks, ages, small percentages) are left out
# A candidate with mutual ledes that the alignment rejects is still accepted (method rewrite) when at least
# CORROB_SHARED distinctive quotes and figures are shared and they make up CORROB_SHARE of the smaller
# article's own, and at least CORROB_ALIGN of the shorter article's sentences have a loose counterpart in
# order: a rewrite keeps its facts when it reorders and rewords its prose.
CORROB_SHARED, CORROB_SHARE, CORROB_ALIGN = 3, 0.5, 0.3
# ... and the ledes are (nearly) the same sentence: a follow-up copies background quotes and figures under a
# new lede.
CORROB_LEDE = 0.75
# A paraphrase (weak evidence) is refused when both articles state VETO_FIGURES or more distinctive figures,
# share less than VETO_SHARE of the smaller set and no quote: same-topic stories told with other numbers
# (another company's results in the same table template, another day's prices). A coincidence (one
# revenue figure equal to the other company's sales) does not save them.
VETO_FIGURES, VETO_SHARE = 3, 0.2

# Sentence reuse: sentences shorter than this (normalised words) are skipped.
REUSE_MIN_WORDS = 6

METHODS = ("exact_bytes", "exact_text", "minhash", "rewrite", "singleton")
_RANK = {m: i for i, m in enumerate(METHODS)}

# Index key columns: 0 article id, 1 content bytes, 2 normalised text, then shingle bands, then lede bands.
K = 3 + BANDS + LEDE_BANDS

_U64 = np.uint64
_M1 = _U64(0xBF58476D1CE4E5B9)
_M2 = _U64(0x94D049BB133111EB)
_MUL = tuple(_U64(x) for x in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                                0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53))
_LO32 = _U64(0xFFFFFFFF)

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
off on once only or other our ours ourselves out over own said same say says she should so some such than that
the their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves mr mrs ms
s t told
""".split())
_STOP = pl.Series(sorted(STOPWORDS), dtype=pl.String)

_WORD_RE = r"\w+"


# ---------------------------------------------------------------- hashing
def _blake(values) -> np.ndarray:
    """UInt64 BLAKE2b-64 (little-endian digest) of each string."""
    blake = hashlib.blake2b
    # Digests joined as bytes: per-element numpy stores and int conversions cost more than the hashing.
    return np.frombuffer(b"".join([blake(v.encode("utf-8"), digest_size=8).digest() for v in values]),
                         dtype="<u8").astype(np.uint64)


_MEMO = {"table": pl.DataFrame(schema={"s": pl.String, "h": pl.UInt64})}


def _blake_memo(values: pl.Series) -> np.ndarray:
    """`_blake` of each string (tokens, stems), remembered across batches in a polars table.

    Most of a batch's tokens were seen before: one hash join finds them, where a dict lookup per token
    costs about as much as hashing it again. The memo is a pure function's: it only saves work.
    """
    table = _MEMO["table"]
    if table.height > 2_000_000:
        table = table.clear()
    q = pl.DataFrame({"s": values.cast(pl.String)})
    got = q.join(table, on="s", how="left", maintain_order="left")["h"]
    miss = got.is_null()
    if not miss.any():
        return got.to_numpy().astype(np.uint64)
    new = q.filter(miss)["s"].unique(maintain_order=True)
    part = pl.DataFrame({"s": new, "h": pl.Series(_blake(new.to_list()), dtype=pl.UInt64)})
    # Appended as a chunk (no copy of the table); compacted now and then.
    table = pl.concat([table, part], rechunk=False)
    _MEMO["table"] = table.rechunk() if table.n_chunks() > 32 else table
    out = got.fill_null(0).to_numpy().astype(np.uint64)
    out[miss.to_numpy()] = q.filter(miss).join(part, on="s", how="left", maintain_order="left")["h"].to_numpy()
    return out


def stable_hash(s: pl.Series) -> pl.Series:
    """UInt64 BLAKE2b-64 of each string, computed once per distinct value; stable across versions."""
    if s.len() == 0:
        return pl.Series(s.name, [], dtype=pl.UInt64)
    nulls = s.is_null().to_numpy()
    # Every value hashed, repeats too: cheaper than grouping equal strings first.
    out = pl.Series(s.name, _blake(s.fill_null("").to_list()), dtype=pl.UInt64)
    return out.scatter(np.flatnonzero(nulls), None) if nulls.any() else out


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser in wrapping uint64 arithmetic."""
    x = x.astype(np.uint64, copy=True)
    x ^= x >> _U64(30)
    x *= _M1
    x ^= x >> _U64(27)
    x *= _M2
    x ^= x >> _U64(31)
    return x


def _norm_text(col: str) -> pl.Expr:
    """Lower case, every run of non-word characters folded to one space."""
    return pl.col(col).str.to_lowercase().str.replace_all(r"[^\w]+", " ").str.strip_chars()


# ---------------------------------------------------------------- signatures
def _oph(owner: np.ndarray, h: np.ndarray, n: int, slots: int) -> tuple[np.ndarray, np.ndarray]:
    """One-permutation MinHash, densified: ((n, slots) uint32 values, has_items bool per owner).

    owner: index 0..n-1 of each item's set; h: uint64 hash of each element. An empty slot
    borrows the next filled slot's value (circularly).
    """
    m = _mix(h)
    slot = (m % _U64(slots)).astype(np.int64)
    v = ((m // _U64(slots)) & _LO32).astype(np.uint32)
    flat = np.full(n * slots, np.iinfo(np.uint32).max, np.uint32)
    cell = owner.astype(np.int64) * slots + slot
    np.minimum.at(flat, cell, v)
    filled = np.zeros(n * slots, bool)
    filled[cell] = True
    val = flat.reshape(n, slots)
    filled = filled.reshape(n, slots)
    has = filled.any(axis=1)
    out = val.copy()
    nxt = np.where(filled[:, 0], val[:, 0], 0).astype(np.uint32)
    # Two passes around the circle from the end: each empty slot takes the next filled value.
    for s in list(range(slots - 1, -1, -1)) * 2:
        nxt = np.where(filled[:, s], val[:, s], nxt)
        out[:, s] = np.where(filled[:, s], val[:, s], nxt)
    out[~has] = 0
    return out, has


def _band_keys(sig: np.ndarray, rows: int, bands: int, salt: int) -> np.ndarray:
    """(n, bands) uint32 LSH band keys of full 32-bit signatures."""
    n = sig.shape[0]
    out = np.empty((n, bands), np.uint32)
    s64 = sig.astype(np.uint64)
    for b in range(bands):
        t = np.zeros(n, np.uint64)
        for i in range(rows):
            t += s64[:, b * rows + i] * _MUL[i]
        t += _U64(((salt + b) * int(_MUL[5])) & 0xFFFFFFFFFFFFFFFF)
        out[:, b] = (_mix(t) & _LO32).astype(np.uint32)
    return out


def _salted(h: np.ndarray, salt: int) -> np.ndarray:
    return (_mix(h ^ _U64((salt * int(_MUL[4])) & 0xFFFFFFFFFFFFFFFF)) & _LO32).astype(np.uint32)


def _content(flat: pl.Series) -> pl.Expr:
    return ~pl.col("tok").is_in(_STOP.implode()) & (pl.col("tok").str.len_chars() > 1)


def _b8(sig: np.ndarray) -> np.ndarray:
    """b-bit MinHash: the low 8 bits of each slot are stored."""
    return (sig & 0xFF).astype(np.uint8)


def _vocab(tokens: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(id of each token's distinct value, one index of each distinct value): equal strings, equal ids."""
    codes = tokens.cast(pl.Categorical).to_physical().to_numpy().astype(np.int64)
    if codes.size == 0:
        return codes, codes
    present = np.zeros(int(codes.max()) + 1, bool)
    present[codes] = True
    dense = np.cumsum(present) - 1
    ids = dense[codes]
    rep = np.empty(int(present.sum()), np.int64)
    rep[ids] = np.arange(codes.size)  # any occurrence will do: they hold the same string
    return ids, rep


def _list_series(values: np.ndarray, lengths: np.ndarray, dtype=pl.UInt16, name: str = "sketch") -> pl.Series:
    """A List(dtype) series (UInt16 or UInt32) from flat values and per-row lengths."""
    offsets = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    np_t, pa_t = (np.uint16, pa.uint16()) if dtype == pl.UInt16 else (np.uint32, pa.uint32())
    arr = pa.LargeListArray.from_arrays(pa.array(offsets, pa.int64()), pa.array(values.astype(np_t), pa_t))
    return pl.Series(name, pl.from_arrow(arr)).cast(pl.List(dtype))


def _key_lists(ids: pl.Series, owners: pl.Series, texts: pl.Series, salt: int) -> pl.Series:
    """Per article (in the order of ids) the sorted distinct 32-bit hashes of its strings, as List(UInt32)."""
    n = ids.len()
    if not texts.len():
        return _list_series(np.zeros(0, np.uint32), np.zeros(n, np.int64), pl.UInt32, "keys")
    # Sorted and made distinct per article in numpy: a group_by with list aggregations and a join back
    # cost ~10 ms per thousand articles.
    o = (pl.DataFrame({"article_id": owners.cast(pl.String)})
         .join(pl.DataFrame({"article_id": ids.cast(pl.String), "o": np.arange(n, dtype=np.int64)}),
               on="article_id", how="left", maintain_order="left")["o"])
    h = _salted(stable_hash(texts).to_numpy(), salt)
    known = o.is_not_null().to_numpy()
    key = _uniq((o.to_numpy()[known].astype(np.uint64) << _U64(32)) | h[known].astype(np.uint64))
    lengths = np.bincount((key >> _U64(32)).astype(np.int64), minlength=n)
    return _list_series((key & _LO32).astype(np.uint32), lengths, pl.UInt32, "keys")


def _quote_keys(ids: pl.Series, quotes: pl.DataFrame) -> pl.Series:
    """Distinctive quotes: the quoted words (case, punctuation and spacing folded) when there are
    QUOTE_MIN_WORDS or more; the speaker is left out, as outlets attribute the same words differently."""
    if quotes is None or "quote" not in quotes.columns or quotes.height == 0:
        return _key_lists(ids, pl.Series([], dtype=pl.String), pl.Series([], dtype=pl.String), 5)
    words = quotes["quote"].fill_null("").str.to_lowercase().str.extract_all(_WORD_RE)
    ok = (words.list.len() >= QUOTE_MIN_WORDS).to_numpy()
    q = pl.Series(ok)
    return _key_lists(ids, quotes["article_id"].filter(q), words.filter(q).list.join(" "), 5)


def _figure_keys(ids: pl.Series, figures: pl.DataFrame) -> pl.Series:
    """Distinctive figures: kind, value and unit of figures written in digits that are not a small whole
    number (counts, ranks, ages) or a year-like one: $51.15, 250,000, 10.5 pct, 42 million pounds."""
    need = {"article_id", "kind", "value", "unit"}
    if figures is None or not need <= set(figures.columns) or figures.height == 0:
        return _key_lists(ids, pl.Series([], dtype=pl.String), pl.Series([], dtype=pl.String), 6)
    v = pl.col("value")
    whole = v == v.round(0)
    keep = (v.is_not_null() & v.is_finite()
            & ~(whole & (v.abs() < FIGURE_MIN_WHOLE))
            & ~(whole & v.is_between(1900, 2100) & ~pl.col("kind").is_in(["money", "percent"])))
    if "spelled" in figures.columns:
        keep = keep & ~pl.col("spelled").fill_null(False)
    f = figures.filter(keep)
    text = f.select(pl.concat_str([pl.col("kind").fill_null(""), pl.col("value").round(6).cast(pl.String),
                                   pl.col("unit").fill_null("")], separator="|"))[:, 0]
    return _key_lists(ids, f["article_id"], text, 6)


def _features(articles: pl.DataFrame, sentences: pl.DataFrame, start: int,
              quotes: pl.DataFrame | None = None, figures: pl.DataFrame | None = None) -> tuple[pl.DataFrame, np.ndarray, pl.DataFrame]:
    """(signature rows, (n, K) uint32 lookup keys, evidence: pos, key, sentence) of new articles.

    Texts and sentences are tokenised once, and each distinct token of the batch is hashed once
    (its BLAKE2b value, whether it is a content word, its stem's 16-bit hash).
    """
    n = articles.height
    ids = articles["article_id"]
    lists = articles["text"].fill_null("").str.to_lowercase().str.extract_all(_WORD_RE)
    counts = lists.list.len().to_numpy().astype(np.int64)
    sents = (sentences.join(pl.DataFrame({"article_id": ids, "o": np.arange(n, dtype=np.int64)}), on="article_id",
                            maintain_order="left")
             .sort("o", "sentence_index", maintain_order=True))
    stext = sents["text"].fill_null("")
    slists = stext.str.to_lowercase().str.extract_all(_WORD_RE)
    scounts = slists.list.len().to_numpy().astype(np.int64)
    so = sents["o"].to_numpy().astype(np.int64)
    flat_all = pl.concat([lists.explode().drop_nulls(), slists.explode().drop_nulls()])
    nt = int(counts.sum())
    # Distinct tokens: BLAKE2b, content word or not, stem hash.
    ids_all, rep = _vocab(flat_all)
    distinct = flat_all.gather(rep) if rep.size else pl.Series([], dtype=pl.String)
    d_hash = _blake_memo(distinct)
    d_content = (~distinct.is_in(_STOP.implode()) & (distinct.str.len_chars() > 1)).to_numpy()
    d_stem = ((_blake_memo(distinct.str.slice(0, STEM)) % _U64(65535)) + _U64(1)).astype(np.uint16)
    tid, sid = ids_all[:nt], ids_all[nt:]

    th = d_hash[tid]
    owner = np.repeat(np.arange(n), counts)
    pos = np.arange(th.size) - np.repeat(np.cumsum(counts) - counts, counts)
    # 5-word shingles: a fixed combination of the token hashes of each run of SHINGLE tokens.
    sh = np.zeros(th.size, np.uint64)
    for k in range(SHINGLE):
        sh[: th.size - k] += th[k:] * _MUL[k]
    ok = pos + SHINGLE <= counts[owner]
    # Articles shorter than a shingle: the whole token run is their only shingle.
    short = (counts[owner] < SHINGLE)
    sh_short = np.zeros(n, np.uint64)
    np.add.at(sh_short, owner[short], th[short] * _MUL[0] + pos[short].astype(np.uint64))
    short_art = np.flatnonzero((counts > 0) & (counts < SHINGLE))
    sig, has = _oph(np.concatenate([owner[ok], short_art]), np.concatenate([sh[ok], sh_short[short_art]]), n, SLOTS)
    tc = d_content[tid]
    wsig, _ = _oph(owner[tc], th[tc], n, WORD_SLOTS)
    # Lede: the first two full sentences (>= 10 words, ending in . ! ? or a closing mark).
    srow = np.repeat(np.arange(scounts.size), scounts)
    full = (scounts >= 10) & stext.str.strip_chars().str.contains(r"[.!?][\"'”’»)]*$").fill_null(False).to_numpy()
    cum = np.cumsum(full)
    o_start = np.searchsorted(so, so, side="left")  # first row of each row's article
    before = cum - full - np.where(o_start > 0, cum[o_start - 1], 0)
    lede_row = full & (before < 2)
    lt = lede_row[srow] & d_content[sid]
    lsig, _ = _oph(so[srow][lt], d_hash[sid][lt], n, LEDE_SLOTS)

    text_hash = _blake(lists.list.join(" ").to_list())
    id_hash = _blake(ids.to_list())
    ch = articles["content_hash"]
    bytes_hash = np.where(ch.is_null().to_numpy(), _U64(0), stable_hash(ch).fill_null(0).to_numpy().astype(np.uint64))
    keys = np.empty((n, K), np.uint32)
    keys[:, 0] = _salted(id_hash, 1)
    keys[:, 1] = np.where(bytes_hash != 0, _salted(bytes_hash, 2), _salted(id_hash, 4))
    keys[:, 2] = _salted(text_hash, 3)
    # Articles without shingles or without a lede get keys of their own (nothing to meet).
    own = np.stack([_salted(id_hash, 1000 + i) for i in range(BANDS + LEDE_BANDS)], axis=1)
    keys[:, 3:3 + BANDS] = np.where(has[:, None], _band_keys(sig, ROWS, BANDS, 100), own[:, :BANDS])
    lhas = lsig.any(axis=1)
    keys[:, 3 + BANDS:] = np.where(lhas[:, None], _band_keys(lsig, LEDE_ROWS, LEDE_BANDS, 200), own[:, BANDS:])

    # Sketch: per sentence (in order) its distinct stems sorted, then a 0; sentences with fewer than
    # SENT_MIN_STEMS distinct stems left out.
    sc = d_content[sid]
    cell = _uniq((srow[sc].astype(np.uint64) << _U64(16)) | d_stem[sid][sc].astype(np.uint64))
    crow = (cell >> _U64(16)).astype(np.int64)
    per_row = np.bincount(crow, minlength=scounts.size)
    kept = per_row >= SENT_MIN_STEMS
    cell, crow = cell[kept[crow]], crow[kept[crow]]
    rows_k = np.flatnonzero(kept)
    seg = per_row[rows_k] + 1
    seg_start = np.cumsum(seg) - seg
    rank = np.searchsorted(rows_k, crow)
    within = np.arange(crow.size) - (np.cumsum(per_row[rows_k]) - per_row[rows_k])[rank]
    vals = np.zeros(int(seg.sum()), np.uint16)
    vals[seg_start[rank] + within] = (cell & _U64(0xFFFF)).astype(np.uint16)
    sk_len = np.bincount(so[rows_k], weights=seg, minlength=n).astype(np.int64)
    sketch = _list_series(vals, sk_len)

    # Evidence: each distinct normalised sentence of REUSE_MIN_WORDS+ words per article.
    long_ = scounts >= REUSE_MIN_WORDS
    norm = slists.filter(pl.Series(long_)).list.join(" ")
    ekey, eo = _blake(norm.to_list()), so[long_]
    # Distinct (article, key), sorted: in numpy, as a frame's unique + sort costs several times more.
    eord = np.lexsort((ekey, eo))
    eord = eord[np.r_[True, (eo[eord][1:] != eo[eord][:-1]) | (ekey[eord][1:] != ekey[eord][:-1])]] \
        if eord.size else eord
    ev = pl.DataFrame({"pos": (eo[eord] + start).astype(np.uint32), "key": ekey[eord],
                       "sentence": norm.gather(eord)}, schema={"pos": pl.UInt32, "key": pl.UInt64, "sentence": pl.String})
    n_ev = np.bincount(ev["pos"].to_numpy().astype(np.int64) - start, minlength=n) if ev.height else np.zeros(n, np.int64)
    rows = pl.DataFrame({
        "article_id": ids,
        "source_file": articles["source_file"],
        "ingested_at": articles["ingested_at"],
        "bytes_hash": pl.Series(bytes_hash, dtype=pl.UInt64),
        "text_hash": pl.Series(text_hash, dtype=pl.UInt64),
        "words": pl.Series(counts.astype(np.int32)),
        "n_ev": pl.Series(np.minimum(n_ev, 65535).astype(np.uint16)),
        "sig": pl.Series(_b8(sig)),
        "wsig": pl.Series(_b8(wsig)),
        "lsig": pl.Series(_b8(lsig)),
        "sketch": sketch,
        "qkeys": _quote_keys(ids, quotes),
        "fkeys": _figure_keys(ids, figures),
    })
    return rows, keys, ev


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


def _in_order(best: list[int], val: list[float], n: int, thr: float) -> float:
    """Share of the n rows whose best column (Dice >= thr) lies on one increasing alignment."""
    return _lis([j for j, v in zip(best, val) if v >= thr]) / n


def _dice_rows(a: list[set], b: list[set]):
    """Per row of a: (best column, best Dice) and per column of b the same; plus the Dice of given cells.

    Only cells sharing a stem are visited (an inverted index of b); ties go to the first column/row.
    """
    inv: dict[int, list[int]] = {}
    for j, y in enumerate(b):
        for t in y:
            inv.setdefault(t, []).append(j)
    lb = [len(y) for y in b]
    na, nb = len(a), len(b)
    rb, rv = [0] * na, [0.0] * na
    cb, cv = [0] * nb, [0.0] * nb
    cells: dict[tuple[int, int], float] = {}
    keep = {0, 1, na - 2, na - 1}
    for i, x in enumerate(a):
        cnt: dict[int, int] = {}
        for t in x:
            for j in inv.get(t, ()):
                cnt[j] = cnt.get(j, 0) + 1
        lx = len(x)
        bj, bv = 0, 0.0
        for j in sorted(cnt):
            d = 2 * cnt[j] / (lx + lb[j])
            if d > bv:
                bj, bv = j, d
            if d > cv[j]:
                cb[j], cv[j] = i, d
            if i in keep:
                cells[i, j] = d
        rb[i], rv[i] = bj, bv
    return rb, rv, cb, cv, cells


def pair_features(a: list[set], b: list[set]) -> dict[str, float]:
    """Sentence alignment of two articles (each a list of per-sentence stem sets, in order)."""
    na, nb = len(a), len(b)
    rb, rv, cb, cv, cells = _dice_rows(a, b)
    wa, wb = _in_order(rb, rv, na, WEAK), _in_order(cb, cv, nb, WEAK)
    sa, sb = _in_order(rb, rv, na, STRONG), _in_order(cb, cv, nb, STRONG)
    copied_a = sum(v >= STRONG for v in rv) / na
    copied_b = sum(v >= STRONG for v in cv) / nb
    cover_a = sum(v >= WEAK for v in rv) / na
    cover_b = sum(v >= WEAK for v in cv) / nb
    short_first = na <= nb
    c = cells.get
    return {
        "weak_short": wa if short_first else wb, "weak_long": wb if short_first else wa,
        "strong_short": sa if short_first else sb, "strong_long": sb if short_first else sa,
        "copied_short": copied_a if short_first else copied_b,
        "covered_short": cover_a if short_first else cover_b,
        "lede": max(c((i, j), 0.0) for i in range(min(2, na)) for j in range(min(2, nb))),
        "close": max(max(c((na - 1, j), 0.0) for j in range(max(0, nb - 2), nb)),
                     max(c((i, nb - 1), 0.0) for i in range(max(0, na - 2), na))),
    }


def _dice(x: set, y: set) -> float:
    return 2 * len(x & y) / (len(x) + len(y))


def ledes_match(a: list[set], b: list[set]) -> bool:
    """Mutual ledes: one of each article's first LEDE_OWN sentences has a close counterpart among the
    other's first LEDE_SEEN. True when either article has no sentences to compare."""
    if not a or not b:
        return True
    m = [[_dice(x, y) for y in b[:LEDE_SEEN]] for x in a[:LEDE_SEEN]]
    return (any(v >= LEDE_MATCH for row in m[:LEDE_OWN] for v in row)
            and any(row[j] >= LEDE_MATCH for row in m for j in range(min(LEDE_OWN, len(row)))))


def _ranges(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Concatenation of arange(start[i], start[i] + length[i]) (int64)."""
    total = int(length.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    # Each range continues the previous one, except at range starts where it jumps.
    step = np.ones(total, np.int64)
    nz = length > 0
    s, ln = start[nz].astype(np.int64), length[nz].astype(np.int64)
    heads = np.cumsum(ln) - ln
    step[0] = s[0]
    step[heads[1:]] = s[1:] - (s[:-1] + ln[:-1] - 1)
    return np.cumsum(step)


_COMBO = np.arange(64)  # ma * 8 + mb: a's sentence mask in bits 3..5, b's in bits 0..2
assert LEDE_SEEN <= 3


def _ledes_match_many(flat: np.ndarray, st: np.ndarray, ln: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """`ledes_match` for many pairs at once: article ia[q] against ib[q], sketches as (flat, start, length)."""
    n_art = ln.size
    st = np.asarray(st, np.int64)
    ln = np.asarray(ln, np.int64)
    ia = np.asarray(ia, np.int64)
    ib = np.asarray(ib, np.int64)
    # Only the lede region of each article is read: the values before its LEDE_SEEN-th 0 (within its sketch).
    zpos = np.flatnonzero(flat == 0)
    j0 = np.searchsorted(zpos, st)
    big = np.iinfo(np.int64).max
    zs = []
    for d in range(LEDE_SEEN):
        jd = j0 + d
        zd = np.full(n_art, big, np.int64)
        okd = jd < zpos.size
        zd[okd] = zpos[jd[okd]]
        zs.append(zd)
    end = np.minimum(st + ln, zs[LEDE_SEEN - 1])
    L = np.maximum(end - st, 0)
    idx = _ranges(st, L)
    art = np.repeat(np.arange(n_art, dtype=np.int64), L)
    vals = flat[idx]
    k = np.zeros(idx.size, np.int64)
    for d in range(LEDE_SEEN - 1):
        k += idx > zs[d][art]
    take = vals != 0
    art, k, vals = art[take], k[take], vals[take]
    size = np.bincount(art * LEDE_SEEN + k, minlength=n_art * LEDE_SEEN).reshape(n_art, LEDE_SEEN).astype(np.int64)
    # Distinct (article, stem) with the bit mask of the lede sentences holding it, sorted.
    comb = np.sort((art << 18) | (vals.astype(np.int64) << 2) | k)
    key = comb >> 2
    bit = np.left_shift(1, comb & 3)
    if key.size:
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        ukey = key[starts]
        umask = np.bitwise_or.reduceat(bit, starts)
    else:
        ukey, umask = key, bit
    uart = ukey >> 16
    off = np.searchsorted(uart, np.arange(n_art + 1))
    # b side: only the articles that appear as b, renumbered, in a compact table.
    isb = np.zeros(n_art, bool)
    isb[ib] = True
    bnum = np.cumsum(isb) - 1
    inb = isb[uart]
    bkey = (bnum[uart[inb]] << 16) | (ukey[inb] & 0xFFFF)
    bmask = umask[inb]
    # Per pair, the stems of ia's ledes looked up among ib's.
    cnt_a = off[ia + 1] - off[ia]
    qa = np.repeat(np.arange(ia.size, dtype=np.int64), cnt_a)
    ea = _ranges(off[ia], cnt_a)
    target = (bnum[ib][qa] << 16) | (ukey[ea] & 0xFFFF)
    if bkey.size:
        if bkey[-1] < (1 << 32):  # 32-bit keys: a cheaper binary search
            bkey, target = bkey.astype(np.uint32), target.astype(np.uint32)
        hit = np.minimum(np.searchsorted(bkey, target), bkey.size - 1)
        found = bkey[hit] == target
    else:
        hit = np.zeros(target.size, np.int64)
        found = np.zeros(target.size, bool)
    ma, mb, qf = umask[ea[found]], bmask[hit[found]], qa[found]
    # inter[q, i, kk]: stems in a's sentence i and b's sentence kk; masks have LEDE_SEEN <= 3 bits.
    combo = ma * 8 + mb
    inter = np.zeros((ia.size, LEDE_SEEN, LEDE_SEEN), np.int64)
    if qf.size:
        present = np.bincount(combo, minlength=64) > 0
        for i in range(LEDE_SEEN):
            for kk in range(LEDE_SEEN):
                w = ((_COMBO >> (3 + i)) & 1) & ((_COMBO >> kk) & 1)  # a in sentence i, b in sentence kk
                if (w.astype(bool) & present).any():
                    inter[:, i, kk] = np.bincount(qf[w.astype(bool)[combo]], minlength=ia.size)
    sa, sb = size[ia], size[ib]
    den = sa[:, :, None] + sb[:, None, :]
    dice = np.where(den > 0, 2 * inter / np.maximum(den, 1), 0.0)
    good = dice >= LEDE_MATCH
    one = good[:, :LEDE_OWN, :].any(axis=(1, 2)) & good[:, :, :LEDE_OWN].any(axis=(1, 2))
    empty = (sa.sum(axis=1) == 0) | (sb.sum(axis=1) == 0)
    return one | empty


def _shared_many(flat: np.ndarray, st: np.ndarray, ln: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Per pair q, how many values the sorted distinct lists ia[q] and ib[q] have in common
    (lists given as flat values with per-list start and length)."""
    if ia.size == 0:
        return np.zeros(0, np.int64)
    owner = np.repeat(np.arange(ln.size, dtype=np.int64), ln)
    idx = np.repeat(st, ln) + (np.arange(owner.size) - np.repeat(np.cumsum(ln) - ln, ln))
    vals = flat[idx].astype(np.int64)
    table = np.sort((owner << 32) | vals)
    cnt = ln[ia]
    q = np.repeat(np.arange(ia.size), cnt)
    first = np.repeat(st[ia], cnt) + (np.arange(q.size) - np.repeat(np.cumsum(cnt) - cnt, cnt))
    target = (ib[q].astype(np.int64) << 32) | flat[first].astype(np.int64)
    hit = np.minimum(np.searchsorted(table, target), max(table.size - 1, 0))
    found = table[hit] == target if table.size else np.zeros(q.size, bool)
    return np.bincount(q[found], minlength=ia.size)


def corroborates(shared: int, own_a: int, own_b: int) -> bool:
    """Shared distinctive quotes and figures that make up most of the smaller article's own."""
    return shared >= CORROB_SHARED and shared >= CORROB_SHARE * min(own_a, own_b)


def figures_disagree(fig_a: int, fig_b: int, shared_figs: int, shared_quotes: int) -> bool:
    """Both articles give several distinctive figures, and (nearly) none of them, nor a quote, is common to both."""
    return (min(fig_a, fig_b) >= VETO_FIGURES and shared_figs < VETO_SHARE * min(fig_a, fig_b)
            and shared_quotes == 0)


def verify_pair(a: list[set], b: list[set]) -> str | None:
    """'copy', 'paraphrase' or None (not the same story) for two articles' sentence stem sets.

    Both need mutual ledes (`ledes_match`). copy: the shorter article's sentences mostly reappear
    nearly verbatim, in order, in the longer (nearly all of them with at least a loose counterpart),
    which is itself at least half covered, and the ledes match closely (near-copies, trims, updates
    that keep the story). paraphrase: nearly every sentence of both has a loose counterpart on one
    in-order alignment, the ledes and the closing sentences correspond, and little is copied verbatim
    (a rewrite). A follow-up story fails both: a new lede, and background copied as a block; so does a
    round-up (other stories' ledes first) and a story sharing only another's lede and close.
    """
    return _verdict(a, b)[0]


def _verdict(a: list[set], b: list[set]) -> tuple[str | None, dict | None]:
    """verify_pair's verdict and the alignment features it rests on (None when not aligned)."""
    if len(a) < 2 or len(b) < 2 or not ledes_match(a, b):
        return None, None
    f = pair_features(a, b)
    if (f["strong_short"] >= COPY_SHORT and f["strong_long"] >= COPY_LONG and f["lede"] >= COPY_LEDE
            and f["covered_short"] >= COPY_COVER):
        return "copy", f
    if (min(f["weak_short"], f["weak_long"]) >= PARA_MONO and f["lede"] >= PARA_LEDE
            and f["close"] >= PARA_CLOSE and f["copied_short"] <= PARA_MAX_COPIED):
        return "paraphrase", f
    return None, f


def _group_first_max(key: np.ndarray, val: np.ndarray, arg: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by (key, arg): per distinct key, (key, arg of the first row holding the key's largest
    val, that val): the first strictly better value of a scan, as `_dice_rows` keeps it."""
    head = np.empty(key.size, bool)
    head[:1] = True
    np.not_equal(key[1:], key[:-1], out=head[1:])
    heads = np.flatnonzero(head)
    top = np.maximum.reduceat(val, heads) if key.size else val[:0]
    gid = np.cumsum(head) - 1
    at = np.flatnonzero(val == top[gid])
    g = gid[at]
    first = at[np.r_[True, g[1:] != g[:-1]]] if at.size else at
    return key[heads], arg[first], top


def _lis_many(q: np.ndarray, seq: np.ndarray, n_pairs: int) -> np.ndarray:
    """Per pair, the length of the longest strictly increasing subsequence of its values (seq grouped by q)."""
    out = np.bincount(q, minlength=n_pairs)
    if q.size < 2:
        return out
    # A sequence already in order (the common case: copies and rewrites keep the order) is its own LIS;
    # only the others go through the patience sort.
    bad = (q[1:] == q[:-1]) & (seq[1:] <= seq[:-1])
    if not bad.any():
        return out
    broken = _uniq(q[1:][bad])
    lo, hi = np.searchsorted(q, broken, side="left"), np.searchsorted(q, broken, side="right")
    s = seq.tolist()
    for k, a, b in zip(broken.tolist(), lo.tolist(), hi.tolist()):
        out[k] = _lis(s[a:b])
    return out


def _verdict_chunk(A, B, nsent, soff, size, eoff, e_k, e_stem, bkey, bk, wbits, bnum, boff):
    """`_verdicts_many` for one chunk of pairs (A[q] as a, B[q] as b).

    Sentence numbers take wbits bits. bkey: the distinct (b number << 16 | stem) of the articles numbered by
    bnum (those that are some pair's b), sorted; boff: their runs in bk (sentences holding the stem, ascending).
    """
    Q = A.size
    na, nb = nsent[A], nsent[B]
    # Cells sharing a stem: every (a sentence, stem) against the b sentences holding the stem.
    cnt_a = eoff[A + 1] - eoff[A]
    qa = np.repeat(np.arange(Q, dtype=np.int64), cnt_a)
    e = _ranges(eoff[A], cnt_a)
    target = ((bnum[B][qa] << 16) | e_stem[e]).astype(bkey.dtype)
    if bkey.size:
        hit = np.minimum(np.searchsorted(bkey, target), bkey.size - 1)
        lo = boff[hit]
        m = np.where(bkey[hit] == target, boff[hit + 1] - lo, 0)
    else:
        lo = m = np.zeros(target.size, np.int64)
    # Cell keys (q, i, j) in bit fields, counted: one sort of the values (no argsort).
    w2 = 2 * wbits
    keys = np.repeat((qa << w2) | (e_k[e] << wbits), m) | bk[_ranges(lo, m)]
    keys.sort()
    if keys.size:
        head = np.empty(keys.size, bool)
        head[0] = True
        np.not_equal(keys[1:], keys[:-1], out=head[1:])
        at = np.flatnonzero(head)
        cell = keys[at]
        cnt = np.diff(np.r_[at, keys.size])
    else:
        cell, cnt = keys, np.zeros(0, np.int64)
    wmask = (1 << wbits) - 1
    cq, ci, cj = cell >> w2, (cell >> wbits) & wmask, cell & wmask
    dice = (2 * cnt) / (size[soff[A[cq]] + ci] + size[soff[B[cq]] + cj])
    # Best column of each row (cells sorted by q, i, j) and best row of each column.
    rkey, rb, rv = _group_first_max(cell >> wbits, dice, cj)
    tkey = (cq << w2) | (cj << wbits) | ci  # distinct: any sort order is the stable one
    co = np.argsort(tkey)
    ckey, cb, cv = _group_first_max(tkey[co] >> wbits, dice[co], ci[co])
    rq, cqq = rkey >> wbits, ckey >> wbits

    def frac(q, ok, den):
        return np.bincount(q[ok], minlength=Q) / den

    rw, rs, cw, cs = rv >= WEAK, rv >= STRONG, cv >= WEAK, cv >= STRONG
    wa = _lis_many(rq[rw], rb[rw], Q) / na
    sa = _lis_many(rq[rs], rb[rs], Q) / na
    wb = _lis_many(cqq[cw], cb[cw], Q) / nb
    sb = _lis_many(cqq[cs], cb[cs], Q) / nb
    copied_a, copied_b = frac(rq, rs, na), frac(cqq, cs, nb)
    cover_a, cover_b = frac(rq, rw, na), frac(cqq, cw, nb)
    lede = _group_max(cq, dice, (ci < 2) & (cj < 2), Q)
    qa_, qb_ = na[cq], nb[cq]
    inc = ((ci == qa_ - 1) & (cj >= qb_ - 2)) | ((cj == qb_ - 1) & (ci >= qa_ - 2))
    close = _group_max(cq, dice, inc, Q)
    short = na <= nb
    weak_s, weak_l = np.where(short, wa, wb), np.where(short, wb, wa)
    strong_s, strong_l = np.where(short, sa, sb), np.where(short, sb, sa)
    copied_s, covered_s = np.where(short, copied_a, copied_b), np.where(short, cover_a, cover_b)
    copy = ((strong_s >= COPY_SHORT) & (strong_l >= COPY_LONG) & (lede >= COPY_LEDE)
            & (covered_s >= COPY_COVER))
    para = (~copy & (np.minimum(weak_s, weak_l) >= PARA_MONO) & (lede >= PARA_LEDE)
            & (close >= PARA_CLOSE) & (copied_s <= PARA_MAX_COPIED))
    return np.where(copy, 1, np.where(para, 2, 0)), lede, weak_s


def _group_max(q: np.ndarray, val: np.ndarray, sel: np.ndarray, n: int) -> np.ndarray:
    """Per group 0..n-1 the largest of 0.0 and val[sel] (np.maximum.at onto zeros); q sorted ascending."""
    out = np.zeros(n)
    qs, vs = q[sel], val[sel]
    if qs.size:
        heads = np.flatnonzero(np.r_[True, qs[1:] != qs[:-1]])
        out[qs[heads]] = np.maximum(np.maximum.reduceat(vs, heads), 0.0)
    return out


def _verdicts_many(flat: np.ndarray, st: np.ndarray, ln: np.ndarray, ia: np.ndarray, ib: np.ndarray,
                   chunk: int = 20000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_verdict` for many pairs at once (article ia[q] as a, ib[q] as b; sketches as (flat, start, length)),
    assuming mutual ledes (checked by `_ledes_match_many` beforehand).

    Returns (code, lede, weak_short) per pair: code -1 when an article has fewer than two sentences (no
    features), 0 neither rule, 1 copy, 2 paraphrase; lede and weak_short are the features `_edges` needs
    besides. The same cells, maxima and ties as `_dice_rows`: Dice values are the same float divisions.
    """
    n_art = ln.size
    st = np.asarray(st, np.int64)
    ln = np.asarray(ln, np.int64)
    ia = np.asarray(ia, np.int64)
    ib = np.asarray(ib, np.int64)
    n = ia.size
    code = np.full(n, -1, np.int8)
    lede_out, weak_out = np.zeros(n), np.zeros(n)
    art = np.repeat(np.arange(n_art, dtype=np.int64), ln)
    vals = flat[_ranges(st, ln)].astype(np.int64)
    zero = vals == 0
    nsent = np.bincount(art[zero], minlength=n_art).astype(np.int64)
    todo = np.flatnonzero((nsent[ia] >= 2) & (nsent[ib] >= 2))
    if todo.size == 0:
        return code, lede_out, weak_out
    ends = np.cumsum(zero)
    base = np.r_[0, ends][np.cumsum(ln) - ln]  # zeros before each article's first value
    k = ends - zero - base[art]  # sentence number of each value in its article
    keep = ~zero & (k < nsent[art])  # values after the last 0 belong to no sentence
    wbits = max(int(nsent.max()).bit_length(), 1)
    # (article, sentence, stem) as a set: sorted and distinct. Sketches list each sentence's distinct stems
    # in ascending order, so the keys are usually sorted and distinct already: checked, then sorted if not.
    ent = (((art << wbits) | k) << 16 | vals)[keep]
    if ent.size > 1 and not (ent[1:] > ent[:-1]).all():
        ent = _uniq(ent)
    e_stem, e_row = ent & 0xFFFF, ent >> 16
    e_art, e_k = e_row >> wbits, e_row & ((1 << wbits) - 1)
    soff = np.cumsum(nsent) - nsent
    size = np.bincount(soff[e_art] + e_k, minlength=int(nsent.sum()))
    eoff = np.searchsorted(e_art, np.arange(n_art + 1))
    # b side: only the articles that are some pair's b, renumbered: their entries by (b, stem), sentences
    # ascending within (one sort of a combined key); the distinct keys (32-bit when they fit) and their runs.
    isb = np.zeros(n_art, bool)
    isb[ib[todo]] = True
    bnum = np.cumsum(isb) - 1
    inb = isb[e_art]
    bsort = np.sort((((bnum[e_art[inb]] << 16) | e_stem[inb]) << wbits) | e_k[inb])
    bkey, bk = bsort >> wbits, bsort & ((1 << wbits) - 1)
    if bkey.size:
        heads = np.flatnonzero(np.r_[True, bkey[1:] != bkey[:-1]])
    else:
        heads = np.zeros(0, np.int64)
    boff = np.r_[heads, bkey.size]
    ukey = bkey[heads]
    if ukey.size and ukey[-1] < (1 << 32):
        ukey = ukey.astype(np.uint32)
    for c0 in range(0, todo.size, chunk):
        sel = todo[c0:c0 + chunk]
        code[sel], lede_out[sel], weak_out[sel] = _verdict_chunk(ia[sel], ib[sel], nsent, soff, size, eoff, e_k, e_stem,
                                                                 ukey, bk, wbits, bnum, boff)
    return code, lede_out, weak_out


# ---------------------------------------------------------------- state
_SIG_SCHEMA = {
    "article_id": pl.String, "source_file": pl.String, "ingested_at": pl.Datetime("us", "UTC"),
    "bytes_hash": pl.UInt64, "text_hash": pl.UInt64, "words": pl.Int32, "n_ev": pl.UInt16,
    "sig": pl.Array(pl.UInt8, SLOTS), "wsig": pl.Array(pl.UInt8, WORD_SLOTS), "lsig": pl.Array(pl.UInt8, LEDE_SLOTS),
    "sketch": pl.List(pl.UInt16), "qkeys": pl.List(pl.UInt32), "fkeys": pl.List(pl.UInt32),
    "index": pl.Array(pl.UInt64, K), "parent": pl.UInt32, "best": pl.UInt8,
}
_EV_SCHEMA = {"key": pl.UInt64, "pos": pl.UInt32}
_TEXT_SCHEMA = {"sentence_hash": pl.UInt64, "sentence": pl.String}
_EDGE_SCHEMA = {"a": pl.UInt32, "b": pl.UInt32, "method": pl.String, "similarity": pl.Float64}
CLUSTER_SCHEMA = {"article_id": pl.String, "cluster_id": pl.String, "similarity": pl.Float64, "method": pl.String}
REUSE_SCHEMA = {"sentence_hash": pl.UInt64, "sentence": pl.String, "article_ids": pl.List(pl.String),
                "articles": pl.UInt32}


def _segments(n: int) -> list[tuple[int, int]]:
    """Index runs over articles [0, n): binary-counter blocks of BLOCK * 2**k, then the remainder."""
    out, lo, q = [], 0, n // BLOCK
    for bit in range(q.bit_length() - 1, -1, -1):
        if q >> bit & 1:
            out.append((lo, lo + (BLOCK << bit)))
            lo += BLOCK << bit
    if lo < n:
        out.append((lo, n))
    return out


_META = ("article_id", "source_file", "ingested_at")  # kept in memory: ids, and the order clusters are named by
_ROWS = ("bytes_hash", "text_hash", "words", "n_ev", "sig", "wsig", "lsig")  # one value or slot row per article
_LISTS = {"sketch": np.uint16, "qkeys": np.uint32, "fkeys": np.uint32}  # per article a list: values and offsets
_DTYPES = {"bytes_hash": np.uint64, "text_hash": np.uint64, "words": np.int32, "n_ev": np.uint16,
           "sig": np.uint8, "wsig": np.uint8, "lsig": np.uint8}
_WIDTH = {"sig": SLOTS, "wsig": WORD_SLOTS, "lsig": LEDE_SLOTS}
_PART_ROWS = 32_768  # signature rows per Parquet part when the state is written (~30 MB; three are held at once)
_PART_EVIDENCE = 1 << 20  # evidence rows per part


def _columns(frame: pl.DataFrame) -> dict[str, np.ndarray]:
    """A signature frame's per-article columns as arrays (slot arrays 2-D; lists as `name.val` and `name.off`)."""
    out = {}
    for c in _ROWS:
        arr = frame[c].to_numpy().astype(_DTYPES[c], copy=False)
        out[c] = arr.reshape(frame.height, _WIDTH[c]) if c in _WIDTH else arr
    for c, dt in _LISTS.items():
        s = frame[c]
        lens = s.list.len().fill_null(0).to_numpy().astype(np.int64)
        out[c + ".val"] = s.explode(empty_as_null=False).drop_nulls().to_numpy().astype(dt, copy=False)
        out[c + ".off"] = np.r_[0, np.cumsum(lens)].astype(np.int64)
    return out


def _article_specs(m: int) -> dict[str, tuple[tuple[int | None, ...], type]]:
    """RunWriter.columns specs of the per-article columns of a run of m articles (list values: as many as come)."""
    specs = {c: (((m, _WIDTH[c]) if c in _WIDTH else (m,)), _DTYPES[c]) for c in _ROWS}
    for c, dt in _LISTS.items():
        specs[c + ".val"], specs[c + ".off"] = ((None,), dt), ((m + 1,), np.int64)
    return specs


def _list_frame_column(name: str, val: np.ndarray, off: np.ndarray) -> pl.Series:
    return _list_series(np.asarray(val), np.diff(off), pl.UInt16 if _LISTS[name] == np.uint16 else pl.UInt32, name)


class _Rows:
    """Frames handed out as runs of rows: take(k) yields the next k rows, in pieces, across frame edges."""

    def __init__(self, frames: Iterable[pl.DataFrame]):
        self._frames, self._head = iter(frames), None

    def take(self, k: int):
        while k > 0:
            if self._head is None or self._head.height == 0:
                self._head = next(self._frames, None)
                if self._head is None:
                    raise ValueError(f"dedup state: {k} rows fewer than its signature count says")
                continue
            piece, self._head = self._head.head(k), self._head.slice(k)
            k -= piece.height
            yield piece

    def done(self) -> bool:
        """Whether every frame is used up (empty frames left over count as used)."""
        while self._head is None or self._head.height == 0:
            self._head = next(self._frames, None)
            if self._head is None:
                return True
        return False


def warn_incompatible_state() -> None:
    """The one warning for a state that another version of this module wrote: it is ignored, not read.
    It points at the code that asked for the state (two frames up: the reader, then its caller)."""
    warnings.warn("dedup state from an incompatible version ignored; its articles are not clustered",
                  stacklevel=3)


class DedupState:
    """What earlier batches and runs left.

    Articles are numbered by position, in the order they were added. In memory: `meta` (article_id,
    source_file, ingested_at), `parent` and `best` (the union-find over accepted pairs, and each
    article's strongest method), `sentences` and `edges`. In files (`dedup_files.Run`, one per index
    run of `_segments(n)`), per article: bytes_hash, text_hash, words, n_ev (evidence rows),
    sig/wsig/lsig (8-bit MinHash slots), sketch (sentence stem hashes, 0 ends a sentence), qkeys and
    fkeys (distinctive quote and figure hashes); per run: `index` (the run's K*(hi-lo) lookup keys
    `key << 32 | position`, sorted) and the evidence `ev_key`, `ev_pos` (sorted by key).

    As tables (`to_frames`, `table_parts`; the warehouse's dedup_* tables):
    signatures: one row per article: the meta, per-article columns, parent, best, and `index`: for
                each run [lo, hi), rows lo..hi-1 hold the run's keys in order
    evidence:   key (UInt64 hash of a normalised sentence), pos: run by run, sorted by key
    sentences:  sentence_hash, sentence: normalised text of sentences seen in more than one article
    edges:      a, b (positions, a added before b), method, similarity: every accepted pair
    """

    TABLES = ("dedup_signatures", "dedup_evidence", "dedup_sentences", "dedup_edges")

    def __init__(self, meta: pl.DataFrame, parent: np.ndarray, best: np.ndarray, runs: list[Run],
                 sentences: pl.DataFrame, edges: pl.DataFrame):
        self.meta, self.parent, self.best, self.runs = meta, parent, best, runs
        self.sentences, self.edges = sentences, edges

    @property
    def n(self) -> int:
        return self.meta.height

    # ------------------------------------------------------------ as tables
    def _signature_rows(self, run: Run, a: int, b: int) -> pl.DataFrame:
        """Rows [a, b) of one run as a signatures frame."""
        r0, r1 = a - run.lo, b - run.lo
        cols: dict[str, pl.Series] = {c: self.meta[c].slice(a, b - a) for c in _META}
        for c in _ROWS:
            cols[c] = pl.Series(c, np.array(run.array(c)[r0:r1]))
        for c in _LISTS:
            off = np.array(run.array(c + ".off")[r0:r1 + 1])
            cols[c] = _list_frame_column(c, run.array(c + ".val")[off[0]:off[-1]], off)
        cols["index"] = pl.Series("index", np.array(run.array("index")[r0 * K:r1 * K]).reshape(-1, K),
                                  dtype=pl.Array(pl.UInt64, K))
        cols["parent"], cols["best"] = pl.Series("parent", self.parent[a:b]), pl.Series("best", self.best[a:b])
        return pl.DataFrame(cols).select(_SIG_SCHEMA.keys()).cast(_SIG_SCHEMA)

    def table_parts(self):
        """(table, frame) pairs that together make the four tables, each part small: at a million articles
        the state is gigabytes as one frame, and is written a part at a time instead."""
        yield "dedup_signatures", pl.DataFrame(schema=_SIG_SCHEMA)
        for run in self.runs:
            for a in range(run.lo, run.hi, _PART_ROWS):
                yield "dedup_signatures", self._signature_rows(run, a, min(a + _PART_ROWS, run.hi))
        yield "dedup_evidence", pl.DataFrame(schema=_EV_SCHEMA)
        for run in self.runs:
            for a in range(0, run.length("ev_key"), _PART_EVIDENCE):
                yield "dedup_evidence", pl.DataFrame({"key": run.read("ev_key", a, a + _PART_EVIDENCE),
                                                      "pos": run.read("ev_pos", a, a + _PART_EVIDENCE)}, schema=_EV_SCHEMA)
        yield "dedup_sentences", self.sentences
        yield "dedup_edges", self.edges

    def to_frames(self) -> dict[str, pl.DataFrame]:
        parts: dict[str, list[pl.DataFrame]] = {t: [] for t in self.TABLES}
        for table, frame in self.table_parts():
            parts[table].append(frame)
        return {t: pl.concat(f, rechunk=True) for t, f in parts.items()}

    @property
    def signatures(self) -> pl.DataFrame:
        return self.to_frames()["dedup_signatures"]

    @property
    def evidence(self) -> pl.DataFrame:
        return self.to_frames()["dedup_evidence"]

    @classmethod
    def from_frames(cls, frames: dict[str, pl.DataFrame]) -> "DedupState":
        got = [frames[t] for t in cls.TABLES]
        schemas = (_SIG_SCHEMA, _EV_SCHEMA, _TEXT_SCHEMA, _EDGE_SCHEMA)
        # A state written before quotes and figures were kept: its articles simply have none.
        missing = [c for c in ("qkeys", "fkeys") if c not in got[0].columns]
        if missing:
            got[0] = (got[0].with_columns(pl.lit([], pl.List(pl.UInt32)).alias(c) for c in missing)
                      .select([c for c in _SIG_SCHEMA if c in got[0].columns or c in missing]))
        if any(dict(f.schema) != s for f, s in zip(got, schemas)):
            try:
                got = [f.select(s.keys()).cast(s) for f, s in zip(got, schemas)]
            except Exception:  # a state from another version of this module: its signatures do not compare
                warn_incompatible_state()
                return cls.empty()
        return cls._from_tables(*got)

    @classmethod
    def _from_tables(cls, sig: pl.DataFrame, evidence: pl.DataFrame, sentences: pl.DataFrame,
                     edges: pl.DataFrame) -> "DedupState":
        n = sig.height
        n_ev = sig["n_ev"].to_numpy().astype(np.int64)
        ev_key, ev_pos = evidence["key"].to_numpy(), evidence["pos"].to_numpy()
        runs, e0 = [], 0
        for lo, hi in _segments(n):
            part = sig.slice(lo, hi - lo)
            cols = _columns(part)
            cols["index"] = part["index"].to_numpy().reshape(-1).astype(np.uint64, copy=False)
            ne = int(n_ev[lo:hi].sum())
            cols["ev_key"], cols["ev_pos"] = ev_key[e0:e0 + ne], ev_pos[e0:e0 + ne]
            e0 += ne
            runs.append(Run.write(lo, hi, cols))
        return cls(sig.select(_META).rechunk(), np.array(sig["parent"].to_numpy(), np.uint32),
                   np.array(sig["best"].to_numpy(), np.uint8), runs, sentences, edges)

    @classmethod
    def from_parts(cls, n: int, signatures: Iterable[pl.DataFrame], evidence: Iterable[pl.DataFrame],
                   sentences: pl.DataFrame, edges: pl.DataFrame) -> "DedupState":
        """`from_frames` from the tables' rows in order, a few parts at a time (n: signature rows).

        At a million articles the signatures are ~1 GB as one frame: read whole, an incremental run's
        orchestrator went to 2.7 GB just loading them. Each run's columns are written as their rows come.
        """
        sig_rows, ev_rows = _Rows(signatures), _Rows(evidence)
        meta, parent, best, runs = [], [], [], []
        for lo, hi in _segments(n):
            m = hi - lo
            specs = _article_specs(m) | {"index": ((m * K,), np.uint64)}
            n_ev = [0]

            def pieces(m=m, n_ev=n_ev, names=list(specs)):
                ends = dict.fromkeys(_LISTS, 0)  # values of each list column written so far in this run
                for k, piece in enumerate(sig_rows.take(m)):
                    piece = piece.select(_SIG_SCHEMA.keys()).cast(_SIG_SCHEMA)
                    meta.append(piece.select(_META))
                    parent.append(piece["parent"].to_numpy().astype(np.uint32))
                    best.append(piece["best"].to_numpy().astype(np.uint8))
                    cols = _columns(piece)
                    for c in _LISTS:
                        off = cols[c + ".off"] + ends[c]
                        ends[c] = int(off[-1])
                        cols[c + ".off"] = off if k == 0 else off[1:]  # a run's offsets start at 0 once
                    cols["index"] = piece["index"].to_numpy().reshape(-1)
                    n_ev[0] += int(cols["n_ev"].astype(np.int64).sum())
                    yield tuple(cols[c] for c in names)

            writer = RunWriter(lo, hi)
            writer.columns(specs, pieces())
            ne = n_ev[0]
            writer.columns({"ev_key": ((ne,), np.uint64), "ev_pos": ((ne,), np.uint32)},
                           ((e["key"].to_numpy(), e["pos"].to_numpy()) for e in ev_rows.take(ne)))
            runs.append(writer.done())
        if not sig_rows.done() or not ev_rows.done():
            raise ValueError("dedup state: more rows than its signature count says")
        meta_frame = pl.concat(meta).rechunk() if meta else pl.DataFrame(schema={c: _SIG_SCHEMA[c] for c in _META})
        return cls(meta_frame, np.concatenate(parent) if parent else np.zeros(0, np.uint32),
                   np.concatenate(best) if best else np.zeros(0, np.uint8), runs,
                   sentences.select(_TEXT_SCHEMA.keys()).cast(_TEXT_SCHEMA),
                   edges.select(_EDGE_SCHEMA.keys()).cast(_EDGE_SCHEMA))

    @classmethod
    def empty(cls) -> "DedupState":
        return cls(pl.DataFrame(schema={c: _SIG_SCHEMA[c] for c in _META}), np.zeros(0, np.uint32),
                   np.zeros(0, np.uint8), [], pl.DataFrame(schema=_TEXT_SCHEMA), pl.DataFrame(schema=_EDGE_SCHEMA))

    def _kept_rows(self, o0: int, o1: int, keep: np.ndarray, names: list[str]):
        """The per-article columns (`names`) of the kept articles among positions [o0, o1), as pieces read
        from the runs a stretch of rows at a time; list offsets start at 0 once, in the first piece."""
        ends = dict.fromkeys(_LISTS, 0)
        first = True
        for run in self.runs:
            for a in range(max(o0, run.lo), min(o1, run.hi), _PART_ROWS):
                b = min(a + _PART_ROWS, o1, run.hi)
                m, r0, r1 = keep[a:b], a - run.lo, b - run.lo
                cols = {c: run.read(c, r0, r1)[m] for c in _ROWS}
                for c in _LISTS:
                    off = run.read(c + ".off", r0, r1 + 1).astype(np.int64)
                    vals = run.read(c + ".val", int(off[0]), int(off[-1]))
                    ln = np.diff(off)[m]
                    cols[c + ".val"] = vals[_ranges(off[:-1][m] - off[0], ln)]
                    new = ends[c] + np.cumsum(ln)
                    cols[c + ".off"] = np.r_[ends[c], new] if first else new
                    ends[c] = int(new[-1]) if new.size else ends[c]
                first = False
                yield tuple(cols[c] for c in names)

    def restrict(self, article_ids) -> "DedupState":
        """The state cut down to these articles (others leave no trace); positions renumbered.

        Built run by run from the state's files, a stretch of rows at a time: at a million articles the
        whole state as frames took an orchestrator that had removed 1,000 of them to 3.5 GB.
        """
        keep = self.meta["article_id"].is_in(pl.Series(article_ids, dtype=pl.String).implode()).to_numpy()
        if keep.all():
            return self
        n_old, n = keep.size, int(keep.sum())
        kept = np.flatnonzero(keep)
        newpos = np.full(n_old + 1, -1, np.int64)
        newpos[kept] = np.arange(n)
        segs = _segments(n)
        bounds = np.array([hi for _, hi in segs], np.int64)
        # Lookup keys and evidence of the kept articles, renumbered, each sent to the new run holding it.
        index_parts = [Spill(np.uint64) for _ in segs]
        ev_parts = [(Spill(np.uint64), Spill(np.uint32)) for _ in segs]
        # Sentence texts stay only while still seen in more than one article: kept evidence counted per text.
        text_keys = np.unique(self.sentences["sentence_hash"].to_numpy())
        seen = np.zeros(text_keys.size, np.int64)
        for run in self.runs:
            idx = run.array("index")
            for a in range(0, idx.size, LOOKUP_STRETCH):
                entries = np.array(idx[a:a + LOOKUP_STRETCH])
                row = (entries & _LO32).astype(np.int64)
                ok = keep[row]
                pos = newpos[row[ok]]
                entries = (entries[ok] & ~_LO32) | pos.astype(np.uint64)
                for k, at in _by_run(pos, bounds):
                    index_parts[k].add(entries[at])
                dedup_files.let_go(idx)
            del idx
            for a in range(0, run.length("ev_key"), LOOKUP_STRETCH):
                key, pos = run.read("ev_key", a, a + LOOKUP_STRETCH), run.read("ev_pos", a, a + LOOKUP_STRETCH)
                ok = keep[pos.astype(np.int64)]
                key, pos = key[ok], newpos[pos[ok].astype(np.int64)]
                if text_keys.size:
                    at = np.minimum(np.searchsorted(text_keys, key), text_keys.size - 1)
                    seen += np.bincount(at[text_keys[at] == key], minlength=text_keys.size)
                for k, at in _by_run(pos, bounds):
                    ev_parts[k][0].add(key[at])
                    ev_parts[k][1].add(pos[at])
        runs = []
        for k, (lo, hi) in enumerate(segs):
            writer = RunWriter(lo, hi)
            m = hi - lo
            specs = _article_specs(m)
            writer.columns(specs, self._kept_rows(kept[lo], kept[hi - 1] + 1, keep, list(specs)))
            entries = index_parts[k].take()
            entries.sort()
            writer.column("index", (m * K,), np.uint64, [entries])
            del entries
            key, pos = ev_parts[k][0].take(), ev_parts[k][1].take()
            order = np.argsort(key, kind="stable")  # equal keys stay in position order, as evidence is kept
            writer.columns({"ev_key": ((key.size,), np.uint64), "ev_pos": ((key.size,), np.uint32)},
                           [(key[order], pos[order])])
            runs.append(writer.done())
        ed = self.edges
        a, b = ed["a"].to_numpy().astype(np.int64), ed["b"].to_numpy().astype(np.int64)
        eok = keep[a] & keep[b]
        edges = ed.filter(pl.Series(eok)).with_columns(
            a=pl.Series(newpos[a[eok]].astype(np.uint32)), b=pl.Series(newpos[b[eok]].astype(np.uint32)))
        hashes = self.sentences["sentence_hash"].to_numpy()
        sentences = self.sentences.filter(pl.Series(seen[np.searchsorted(text_keys, hashes)] > 1)) \
            if text_keys.size else self.sentences
        parent = np.arange(n, dtype=np.uint32)
        best = np.full(n, _RANK["singleton"], np.uint8)
        ranks = edges["method"].replace_strict(_RANK, return_dtype=pl.Int64).to_list()
        for u, v, t in zip(edges["a"].to_list(), edges["b"].to_list(), ranks):
            ru, rv = _find(parent, u), _find(parent, v)
            if ru != rv:
                parent[max(ru, rv)] = min(ru, rv)
            best[u], best[v] = min(best[u], t), min(best[v], t)
        state = DedupState(self.meta.filter(pl.Series(keep)), parent, best, runs, sentences, edges)
        # Links that were redundant when they were found (the removed article already joined the pair) were
        # never kept: the kept members of every cluster that lost an article are compared again.
        comp = self.parent.astype(np.int64)
        while not np.array_equal(comp[comp], comp):
            comp = comp[comp]
        hit = np.zeros(n_old, bool)
        hit[np.unique(comp[~keep])] = True
        again = np.flatnonzero(keep & hit[comp])
        if again.size > 1:
            y, x = _replay_pairs(comp[again], newpos[again])
            extra = _edges(_Store(state), y, x, np.ones(y.size, bool), state.parent, state.best)
            if extra.height:
                state.edges = pl.concat([edges, extra])
        return state


def _replay_pairs(comp: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(earlier, later) positions of members of one cluster, each with its up to CAP latest earlier fellows."""
    o = np.lexsort((pos, comp))
    c, p = comp[o], pos[o]
    ys, xs = [], []
    for d in range(1, min(CAP, c.size - 1) + 1):
        same = np.flatnonzero(c[d:] == c[:-d])
        if same.size == 0:
            break
        ys.append(p[same])
        xs.append(p[same + d])
    if not ys:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(ys), np.concatenate(xs)


# ---------------------------------------------------------------- adding a batch
def _lookup_old(runs: list[Run], q: np.ndarray, quota: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each query key q[i], up to quota[i] most recent earlier positions holding it: (query, position)."""
    qi_out, pos_out = [], []
    # Queries in key order: numpy's binary search starts from the previous answer for ascending needles,
    # which keeps each run's index in cache (random order costs a cache miss per probe).
    by_key = np.argsort(q, kind="stable")
    quota = quota[by_key]
    lo_k = q[by_key].astype(np.uint64) << _U64(32)
    hi_k = lo_k | _LO32
    for run in reversed(runs):
        live = np.flatnonzero(quota > 0)
        if live.size == 0:
            break
        idx = run.array("index")
        # The keys are searched a stretch of the index at a time, and the stretch's pages given back after
        # it. At a million articles the largest run's index is 180 MB, and a batch's searches, over all of
        # it at once, held nearly every page of it (the state update's peak memory).
        pivots = np.array(idx[LOOKUP_STRETCH::LOOKUP_STRETCH])
        cuts = np.r_[0, np.searchsorted(lo_k[live], pivots), live.size]
        for c0, c1 in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
            if c1 == c0:
                continue
            part = live[c0:c1]
            s0 = int(np.searchsorted(idx, lo_k[part[0]], side="left"))
            stretch = idx[s0:int(np.searchsorted(idx, hi_k[part[-1]], side="right"))]
            b = np.searchsorted(stretch, hi_k[part], side="right")
            # Most keys are in no earlier article: the entry before b tells, and only the keys found
            # are searched for where their entries begin (half the binary searches).
            hit = np.flatnonzero(b > 0)
            hit = hit[stretch[b[hit] - 1] >= lo_k[part[hit]]]
            if hit.size:
                got, b = part[hit], b[hit]
                take = np.minimum(b - np.searchsorted(stretch, lo_k[got], side="left"), quota[got])
                quota[got] -= take
                qi = np.repeat(got, take)
                offs = np.arange(take.sum()) - np.repeat(np.cumsum(take) - take, take)
                pos_out.append((stretch[np.repeat(b, take) - 1 - offs] & _LO32).astype(np.int64))
                qi_out.append(by_key[qi])
            dedup_files.let_go(idx)
    if not qi_out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(qi_out), np.concatenate(pos_out)


def _candidates(runs: list[Run], keys: np.ndarray, start: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (earlier position, new position, shares a lede band) sharing a lookup key
    (one that tells something: see POPULAR_LEDE)."""
    n = keys.shape[0]
    if start + n > 1 << 31:
        raise ValueError("the near-duplicate state holds at most 2**31 articles")
    sub = keys[:, 1:]
    nk = sub.shape[1]
    qkey = sub.reshape(-1)
    qpos = np.repeat(np.arange(n, dtype=np.int64) + start, nk)
    # Within the batch: sorted by (key, position), the up-to-CAP previous entries of the same key.
    packed = (qkey.astype(np.uint64) << _U64(32)) | qpos.astype(np.uint64)
    order = np.argsort(packed, kind="stable")
    sk, sp = qkey[order], qpos[order]
    within = np.zeros(qkey.size, np.int64)
    ys, xs, qs = [], [], []
    lede_col = 2 + BANDS  # columns of sub from here on are lede bands
    for d in range(1, CAP + 1):
        same = np.flatnonzero(sk[d:] == sk[:-d]) + d if d < sk.size else np.zeros(0, np.int64)
        if same.size == 0:
            break
        ys.append(sp[same - d])
        xs.append(sp[same])
        qs.append(order[same])
        within[order[same]] += 1
    quota = CAP - within
    qi, y = _lookup_old(runs, qkey, quota)
    ys.append(y)
    xs.append(qpos[qi])
    qs.append(qi)
    y, x, q = np.concatenate(ys), np.concatenate(xs), np.concatenate(qs)
    f = q % nk >= lede_col
    # A lede band held by POPULAR_LEDE or more earlier articles is a pair of common words, not a story:
    # a pair that shares nothing else is left out (see POPULAR_LEDE).
    held = within + np.bincount(qi, minlength=qkey.size)
    telling = ~f | (held[q] < POPULAR_LEDE)
    ok = y < x
    # One sort of words (new position, earlier position, lede flag, telling flag): sorting values is a few
    # times faster than an argsort and gathers, and a pair's lede-flagged entry, if any, sorts last.
    # Positions stay below 2**31 (y takes bits 2..32, x bits 33..63).
    packed = np.sort((x[ok].astype(np.uint64) << _U64(33)) | (y[ok].astype(np.uint64) << _U64(2))
                     | (f[ok].astype(np.uint64) << _U64(1)) | telling[ok].astype(np.uint64))
    if packed.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
    ends = np.flatnonzero(np.r_[(packed[1:] >> _U64(2)) != (packed[:-1] >> _U64(2)), True])
    starts = np.r_[0, ends[:-1] + 1]
    keep = np.logical_or.reduceat((packed & _U64(1)).astype(bool), starts) | (ends > starts)  # or 2+ keys shared
    last = packed[ends[keep]]
    pair = last >> _U64(2)
    return (pair & _U64(0x7FFFFFFF)).astype(np.int64), (pair >> _U64(31)).astype(np.int64), ((last >> _U64(1)) & _U64(1)).astype(bool)


def _uniq(a: np.ndarray) -> np.ndarray:
    a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if a.size else a


def _rank_in(keys: np.ndarray, *values: np.ndarray) -> list[np.ndarray]:
    """np.searchsorted(keys, v) for each v, all of whose values are in keys (sorted, unique).

    A table over the keys' range answers with one read a value instead of a binary search: at a million
    articles the searches were a tenth of the pair checks. Keys spread too thin for a table are searched.
    """
    if keys.size == 0:
        return [np.searchsorted(keys, v) for v in values]
    lo, span = int(keys[0]), int(keys[-1]) - int(keys[0]) + 1
    if span > 32 * keys.size + (1 << 16):
        return [np.searchsorted(keys, v) for v in values]
    table = np.empty(span, np.int64)
    table[keys - lo] = np.arange(keys.size)
    return [table[v - lo] for v in values]


def _agree(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Jaccard estimate from 8-bit MinHash slots (corrected for chance agreement), in [0, 1]."""
    if a.shape[0] == 0:
        return np.zeros(0)
    slots = a.shape[1]
    eq = a == b
    if slots % 8 == 0:
        # A bool is one byte 0/1: counting the set bits 8 slots at a time halves the cost of a row-wise
        # count_nonzero, over ~100 candidate pairs per new article.
        same = np.bitwise_count(np.ascontiguousarray(eq).view(np.uint64)).sum(axis=1, dtype=np.int64)
    else:
        same = np.count_nonzero(eq, axis=1)
    p = same / slots
    return np.clip((p - 1 / 256) / (1 - 1 / 256), 0.0, 1.0)


def _agree_pairs(table: np.ndarray, iu: np.ndarray, iv: np.ndarray, chunk: int = 1 << 15) -> np.ndarray:
    """`_agree(table[iu], table[iv])`, without materialising both gathered matrices.

    Rows are taken as 64-bit words (a third of the cost of gathering byte rows) and XORed; equal slots are
    the zero bytes. Chunks keep the temporaries in cache: a batch has hundreds of thousands of pairs.
    """
    slots = table.shape[1]
    if slots % 8 or iu.size == 0:
        return _agree(table[iu], table[iv])
    words = np.ascontiguousarray(table).view(np.uint64)
    same = np.empty(iu.size, np.int64)
    for c in range(0, iu.size, chunk):
        d = np.take(words, iu[c:c + chunk], axis=0)  # a sixth faster than words[...] for 128-byte rows
        d ^= np.take(words, iv[c:c + chunk], axis=0)
        same[c:c + chunk] = np.bitwise_count((d.view(np.uint8) == 0).view(np.uint64)).sum(axis=1, dtype=np.int64)
    p = same / slots
    return np.clip((p - 1 / 256) / (1 - 1 / 256), 0.0, 1.0)


def _by_run(pos: np.ndarray, bounds: np.ndarray):
    """(k, indices into pos, in their order) for each run k holding some of the positions (bounds: the runs' ends)."""
    which = np.searchsorted(bounds, pos, side="right")
    order = np.argsort(which, kind="stable")
    cuts = np.searchsorted(which[order], np.arange(len(bounds) + 1))
    for k in range(len(bounds)):
        if cuts[k + 1] > cuts[k]:
            yield k, order[cuts[k]:cuts[k + 1]]


class _Store:
    """Columns of the articles at any positions: earlier ones from the state's run files, new ones from the batch."""

    def __init__(self, state: "DedupState", batch: dict[str, np.ndarray] | None = None, n_new: int = 0):
        self.runs, self.start = state.runs, state.n
        self.batch = batch if batch is not None else _columns(pl.DataFrame(schema=_SIG_SCHEMA))
        self.los = [r.lo for r in self.runs] + [self.start]
        self.bounds = np.array([r.hi for r in self.runs] + [self.start + n_new], np.int64)

    def _source(self, k: int, name: str) -> np.ndarray:
        return self.runs[k].array(name) if k < len(self.runs) else self.batch[name]

    def _parts(self, pos: np.ndarray):
        """(part, indices into pos) for each part holding some of the positions."""
        return _by_run(pos, self.bounds)

    def get(self, col: str, pos: np.ndarray) -> np.ndarray:
        # Only the rows asked for are read: a mapped run gives back just the pages they are on.
        ref = self.batch[col]
        out = np.empty((pos.size,) + ref.shape[1:], ref.dtype)
        for k, hit in self._parts(pos):
            out[hit] = self._source(k, col)[pos[hit] - self.los[k]]
        return out

    def sketches(self, pos: np.ndarray, col: str = "sketch") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A list column at these positions as (flat values, start, length): pos[i]'s is values[start[i]:][:length[i]]."""
        ln = np.zeros(pos.size, np.int64)
        start = np.zeros(pos.size, np.int64)
        pieces, at = [], 0
        for k, hit in self._parts(pos):
            off = self._source(k, col + ".off")
            r = pos[hit] - self.los[k]
            s = np.asarray(off[r], np.int64)
            n = np.asarray(off[r + 1], np.int64) - s
            ln[hit] = n
            start[hit] = at + np.cumsum(n) - n
            at += int(n.sum())
            pieces.append(self._source(k, col + ".val")[_ranges(s, n)])
        flat = np.concatenate(pieces) if pieces else np.zeros(0, self.batch[col + ".val"].dtype)
        return flat, start, ln


def _find(parent: np.ndarray, v: int) -> int:
    r = v
    while parent[r] != r:
        r = int(parent[r])
    while parent[v] != r:
        parent[v], v = r, int(parent[v])
    return r


def _edges(store: _Store, y: np.ndarray, x: np.ndarray, lede: np.ndarray, parent: np.ndarray, best: np.ndarray) -> pl.DataFrame:
    """Accepted pairs among the candidates (y earlier, x new), in order of x; updates parent and best.

    Pairs are taken per new article, strongest first; a pair that needs the sentence alignment is
    not checked when its articles are already in one cluster and both already have a near-copy
    (or stronger) link. A pair is kept as an edge when it joins two clusters or gives one of its
    articles a stronger method than it had: the edges span the clusters and give every method.
    """
    if y.size == 0:
        return pl.DataFrame(schema=_EDGE_SCHEMA)
    # Each article's columns are gathered once (a new article meets ~100 candidates), then paired in numpy.
    upos = _uniq(np.concatenate([y, x]))
    uy, ux = _rank_in(upos, y, x)
    g = {c: store.get(c, upos) for c in ("bytes_hash", "text_hash", "words", "sig", "wsig", "lsig")}
    eb = (g["bytes_hash"][uy] == g["bytes_hash"][ux]) & (g["bytes_hash"][uy] != 0)
    et = g["text_hash"][uy] == g["text_hash"][ux]
    valid = (g["words"][uy] > 0) & (g["words"][ux] > 0)
    j = np.where(valid, _agree_pairs(g["sig"], uy, ux), 0.0)
    # Below MINHASH_ALONE the alignment decides: from MINHASH_CONFIRMED up, or for lede-band candidates
    # whose ledes or content words are fairly similar (rewrites). Lede and word estimates are only
    # worked out for the pairs whose fate they decide.
    weak = np.flatnonzero((j < MINHASH_CONFIRMED) & lede)
    similar = np.zeros(y.size, bool)
    similar[weak] = ((_agree_pairs(g["lsig"], uy[weak], ux[weak]) >= CANDIDATE_LEDE)
                     | (_agree_pairs(g["wsig"], uy[weak], ux[weak]) >= CANDIDATE_WORDS))
    tier = np.full(y.size, 9, np.int64)
    check = (j < MINHASH_ALONE) & ((j >= MINHASH_CONFIRMED) | similar)
    tier[check] = 3
    tier[j >= MINHASH_ALONE] = _RANK["minhash"]
    tier[et] = _RANK["exact_text"]
    tier[eb] = _RANK["exact_bytes"]
    live = np.flatnonzero(tier < 9)
    order = live[np.lexsort((y[live], -j[live], tier[live], x[live]))]
    sim = np.where(eb | et, 1.0, j)
    need = np.flatnonzero((tier == 2) | (tier == 3))
    if need.size:
        pos = _uniq(np.concatenate([y[need], x[need]]))
        flat, st, ln = store.sketches(pos)
        # Every pair short of an exact copy needs mutual ledes: checked for all of them at once.
        iy, ix = _rank_in(pos, y[need], x[need])
        ok = _ledes_match_many(flat, st, ln, iy, ix)
        tier[need[~ok]] = 9
        order = order[tier[order] < 9]
        # Distinctive quotes and figures: shared by the pair, and each article's own count.
        nq, nf = np.zeros((2, y.size), np.int64), np.zeros((2, y.size), np.int64)
        sq, sf = np.zeros(y.size, np.int64), np.zeros(y.size, np.int64)
        for col, shared, own in (("qkeys", sq, nq), ("fkeys", sf, nf)):
            kf, ks, kl = store.sketches(pos, col)
            shared[need] = _shared_many(kf, ks, kl, iy, ix)
            own[0, need], own[1, need] = kl[iy], kl[ix]

    MINH, REWR, SINGLE = _RANK["minhash"], _RANK["rewrite"], _RANK["singleton"]
    # Alignments for every pair that may need one, at once: nearly all of them are looked at below (a pair
    # is skipped only once its articles are already linked as near-copies).
    vcode = np.full(y.size, -1, np.int8)
    vlede, vweak = np.zeros(y.size), np.zeros(y.size)
    few = np.zeros(y.size, bool)  # an article with fewer than two sentences
    if need.size:
        # Sentences per article: the 0s ending them (values after the last 0 belong to none).
        zeros = np.r_[0, np.cumsum(flat == 0)]
        nsent = zeros[st + ln] - zeros[st]
        few[need] = (nsent[iy] < 2) | (nsent[ix] < 2)
        verify = np.flatnonzero(((tier[need] == 3) | ((tier[need] == 2) & (j[need] < MINHASH_SURE))) & ~few[need])
        if verify.size:
            # Only the articles of these pairs are parsed into sentences (a small part of those of `need`).
            va, vb = iy[verify], ix[verify]
            sub = _uniq(np.concatenate([va, vb]))
            got = _verdicts_many(flat, st[sub], ln[sub], *_rank_in(sub, va, vb))
            vcode[need[verify]], vlede[need[verify]], vweak[need[verify]] = got
    VERDICT = {-1: None, 0: None, 1: "copy", 2: "paraphrase"}

    out_a, out_b, out_m, out_s = [], [], [], []
    for i in order.tolist():
        u, v, t = int(y[i]), int(x[i]), int(tier[i])
        ru, rv = _find(parent, u), _find(parent, v)
        if t >= 2:
            if ru == rv and best[u] <= MINH and best[v] <= MINH:
                continue
            if t == 2 and (j[i] >= MINHASH_SURE or few[i]):
                t = MINH  # a near-copy by the estimate, with mutual ledes (checked above)
            else:
                verdict = VERDICT[int(vcode[i])]
                facts = corroborates(int(sq[i] + sf[i]), int(nq[0, i] + nf[0, i]), int(nq[1, i] + nf[1, i]))
                if verdict == "paraphrase" and figures_disagree(int(nf[0, i]), int(nf[1, i]), int(sf[i]), int(sq[i])):
                    continue
                if (vcode[i] == 0 and facts and vlede[i] >= CORROB_LEDE
                        and vweak[i] >= CORROB_ALIGN):
                    verdict = "corroborated"
                if verdict is None or (t == 2 and verdict != "copy"):
                    continue
                # An uncorroborated paraphrase only attaches an article that has no link yet.
                if verdict == "paraphrase" and not facts and best[u] != SINGLE and best[v] != SINGLE:
                    continue
                t = MINH if verdict == "copy" or j[i] >= MINHASH_CONFIRMED else REWR
        if ru == rv and best[u] <= t and best[v] <= t:
            continue
        if ru != rv:
            if rv < ru:
                ru, rv = rv, ru
            parent[rv] = ru
        best[u] = min(best[u], t)
        best[v] = min(best[v], t)
        out_a.append(u)
        out_b.append(v)
        out_m.append(METHODS[t])
        out_s.append(float(sim[i]))
    return pl.DataFrame({"a": out_a, "b": out_b, "method": out_m, "similarity": out_s}, schema=_EDGE_SCHEMA)


@dataclass
class Features:
    """What clustering needs of a batch of new articles, worked out without the state (so anywhere).

    rows: signature rows; keys: (n, K) uint32 lookup keys; evidence: pos (row in this batch), key, sentence.
    """

    rows: pl.DataFrame
    keys: np.ndarray
    evidence: pl.DataFrame

    @property
    def height(self) -> int:
        return self.rows.height

    @classmethod
    def concat(cls, parts: list["Features"]) -> "Features":
        """The features of consecutive batches as those of one batch (evidence positions shifted)."""
        if len(parts) == 1:
            return parts[0]
        offsets = np.cumsum([0] + [p.height for p in parts[:-1]])
        evidence = pl.concat([p.evidence.with_columns(pos=(pl.col("pos").cast(pl.Int64) + int(o)).cast(pl.UInt32))
                              for p, o in zip(parts, offsets)])
        return cls(pl.concat([p.rows for p in parts]), np.concatenate([p.keys for p in parts]), evidence)

    def subset(self, keep: np.ndarray) -> "Features":
        newpos = np.cumsum(keep) - 1
        pos = self.evidence["pos"].to_numpy().astype(np.int64)
        ok = keep[pos]
        evidence = self.evidence.filter(pl.Series(ok)).with_columns(
            pos=pl.Series(newpos[pos[ok]].astype(np.uint32)))
        return Features(self.rows.filter(pl.Series(keep)), self.keys[keep], evidence)


def batch_features(articles: pl.DataFrame, sentences: pl.DataFrame, quotes: pl.DataFrame | None = None,
                   figures: pl.DataFrame | None = None) -> Features:
    """The clustering features of a batch of articles (see cluster_articles for the inputs)."""
    articles = articles.unique("article_id", keep="first", maintain_order=True)
    if "ingested_at" not in articles.columns:
        articles = articles.with_columns(ingested_at=pl.lit(None, pl.Datetime("us", "UTC")))
    if "content_hash" not in articles.columns:
        articles = articles.with_columns(content_hash=pl.lit(None, pl.String))
    articles = articles.with_columns(pl.col("ingested_at").cast(pl.Datetime("us", "UTC")))
    sentences = sentences.select("article_id", "sentence_index", "text").join(
        articles.select("article_id"), on="article_id", how="semi")
    return Features(*_features(articles, sentences, 0, quotes, figures))


def add_features(prev: DedupState, features: Features) -> DedupState:
    """The state with a batch of new articles added, from their batch_features."""
    if features.height == 0:
        return prev
    start, runs = prev.n, prev.runs
    rows, keys = features.rows, features.keys
    n = rows.height
    # Articles already known (same article_id): dropped.
    qi, old = _lookup_old(runs, keys[:, 0], np.full(n, CAP))
    if qi.size:
        known = prev.meta["article_id"].gather(old).to_numpy() == rows["article_id"].gather(qi).to_numpy()
        if known.any():
            keepm = np.ones(n, bool)
            keepm[np.unique(qi[known])] = False
            return add_features(prev, features.subset(keepm))
    y, x, lede = _candidates(runs, keys, start)
    parent = np.concatenate([prev.parent, np.arange(start, start + n)]).astype(np.uint32)
    best = np.concatenate([prev.best, np.full(n, _RANK["singleton"])]).astype(np.uint8)
    batch = _columns(rows)
    # Pairs are judged in order of their new article, so a few hundred new articles at a time give the same
    # edges while the per-pair temporaries (a batch has ~100 candidates per article) stay small.
    store = _Store(prev, batch, n)
    cuts = np.searchsorted(x, np.arange(start, start + n + EDGE_CHUNK, EDGE_CHUNK)).tolist()  # x is sorted
    edges = pl.concat([_edges(store, y[a:b], x[a:b], lede[a:b], parent, best) for a, b in zip(cuts, cuts[1:])])
    del store, y, x, lede

    # Sentence texts: kept when the sentence is now seen in a second article.
    ev = features.evidence
    ekey, epos = ev["key"].to_numpy(), ev["pos"].to_numpy().astype(np.int64) + start
    order = np.lexsort((epos, ekey))
    sk = ekey[order]  # ascending needles: see _lookup_old
    # Earlier articles holding each key, counted up to 2 (all the capture below needs): the two entries
    # before the key's end tell, without a second binary search for its start.
    seen_sorted = np.zeros(ekey.size, np.int64)
    for run in runs:
        vk = run.array("ev_key")
        end = np.searchsorted(vk, sk, side="right")
        for back in (1, 2):
            at = np.flatnonzero(end >= back)
            seen_sorted[at[vk[end[at] - back] == sk[at]]] += 1
        del vk
    seen_old = np.empty(ekey.size, np.int64)
    seen_old[order] = np.minimum(seen_sorted, 2)
    rank_in = np.zeros(ekey.size, np.int64)
    first = np.r_[True, sk[1:] != sk[:-1]]
    grp_start = np.maximum.accumulate(np.where(first, np.arange(sk.size), 0))
    rank_in[order] = np.arange(sk.size) - grp_start
    capture = (seen_old + rank_in == 1)  # this occurrence is the key's second one
    texts = _compact(ev.filter(pl.Series(capture)).sort("pos", "key")
                     .select(sentence_hash="key", sentence="sentence"))

    meta = pl.concat([prev.meta, _compact(rows.select(_META).cast({c: _SIG_SCHEMA[c] for c in _META}))],
                     rechunk=False)
    state = DedupState(meta.rechunk() if meta.n_chunks() > 64 else meta, parent, best,
                       _merge_runs(runs, start, batch, keys, ekey, epos),
                       pl.concat([prev.sentences, texts.cast(_TEXT_SCHEMA)], rechunk=False),
                       pl.concat([prev.edges, edges], rechunk=False))
    return state


def _compact(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with its strings copied out: a filtered string column still points into the whole
    batch's text buffers, and a state that keeps a few rows of each batch would keep every batch's text."""
    return frame.with_columns(pl.Series(c, frame[c].to_list(), dtype=pl.String)
                              for c, t in frame.schema.items() if t == pl.String)


def _merge_runs(runs: list[Run], start: int, batch: dict[str, np.ndarray], keys: np.ndarray, ekey: np.ndarray,
                epos: np.ndarray) -> list[Run]:
    """The runs for the state with the batch added: those that the new size changes are merged with the
    batch and written again; the others are kept as they are (shared with `runs`).

    A merged run is written a piece at a time: at a million articles one run holds half the state
    (~0.7 GB), and building it whole in memory, with the sort's copies, was the run's peak memory."""
    n = keys.shape[0]
    total = start + n
    old_segs, new_segs = _segments(start), _segments(total)
    keep = 0
    while keep < len(old_segs) and keep < len(new_segs) and old_segs[keep] == new_segs[keep]:
        keep += 1
    out = []
    for a, b in new_segs[keep:]:
        # An old run is never split: runs are aligned binary-counter blocks, so each lies in one new run.
        olds = [r for r in runs[keep:] if a <= r.lo < b]
        b0, b1 = max(a, start) - start, max(min(b, total) - start, 0)  # the batch's rows in [a, b)
        # (lo, hi, rows i..j of a column, values i..j of a list's flat values)
        row_sources = [(r.lo, r.hi, r.read, r.read) for r in olds]
        if b1 > b0:
            row_sources.append((start + b0, start + b1, lambda c, i, j: batch[c][b0 + i:b0 + j],
                                lambda c, i, j: batch[c][i:j]))
        w = RunWriter(a, b)
        for c in _ROWS:
            w.column(c, (b - a,) + ((_WIDTH[c],) if c in _WIDTH else ()), _DTYPES[c], _row_pieces(row_sources, c))
        for c, dt in _LISTS.items():
            offs = [np.asarray(rows(c + ".off", 0, hi - lo + 1), np.int64) for lo, hi, rows, _ in row_sources]
            w.column(c + ".off", (b - a + 1,), np.int64, _offset_pieces(offs))
            w.column(c + ".val", (sum(int(o[-1] - o[0]) for o in offs),), dt,
                     _value_pieces([(o, flat) for o, (_, _, _, flat) in zip(offs, row_sources)], c + ".val"))
        # Index: the sorted runs and the batch's sorted entries, merged.
        packed = ((keys[b0:b1].astype(np.uint64) << _U64(32))
                  | np.arange(start + b0, start + b1, dtype=np.uint64)[:, None]).reshape(-1)
        packed.sort()
        w.column("index", ((b - a) * K,), np.uint64,
                 (k for k, _ in _merged([_RunSorted(r, "index") for r in olds] + [_Sorted(packed)])))
        # Evidence: sorted by key, equal keys in position order (older runs first, then the batch's order).
        inb = (epos >= a) & (epos < b)
        bk, bp = ekey[inb], epos[inb]
        o = np.argsort(bk, kind="stable")
        ev = [_RunSorted(r, "ev_key", "ev_pos") for r in olds] + [_Sorted(bk[o], bp[o].astype(np.uint32))]
        w.columns({"ev_key": ((sum(e.size for e in ev),), ekey.dtype), "ev_pos": ((sum(e.size for e in ev),), np.uint32)},
                  _merged(ev))
        out.append(w.done())
    return runs[:keep] + out


_MERGE_ROWS = 1 << 16  # articles per piece when rows are copied into a merged run
_MERGE_VALUES = 1 << 22  # list values per piece
_MERGE_SORTED = 1 << 17  # a source's sorted entries per piece of a merge


def _row_pieces(sources, col: str):
    for lo, hi, get, _ in sources:
        for i in range(0, hi - lo, _MERGE_ROWS):
            yield get(col, i, min(i + _MERGE_ROWS, hi - lo))


def _offset_pieces(offs: list[np.ndarray]):
    base = 0
    for o in offs:
        yield o[:-1] - o[0] + base
        base += int(o[-1] - o[0])
    yield np.array([base], np.int64)


def _value_pieces(sources, col: str):
    for off, get in sources:
        for i in range(int(off[0]), int(off[-1]), _MERGE_VALUES):
            yield get(col, i, min(i + _MERGE_VALUES, int(off[-1])))


class _Sorted:
    """Sorted keys in memory, with an optional column that goes with them."""

    def __init__(self, keys: np.ndarray, extra: np.ndarray | None = None):
        self.keys, self.extra = keys, extra
        self.size = keys.size

    def sample(self, every: int) -> np.ndarray:
        return self.keys[every - 1::every]

    def cuts(self, pivots: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.keys, pivots, side="right")

    def read(self, i: int, j: int):
        return self.keys[i:j], (self.extra[i:j] if self.extra is not None else None)


class _RunSorted(_Sorted):
    """A run's sorted column (and a column that goes with it), read from its file a piece at a time.

    Not searched through a map: each probe of a binary search would map the pages around it
    (the kernel maps ahead on a fault), and a merge's probes touch most of a big run."""

    def __init__(self, run: Run, col: str, extra: str | None = None):
        self.run, self.col, self.extra_col = run, col, extra
        self.size = run.length(col)

    def sample(self, every: int) -> np.ndarray:
        return self.run.rows_at(self.col, range(every - 1, self.size, every))

    def cuts(self, pivots: np.ndarray) -> np.ndarray:
        out = np.zeros(pivots.size, np.int64)
        for i in range(0, self.size, _MERGE_VALUES):  # entries <= pivot, counted block by block
            out += np.searchsorted(self.run.read(self.col, i, i + _MERGE_VALUES), pivots, side="right")
        return out

    def read(self, i: int, j: int):
        return self.run.read(self.col, i, j), (self.run.read(self.extra_col, i, j) if self.extra_col else None)


def _merged(sources: list, piece: int | None = None):
    """The stable merge of sorted sources as (keys, extra) pieces: equal keys keep the sources' order.

    Pivots are every piece-th key of each source; an output piece takes, from each source, its keys in
    (previous pivot, pivot], so it holds at most `piece` entries of each source."""
    piece = piece or _MERGE_SORTED
    sources = [s for s in sources if s.size]
    if not sources:
        return
    piv = np.unique(np.concatenate([s.sample(piece) for s in sources]))
    cuts = [np.r_[0, s.cuts(piv), s.size] for s in sources]
    for p in range(piv.size + 1):
        got = [s.read(int(c[p]), int(c[p + 1])) for s, c in zip(sources, cuts) if c[p + 1] > c[p]]
        if not got:
            continue
        keys = np.concatenate([k for k, _ in got])
        extra = np.concatenate([e for _, e in got]) if got[0][1] is not None else None
        if len(got) > 1:
            order = np.argsort(keys, kind="stable")
            keys = keys[order]
            extra = extra[order] if extra is not None else None
        yield keys, extra


# ---------------------------------------------------------------- clusters
def _clusters(state: DedupState, chunk: int = 1 << 16) -> pl.DataFrame:
    n = state.n
    if n == 0:
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    meta = state.meta
    order = meta.select(pl.arg_sort_by("ingested_at", "source_file", "article_id", nulls_last=True))[:, 0].to_numpy()
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    # Components from the union-find parents (pointer jumping); root = the earliest member by rank.
    comp = state.parent.astype(np.int64)
    while True:
        nxt = comp[comp]
        if np.array_equal(nxt, comp):
            break
        comp = nxt
    first = np.full(n, n, np.int64)
    np.minimum.at(first, comp, rank)
    root = order[first[comp]]
    best = state.best.astype(np.int64)
    store = _Store(state)
    words = store.get("words", np.arange(n))
    # Each article against its root, a chunk at a time: the signatures are read from the runs, never all held.
    agree = np.concatenate([_agree(store.get("sig", np.arange(a, min(a + chunk, n))),
                                   store.get("sig", root[a:a + chunk])) for a in range(0, n, chunk)])
    exact = best <= _RANK["exact_text"]
    sim = np.where(root == np.arange(n), 1.0,
                   np.where(exact & ((words == 0) | (words[root] == 0)), 1.0,
                            np.where((words == 0) | (words[root] == 0), 0.0, agree)))
    ids = meta["article_id"]
    out = pl.DataFrame({
        "article_id": ids, "cluster_id": ids.gather(root),
        "similarity": sim, "method": pl.Series(METHODS, dtype=pl.String).gather(best),
    })
    return out.gather(order).cast(CLUSTER_SCHEMA)


def sentence_reuse_parts(state: DedupState, rows_per_part: int = 2_000_000) -> Iterator[pl.DataFrame]:
    """Sentences seen in more than one article, with the articles, as parts of the table in its order
    (by sentence hash): worked out a slice of the hashes at a time, so the evidence rows with their
    article ids are never all in memory at once, nor (written as they come) the table itself."""
    texts = state.sentences
    if texts.height == 0:
        return
    ids = state.meta["article_id"]
    rows = sum(r.shapes["ev_key"][0][0] for r in state.runs)
    hashes = np.unique(texts["sentence_hash"].to_numpy())
    parts_n = min(max(1, -(-rows // rows_per_part)), hashes.size)
    # A range of hashes a part, so that the parts, each sorted, are the table in order: a sort of the
    # whole frame (~200 MB at a million articles) held it twice at the run's peak.
    for part in range(parts_n):
        want = hashes[hashes.size * part // parts_n:hashes.size * (part + 1) // parts_n]
        keys = texts.filter(pl.col("sentence_hash").is_between(int(want[0]), int(want[-1]))) if parts_n > 1 else texts
        ks, ps = [], []
        for run in state.runs:
            vk = run.array("ev_key")
            at = np.minimum(np.searchsorted(want, vk), max(want.size - 1, 0))
            hit = np.flatnonzero(want[at] == vk) if want.size else np.zeros(0, np.int64)
            ks.append(np.asarray(vk[hit]))
            ps.append(np.asarray(run.array("ev_pos")[hit]))
            del vk
        ev = pl.DataFrame({"key": np.concatenate(ks) if ks else np.zeros(0, np.uint64),
                           "pos": np.concatenate(ps) if ps else np.zeros(0, np.uint32)})
        reused = (
            ev.with_columns(article_id=ids.gather(ev["pos"]))
            .group_by("key").agg(pl.col("article_id").unique().sort().alias("article_ids"))
            .with_columns(articles=pl.col("article_ids").list.len().cast(pl.UInt32))
            .filter(pl.col("articles") > 1)
        )
        del ev
        yield (reused.join(keys, left_on="key", right_on="sentence_hash", how="left")
               .select(sentence_hash="key", sentence="sentence", article_ids="article_ids", articles="articles")
               .sort("sentence_hash").cast(REUSE_SCHEMA))


def _sentence_reuse(state: DedupState, rows_per_part: int = 2_000_000) -> pl.DataFrame:
    """The sentence_reuse table as one frame, in the order it is written (by hash)."""
    parts = list(sentence_reuse_parts(state, rows_per_part))
    return pl.concat(parts, rechunk=False) if parts else pl.DataFrame(schema=REUSE_SCHEMA)


def final_tables(state: DedupState) -> tuple[pl.DataFrame, Iterator[pl.DataFrame]]:
    """(article_clusters, sentence_reuse as its parts in order) over every article of the state. The
    reuse parts are worked out as they are consumed: a run writes each before the next is made."""
    return _clusters(state), sentence_reuse_parts(state)


# ---------------------------------------------------------------- entry point
def cluster_articles(
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    quotes: pl.DataFrame,
    figures: pl.DataFrame,
    previous: DedupState | None = None,
    *,
    finalize: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame, DedupState]:
    """Cluster this batch's articles with each other and with every earlier article.

    Returns (article_clusters, sentence_reuse, state). With finalize (the default) both frames
    cover all articles known so far (earlier batches included), in a stable order:
    - article_clusters: article_id, cluster_id, similarity, method;
    - sentence_reuse: sentence_hash, sentence, article_ids, articles.
    With finalize=False only the state is brought up to date (work proportional to the batch)
    and the two frames are empty. Articles already in `previous` are skipped. quotes (article_id,
    quote) and figures (article_id, kind, value, unit, optionally spelled) give the distinctive
    quotes and figures that confirm a rewrite (or veto a paraphrase); either may be empty.
    """
    prev = previous or DedupState.empty()
    state = add_features(prev, batch_features(articles, sentences, quotes, figures)) if articles.height else prev
    if not finalize:
        return pl.DataFrame(schema=CLUSTER_SCHEMA), pl.DataFrame(schema=REUSE_SCHEMA), state
    return _clusters(state), _sentence_reuse(state), state
