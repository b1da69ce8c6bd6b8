"""Sidecar metadata is part of an article's identity: editing only a sidecar or a manifest row re-ingests it.

The file's own bytes are unchanged, so its content_hash is too; what changes is
what the sidecar states, which is folded into article_id (and only for files
that have a sidecar or a manifest row, so every other id stays as it was).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from newsdesk import catalog, ingest
from test_incremental import _ids, _run, stable_snapshot

A = "000_a53597ac67f30f61.txt"
B = "004_28aa73e70d0a97b8.txt"  # a singleton story: a re-ingested cluster member would rename its cluster


def _read(path: Path) -> ingest.Decoded:
    (doc,) = ingest.read_ref(ingest.FileRef(str(path), path.name, path.stat().st_size))
    assert isinstance(doc, ingest.Decoded), doc
    return doc


def test_article_id_of_a_file_without_sidecar_is_unchanged(tmp_path):
    # The formula every published warehouse used: a plain file must keep its id, or upgrades redo everything.
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nBody of the story.\n", encoding="utf-8")
    doc = _read(path)
    assert doc.stated == {}
    legacy = hashlib.sha256(f"a.txt\x00{doc.content_hash}".encode()).hexdigest()[:16]
    assert ingest.article_id("a.txt", doc.content_hash) == ingest.article_id("a.txt", doc.content_hash, {}) == legacy


def test_stated_meta_changes_the_id_but_not_the_content_hash(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nBody of the story.\n", encoding="utf-8")
    plain = _read(path)
    side = tmp_path / "a.txt.meta.json"
    side.write_text(json.dumps({"outlet": "The Wire", "url": "https://x.test/a"}), encoding="utf-8")
    first = _read(path)
    side.write_text(json.dumps({"outlet": "The Other Wire", "url": "https://x.test/a"}), encoding="utf-8")
    second = _read(path)
    side.write_text(json.dumps({"url": "https://x.test/a", "outlet": "The Other Wire"}, indent=2), encoding="utf-8")
    reformatted = _read(path)
    side.write_text("{broken", encoding="utf-8")
    broken = _read(path)
    assert plain.content_hash == first.content_hash == second.content_hash == broken.content_hash
    assert (first.meta["outlet"], second.meta["outlet"]) == ("The Wire", "The Other Wire")
    ids = [ingest.article_id(d.source_file, d.content_hash, d.stated) for d in (plain, first, second, reformatted, broken)]
    assert len({ids[0], ids[1], ids[2], ids[4]}) == 4  # a broken sidecar is flagged, so it is a change too
    assert ids[3] == ids[2]  # the same statements in another layout are the same input
    assert broken.stated == {"warnings": ["bad_sidecar"]} and "bad_sidecar" in broken.flags


def test_manifest_row_is_part_of_the_identity_of_each_json_item(tmp_path):
    (tmp_path / "feed.json").write_text(json.dumps([{"text": "One."}, {"text": "Two.", "url": "https://own.test/2"}]))
    (tmp_path / "manifest.csv").write_text("file,url,outlet\nfeed.json,https://x.test/feed,Feed Wire\n")
    ref = ingest.FileRef(str(tmp_path / "feed.json"), "feed.json")
    one, two = ingest.read_ref(ref)
    assert one.meta == {"url": "https://x.test/feed", "outlet": "Feed Wire"}
    assert two.meta["url"] == "https://own.test/2"  # an item's own field beats its file's manifest row
    assert one.stated == two.stated == {"url": "https://x.test/feed", "outlet": "Feed Wire"}
    before = ingest.article_id(one.source_file, one.content_hash, one.stated)
    (tmp_path / "manifest.csv").write_text("file,url,outlet\nfeed.json,https://x.test/feed,Feed Wire Ltd\n")
    again, _ = ingest.read_ref(ref)
    assert again.content_hash == one.content_hash
    assert ingest.article_id(again.source_file, again.content_hash, again.stated) != before


def _row(wh: Path, source_file: str) -> dict:
    con = catalog.connect(wh)
    try:
        cur = con.execute("SELECT article_id, url, outlet, published FROM articles WHERE source_file = ?", [source_file])
        return dict(zip([c[0] for c in cur.description], cur.fetchone()))
    finally:
        con.close()


def test_an_edited_sidecar_or_manifest_row_alone_reingests_its_article(prefect_harness, seeds_dir, tmp_path):
    side = seeds_dir / f"{A}.meta.json"
    side.write_text(json.dumps({"url": "https://wire.test/a", "outlet": "Wire", "published_at": "2026-01-05"}))
    manifest = seeds_dir / "manifest.csv"
    manifest.write_text(f"file,url,outlet\n{B},https://ledger.test/b,Ledger\n")
    wh = tmp_path / "wh"
    assert _run(seeds_dir, wh)["new_articles"] == 5
    old = _ids(wh)
    assert _row(wh, A)["outlet"] == "Wire" and _row(wh, B)["url"] == "https://ledger.test/b"

    # Nothing changed: nothing extracted, the sidecar and the manifest included.
    again = _run(seeds_dir, wh)
    assert again["new_articles"] == 0 and "extract" not in again["stage_seconds"]
    assert _ids(wh) == old

    # Only the sidecar changes: only its article is extracted again, and it shows the new metadata.
    side.write_text(json.dumps({"url": "https://wire.test/a-corrected", "outlet": "Wire Services",
                                "published_at": "2026-01-06"}))
    got = _run(seeds_dir, wh)
    assert (got["new_articles"], got["articles"]) == (1, 5)
    row = _row(wh, A)
    assert (row["url"], row["outlet"], row["published"]) == ("https://wire.test/a-corrected", "Wire Services", "2026-01-06")
    new = _ids(wh)
    assert new[A] != old[A]
    assert {k: v for k, v in new.items() if k != A} == {k: v for k, v in old.items() if k != A}

    # Only a manifest row changes: the same, for the file it describes.
    manifest.write_text(f"file,url,outlet\n{B},https://ledger.test/b-v2,Ledger\n")
    got = _run(seeds_dir, wh)
    assert got["new_articles"] == 1 and _row(wh, B)["url"] == "https://ledger.test/b-v2"
    assert {k: v for k, v in _ids(wh).items() if k != B} == {k: v for k, v in new.items() if k != B}

    # And a run with nothing changed after all that still does no extraction work.
    quiet = _run(seeds_dir, wh)
    assert quiet["new_articles"] == 0 and "extract" not in quiet["stage_seconds"] and "segment" not in quiet["stage_seconds"]

    # The incremental result equals a clean run over the same folder.
    clean = tmp_path / "clean"
    _run(seeds_dir, clean)
    assert stable_snapshot(wh) == stable_snapshot(clean)
