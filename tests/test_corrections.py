"""Corrections made by hand (``sitrep fix``, ``split``, ``join``, ``corrections``): stored with who, when and
why, applied whenever events are written, and still applied after a rebuild, a re-extraction or a re-ingest.

The databases are built from our own sample articles (samples/); replacement texts are written here.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from test_rebuild import SAMPLES, SUBSET, ingest, snapshot

from sitrep import rebuild
from sitrep.cli import cli
from sitrep.corrections import actions, table
from sitrep.ingest import run_ingest
from sitrep.pipeline import Pipeline
from sitrep.review import review_queue
from sitrep.store import Store
from sitrep.web import create_app

CHUHUIV = "a01_chuhuiv_strike_ap#0"  # four outlets' report of one strike
LIVEBLOG = "a04_ukraine_liveblog_ledger#0"
MARKET = "a07_elfasher_market_horizon#0"  # a single-source incident


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    db = tmp_path_factory.mktemp("pristine") / "s.db"
    ingest(db, pipeline)
    return db


def copy_of(db: Path, to: Path) -> Path:
    with sqlite3.connect(db) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return to


@pytest.fixture()
def db(pristine: Path, tmp_path: Path) -> Iterator[Path]:
    yield copy_of(pristine, tmp_path / "work.db")


def sitrep(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    return result


def event_of(db: Path, report_id: str) -> dict[str, Any]:
    with Store(db) as store:
        row = store.conn.execute("SELECT e.* FROM events e JOIN reports r ON r.event_id = e.id WHERE r.id = ?",
                                 (report_id,)).fetchone()
    return dict(row) if row else {}


def members(db: Path, report_id: str) -> list[str]:
    with Store(db) as store:
        return [r[0] for r in store.conn.execute(
            "SELECT id FROM reports WHERE event_id = (SELECT event_id FROM reports WHERE id = ?) ORDER BY id",
            (report_id,))]


def fix_killed(db: Path, report_id: str, figures: str, reason: str = "ministry list of names") -> None:
    result = sitrep("fix", event_of(db, report_id)["id"], "--fatalities", figures, "--reason", reason,
                    "--by", "coder-a", "--db", str(db))
    assert result.exit_code == 0, result.output


def test_a_fix_is_stored_with_who_when_why_and_the_machine_value(db: Path) -> None:
    machine = event_of(db, CHUHUIV)
    assert machine["fatalities_best"] != 11 and machine["corrected"] is None
    fix_killed(db, CHUHUIV, "11")
    now = event_of(db, CHUHUIV)
    assert (now["fatalities_best"], now["fatalities_low"], now["fatalities_high"]) == (11, 11, 11)
    marker = json.loads(now["corrected"])
    assert marker["machine"] == {k: machine[k] for k in ("fatalities_best", "fatalities_low", "fatalities_high")}
    with Store(db) as store:
        [c] = table.load(store.conn)
    assert (c.by, c.reason, c.kind, c.status) == ("coder-a", "ministry list of names", "fix", "applied")
    assert c.machine["fatalities_low"] == machine["fatalities_low"] and c.at.startswith("20")
    shown = sitrep("events", "show", now["id"], "--db", str(db))
    assert "killed: 11" in shown.output and "corrected by hand" in shown.output


def test_a_fix_survives_rebuild_reextract_and_a_reingest(db: Path, tmp_path: Path, pipeline: Pipeline) -> None:
    fix_killed(db, CHUHUIV, "9-12")
    corrected = snapshot(db)
    assert sitrep("rebuild", "--db", str(db), "-q").exit_code == 0
    assert snapshot(db) == corrected
    with Store(db) as store:
        rebuild.mark_pending(store, rebuild.select_articles(store, rebuild.Selection()))
        rebuild.reextract(store, pipeline)
    assert snapshot(db) == corrected
    ingest(db, pipeline)  # the same articles again: unchanged
    assert snapshot(db) == corrected
    # one article comes back with a line more (a new content hash): the fix finds its incident again
    changed = tmp_path / "a01_chuhuiv_strike_ap.txt"
    changed.write_text((SAMPLES / "a01_chuhuiv_strike_ap.txt").read_text(encoding="utf-8")
                       + "\nThis story has been updated with a correction to a street name.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"id": "a01_chuhuiv_strike_ap", "path": changed.name, "outlet": "AP",
                                    "published": "2024-05-16"}) + "\n", encoding="utf-8")
    run_ingest([], manifest=str(manifest), db_path=db, progress=False, pipeline=pipeline)
    with Store(db) as store:
        new_hash = store.conn.execute("SELECT content_hash FROM articles WHERE id = ?",
                                      ("a01_chuhuiv_strike_ap",)).fetchone()[0]
        assert new_hash not in {k.content_hash for c in table.load(store.conn) for k in c.target}
    now = event_of(db, CHUHUIV)
    assert (now["fatalities_best"], now["fatalities_low"], now["fatalities_high"]) == (9, 9, 12)
    assert json.loads(now["corrected"])["machine"]["fatalities_high"] != 12


def test_undo_restores_the_machine_values(db: Path, pristine: Path) -> None:
    fix_killed(db, CHUHUIV, "11")
    result = sitrep("fix", event_of(db, CHUHUIV)["id"], "--place", "49.80,36.70", "--date", "2024-05-15",
                    "--reason", "map check", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert event_of(db, CHUHUIV)["date"] == "2024-05-15" and event_of(db, CHUHUIV)["lat"] == 49.8
    assert sitrep("fix", "--undo", "1", "--db", str(db)).exit_code == 0
    assert event_of(db, CHUHUIV)["fatalities_best"] == event_of(pristine, CHUHUIV)["fatalities_best"]
    assert event_of(db, CHUHUIV)["date"] == "2024-05-15"  # the other correction still holds
    assert sitrep("fix", "--undo", "2", "--db", str(db)).exit_code == 0
    assert snapshot(db) == snapshot(pristine)
    again = sitrep("fix", "--undo", "2", "--db", str(db))
    assert again.exit_code == 1 and "already undone" in again.output


def test_a_split_and_a_join_survive_a_rebuild(db: Path, pristine: Path) -> None:
    together = members(db, CHUHUIV)
    assert LIVEBLOG in together
    event = event_of(db, CHUHUIV)["id"]
    result = sitrep("split", event, "--reports", LIVEBLOG, "--reason", "the live blog's strike was another one",
                    "--db", str(db))
    assert result.exit_code == 0, result.output
    assert LIVEBLOG not in members(db, CHUHUIV) and members(db, LIVEBLOG) == [LIVEBLOG]
    sudan = [event_of(db, "a06_abushouk_shelling_afp#0")["id"], event_of(db, MARKET)["id"]]
    assert sudan[0] != sudan[1]
    result = sitrep("join", *sudan, "--reason", "the same shelling, one outlet named the market", "--db", str(db))
    assert result.exit_code == 0, result.output
    joined = members(db, MARKET)
    assert "a06_abushouk_shelling_afp#0" in joined
    assert sitrep("rebuild", "--db", str(db), "-q").exit_code == 0
    assert LIVEBLOG not in members(db, CHUHUIV) and members(db, MARKET) == joined
    for correction_id in ("1", "2"):
        assert sitrep("fix", "--undo", correction_id, "--db", str(db)).exit_code == 0
    assert snapshot(db) == snapshot(pristine)


def test_not_an_incident_leaves_every_output_until_undone(db: Path, pristine: Path) -> None:
    event = event_of(db, MARKET)["id"]
    result = sitrep("fix", event, "--not-an-incident", "--reason", "a report of an old attack", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert event_of(db, MARKET) == {}
    exported = json.loads(sitrep("export", "--format", "json", "--db", str(db)).output)
    assert event not in {e["id"] for e in exported["events"]}
    sitrep("rebuild", "--db", str(db), "-q")
    assert event_of(db, MARKET) == {}
    assert sitrep("fix", "--undo", "1", "--db", str(db)).exit_code == 0
    assert snapshot(db) == snapshot(pristine)


def test_a_correction_whose_incident_vanished_is_listed_by_review(db: Path, tmp_path: Path,
                                                                   pipeline: Pipeline) -> None:
    fix_killed(db, MARKET, "14", reason="hospital register")
    gone = tmp_path / "a07_elfasher_market_horizon.txt"
    gone.write_text("El Fasher council meets on water supply\n\nThe city council met on Tuesday to discuss "
                    "repairs to the water network, a spokesman said.\n", encoding="utf-8")
    run_ingest([str(gone)], db_path=db, progress=False, pipeline=pipeline)  # the article's text is replaced
    with Store(db) as store:
        [c] = table.load(store.conn)
        items = review_queue(store.conn, ["correction"])
    assert c.status == "not_found" and c.active
    assert [i.kind for i in items] == ["correction"] and "hospital register" in items[0].detail
    listed = sitrep("review", "--kind", "correction", "--db", str(db))
    assert "no longer finds its incident" in listed.output
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as client:
        page = client.get("/review?kind=correction").text
    assert "hospital register" in page and f'href="/incidents/{items[0].event_id}' not in page  # no dead link
    run_ingest([str(SAMPLES / "a07_elfasher_market_horizon.html")], db_path=db, progress=False, pipeline=pipeline)
    assert event_of(db, MARKET)["fatalities_best"] == 14  # the article is back, and so is the correction
    with Store(db) as store:
        assert review_queue(store.conn, ["correction"]) == []


def test_exports_mark_corrected_values(db: Path) -> None:
    fix_killed(db, CHUHUIV, "11")
    event = event_of(db, CHUHUIV)["id"]
    data = json.loads(sitrep("export", "--format", "json", "--db", str(db)).output)
    [record] = [e for e in data["events"] if e["id"] == event]
    assert record["fatalities"]["best"] == 11 and record["fatalities"]["low"] == 11
    assert record["corrected"]["fatalities_best"] != 11
    assert all("corrected" not in e for e in data["events"] if e["id"] != event)
    rows = list(csv.DictReader(io.StringIO(sitrep("export", "--format", "acled-csv", "--db", str(db)).output)))
    marked = [r for r in rows if "corrected by hand" in r["tags"]]
    assert len(marked) == 1 and marked[0]["fatalities"] == "11"
    geo = json.loads(sitrep("export", "--format", "geojson", "--db", str(db)).output)
    [feature] = [f for f in geo["features"] if f["id"] == event]
    assert feature["properties"]["fatalities_best"] == 11
    assert feature["properties"]["corrected"] == ["fatalities_best", "fatalities_high", "fatalities_low"]


def test_an_exported_corrections_file_reproduces_them_in_a_fresh_database(db: Path, pristine: Path,
                                                                          tmp_path: Path) -> None:
    fix_killed(db, CHUHUIV, "11")
    sitrep("split", event_of(db, CHUHUIV)["id"], "--reports", LIVEBLOG, "--reason", "another strike",
           "--db", str(db))
    sitrep("fix", event_of(db, MARKET)["id"], "--actor1", "Rapid Support Forces", "--type", "battles",
           "--reason", "witnesses", "--db", str(db))
    sitrep("fix", event_of(db, MARKET)["id"], "--injuries", "30", "--reason", "typo", "--db", str(db))
    assert sitrep("fix", "--undo", "4", "--db", str(db)).exit_code == 0
    out = tmp_path / "corrections.jsonl"
    assert sitrep("corrections", "export", "-o", str(out), "--db", str(db)).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and json.loads(lines[3])["undone_at"]
    fresh = copy_of(pristine, tmp_path / "fresh.db")
    result = sitrep("corrections", "import", str(out), "--db", str(fresh))
    assert result.exit_code == 0 and "4 correction(s) added" in result.output, result.output
    assert snapshot(fresh) == snapshot(db)
    again = sitrep("corrections", "import", str(out), "--db", str(fresh))
    assert "0 correction(s) added, 4 already here" in again.output
    market = event_of(fresh, MARKET)
    assert json.loads(market["actors"])[0] == "Rapid Support Forces" and market["event_type"] == "Battles"


def test_a_bad_corrections_file_imports_nothing(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    key = {"article": "a", "hash": "h", "index": 0}
    sneaky = {"kind": "fix", "target": [key], "fields": {"id": "ev-x"}, "reason": "r", "by": "b", "at": "t"}
    bad.write_text('{"kind": "fix", "target": []}\nnot json\n' + json.dumps(sneaky) + "\n", encoding="utf-8")
    result = sitrep("corrections", "import", str(bad), "--db", str(db))
    assert result.exit_code == 1 and "line 1" in result.output and "line 2" in result.output
    assert "line 3: a fix cannot set id" in result.output
    with Store(db) as store:
        assert table.load(store.conn) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--fatalities", "11"], "--reason is required"),
    (["--fatalities", "twelve", "--reason", "x"], "give a number (11), a range (9-12)"),
    (["--fatalities", "12-9", "--reason", "x"], "low <= best <= high"),
    (["--date", "16 May", "--reason", "x"], "give a day (2024-05-16)"),
    (["--type", "skirmish", "--reason", "x"], "one of Battles"),
    (["--place", "Nowhereville Qx", "--reason", "x"], "is not in the gazetteer"),
    (["--place", "95,10", "--reason", "x"], "latitude must be within"),
    (["--reason", "x"], "nothing to correct"),
    (["--fatalities", "3", "--reason", "x" * 2001], "longer than 2000 characters"),
])
def test_a_correction_that_cannot_be_made_says_why_and_stores_nothing(db: Path, args: list[str],
                                                                      message: str) -> None:
    result = sitrep("fix", event_of(db, CHUHUIV)["id"], *args, "--db", str(db))
    assert result.exit_code == 1 and message in result.output, result.output
    with Store(db) as store:
        assert table.load(store.conn) == []
    unknown = sitrep("fix", "ev-nothing", "--fatalities", "3", "--reason", "x", "--db", str(db))
    assert unknown.exit_code == 1 and "is no incident" in unknown.output


def test_the_incident_page_shows_the_history_escaped(db: Path) -> None:
    fix_killed(db, CHUHUIV, "11", reason="<script>alert(1)</script> ministry list")
    event = event_of(db, CHUHUIV)["id"]
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as client:
        page = client.get(f"/incidents/{event}").text
        api = client.get(f"/api/incidents/{event}").json()
        listed = client.get("/api/incidents").json()
    assert api["fatalities"]["best"] == 11 and api["corrected"]["fatalities_best"] != 11
    assert [i["id"] for i in listed["items"] if "corrected" in i] == [event]
    assert "Corrections by hand" in page and 'class="badge corrected"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ministry list" in page and "<script>alert(1)" not in page
    assert "fatalities 11" in page


def test_who_defaults_to_the_user(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "field-desk")
    with Store(db) as store:
        c = actions.fix(store, event_of(db, CHUHUIV)["id"], actions.FixRequest(fatalities="5"), "recount")
    assert c.by == "field-desk" and c.id == 1


def test_the_subset_has_what_these_tests_need(pristine: Path) -> None:
    """Guards the fixtures: the strike has the live blog among its sources, the market is on its own."""
    assert LIVEBLOG in members(pristine, CHUHUIV) and len(members(pristine, CHUHUIV)) > 2
    assert members(pristine, MARKET) == [MARKET]
    assert len(SUBSET) == 6


def test_a_join_says_why_members_no_merge_rule_links_were_joined(db: Path) -> None:
    far = "a02_chuhuiv_toll_reuters#1"  # another town, another day
    assert far not in members(db, CHUHUIV) and far in members(db, far)
    result = sitrep("join", event_of(db, CHUHUIV)["id"], event_of(db, far)["id"], "--reason", "one wave of strikes",
                    "--db", str(db))
    assert result.exit_code == 0, result.output
    assert far in members(db, CHUHUIV)
    reasons = json.loads(event_of(db, CHUHUIV)["merge_reasons"])
    assert [r for r in reasons if r.endswith(f"+ {far}: joined by hand (correction 1: one wave of strikes)")]
