"""Time ``sitrep export`` (every format) and ``sitrep events --limit 5`` on a database of many incidents,
and count the SQL statements each takes.

    .venv/bin/python bench/export_bench.py --events 10000 --db /tmp/sitrep-export-bench.db

The database is generated once (reused when it exists): ``--events`` incidents over 60 places and ten
years, each reported by one article and every fifth by a second one, with claims, actors and a named
victim, stored through the Store API and merged by ``reconcile.build_event`` (so the script also runs
on an older sitrep, for before/after figures: run it with that version's ``src`` on PYTHONPATH and its
own ``--db``). Statements are counted with ``sqlite3``'s trace callback on every connection.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.merge import load_settings
from sitrep.reconcile import build_event
from sitrep.records import (
    ActorMention,
    Article,
    ArticleExtraction,
    CasualtyClaim,
    DateRef,
    Evidence,
    IncidentReport,
    Place,
    Range,
    Victim,
)
from sitrep.store import Store

TEXT = ("Gunmen attacked the market in {place} on Tuesday, killing {n} people and wounding {w}, "
        "the district health office said. Residents said the attackers came on motorbikes.")
ARMY = ActorMention("Military Forces of Examplia", "soldiers", "state forces", 1, "EXA")
GUNMEN = ActorMention("Unidentified Armed Group (Examplia)", "gunmen", "armed group", 2, "EXA")


def _report(aid: str, place: Place, day: str, n: int, claimant: str) -> IncidentReport:
    text = TEXT.format(place=place.name, n=n, w=n + 2)
    ev = Evidence.of(text, 0, len(text))
    claims = [CasualtyClaim("killed", n, qualifier="exact", victims="people", claimant=claimant, evidence=ev),
              CasualtyClaim("injured", n + 2, qualifier="exact", victims="people", claimant=claimant, evidence=ev)]
    return IncidentReport(article_id=aid, index=0, date=DateRef(day, "day"), place=place, event_type="Battles",
                          sub_event_type="Armed clash", actors=[ARMY, GUNMEN], claims=claims,
                          victims=[Victim(f"Resident {aid}", 40, "killed", evidence=ev)],
                          fatalities=Range(n, n), injuries=Range(n + 2, n + 2), main=True, summary=text, evidence=ev)


def build(db: Path, events: int) -> None:
    """``events`` incidents, stored and merged (one transaction)."""
    places = [Place(f"Town {i}", 10 + i * 0.1, 20 + i * 0.1, "EXA", admin1=f"Region {i % 6}") for i in range(60)]
    settings = load_settings()
    with Store(db) as store, store.transaction():
        merged = []
        for i in range(events):
            day = f"{2015 + i % 10}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
            members, bylines = [], {}
            for k in range(2 if i % 5 == 0 else 1):
                aid = f"x{i:06d}-{k}"
                report = _report(aid, places[i % 60], day, 1 + (i + k) % 17, "health office" if k else "police")
                text = TEXT.format(place=places[i % 60].name, n=report.claims[0].count, w=report.claims[1].count)
                art = Article(id=aid, text=text, raw="<p>" + text + "</p>" * 20, content_hash="h" + aid,
                              source="bench", outlet=f"Outlet {k}", published=day, title=f"Attack {i}")
                store.insert_article(art)
                store.save_extraction(ArticleExtraction(aid, [report]))
                members.append(report)
                bylines[aid] = art
            merged.append(build_event(f"ev-{i:06d}", members, bylines, [], settings))
        store.replace_events(merged)


def _counting() -> tuple[list[str], Callable[[], None]]:
    """Count every statement of every connection opened from now on; returns the list and an undo."""
    seen: list[str] = []
    original = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = original(*args, **kwargs)
        conn.set_trace_callback(seen.append)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]

    def undo() -> None:
        sqlite3.connect = original

    return seen, undo


def measure(db: Path, args: list[str]) -> dict[str, Any]:
    seen, undo = _counting()
    start = time.perf_counter()
    try:
        result = CliRunner().invoke(cli, [*args, "--db", str(db)], catch_exceptions=False)
    finally:
        undo()
    seconds = time.perf_counter() - start
    if result.exit_code != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.output[-500:]}")
    return {"command": " ".join(args), "seconds": round(seconds, 2), "statements": len(seen),
            "output_bytes": len(result.output.encode())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/sitrep-export-bench.db"))
    parser.add_argument("--formats", default="json,acled-csv,csv,geojson",
                        help="Comma-separated formats to time (an older sitrep may lack some).")
    options = parser.parse_args()
    if not options.db.exists():
        start = time.perf_counter()
        build(options.db, options.events)
        print(f"built {options.db} with {options.events} incidents in {time.perf_counter() - start:.1f} s")
    commands = [["events", "--limit", "5"]] + [["export", "--format", f] for f in options.formats.split(",")]
    for args in commands:
        print(json.dumps(measure(options.db, args)))


if __name__ == "__main__":
    main()
