"""Scale benchmark: the real CLI end to end on BBC, Reuters-21578 and a synthetic corpus, plus the peers.

    python -m bench.run [--synthetic N] [--seed S] [--workers W] [--only bbc,rerun,reuters,synthetic,incremental,peers]

`make bench` runs this; pass options with BENCH_ARGS="--synthetic 1000000".
Each corpus is run by `newsdesk run` in a subprocess, into a fresh warehouse in
a temp folder (the rerun goes into the BBC warehouse again, with nothing new;
the incremental runs go into copies of the synthetic warehouse, with 1% of its
articles added or removed).
Per run: articles, input MB, wall seconds of the whole command (Prefect
start-up included), per-stage seconds (runs.stage_seconds), articles/s, MB/s
and the peak over time of the summed RSS of the CLI and all its descendants
(sampled every 0.2 s from /proc). Then, in this process on the BBC text:
newsdesk sentence splitting vs pySBD (bench.bench_sentences) and figure
extraction vs quantulum3 on a sample (bench.bench_figures). The table goes
to stdout and to bench/results/<YYYY-MM-DD>.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from bench import corpora

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results"
CLI = ROOT / ".venv" / "bin" / "newsdesk"
DEFAULT_SYNTHETIC = 20_000
STAGES = ("ingest", "clean", "segment", "extract", "write", "cluster", "publish")
PARTS = ("bbc", "rerun", "reuters", "synthetic", "incremental", "peers")
INCREMENT = 0.01  # share of the synthetic articles added, then removed, in the incremental runs

# The bars (see bench/README.md).
BAR_BBC_COLD_S = 30.0
BAR_RERUN_S = 10.0
BAR_SYNTH_RATE = 1000.0
BAR_SYNTH_RSS_MB = 2048.0
BAR_FIGURES_X = 50.0
BAR_SENTENCES_X = 20.0


# ---------------------------------------------------------------- process-tree memory
def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
        try:
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree_pids(root: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0  # gone, or a zombie without memory


class TreeSampler(threading.Thread):
    """Peak of the summed VmRSS of a process and its descendants, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.peak_procs = 0
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = tree_pids(self.pid)
            total = sum(rss_kb(p) for p in pids)
            self.samples += 1
            if total > self.peak_kb:
                self.peak_kb, self.peak_procs = total, len(pids)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# ---------------------------------------------------------------- one pipeline run
@dataclass
class RunResult:
    name: str
    input_dir: Path
    articles: int = 0  # articles in the input (the run's articles table)
    new_articles: int | None = None
    mb: float = 0.0
    wall: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    flow_seconds: float | None = None
    peak_rss_mb: float = 0.0
    procs: int = 0
    summary: str = ""
    error: str | None = None

    @property
    def rate(self) -> float:
        return self.articles / self.wall if self.wall else 0.0

    @property
    def mb_rate(self) -> float:
        return self.mb / self.wall if self.wall else 0.0


def _latest_run(warehouse: Path) -> dict:
    q = "SELECT * FROM runs ORDER BY started_at DESC LIMIT 1"
    out = subprocess.run([str(CLI), "sql", q, "--warehouse", str(warehouse), "--format", "json"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    rows = json.loads(out.stdout)
    return rows[0] if rows else {}


def run_pipeline(name: str, input_dir: Path, warehouse: Path, workers: int | None, timeout: float | None) -> RunResult:
    res = RunResult(name, input_dir, mb=corpora.dir_size(input_dir) / 1e6)
    cmd = [str(CLI), "run", "--input", str(input_dir), "--warehouse", str(warehouse)]
    if workers:
        cmd += ["--workers", str(workers)]
    print(f"[{name}] {' '.join(cmd)}", flush=True)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            for pid in reversed(tree_pids(proc.pid)):  # only what this run started
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
            proc.wait()
            rc = None
        res.wall = time.perf_counter() - t0
        sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    res.peak_rss_mb, res.procs = sampler.peak_kb / 1024, sampler.peak_procs
    res.summary = next((ln for ln in stdout.splitlines() if ln.startswith("newsdesk:")), "")
    # Kept either way: its timestamped log lines are the run's timeline (when the batches ended, the final steps).
    # One file per run, named after it ("bbc-cold", "incremental-added-200"): none overwrites another's.
    tag = re.sub(r"\W+", "-", name).strip("-")
    log = Path(tempfile.gettempdir()) / f"newsdesk-bench-{tag}.log"
    log.write_text(stdout + "\n" + stderr, encoding="utf-8")
    if rc != 0:
        lines = stderr.strip().splitlines() or ["?"]
        tail = next((ln for ln in reversed(lines) if ln.startswith("newsdesk:")), lines[-1])  # the CLI's one-line reason
        res.error = f"timed out after {timeout:.0f} s" if rc is None else f"exit {rc}: {tail.replace('|', '/')[:300]}"
        print(f"[{name}] output of the failed run: {log}", flush=True)
        print(f"[{name}] FAILED: {res.error}", flush=True)
        return res
    row = _latest_run(warehouse)
    res.articles = int(row.get("articles") or 0)
    secs = row.get("stage_seconds") or "{}"
    res.stages = json.loads(secs) if isinstance(secs, str) else dict(secs)
    res.flow_seconds = row.get("seconds")
    print(f"[{name}] {res.summary}", flush=True)
    print(f"[{name}] wall {res.wall:.1f} s, {res.rate:,.0f} articles/s, peak RSS {res.peak_rss_mb:,.0f} MB "
          f"({res.procs} processes)", flush=True)
    return res


def _linked_copy(warehouse: Path, dst: Path) -> Path:
    """A copy of a warehouse whose Parquet parts are hard links: a run never changes a part in place
    (it writes new ones and replaces the catalog and manifest files whole)."""
    def link(src: str, to: str) -> None:
        (corpora.link_or_copy if src.endswith(".parquet") else shutil.copy2)(src, to)
    shutil.copytree(warehouse, dst, copy_function=link)
    return dst


def run_incremental(sources, folder: Path, n: int, tmp: Path, args) -> list[RunResult]:
    """The synthetic warehouse grown by INCREMENT new articles, and (another copy) cut by INCREMENT of its own."""
    k = max(1, round(n * INCREMENT))
    extra, k = corpora.build_synthetic(sources, k, args.seed + 1, args.data)
    out = [run_pipeline(f"incremental added {k:,}", corpora.grown(folder, extra, tmp / "input-grown"),
                        _linked_copy(tmp / "synthetic", tmp / "grown"), args.workers, args.timeout)]
    shrunk, left = corpora.shrunk(folder, k, tmp / "input-shrunk")
    out.append(run_pipeline(f"incremental removed {n - left:,}", shrunk, _linked_copy(tmp / "synthetic", tmp / "shrunk"),
                            args.workers, args.timeout))
    return out


# ---------------------------------------------------------------- peers (in this process)
@dataclass
class PeerResult:
    what: str
    ours: float
    theirs: float | None
    unit: str
    sample: str
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.ours / self.theirs if self.theirs else None


def bench_sentences_vs_pysbd(bbc: Path, repeat: int) -> PeerResult:
    from bench import bench_sentences
    from newsdesk.sentences import split_sentences

    paras = bench_sentences.load_paragraphs(bbc, None)
    mb = sum(len(p.encode("utf-8")) for p in paras) / 1e6
    print(f"[sentences] {len(paras)} BBC paragraphs, {mb:.2f} MB", flush=True)
    ours_s, ours_n = bench_sentences.timed(split_sentences, paras, repeat)
    print(f"[sentences] newsdesk {mb / ours_s:.2f} MB/s ({ours_n} sentences)", flush=True)
    try:
        import pysbd
    except ImportError:
        return PeerResult("sentences", mb / ours_s, None, "MB/s", f"{len(paras)} paragraphs", "pySBD not installed")
    seg = pysbd.Segmenter(language="en", clean=False)
    theirs_s, theirs_n = bench_sentences.timed(seg.segment, paras, 1)
    print(f"[sentences] pySBD    {mb / theirs_s:.2f} MB/s ({theirs_n} sentences)", flush=True)
    return PeerResult("sentences", mb / ours_s, mb / theirs_s, "MB/s",
                      f"all {len(paras):,} paragraphs ({mb:.1f} MB)", f"{ours_n:,} vs {theirs_n:,} sentences")


def bench_figures_vs_quantulum(bbc: Path, sample: int, repeat: int) -> PeerResult:
    from bench import bench_figures
    from newsdesk.figures import extract_figures
    from newsdesk.segment import segment

    articles = bench_figures.load_articles(bbc, None)
    step = max(1, len(articles) // sample) if sample else 1
    picked = articles[::step][:sample] if sample else articles  # spread over all five topics
    inputs = []
    for _, text in picked:
        paragraphs, sentences = segment(text)
        inputs.append((text, sentences, paragraphs))
    print(f"[figures] {len(inputs)} BBC articles (every {step}th)", flush=True)
    ours = bench_figures.time_one("newsdesk", extract_figures, inputs, repeat)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as qparser
    except ImportError:
        return PeerResult("figures", ours, None, "articles/s", f"{len(inputs)} articles", "quantulum3 not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qparser.parse("warm up: 5 dollars")  # loads its unit tables once, outside the timing
        theirs = bench_figures.time_one("quantulum3", qparser.parse, [(t,) for t, _, _ in inputs], 1)
    return PeerResult("figures", ours, theirs, "articles/s", f"{len(inputs)} articles, every {step}th")


# ---------------------------------------------------------------- report
def mark(ok: bool | None) -> str:
    return "" if ok is None else ("✓" if ok else "✗")


def _fmt(v: float | None, digits: int = 1) -> str:
    return "–" if v is None else f"{v:,.{digits}f}"


def bars_for(r: RunResult) -> str:
    if r.error:
        return f"✗ {r.error}"
    if r.name == "bbc (cold)":
        return f"{mark(r.wall <= BAR_BBC_COLD_S)} wall ≤ {BAR_BBC_COLD_S:.0f} s"
    if r.name == "bbc rerun":
        return f"{mark(r.wall <= BAR_RERUN_S)} wall ≤ {BAR_RERUN_S:.0f} s"
    if r.name.startswith("incremental"):
        return f"{mark(r.peak_rss_mb <= BAR_SYNTH_RSS_MB)} RSS ≤ {BAR_SYNTH_RSS_MB / 1024:.0f} GB"
    if r.name.startswith("synthetic"):
        return (f"{mark(r.rate >= BAR_SYNTH_RATE)} ≥ {BAR_SYNTH_RATE:,.0f} art/s; "
                f"{mark(r.peak_rss_mb <= BAR_SYNTH_RSS_MB)} RSS ≤ {BAR_SYNTH_RSS_MB / 1024:.0f} GB")
    return ""


def run_table(results: list[RunResult]) -> list[str]:
    head = ["corpus", "articles", "input MB", "wall s", *(f"{s} s" for s in STAGES), "articles/s", "MB/s",
            "peak RSS MB", "bar"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head) - 1)) + "|---|"]
    for r in results:
        cells = [r.name, f"{r.articles:,}", _fmt(r.mb), _fmt(r.wall),
                 *(_fmt(r.stages.get(s), 2) if r.stages.get(s) is not None else "–" for s in STAGES),
                 _fmt(r.rate, 0), _fmt(r.mb_rate, 2), _fmt(r.peak_rss_mb, 0), bars_for(r)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def peer_table(peers: list[PeerResult]) -> list[str]:
    lines = ["| task | newsdesk | peer | peer speed | ratio | bar | measured on |", "|---|---:|---|---:|---:|---|---|"]
    for p in peers:
        name, bar = ("pySBD", BAR_SENTENCES_X) if p.what == "sentences" else ("quantulum3", BAR_FIGURES_X)
        ratio = p.ratio
        ok = None if ratio is None else ratio >= bar
        lines.append(f"| {p.what} | {p.ours:,.2f} {p.unit} | {name} | "
                     f"{_fmt(p.theirs, 2)} {p.unit if p.theirs else ''} | {_fmt(ratio, 0)}× | "
                     f"{mark(ok)} ≥ {bar:.0f}× | {p.sample}{'; ' + p.note if p.note else ''} |")
    return lines


def machine_facts(workers: int | None, load_start: tuple[float, ...]) -> list[str]:
    def ver(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "not installed"

    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "")
    except OSError:
        pass
    pkgs = ", ".join(f"{p} {ver(p)}" for p in ("newsdesk", "prefect", "polars", "duckdb", "pyarrow", "pysbd", "quantulum3"))
    return [
        f"- machine: nproc {os.cpu_count()}, {mem} RAM, {cpu or platform.machine()}, {platform.system()} {platform.release()}",
        f"- python {platform.python_version()}; {pkgs}",
        f"- pipeline workers: {workers or 'CLI default (CPU count)'}",
        f"- load average (1 min) at start {load_start[0]:.1f}, at end {os.getloadavg()[0]:.1f}: "
        "other work on the machine slows every number here",
    ]


def git_rev() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=ROOT).stdout.strip()
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "?"


def report(results: list[RunResult], peers: list[PeerResult], args, started: float) -> str:
    lines = [f"# newsdesk scale benchmark, {date.today().isoformat()}", "",
             f"Commit {git_rev()}; `python -m bench.run {' '.join(sys.argv[1:])}`; "
             f"total {time.perf_counter() - started:,.0f} s.", ""]
    lines += machine_facts(args.workers, args.load_start) + [""]
    if results:
        lines += ["## Pipeline (`newsdesk run`, cold: fresh warehouse each, except the rerun)", ""]
        lines += run_table(results)
        lines += ["",
                  "wall s: the whole command, Prefect start-up included. Stage columns: runs.stage_seconds, "
                  "summed over batches; batches run in parallel, so stages can add up to more than the wall time. "
                  "articles/s and MB/s: over the wall time. Peak RSS: highest sum of VmRSS over the CLI and all "
                  "its descendants (Prefect server, workers), sampled every 0.2 s.", ""]
        for r in results:
            if r.summary:
                lines.append(f"- {r.name}: `{r.summary.split(' -> ')[0]}`")
        lines.append("")
    if peers:
        lines += ["## Peers (same BBC text, in one process)", ""] + peer_table(peers) + [""]
    return "\n".join(lines)


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=DEFAULT_SYNTHETIC,
                    help=f"synthetic articles (default {DEFAULT_SYNTHETIC:,}; 0 skips; the full scale run is 1000000)")
    ap.add_argument("--seed", type=int, default=42, help="seed of the synthetic corpus")
    ap.add_argument("--workers", type=int, default=None, help="--workers for newsdesk run (default: the CLI's)")
    ap.add_argument("--only", default=",".join(PARTS),
                    help="comma-separated parts to run: " + ", ".join(PARTS) + " (incremental needs synthetic)")
    ap.add_argument("--qsample", type=int, default=200, help="articles for figures vs quantulum3 (default 200)")
    ap.add_argument("--repeat", type=int, default=3, help="best of R for the newsdesk side of the peer timings")
    ap.add_argument("--timeout", type=float, default=None, help="seconds before a pipeline run is killed")
    ap.add_argument("--corpus", type=Path, default=SHARED, help="folder with bbc/ and reuters21578/")
    ap.add_argument("--data", type=Path, default=DATA, help="cache folder for the built dumps")
    ap.add_argument("--results", type=Path, default=RESULTS, help="folder for the dated Markdown report")
    ap.add_argument("--keep", action="store_true", help="keep the temp warehouses (their paths are printed)")
    args = ap.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    unknown = parts - set(PARTS)
    if unknown:
        ap.error(f"unknown parts: {', '.join(sorted(unknown))}")
    if "incremental" in parts and ("synthetic" not in parts or args.synthetic <= 0):
        ap.error("the incremental part runs on the synthetic warehouse: add synthetic to --only")
    bbc, sgml = args.corpus / "bbc", args.corpus / "reuters21578"
    if not bbc.is_dir() or not sgml.is_dir():
        print(f"bench: corpora not found under {args.corpus} (need bbc/ and reuters21578/)")
        return 1
    if not CLI.exists():
        print(f"bench: {CLI} not found; run `make bench` (it builds the venv)")
        return 1
    started = time.perf_counter()
    args.load_start = os.getloadavg()
    results: list[RunResult] = []
    peers: list[PeerResult] = []
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    try:
        if parts & {"bbc", "rerun"}:
            wh = tmp / "bbc"
            results.append(run_pipeline("bbc (cold)", bbc, wh, args.workers, args.timeout))
            if "rerun" in parts and not results[-1].error:
                results.append(run_pipeline("bbc rerun", bbc, wh, args.workers, args.timeout))
        if "reuters" in parts:
            t = time.perf_counter()
            folder, n = corpora.build_reuters(sgml, args.data)
            print(f"[reuters] {n:,} stories in {folder} ({time.perf_counter() - t:.1f} s to build or find)", flush=True)
            results.append(run_pipeline("reuters21578", folder, tmp / "reuters", args.workers, args.timeout))
        if "synthetic" in parts and args.synthetic > 0:
            t = time.perf_counter()
            sources = corpora.bbc_articles(bbc) + corpora.reuters_stories(sgml)
            folder, n = corpora.build_synthetic(sources, args.synthetic, args.seed, args.data)
            print(f"[synthetic] {n:,} articles in {folder} ({time.perf_counter() - t:.1f} s to build or find)", flush=True)
            results.append(run_pipeline(f"synthetic {n:,}", folder, tmp / "synthetic", args.workers, args.timeout))
            if "incremental" in parts and not results[-1].error:
                results += run_incremental(sources, folder, n, tmp, args)
        if "peers" in parts:
            peers.append(bench_sentences_vs_pysbd(bbc, args.repeat))
            peers.append(bench_figures_vs_quantulum(bbc, args.qsample, args.repeat))
    finally:
        if args.keep:
            print(f"warehouses kept under {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    text = report(results, peers, args, started)
    print()
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.synthetic == DEFAULT_SYNTHETIC and parts == set(PARTS) \
        else "-" + "-".join(sorted(parts)) + (f"-n{args.synthetic}" if "synthetic" in parts else "")
    out = args.results / f"{date.today().isoformat()}{suffix}.md"
    out.write_text(text, encoding="utf-8")
    print(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
