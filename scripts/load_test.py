#!/usr/bin/env python3
"""Load test: many concurrent clients against ``sitrep serve`` while an ingest writes to the same file.

1. Builds a database from the samples (``sitrep ingest``), starts ``sitrep serve`` on 127.0.0.1.
2. Starts a second ingest (generated article variants, scripts/fault_injection.py) that keeps
   writing to the same database during the whole test.
3. Runs --clients asyncio workers (httpx) until --requests requests or --seconds have passed, over
   the API and the pages. Only 127.0.0.1 is ever contacted.

A "wrong answer" is any of:
- /api/incidents/{id}: fields differ from the events row read directly from SQLite both just before
  and just after the request (a row that changed in between may match either version);
- /api/incidents?limit=500: ``total`` differs from the number of items returned (when total <= 500),
  duplicate ids, or a date order that is not descending;
- /api/articles/{id}: a claim whose evidence text is not ``text[start:end]``;
- a page or static file that is not 200 with the expected content; any 5xx is counted separately.

Usage:
    .venv/bin/python scripts/load_test.py --clients 50 --requests 20000 --seconds 600
    .venv/bin/python scripts/load_test.py --clients 10 --requests 500      # quick
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fault_injection import SITREP, generate_corpus  # noqa: E402

HOST = "127.0.0.1"
EVENT_FIELDS = ("date", "event_type", "fatalities_best", "fatalities_low", "fatalities_high", "location_name")


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # connection errors, timeouts
    indeterminate: int = 0

    def summary(self, seconds: float) -> dict[str, Any]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(1000 * lat[min(len(lat) - 1, int(p / 100 * len(lat)))], 1) if lat else 0.0

        return {
            "requests": len(lat), "seconds": round(seconds, 1), "requests_per_s": round(len(lat) / seconds, 1),
            "status_counts": dict(sorted(self.statuses.items())),
            "server_errors_5xx": sum(n for s, n in self.statuses.items() if s >= 500),
            "wrong_answers": len(self.wrong), "wrong_examples": self.wrong[:10],
            "connection_errors": len(self.errors), "error_examples": self.errors[:5],
            "indeterminate_checks": self.indeterminate,
            "latency_ms": {"p50": pct(50), "p95": pct(95), "p99": pct(99), "max": round(1000 * lat[-1], 1) if lat
                           else 0.0, "mean": round(1000 * statistics.fmean(lat), 1) if lat else 0.0},
            "requests_by_kind": dict(sorted(self.kinds.items())),
        }


# -- direct database reads (the reference for "right") -------------------------------------------
class Reference:
    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row

    def event(self, event_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE id = ?", (event_id,)).fetchone()
        return dict(row) if row else None

    def ids(self, table: str) -> list[str]:
        return [r[0] for r in self.conn.execute(f"SELECT id FROM {table}")]


def event_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The API's incident JSON reduced to the events-table columns compared."""
    f = body.get("fatalities") or {}
    return {"date": body.get("date"), "event_type": body.get("event_type"),
            "fatalities_best": f.get("best"), "fatalities_low": f.get("low"), "fatalities_high": f.get("high"),
            "location_name": (body.get("location") or {}).get("name")}


# -- the request mix ---------------------------------------------------------------------------------
class Client:
    def __init__(self, http: httpx.AsyncClient, ref: Reference, stats: Stats, rng: random.Random) -> None:
        self.http, self.ref, self.stats, self.rng = http, ref, stats, rng
        self.event_ids = ref.ids("events")
        self.article_ids = ref.ids("articles")

    async def get(self, kind: str, url: str) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.http.get(url)
        except httpx.HTTPError as exc:
            self.stats.errors.append(f"{kind} {url}: {type(exc).__name__}: {exc}")
            return None
        self.stats.latencies.append(time.perf_counter() - started)
        self.stats.statuses[response.status_code] += 1
        self.stats.kinds[kind] += 1
        if response.status_code >= 500:
            self.stats.wrong.append(f"{kind} {url}: HTTP {response.status_code}")
        return response

    async def one(self) -> None:
        choice = self.rng.random()
        if choice < 0.30:
            await self.incident()
        elif choice < 0.45:
            await self.incident_list()
        elif choice < 0.60:
            await self.article()
        elif choice < 0.70:
            await self.page("incident page", f"/incidents/{quote(self.rng.choice(self.event_ids), safe='')}")
        elif choice < 0.78:
            await self.page("article page", f"/articles/{quote(self.rng.choice(self.article_ids), safe='')}")
        elif choice < 0.84:
            await self.page("index page", "/", "<table")
        elif choice < 0.90:
            await self.page("timeline", "/api/timeline?since=2020-01-01", '"days"')
        elif choice < 0.95:
            await self.page("tallies", "/api/tallies", '"series"')
        else:
            await self.page("static", "/static/app.js", "use strict")

    async def incident(self) -> None:
        event_id = self.rng.choice(self.event_ids)
        before = self.ref.event(event_id)
        response = await self.get("incident json", f"/api/incidents/{quote(event_id, safe='')}")
        after = self.ref.event(event_id)
        if response is None:
            return
        if response.status_code == 404:
            if before is not None and after is not None:
                self.stats.wrong.append(f"incident {event_id}: 404 but the row exists")
            return
        if response.status_code != 200:
            self.stats.wrong.append(f"incident {event_id}: HTTP {response.status_code}")
            return
        got = event_fields(response.json())
        versions = [v for v in (before, after) if v is not None]
        if before != after and got not in versions:
            self.stats.indeterminate += 1  # changed more than once during the request
        elif got not in versions:
            self.stats.wrong.append(f"incident {event_id}: {got} != db {versions}")

    async def incident_list(self) -> None:
        response = await self.get("incident list", "/api/incidents?limit=500&sort=date_desc")
        if response is None or response.status_code != 200:
            return
        body = response.json()
        items = body["items"]
        ids = [i["id"] for i in items]
        if body["total"] <= 500 and body["total"] != len(items):
            self.stats.wrong.append(f"incident list: total {body['total']} but {len(items)} items")
        if len(set(ids)) != len(ids):
            self.stats.wrong.append("incident list: duplicate ids")
        dates = [i["date"] for i in items if i["date"]]
        if dates != sorted(dates, reverse=True):
            self.stats.wrong.append("incident list: not sorted by date")

    async def article(self) -> None:
        article_id = self.rng.choice(self.article_ids)
        response = await self.get("article json", f"/api/articles/{quote(article_id, safe='')}")
        if response is None or response.status_code != 200:
            if response is not None and response.status_code != 404:
                self.stats.wrong.append(f"article {article_id}: HTTP {response.status_code}")
            return
        body = response.json()
        text = body["text"]
        for claim in body["claims"]:
            ev = claim.get("evidence")
            if ev and ev.get("text") is not None and text[ev["start"]:ev["end"]] != ev["text"]:
                self.stats.wrong.append(f"article {article_id}: claim evidence is not text[start:end]")

    async def page(self, kind: str, url: str, expect: str = "sitrep") -> None:
        response = await self.get(kind, url)
        if response is not None and (response.status_code != 200 or expect not in response.text):
            self.stats.wrong.append(f"{kind} {url}: HTTP {response.status_code}, expected text missing")


async def drive(base: str, db: Path, clients: int, requests: int, seconds: float, seed: int) -> tuple[Stats, float]:
    stats = Stats()
    ref = Reference(db)
    budget = {"left": requests}
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0, trust_env=False) as http:
        async def worker(number: int) -> None:
            client = Client(http, ref, stats, random.Random(seed * 1000 + number))
            while budget["left"] > 0 and time.monotonic() < deadline:
                budget["left"] -= 1
                await client.one()

        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(clients)))
    return stats, time.monotonic() - started


# -- processes -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for_server(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/incidents?limit=1", timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("sitrep serve did not start")


def run(clients: int, requests: int, seconds: float, writer_articles: int, seed: int, workdir: Path) -> dict[str, Any]:
    db = workdir / "load.db"
    base_ingest = subprocess.run([*SITREP, "ingest", "--manifest", str(ROOT / "samples" / "manifest.jsonl"),
                                  "--db", str(db), "-q"], capture_output=True, text=True)
    if base_ingest.returncode != 0:
        raise RuntimeError(base_ingest.stderr)
    manifest = generate_corpus(workdir / "writer", writer_articles, seed)
    port = free_port()
    server = subprocess.Popen([*SITREP, "serve", "--db", str(db), "--host", HOST, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    writer = None
    try:
        base = f"http://{HOST}:{port}"
        wait_for_server(base)
        rows_before = _count(db)
        writer = subprocess.Popen([*SITREP, "ingest", "--manifest", str(manifest), "--db", str(db), "-q",
                                   "--batch-size", "1", "--workers", "1"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _wait_for_writes(db, rows_before[0], writer)
        stats, elapsed = asyncio.run(drive(base, db, clients, requests, seconds, seed))
        writer_running = writer.poll() is None
        rows_after = _count(db)
    finally:
        for proc in (writer, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    summary = stats.summary(elapsed)
    summary.update(clients=clients, writer={"articles_before": rows_before[0], "articles_after": rows_after[0],
                                            "events_before": rows_before[1], "events_after": rows_after[1],
                                            "still_writing_at_end": writer_running})
    summary["ok"] = summary["server_errors_5xx"] == 0 and summary["wrong_answers"] == 0
    return summary


def _wait_for_writes(db: Path, articles_before: int, writer: subprocess.Popen[str], timeout: float = 180) -> None:
    """Start the load only once the concurrent ingest is committing articles."""
    deadline = time.monotonic() + timeout
    while _count(db)[0] <= articles_before and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)


def _count(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return (conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=900, help="stop after this long even if requests remain")
    parser.add_argument("--writer-articles", type=int, default=400, help="articles the concurrent ingest writes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        summary = run(args.clients, args.requests, args.seconds, args.writer_articles, args.seed, Path(tmp))
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
