"""Reproducible selection + conversion of the held-out texts (BBC and Reuters).

Run from anywhere:  python tests/data/heldout/select_texts.py [--write]
Without --write it only prints the choice.  Seed: random.Random(2026).
"""
import html
import json
import random
import re
import sys
from pathlib import Path

CORPUS = Path("/work/shared/corpus")
GOLD = Path("/work/shared/gold/bbc/docs.jsonl")
HERE = Path(__file__).resolve().parent
FOLDERS = ["business", "entertainment", "politics", "sport", "tech"]
N_BBC, N_REUTERS = 12, 8
# already used by the project's own tests/fixtures -> not held out
EXCLUDE_BBC = {"sport/199.txt"}


def read_bbc(p):
    b = p.read_bytes()
    try:
        return b, b.decode("utf-8")
    except UnicodeDecodeError:
        return b, b.decode("latin-1")


def pick_bbc(rng):
    gold = {json.loads(l)["doc"] for l in GOLD.read_text().splitlines() if l.strip()}
    gold_bytes = {(CORPUS / "bbc" / d).read_bytes() for d in gold}
    cands = {}
    for f in FOLDERS:
        lst = []
        for p in sorted((CORPUS / "bbc" / f).glob("*.txt")):
            doc = f"{f}/{p.name}"
            b, t = read_bbc(p)
            if doc in gold or doc in EXCLUDE_BBC or b in gold_bytes:
                continue
            if '"' in t and re.search(r"\d", t):      # >=1 quotation mark and >=1 digit
                lst.append(doc)
        rng.shuffle(lst)
        cands[f] = lst
    chosen, seen = [], set()
    i = 0
    while len(chosen) < N_BBC:                      # round-robin over the 5 folders
        f = FOLDERS[i % len(FOLDERS)]
        while cands[f]:
            doc = cands[f].pop(0)
            b = (CORPUS / "bbc" / doc).read_bytes()
            if b in seen:                           # dataset ships 98 exact duplicates
                continue
            seen.add(b)
            chosen.append(doc)
            break
        i += 1
    return chosen


def reuters_stories():
    for n in range(4):
        f = CORPUS / "reuters21578" / f"reut2-00{n}.sgm"
        raw = f.read_text(encoding="latin-1")
        for block in re.findall(r"<REUTERS.*?</REUTERS>", raw, flags=re.S):
            newid = re.search(r'NEWID="(\d+)"', block).group(1)
            t = re.search(r"<TITLE>(.*?)</TITLE>", block, flags=re.S)
            b = re.search(r"<BODY>(.*?)</BODY>", block, flags=re.S)
            if not t or not b:
                continue
            yield newid, t.group(1), b.group(1)


def decode(s):
    s = s.replace("&#3;", "")
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def reflow(title, body):
    body = decode(body).rstrip()
    body = re.sub(r"\s*Reuter\s*$", "", body, flags=re.I)
    paras, cur = [], []
    for line in body.split("\n"):
        if not line.strip():
            if cur:
                paras.append(cur); cur = []
            continue
        if line.startswith(" ") and cur:            # indented line = new paragraph
            paras.append(cur); cur = []
        cur.append(line.strip())
    if cur:
        paras.append(cur)
    text = [re.sub(r"\s+", " ", decode(title)).strip()]
    text += [" ".join(p) for p in paras]
    return "\n\n".join(text) + "\n"


def pick_reuters(rng):
    cands = []
    for newid, title, body in reuters_stories():
        b = decode(body)
        if b.count('"') < 2 or " said" not in b or not re.search(r"\d", b):
            continue
        if not (500 <= len(b) <= 2500):            # label-able length
            continue
        cands.append((int(newid), title, body))
    cands.sort()
    return rng.sample(cands, N_REUTERS), len(cands)


def main(write):
    rng = random.Random(2026)
    bbc = pick_bbc(rng)
    reu, ncand = pick_reuters(rng)
    print("BBC:", bbc)
    print("Reuters candidates:", ncand, "chosen:", sorted(r[0] for r in reu))
    if not write:
        return
    for doc in bbc:
        dst = HERE / "bbc" / "texts" / doc
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes((CORPUS / "bbc" / doc).read_bytes())
    for newid, title, body in sorted(reu):
        dst = HERE / "reuters" / "texts" / f"{newid}.txt"
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(reflow(title, body), encoding="utf-8")


if __name__ == "__main__":
    main("--write" in sys.argv)
