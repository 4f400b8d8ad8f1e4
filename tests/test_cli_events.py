"""The ``events``, ``events show``, ``tallies`` and ``export`` commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_merge import NABLUS, article, ingest, make_report, raid_articles

from sitrep.commands.events import COMMANDS as EVENT_COMMANDS
from sitrep.commands.export import COMMANDS as EXPORT_COMMANDS
from sitrep.place_confidence import LEGEND, place_confidence
from sitrep.records import Place
from sitrep.store import Store


@click.group()
def cli() -> None:
    """The commands under test, without the rest of the CLI."""


for _command in EVENT_COMMANDS + EXPORT_COMMANDS:
    cli.add_command(_command)


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.db"
    with Store(path) as s:
        for art, reports in raid_articles():
            ingest(s, art, reports)
        t = "Israeli forces shot dead a young man during clashes in Nablus on Thursday, medics said."
        ingest(s, article("b1", "Wire One", "2024-04-04", t),
               [make_report("b1", t, day="2024-04-04", place=NABLUS, killed=(1, 1), claimant="medics")])
        tally = "Some 120 Palestinians have been killed in the West Bank since January."
        with s.transaction():
            s.conn.execute(
                "INSERT INTO tallies (article_id, outcome, count, qualifier, victims, area, period_start,"
                " as_of, ev_start, ev_end, ev_text) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                ("b1", "killed", 120, "about", "Palestinians", "West Bank", "2024-01-01", "2024-04-04",
                 0, len(tally), tally))
    return str(path)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, terminal_width=200)
    return result.exit_code, result.output


def test_events_lists_a_table(db: str) -> None:
    code, out = run("events", "--db", db)
    assert code == 0
    assert "2 incident(s)" in out
    assert "Jenin refugee camp" in out and "Nablus" in out
    assert "9 (4-9)" in out  # best (low-high)
    assert "yes" in out  # the disputed flag


def test_precise_places_carry_no_low_confidence_mark(db: str) -> None:
    code, out = run("events", "--db", db)
    assert code == 0 and "located" in out and "place" in out
    assert "? " not in out and LEGEND not in out


BORNO = Place("Borno", 11.5, 13.0, "NGA", admin1="Borno", geo_precision=3, kind="region")
DUNI = Place("Duni", 11.93, 13.2, "NGA", admin1="Borno", geo_precision=2)


@pytest.fixture()
def vague_db(tmp_path: Path) -> str:
    """Three incidents: one placed only at its state, one near a town, one with no place at all."""
    path = tmp_path / "vague.db"
    stories = [
        ("n1", "2024-05-02", BORNO, "Insurgents killed seven fishermen somewhere in Borno state on Thursday."),
        ("n2", "2024-05-09", DUNI, "Two soldiers died when their patrol hit a mine near Duni on Thursday."),
        ("n3", "2024-05-16", None, "Three people were killed in an attack on a remote settlement on Thursday."),
    ]
    with Store(path) as s:
        for aid, day, place, text in stories:
            ingest(s, article(aid, "Lake Chad Wire", day, text),
                   [make_report(aid, text, day=day, place=place, killed=(2, 2))])
    return str(path)


def test_events_mark_region_only_and_unresolved_places(vague_db: str) -> None:
    code, out = run("events", "--db", vague_db)
    assert code == 0 and "3 incident(s)" in out
    rows = {line.split("│")[2].strip(): line for line in out.splitlines() if "│ ev-" in line}
    assert rows["2024-05-02"].split("│")[3].strip() == "? Borno (NGA)" and "region only" in rows["2024-05-02"]
    assert rows["2024-05-09"].split("│")[3].strip() == "Duni (Borno, NGA)"
    assert "near/containing town" in rows["2024-05-09"]
    assert rows["2024-05-16"].split("│")[3].strip() == "?" and "not resolved" in rows["2024-05-16"]
    assert LEGEND in out


def test_events_show_says_how_precise_the_place_is(vague_db: str) -> None:
    events = json.loads(run("events", "--db", vague_db, "--json")[1])
    region = next(e for e in events if e["location"] and e["location"]["name"] == "Borno")
    code, out = run("events", "--db", vague_db, "show", region["id"])
    assert code == 0 and "geo precision 3: ? region only" in out and LEGEND in out
    unresolved = next(e for e in events if e["location"] is None)
    code, out = run("events", "--db", vague_db, "show", unresolved["id"])
    assert "location: ? not resolved" in out


def test_place_confidence_words() -> None:
    assert place_confidence("Duni", 11.9, 1, "Borno").label() == "place"
    assert place_confidence("Duni", 11.9, 2, "Borno").label() == "near/containing town"
    assert place_confidence("Borno", 11.5, 3, "Borno").label() == "? region only"
    assert place_confidence("Nigeria", 9.0, 3, None).label() == "? country only"
    assert place_confidence("Nigeria", 9.0, 3, None, kind="country").low
    assert place_confidence(None, None, None, None).label() == "? not resolved"
    assert place_confidence("Somewhere", None, 1, None).words == "not resolved"


def test_events_filters_and_json(db: str) -> None:
    code, out = run("events", "--db", db, "--json", "--min-killed", "2")
    assert code == 0
    [event] = json.loads(out)
    assert event["fatalities"] == {"best": 9, "low": 4, "high": 9}
    code, out = run("events", "--db", db, "--json", "--disputed")
    assert [e["location"]["name"] for e in json.loads(out)] == ["Jenin refugee camp"]
    code, out = run("events", "--db", db, "--json", "--since", "2024-04-01", "--country", "PSE")
    assert [e["location"]["name"] for e in json.loads(out)] == ["Nablus"]
    code, out = run("events", "--db", db, "--json", "--limit", "1")
    assert len(json.loads(out)) == 1
    code, out = run("events", "--db", db, "--country", "UKR")
    assert code == 0 and "no incident matches" in out


def test_events_rejects_a_bad_date(db: str) -> None:
    result = CliRunner().invoke(cli, ["events", "--db", db, "--since", "last week"])
    assert result.exit_code == 2
    assert "not a date like" in result.output


def test_events_show_prints_reasons_and_evidence(db: str) -> None:
    [event] = json.loads(run("events", "--db", db, "--json", "--disputed")[1])
    code, out = run("events", "--db", db, "show", event["id"][:8])
    assert code == 0
    assert event["id"] in out
    assert "Why these sources were merged" in out and "Jenin refugee camp within Jenin" in out
    assert "Palestinian health ministry" in out and "Gulf Wire" in out
    assert "had risen to nine" in out  # the evidence sentence
    code, out = run("events", "show", event["id"], "--db", db, "--json")
    assert json.loads(out)["id"] == event["id"]


def test_events_show_unknown_id(db: str) -> None:
    result = CliRunner().invoke(cli, ["events", "--db", db, "show", "ev-nope"])
    assert result.exit_code == 1
    assert "no incident 'ev-nope'" in result.output


def test_missing_database_says_to_ingest_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["events", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "sitrep ingest" in result.output
    assert not (tmp_path / "none.db").exists()


def test_tallies(db: str) -> None:
    code, out = run("tallies", "--db", db)
    assert code == 0 and "West Bank" in out and "120" in out and "2024-04-04" in out
    code, out = run("tallies", "--db", db, "--json", "--area", "west bank")
    assert [t["count"] for t in json.loads(out)] == [120]
    code, out = run("tallies", "--db", db, "--area", "Donetsk")
    assert "no running totals found" in out


def test_export_formats(db: str, tmp_path: Path) -> None:
    code, out = run("export", "--db", db)
    assert code == 0 and len(json.loads(out)["events"]) == 2
    target = tmp_path / "out.csv"
    code, out = run("export", "--db", db, "--format", "acled-csv", "-o", str(target), "--type", "battles")
    assert code == 0 and "wrote 2 incident(s)" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 2 and rows[0]["event_type"] == "Battles"
    code, out = run("export", "--db", db, "--format", "geojson", "--actor", "militants",
                    "--until", "2024-03-31")
    assert code == 0
    doc = json.loads(out)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 1


def test_export_help_has_examples() -> None:
    code, out = run("export", "--help")
    assert code == 0 and "Examples:" in out and "acled-csv" in out
    code, out = run("events", "--help")
    assert code == 0 and "sitrep events show" in out


def test_commands_are_registered_in_the_real_cli() -> None:
    from sitrep.cli import cli as real_cli

    assert {"events", "tallies", "export"} <= set(real_cli.commands)
