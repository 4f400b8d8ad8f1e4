#!/usr/bin/env python3
"""Fault injection: kill -9 ``sitrep ingest`` at random points, re-run, compare with a clean run.

1. Generate N distinct articles by varying the samples (figures, ids, publication dates) plus a
   manifest (``generate_corpus``).
2. Clean run: one uninterrupted ``sitrep ingest --manifest`` into clean.db, then ``sitrep export``.
3. Faulty run: start the same ingest into faulty.db and SIGKILL it at a random point, K times;
   after every kill check the file (PRAGMA integrity_check, no half-written article, no orphan or
   duplicate rows). Then run the ingest to completion and export.
4. The two exports must be byte-identical.

Usage (about 8-10 minutes for the full run on a shared 2-core machine):
    .venv/bin/python scripts/fault_injection.py --articles 500 --kills 20 --seed 1
    .venv/bin/python scripts/fault_injection.py --articles 30 --kills 3      # quick
Exit code 0 when every check passed; the JSON summary is printed (and written with --json).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]


# -- corpus ----------------------------------------------------------------------------------------
def _vary_numbers(text: str, k: int) -> str:
    """Shift small figures by ``k`` (years, times and long numbers are left alone)."""

    def shift(m: re.Match[str]) -> str:
        value = int(m.group())
        if value >= 1000 or (m.end() < len(text) and text[m.end()] in ":/-") or value == 0:
            return m.group()
        return str(value + k)

    return re.sub(r"(?<![\d.,:/-])\d{1,3}(?![\d.,])", shift, text)


def generate_corpus(folder: Path, count: int, seed: int = 1) -> Path:
    """Write ``count`` distinct article files and a manifest under ``folder``; returns the manifest."""
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".html"))
    meta = {}
    for line in (SAMPLES / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            meta[Path(entry["path"]).stem] = entry
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(count):
        src = samples[i % len(samples)]
        k = i // len(samples) + 1
        text = _vary_numbers(src.read_text(encoding="utf-8"), k)
        text += f"\n\nThis report was updated {k} times; reference {i:05d}-{rng.randrange(10**6):06d}.\n"
        name = f"v{i:04d}_{src.stem}{src.suffix}"
        (folder / name).write_text(text, encoding="utf-8")
        entry = dict(meta.get(src.stem, {}))
        entry.update(id=f"v{i:04d}_{src.stem}", path=name)
        if entry.get("published"):
            day = date.fromisoformat(entry["published"]) + timedelta(weeks=k * 6)
            entry["published"] = day.isoformat()
        lines.append(json.dumps(entry))
    fixed = time.mktime((2024, 6, 1, 12, 0, 0, 0, 0, -1))
    for path in folder.iterdir():  # the same file dates in every run (used for dateline years)
        os.utime(path, (fixed, fixed))
    manifest = folder / "manifest.jsonl"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


# -- running and checking ------------------------------------------------------------------------
def snapshot_source(workdir: Path) -> dict[str, str]:
    """Copy src/sitrep into ``workdir`` and return an environment that runs that copy.

    Both runs must use the same code; other people may be editing the working tree meanwhile."""
    target = workdir / "src"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "src" / "sitrep", target / "sitrep", ignore=shutil.ignore_patterns("__pycache__"))
    return {**os.environ, "PYTHONPATH": str(target), "PYTHONDONTWRITEBYTECODE": "1"}


def ingest_command(manifest: Path, db: Path, extra: tuple[str, ...] = ()) -> list[str]:
    return [*SITREP, "ingest", "--manifest", str(manifest), "--db", str(db), "-q", *extra]


def run_ingest(manifest: Path, db: Path, env: dict[str, str] | None = None, timeout: float = 3600,
               extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(ingest_command(manifest, db, extra), capture_output=True, text=True, timeout=timeout,
                          env=env)


def export(db: Path, fmt: str = "json", env: dict[str, str] | None = None) -> str:
    done = subprocess.run([*SITREP, "export", "--db", str(db), "--format", fmt], capture_output=True,
                          text=True, timeout=600, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"export failed: {done.stderr}")
    return done.stdout


CONSISTENCY_QUERIES = {
    "articles stored without their extraction (half-written)":
        "SELECT COUNT(*) FROM articles WHERE status = 'ok' AND extracted_at IS NULL",
    "articles with the same text twice": "SELECT COUNT(*) - COUNT(DISTINCT content_hash) FROM articles",
    "reports without an event": "SELECT COUNT(*) FROM reports WHERE event_id IS NULL",
    "reports pointing to a missing event":
        "SELECT COUNT(*) FROM reports WHERE event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events)",
    "events without a report":
        "SELECT COUNT(*) FROM events WHERE id NOT IN (SELECT event_id FROM reports WHERE event_id IS NOT NULL)",
    "claims without a report": "SELECT COUNT(*) FROM claims WHERE report_id NOT IN (SELECT id FROM reports)",
    "victims without an article": "SELECT COUNT(*) FROM victims WHERE article_id NOT IN (SELECT id FROM articles)",
    "tallies without an article": "SELECT COUNT(*) FROM tallies WHERE article_id NOT IN (SELECT id FROM articles)",
    "report ids not matching their article":
        "SELECT COUNT(*) FROM reports WHERE id != article_id || '#' || idx",
}


def check_consistency(db: Path, *, extracted: bool = True) -> list[str]:
    """Problems in the database file: integrity, foreign keys, half-written or duplicated rows.

    ``extracted``: the ingest extracted (no --no-extract), so every English article has its extraction."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        problems = []
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {len(fk)} rows")
        for label, sql in CONSISTENCY_QUERIES.items():
            if not extracted and "half-written" in label:
                continue
            n = conn.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{label}: {n}")
        return problems
    finally:
        conn.close()


def count_rows(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("articles", "reports", "claims", "events", "tallies", "victims")}
    finally:
        conn.close()


def kill_when_stored(manifest: Path, db: Path, articles: int, env: dict[str, str] | None = None,
                     timeout: float = 300, extra: tuple[str, ...] = (), linger: float = 0.0) -> dict[str, Any]:
    """Start an ingest and SIGKILL it ``linger`` seconds after at least ``articles`` articles are committed."""
    proc = subprocess.Popen(ingest_command(manifest, db, extra), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)
    deadline = time.monotonic() + timeout
    stored = 0
    while proc.poll() is None and time.monotonic() < deadline:
        if db.exists():
            try:
                stored = count_rows(db)["articles"]
            except sqlite3.Error:  # schema not created yet
                stored = 0
            if stored >= articles:
                break
        time.sleep(0.02)
    if linger and proc.poll() is None:
        time.sleep(linger)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return {"target": articles, "linger_s": round(linger, 2), "killed": killed, "articles_seen": stored,
            "returncode": proc.returncode}


@dataclass
class FaultReport:
    articles: int
    kills_requested: int
    extra: tuple[str, ...] = ()
    kills: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    clean_seconds: float = 0.0
    clean_rows: dict[str, int] = field(default_factory=dict)
    faulty_rows: dict[str, int] = field(default_factory=dict)
    exports_equal: dict[str, bool] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and all(self.exports_equal.values())

    def summary(self) -> dict[str, Any]:
        return {
            "articles": self.articles, "kills_requested": self.kills_requested,
            "kills_landed": sum(1 for k in self.kills if k["killed"]),
            "ingest_args": list(self.extra), "kills": self.kills, "problems": self.problems,
            "clean_run_seconds": round(self.clean_seconds, 1),
            "clean_rows": self.clean_rows, "faulty_rows": self.faulty_rows, "exports_equal": self.exports_equal,
            "data_lost_or_duplicated": self.clean_rows != self.faulty_rows, "ok": self.ok,
        }


def run(articles: int, kills: int, seed: int, workdir: Path, *, quiet: bool = False,
        extra: tuple[str, ...] = ()) -> FaultReport:
    """The whole experiment in ``workdir``; see the module docstring.

    Each kill picks a random target a little past the articles already stored, waits until the
    ingest has committed that many, lingers a random 0-1.5 s (so the kill lands anywhere: inside
    cleaning, spaCy, a write transaction or a commit) and sends SIGKILL."""
    rng = random.Random(seed)
    env = snapshot_source(workdir)
    manifest = generate_corpus(workdir / "corpus", articles, seed)
    report = FaultReport(articles, kills, extra)
    clean_db, faulty_db = workdir / "clean.db", workdir / "faulty.db"
    for db in (clean_db, faulty_db):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.monotonic()
    done = run_ingest(manifest, clean_db, env, extra=extra)
    report.clean_seconds = time.monotonic() - started
    if done.returncode != 0:
        report.problems.append(f"clean run failed ({done.returncode}): {done.stderr[-500:]}")
        return report
    step = max(1, articles // max(1, kills))
    for number in range(kills):
        stored = count_rows(faulty_db)["articles"] if faulty_db.exists() else 0
        target = min(articles, stored + rng.randint(1, step))
        outcome = kill_when_stored(manifest, faulty_db, target, env, extra=extra, linger=rng.uniform(0, 1.5))
        if faulty_db.exists():
            found = check_consistency(faulty_db)
            outcome["articles_after"] = count_rows(faulty_db)["articles"]
            outcome["problems"] = found
            report.problems += [f"after kill {number + 1}: {p}" for p in found]
        report.kills.append(outcome)
        if not quiet:
            print(f"kill {number + 1}/{kills}: {outcome}", file=sys.stderr, flush=True)
    final = run_ingest(manifest, faulty_db, env, extra=extra)
    if final.returncode != 0:
        report.problems.append(f"final run failed ({final.returncode}): {final.stderr[-500:]}")
    report.problems += [f"final: {p}" for p in check_consistency(faulty_db)]
    report.clean_rows, report.faulty_rows = count_rows(clean_db), count_rows(faulty_db)
    for fmt in ("json", "acled-csv"):
        report.exports_equal[fmt] = export(clean_db, fmt, env) == export(faulty_db, fmt, env)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep the corpus and databases here")
    parser.add_argument("--json", type=Path, help="also write the summary to this file")
    parser.add_argument("--ingest-args", default="", help='extra `sitrep ingest` options, e.g. "--batch-size 1"')
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        report = run(args.articles, args.kills, args.seed, workdir, extra=tuple(args.ingest_args.split()))
    text = json.dumps(report.summary(), indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
