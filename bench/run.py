"""Benchmark octavo against naive WeasyPrint and pandoc on a synthetic book.

    .venv/bin/python bench/run.py [--chapters N] [--words W] [--repeat R] [--json FILE]
                                  [--scaling 5,10,20,40] [--big 55] [--skip-pandoc]
                                  [--skip-single] [--workdir DIR]

Every command runs as a fresh process; wall time is measured with perf_counter and
peak RSS comes from os.wait4. The book's text is generated from a seeded word list.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

BOOK = str(Path(sys.executable).parent / "book")


def vocabulary(text: str) -> tuple[str, ...]:
    return tuple(text.split())


NOUNS = vocabulary("""harbour lantern ledger orchard river valley engine archive meadow compass
    bridge garden signal market quarry beacon workshop island frontier granary canal kiln tower
    letter journey winter circuit atlas threshold""")
VERBS = vocabulary("""crossed measured followed carried remembered gathered traced opened watched
    built mended weighed counted described charted repaired sheltered questioned""")
ADJS = vocabulary("""quiet narrow distant amber careful patient hollow northern broken silver early
    crowded steady lonely ordinary slow bright uneven familiar""")
ADVS = vocabulary("slowly rarely openly gently often plainly later soon")
PREPS = vocabulary("beyond beneath across toward within beside around against")
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 160" width="300" height="160">'
       '<rect x="10" y="10" width="80" height="40" fill="#dde" stroke="#334"/>'
       '<rect x="110" y="60" width="80" height="40" fill="#ede" stroke="#334"/>'
       '<rect x="210" y="110" width="80" height="40" fill="#eed" stroke="#334"/>'
       '<path d="M90 30 L150 60 M190 80 L250 110" stroke="#334" fill="none"/>'
       '<text x="20" y="35" font-size="12">{n}a</text><text x="120" y="85" font-size="12">{n}b</text>'
       '</svg>\n')
NAIVE = """import sys, markdown, weasyprint
src, out, base = sys.argv[1:4]
body = markdown.markdown(open(src, encoding="utf-8").read(),
                         extensions=["footnotes", "tables", "fenced_code"])
page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bench</title>"
        "<style>@page { size: 6in 9in; margin: 0.75in }</style></head><body>"
        + body + "</body></html>")
weasyprint.HTML(string=page, base_url=base).write_pdf(out)
"""


# ---------------------------------------------------------------- the synthetic book
def sentence(rng: random.Random) -> str:
    words = ["the", rng.choice(ADJS), rng.choice(NOUNS), rng.choice(VERBS), "the",
             rng.choice(NOUNS), rng.choice(PREPS), "the", rng.choice(ADJS), rng.choice(NOUNS)]
    if rng.random() < 0.3:
        words[3:3] = [rng.choice(ADVS)]
    if rng.random() < 0.15:
        words[5] = f"*{words[5]}*"
    if rng.random() < 0.1:
        return f'"{" ".join(words).capitalize()}," she said -- and then nothing...'
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(sentence(rng))
    return " ".join(out)


def title(rng: random.Random) -> str:
    return f"The {rng.choice(ADJS)} {rng.choice(NOUNS)}".title()


def extras(n: int, rng: random.Random) -> dict[int, str]:
    """Figures, table, code and a nested list, keyed by the paragraph they follow."""
    rows = "\n".join(f"| {1900 + 7 * i} | {rng.choice(NOUNS)} | {rng.randint(10, 999)} | "
                     f"{rng.random():.2f} |" for i in range(6))
    return {
        3: f'![A diagram of three {rng.choice(ADJS)} boxes joined by arrows](figures/ch{n:02d}.svg '
           f'"How the {rng.choice(NOUNS)} was {rng.choice(VERBS)}")',
        8: f"| Year | Place | Count | Share |\n|---|---|---:|---:|\n{rows}\n\n"
           f"Table: {title(rng)} in numbers",
        12: f"```python\ndef tally(items: list[int]) -> int:\n    total = 0\n    for item in items:\n"
            f"        total += item * {n}\n    return total\n```",
        16: f'![A bar chart of {rng.choice(NOUNS)} counts](figures/ch{n:02d}.png '
            f'"Counts of the {rng.choice(ADJS)} {rng.choice(NOUNS)}")',
        20: "\n".join(f"- {paragraph(rng, 8)}\n  - {paragraph(rng, 6)}\n  - {paragraph(rng, 6)}"
                      for _ in range(3)),
    }


def chapter(n: int, words: int, rng: random.Random) -> str:
    blocks, notes, written, label = [f"# {title(rng)}"], [], 0, 0
    extra = extras(n, rng)
    for i in range(10_000):
        if written >= words:
            break
        if i and i % 11 == 0:
            blocks.append(f"## {title(rng)}")
        text = paragraph(rng, rng.randint(70, 110))
        written += len(text.split())
        if written // 250 > label:  # about one note per 250 words, labels restart per chapter
            label += 1
            text += f"[^{label}]"
            notes.append(f"[^{label}]: {paragraph(rng, rng.randint(12, 30))}")
        blocks.append(text)
        if i in extra:
            blocks.append(extra[i])
    return "\n\n".join(blocks + notes) + "\n"


def png(path: Path, n: int) -> None:
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (600, 360), "white")
    draw = ImageDraw.Draw(image)
    for i in range(8):
        height = 40 + (37 * (i + n)) % 280
        draw.rectangle((30 + 70 * i, 340 - height, 80 + 70 * i, 340), fill=(60, 80 + 20 * i, 140))
    draw.line((20, 340, 580, 340), fill="black", width=2)
    image.save(path)


def make_project(root: Path, chapters: int, words: int, seed: int = 1) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    figures = root / "chapters" / "figures"
    figures.mkdir(parents=True)
    (root / "book.toml").write_text('[book]\ntitle = "A Synthetic Benchmark Book"\n'
                                    'authors = ["octavo bench"]\nlanguage = "en"\n')
    rng = random.Random(seed)
    for n in range(1, chapters + 1):
        (figures / f"ch{n:02d}.svg").write_text(SVG.format(n=n))
        png(figures / f"ch{n:02d}.png", n)
        (root / "chapters" / f"{n:02d}-chapter.md").write_text(chapter(n, words, rng))
    return root


def concatenated(root: Path) -> Path:
    """All chapters in one file; footnote labels get a chapter prefix so they stay distinct."""
    parts = [re.sub(r"\[\^(\d+)\]", rf"[^c{i}-\1]", p.read_text())
             for i, p in enumerate(sorted((root / "chapters").glob("*.md")))]
    out = root / "all.md"
    out.write_text("\n\n".join(parts))
    return out


# ---------------------------------------------------------------- measuring
@dataclass
class Result:
    name: str
    times: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    size_bytes: int | None = None
    pages: int | None = None
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run cmd as a fresh process: (wall seconds, peak RSS in MB). Raises on failure."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{tail}")
    return wall, usage.ru_maxrss / 1024


def size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
        return len(PdfReader(path).pages)
    except ImportError:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        found = re.search(r"^Pages:\s+(\d+)", info, re.M)
        return int(found.group(1)) if found else None


def measure(name: str, cmd: list[str], cwd: Path, output: Path, repeat: int,
            edit: tuple[str, str] | None = None) -> Result:
    result = Result(name)
    try:
        for i in range(repeat):
            if edit is not None:  # append one sentence to a chapter before the build
                with open(edit[0], "a", encoding="utf-8") as chapter_file:
                    chapter_file.write(f"\n\n{edit[1]} Edit number {i + 1}.\n")
            wall, rss = run(cmd, cwd)
            result.times.append(wall)
            result.rss_mb = max(result.rss_mb, rss)
            print(f"  {name:<26} run {i + 1}/{repeat}: {wall:7.2f} s  {rss:7.1f} MB", flush=True)
        result.size_bytes = size(output)
        if output.suffix == ".pdf":
            result.pages = pdf_pages(output)
    except Exception as exc:  # a failed tool is reported, the rest of the benchmark goes on
        result.error = str(exc)
        print(f"  {name}: FAILED {exc}", flush=True)
    return result


def pandoc_path() -> str | None:
    try:
        import pypandoc  # type: ignore[import-untyped]
        return str(pypandoc.get_pandoc_path())
    except Exception:
        return None


def naive_command(project: Path, pdf: Path) -> list[str]:
    script = project / "naive.py"
    script.write_text(NAIVE)
    return [sys.executable, str(script), str(concatenated(project)), str(pdf),
            str(project / "chapters") + "/"]


def warm_up(root: Path) -> None:
    """Compile bytecode and fill the file cache once, with a tiny book, before timing."""
    project = make_project(root / "warm-up", 2, 300)
    run([BOOK, "build", str(project), "-q", "-o", str(project / "build")], project)
    run(naive_command(project, project / "naive.pdf"), project)


def benchmark(project: Path, out: Path, repeat: int, skip_pandoc: bool,
              skip_single: bool = False) -> dict[str, Result]:
    book = [BOOK, "build", str(project), "-q"]
    chapters = sorted(str(p) for p in (project / "chapters").glob("*.md"))
    results = {
        # a full build: every chapter laid out (--no-cache), in as many processes as cores
        "octavo pdf": measure("octavo pdf", [*book, "-f", "pdf", "--no-cache", "-o",
                                             str(out / "pdf")],
                              project, out / "pdf" / "book.pdf", repeat),

        "octavo epub": measure("octavo epub", [*book, "-f", "epub", "--no-cache", "-o",
                                               str(out / "epub")],
                               project, out / "epub" / "book.epub", repeat),
        "octavo html": measure("octavo html", [*book, "-f", "html", "--no-cache", "-o",
                                               str(out / "html")],
                               project, out / "html" / "html", repeat),
    }
    # the same with the parse cache of a previous build (what an author's rebuild costs)
    for fmt, target in (("epub", "book.epub"), ("html", "html")):
        run([*book, "-f", fmt, "-o", str(out / f"{fmt}-warm")], project)  # fill it, untimed
        results[f"octavo {fmt} rebuild"] = measure(
            f"octavo {fmt} rebuild", [*book, "-f", fmt, "-o", str(out / f"{fmt}-warm")], project,
            out / f"{fmt}-warm" / target, repeat)
    if not skip_single:
        results["octavo pdf --jobs 1"] = measure(
            "octavo pdf --jobs 1", [*book, "-f", "pdf", "--jobs", "1", "-o", str(out / "one")],
            project, out / "one" / "book.pdf", repeat)
    results["naive weasyprint pdf"] = measure(
        "naive weasyprint pdf", naive_command(project, out / "naive.pdf"), project,
        out / "naive.pdf", repeat)
    pandoc = None if skip_pandoc else pandoc_path()
    for fmt, target in (("epub", ["--to", "epub3", "-o", str(out / "pandoc.epub")]),
                        ("html", ["--to", "html5", "--standalone", "-o", str(out / "pandoc.html")])):
        name = f"pandoc {fmt}"
        if pandoc is None:
            results[name] = Result(name, error="skipped" if skip_pandoc else "pypandoc-binary not installed")
            continue
        cmd = [pandoc, "--from", "markdown", *target, "--file-scope", "--resource-path",
               str(project / "chapters"), "--metadata", "title=A Synthetic Benchmark Book", *chapters]
        results[name] = measure(name, cmd, project, out / f"pandoc.{fmt}", repeat)
    edited = chapters[min(10, len(chapters)) - 1]
    run([*book, "-f", "pdf", "-o", str(out / "pdf")], project)  # fill the cache, untimed
    results["octavo pdf after edit"] = measure(
        "octavo pdf after edit", [*book, "-f", "pdf", "-o", str(out / "pdf")], project,
        out / "pdf" / "book.pdf", repeat, edit=(edited, "The lantern was carried across the bridge."))
    return results


def ratio(results: dict[str, Result], a: str, b: str) -> float | None:
    if a not in results or b not in results:
        return None
    ta, tb = results[a].median, results[b].median
    return round(ta / tb, 2) if ta and tb else None


def scaling(root: Path, sizes: list[int], words: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for n in sizes:
        project = make_project(root / f"scale-{n}", n, words)
        row: dict[str, object] = {"chapters": n, "words": n * words}
        for fmt in ("pdf", "epub", "html"):
            try:
                wall, rss = run([BOOK, "build", str(project), "-q", "-f", fmt, "--no-cache",
                                 "-o", str(project / "build")], project)
                row[fmt], row[f"{fmt} MB"] = round(wall, 2), round(rss)
            except RuntimeError as exc:
                print(f"  scaling {n} {fmt}: FAILED {exc}")
                row[fmt] = None
            print(f"  scaling {n:>3} chapters {fmt:<4}: {row[fmt]} s {row.get(fmt + ' MB')} MB",
                  flush=True)
        if rows and rows[-1]["chapters"] == n // 2 and n % 2 == 0:
            for fmt in ("pdf", "epub", "html"):
                prev, cur = rows[-1][fmt], row[fmt]
                row[f"{fmt} x2"] = round(cur / prev, 2) if isinstance(prev, float) and isinstance(cur, float) else None
        rows.append(row)
    return rows


def process_tree(root: int) -> tuple[float, float, float]:
    """(sum of RSS, sum of PSS, largest RSS) in MB over ``root`` and its descendants.
    PSS (/proc/PID/smaps_rollup) counts the pages workers share with the parent
    after the fork once, divided among them."""
    rows = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            rows.append((int(entry.name), ppid))
        except (ValueError, OSError, IndexError):
            continue
    tree, grown = {root}, True
    while grown:
        grown = False
        for pid, ppid in rows:
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grown = True
    rss, pss, largest = 0, 0, 0
    for pid in tree:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found_rss = re.search(r"^Rss:\s+(\d+)", text, re.M)
        found_pss = re.search(r"^Pss:\s+(\d+)", text, re.M)
        own = int(found_rss.group(1)) if found_rss else 0
        rss, largest = rss + own, max(largest, own)
        pss += int(found_pss.group(1)) if found_pss else 0
    return rss / 1024, pss / 1024, largest / 1024


def big_book(root: Path, chapters: int, words: int) -> dict[str, object]:
    """One cold PDF build of a long book, its whole process tree sampled every
    0.25 s for memory; then a rebuild with every chapter in the cache."""
    project = make_project(root, chapters, words)
    out = project / "build"
    cmd = [BOOK, "build", str(project), "-q", "-f", "pdf", "-o", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen([*cmd, "--no-cache"], cwd=project)
    peak = (0.0, 0.0, 0.0)
    while proc.poll() is None:
        peak = tuple(max(a, b) for a, b in zip(peak, process_tree(proc.pid), strict=True))  # type: ignore[assignment]
        time.sleep(0.25)
    wall = time.perf_counter() - start
    if proc.returncode:
        return {"chapters": chapters, "error": f"exited {proc.returncode}"}
    run(cmd, project)  # fill the layout cache, untimed
    cached, cached_rss = run(cmd, project)
    row = {"chapters": chapters, "words": chapters * words, "pages": pdf_pages(out / "book.pdf"),
           "seconds": round(wall, 2), "tree_pss_mb": round(peak[1]), "tree_rss_mb": round(peak[0]),
           "largest_mb": round(peak[2]), "cached_seconds": round(cached, 2),
           "cached_rss_mb": round(cached_rss)}
    print(f"  big book: {row}", flush=True)
    return row


# ---------------------------------------------------------------- reporting
def octavo_sources_mtime() -> float:
    """Newest modification time of octavo's installed sources (to notice edits mid-run)."""
    import book
    files = Path(book.__file__).parent.rglob("*")
    return max(p.stat().st_mtime for p in files if p.is_file() and "__pycache__" not in p.parts)


def machine() -> dict[str, object]:
    found = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    kb = int(found.group(1)) if found else 0
    pandoc = pandoc_path()
    pandoc_version = (subprocess.run([pandoc, "--version"], capture_output=True, text=True)
                      .stdout.splitlines()[0] if pandoc else None)
    return {"cpus": os.cpu_count(), "memory_gb": round(kb / 1024 ** 2, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "octavo": version("octavo"), "weasyprint": version("weasyprint"),
            "markdown": version("markdown"), "pandoc": pandoc_version,
            "date": time.strftime("%Y-%m-%d %H:%M %Z")}


def report(info: dict[str, object], results: dict[str, Result], ratios: dict[str, float | None],
           rows: list[dict[str, object]], big: dict[str, object] | None = None) -> None:
    print("\nMachine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    print(f"\n{'command':<24}{'median s':>10}{'runs':>22}{'peak RSS MB':>13}{'pages':>7}{'size KB':>10}")
    for r in results.values():
        if r.error:
            print(f"{r.name:<24}  unavailable: {r.error.splitlines()[0]}")
            continue
        runs = " ".join(f"{t:.1f}" for t in r.times)
        print(f"{r.name:<24}{r.median:>10.2f}{runs:>22}{r.rss_mb:>13.0f}{r.pages or '':>7}"
              f"{(r.size_bytes or 0) / 1024:>10.0f}")
    print("\nratios (median time): " + ", ".join(f"{k} {v}" for k, v in ratios.items()))
    if rows:
        print(f"\n{'chapters':>8}{'words':>9}" + "".join(f"{f + ' s':>9}{f + ' x2':>9}" for f in ("pdf", "epub", "html")))
        for row in rows:
            cells = "".join(f"{row.get(f)!s:>9}{row.get(f + ' x2', '')!s:>9}" for f in ("pdf", "epub", "html"))
            print(f"{row['chapters']:>8}{row['words']:>9}{cells}")
    if big:
        print("\nbig book (cold PDF, whole process tree): " + ", ".join(f"{k} {v}" for k, v in big.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chapters", type=int, default=20)
    parser.add_argument("--words", type=int, default=5000, help="words per chapter")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--scaling", default="5,10,20,40", help="chapter counts; '' to skip")
    parser.add_argument("--big", type=int, default=55,
                        help="chapters of the long book whose memory is measured (55 x 5,000 "
                             "words is about 1,000 pages); 0 to skip")
    parser.add_argument("--skip-pandoc", action="store_true")
    parser.add_argument("--skip-single", action="store_true",
                        help="do not time the one-document PDF (--jobs 1)")
    parser.add_argument("--workdir", type=Path, help="keep projects and outputs here")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="octavo-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started, sources = time.perf_counter(), octavo_sources_mtime()
    # child processes cache their bytecode in the work directory (an editable install has
    # none, and PYTHONDONTWRITEBYTECODE would make every run compile octavo again)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    try:
        info = machine()
        print(f"generating {args.chapters} chapters x {args.words} words in {workdir}", flush=True)
        project = make_project(workdir / "book", args.chapters, args.words)
        warm_up(workdir)
        out = workdir / "out"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        results = benchmark(project, out, args.repeat, args.skip_pandoc, args.skip_single)
        ratios = {"octavo pdf / naive weasyprint": ratio(results, "octavo pdf", "naive weasyprint pdf"),
                  "octavo pdf --jobs 1 / naive weasyprint": ratio(results, "octavo pdf --jobs 1",
                                                                  "naive weasyprint pdf"),
                  "octavo epub / pandoc epub": ratio(results, "octavo epub", "pandoc epub"),
                  "octavo html / pandoc html": ratio(results, "octavo html", "pandoc html"),
                  "octavo epub rebuild / pandoc epub": ratio(results, "octavo epub rebuild",
                                                             "pandoc epub"),
                  "octavo html rebuild / pandoc html": ratio(results, "octavo html rebuild",
                                                             "pandoc html"),
                  "edit+rebuild / full pdf": ratio(results, "octavo pdf after edit", "octavo pdf")}
        sizes = [int(s) for s in args.scaling.split(",") if s.strip()]
        rows = scaling(workdir / "scaling", sizes, args.words) if sizes else []
        big = big_book(workdir / "big", args.big, args.words) if args.big else None
        info["total_minutes"] = round((time.perf_counter() - started) / 60, 1)
        info["octavo_changed_during_run"] = octavo_sources_mtime() != sources
        report(info, results, ratios, rows, big)
        if info["octavo_changed_during_run"]:
            print("\nWARNING: octavo's sources changed during the run; the figures mix versions")
        if args.json:
            data = {"args": {k: str(v) for k, v in vars(args).items()}, "machine": info,
                    "results": {k: {**asdict(r), "median": r.median} for k, r in results.items()},
                    "ratios": ratios, "scaling": rows, "big_book": big}
            args.json.write_text(json.dumps(data, indent=2) + "\n")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
