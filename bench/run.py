"""Benchmark: this book against the Jupyter Book template, side by side.

    make bench                  # everything (about 20 minutes: Lighthouse runs 3 times per page)
    make bench ARGS=--quick     # one Lighthouse run, landing pages only (about 3 minutes)

In one run it

1. creates the template with ``jupyter-book create`` and builds both books from clean
   (notebooks executed), then once more with nothing changed (the no-op rebuild), timing both;
2. serves each with the same static server, gzip on, as a production host would
   (``tools.serve``);
3. opens every page of each in headless Chromium (``tools.audit``): requests, bytes
   (uncompressed and transferred), requests to other hosts, console errors and warnings, axe-core
   violations;
4. runs Lighthouse (npm ``lighthouse`` with Debian's Chromium), mobile and desktop, and takes the
   median of each score over the runs;
5. prints the tables and writes them to ``bench/results.md``, with the ratios of ours to the
   template's.

It is a benchmark, not a test: it measures and reports; the budget is enforced by the tests.
Work files go to ``bench/work/`` (ignored by git).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.md"
BIN = Path(sys.executable).parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
STRICT = ["-W", "-n", "--keep-going"]

sys.path.insert(0, str(ROOT))  # the tools live outside the runtime package
from tools.audit import CHROMIUM, CHROMIUM_ARGS, audit, launch  # noqa: E402
from tools.serve import Background  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


@dataclass
class Book:
    name: str
    source: Path
    output: Path
    clean_build: float = 0.0
    noop_build: float = 0.0
    pages: list[str] = field(default_factory=list)
    audits: dict = field(default_factory=dict)
    lighthouse: dict = field(default_factory=dict)  # page -> {"mobile": {...}, "desktop": {...}}

    @property
    def html(self) -> Path:
        return self.output / "_build" / "html"


def run_build(book: Book, strict: bool) -> float:
    """Build ``book`` into its output folder; return the wall time in seconds."""
    command = [str(BIN / "jupyter-book"), "build", str(book.source), "--path-output", str(book.output)]
    start = time.perf_counter()
    result = subprocess.run(command + (STRICT if strict else []), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{book.name}: build failed\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def toc_pages(source: Path) -> list[str]:
    from sphinx_external_toc.parsing import parse_toc_yaml

    return [f"{doc}.html" for doc in parse_toc_yaml(source / "_toc.yml")] + ["search.html", "genindex.html"]


def lighthouse(url: str, preset: str) -> dict[str, int]:
    """One Lighthouse run: the four category scores, 0-100."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--chrome-flags={flags}",
        f"--only-categories={','.join(CATEGORIES)}",
    ] + (["--preset=desktop"] if preset == "desktop" else [])
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
    report = json.loads(result.stdout)
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def median_scores(runs: list[dict[str, int]]) -> dict[str, float]:
    return {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}


def measure(book: Book, browser, lh_runs: int, lh_pages: str) -> None:
    with Background(book.html) as url:
        for page in book.pages:
            book.audits[page] = audit(browser, url, page, axe=AXE)
        targets = book.pages if lh_pages == "all" else book.pages[:1]
        if LIGHTHOUSE.exists() and lh_runs:
            for page in targets:
                book.lighthouse[page] = {
                    preset: median_scores([lighthouse(url + page, preset) for _ in range(lh_runs)])
                    for preset in ("mobile", "desktop")
                }
                print(f"  lighthouse {book.name} {page}: {book.lighthouse[page]}", flush=True)


# --- reporting -------------------------------------------------------------------------------------


def kb(n: float) -> str:
    return f"{n / 1000:,.0f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def page_table(book: Book) -> list[str]:
    rows = [
        f"### {book.name}",
        "",
        "| page | requests | kB (uncompressed) | kB transferred | other hosts | console | axe | LH mobile perf | LH desktop perf | LH a11y / BP / SEO (mobile) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in book.pages:
        a = book.audits[page]
        lh = book.lighthouse.get(page)
        if lh:
            m, d = lh["mobile"], lh["desktop"]
            scores = (
                f"{m['performance']:.0f} | {d['performance']:.0f} "
                f"| {m['accessibility']:.0f} / {m['best-practices']:.0f} / {m['seo']:.0f}"
            )
        else:
            scores = "- | - | -"
        rows.append(
            f"| {page} | {a.requests} | {kb(a.bytes)} | {kb(a.transferred)} | {len(a.foreign)} "
            f"| {len(a.console)} | {len(a.violations)} | {scores} |"
        )
    return rows + [""]


def summary(ours: Book, theirs: Book) -> list[str]:
    def per_page(book: Book, key) -> list[float]:
        return [key(book.audits[p]) for p in book.pages]

    def agg(values, how=statistics.median):
        return how(values) if values else 0

    rows = [
        "| measure | this book | template | ratio (ours / template) |",
        "|---|---:|---:|---:|",
        f"| clean build, notebooks executed (s) | {ours.clean_build:.1f} | {theirs.clean_build:.1f} | {ratio(ours.clean_build, theirs.clean_build)} |",
        f"| no-op rebuild (s) | {ours.noop_build:.1f} | {theirs.noop_build:.1f} | {ratio(ours.noop_build, theirs.noop_build)} |",
        f"| pages | {len(ours.pages)} | {len(theirs.pages)} | |",
    ]
    measures = [
        ("requests per page, median", lambda a: a.requests, statistics.median, str),
        ("requests per page, max", lambda a: a.requests, max, str),
        ("kB per page (uncompressed), median", lambda a: a.bytes, statistics.median, kb),
        ("kB per page (uncompressed), max", lambda a: a.bytes, max, kb),
        ("kB transferred per page (gzip), median", lambda a: a.transferred, statistics.median, kb),
        ("requests to other hosts, all pages", lambda a: len(a.foreign), sum, str),
        ("console errors and warnings, all pages", lambda a: len(a.console), sum, str),
        ("axe violations, all pages", lambda a: len(a.violations), sum, str),
    ]
    for label, key, how, fmt in measures:
        a, b = agg(per_page(ours, key), how), agg(per_page(theirs, key), how)
        rows.append(f"| {label} | {fmt(a)} | {fmt(b)} | {ratio(a, b)} |")
    for preset in ("mobile", "desktop"):
        for category in CATEGORIES:
            a = [v[preset][category] for v in ours.lighthouse.values()]
            b = [v[preset][category] for v in theirs.lighthouse.values()]
            if a and b:
                rows.append(
                    f"| Lighthouse {preset} {category}, min (median) | {min(a):.0f} ({statistics.median(a):.0f}) "
                    f"| {min(b):.0f} ({statistics.median(b):.0f}) | {ratio(statistics.median(a), statistics.median(b))} |"
                )
    return rows + [""]


def environment() -> str:
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    lh = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{date.today().isoformat()}; {os.cpu_count()} CPU cores; Python {platform.python_version()}; "
        f"{chromium}; Lighthouse {lh or 'not installed'}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark this book against the Jupyter Book template.")
    parser.add_argument("--quick", action="store_true", help="one Lighthouse run, on the first page of each book")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="runs per page and preset (median)")
    args = parser.parse_args(argv)
    runs, lh_pages = (1, "first") if args.quick else (args.lighthouse_runs, "all")

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    subprocess.run([str(BIN / "jupyter-book"), "create", str(WORK / "template")], check=True, capture_output=True)
    ours = Book("This book", ROOT, WORK / "ours")
    theirs = Book("Jupyter Book template", WORK / "template", WORK / "template-out")
    for book in (ours, theirs):
        book.clean_build = run_build(book, strict=True)
        book.noop_build = run_build(book, strict=True)
        book.pages = toc_pages(book.source)
        print(f"{book.name}: clean build {book.clean_build:.1f} s, no-op rebuild {book.noop_build:.1f} s", flush=True)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        for book in (ours, theirs):
            measure(book, browser, runs, lh_pages)
        browser.close()

    lines = [
        "# Benchmark: this book and the Jupyter Book template",
        "",
        f"Measured with `make bench{' ARGS=--quick' if args.quick else ''}` on {environment()}.",
        "Both books are served by the same static server with gzip on. Bytes are the uncompressed size "
        "of every response a page loads (the budget's measure); transferred bytes are what went over "
        f"the wire. Lighthouse scores are the median of {runs} run(s) per page and form factor.",
        "",
        "## Summary",
        "",
        *summary(ours, theirs),
        "## Every page",
        "",
        *page_table(ours),
        *page_table(theirs),
    ]
    text = "\n".join(lines)
    print("\n" + text)
    RESULTS.write_text(text + "\n", encoding="utf-8")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
