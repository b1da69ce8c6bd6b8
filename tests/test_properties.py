"""Random bytes through every reader and the whole chain of stages: no exception escapes."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk import ingest, jsonl, stages

SUFFIXES = st.sampled_from(["a.txt", "b.md", "c", "d.jsonl", "e.ndjson", "f.txt.gz", "g.jsonl.gz", "h.bin"])
TEXTY = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=800).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.text(alphabet=st.sampled_from(list('ab £€“”‘’"\'«»\n\r\t\x00{}[]:,0123456789.%$')), max_size=800).map(str.encode),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=SUFFIXES, data=TEXTY, gz=st.booleans())
def test_any_bytes_become_documents_or_rejects(name, data, gz):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(gzip.compress(data) if gz and name.endswith(".gz") else data)
        refs, walk_rejects = ingest.discover(tmp)
        assert walk_rejects == []
        out = [d for ref in refs for d in ingest.read_ref(ref, max_bytes=10_000)]
        assert out, "every file yields at least one document or reject"
        docs, rejects = stages.ingest_batch(refs, max_bytes=10_000)
        assert docs.height + rejects.height == len(out)
        if docs.height:
            docs = stages.clean_batch(docs)
            docs, paragraphs, sentences, seg_rejects = stages.segment_batch(docs)
            quotes, figures, ext_rejects = stages.extract_batch(docs, paragraphs, sentences)
            for frame, col in ((quotes, "quote"), (figures, "span")):
                texts = dict(zip(docs["article_id"], docs["text"]))
                for row in frame.iter_rows(named=True):
                    assert texts[row["article_id"]][row["char_start"]:row["char_end"]] == row[col]


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=500))
def test_sniff_decode_never_raises(raw):
    got = ingest.sniff_decode(raw)
    assert got is None or isinstance(got[0], str)


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_json_lines_never_raise(raw):
    line = jsonl.parse_line("x.jsonl#L1", raw, jsonl.Fields())
    assert (line.doc is None) != (line.error is None)
