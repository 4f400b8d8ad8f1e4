"""Commands a new user cannot trip over: filters that can never match, bad days, busy ports, HEAD,
an interrupted ingest, and what `sitrep extract` says when it finds no date."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sitrep import ingest as ingest_module
from sitrep.cli import cli
from sitrep.commands.serve import check_port
from sitrep.ingest import run_ingest
from sitrep.store import Store
from sitrep.web import create_app


@pytest.fixture()
def empty_db(tmp_path: Path) -> str:
    path = tmp_path / "e.db"
    with Store(path):
        pass
    return str(path)


@pytest.mark.parametrize(("args", "message"), [
    (["--country", "XYZ"], "unknown country 'XYZ'"),
    (["--country", "Ukrane"], "did you mean Ukraine"),
    (["--type", "bombing"], "the types are: Battles"),
    (["--since", "2024-02-30"], "not a real day"),
    (["--since", "30/01/2024"], "not a date like"),
    (["--since", "2024-05-01", "--until", "2024-01-01"], "is after until"),
])
@pytest.mark.parametrize("command", [["events"], ["export", "--format", "json"]])
def test_a_filter_that_can_never_match_is_a_usage_error(empty_db: str, command: list[str], args: list[str],
                                                        message: str) -> None:
    result = CliRunner().invoke(cli, [*command, "--db", empty_db, *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_country_by_name_and_type_by_part_are_accepted(empty_db: str) -> None:
    result = CliRunner().invoke(cli, ["events", "--db", empty_db, "--country", "ukraine", "--type", "battle"])
    assert result.exit_code == 0, result.output


def test_a_busy_port_is_one_clear_line_with_what_to_do() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(click.ClickException, match=f"--port {port + 1}"):
            check_port("127.0.0.1", port)


def test_a_free_port_passes() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check_port("127.0.0.1", port)


def test_head_is_answered_like_get_without_a_body(empty_db: str) -> None:
    with TestClient(create_app(empty_db, allowed_hosts=["testserver"])) as client:
        got, head = client.get("/api/incidents"), client.head("/api/incidents")
    assert head.status_code == got.status_code == 200
    assert head.content == b"" and head.headers.get("content-security-policy")


def test_ctrl_c_during_ingest_keeps_what_was_stored_and_says_how_to_resume(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"Clashes in Kidal\nFighting killed {i + 2} people in Kidal.\n",
                                            encoding="utf-8")
    real = ingest_module._ingest_one
    calls = []

    def stop_on_third(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "_ingest_one", stop_on_third)
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--db", str(db), "--no-extract",
                                      "--batch-size", "1", "--workers", "1"])
    assert result.exit_code == 130
    assert "2 articles were stored" in result.output and "Run the same command again" in result.output
    monkeypatch.setattr(ingest_module, "_ingest_one", real)
    again = run_ingest([str(tmp_path)], db_path=db, extract=False, progress=False)
    assert len(again.unchanged) == 2 and len(again.stored) == 1


def test_extract_says_no_date_found(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Gunmen kill four in Zamfara village\nGunmen killed four farmers in a village in "
                     "Zamfara State, police said.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(story)])
    assert result.exit_code == 0, result.output
    assert "no date found" in result.output and "? (None)" not in result.output


def test_a_foreign_sqlite_file_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    before = other.read_bytes()
    for command in (["events"], ["articles"], ["export", "--format", "json"], ["ingest", str(tmp_path / "x.txt")]):
        result = CliRunner().invoke(cli, [*command, "--db", str(other)])
        assert result.exit_code == 3, (command, result.output)
        assert "not a sitrep database" in result.output
    assert other.read_bytes() == before and not Path(str(other) + "-wal").exists()


def test_a_hash_in_the_database_path_opens_that_file(tmp_path: Path) -> None:
    folder = tmp_path / "run#1"
    folder.mkdir()
    db = folder / "a#b.db"
    with Store(db):
        pass
    result = CliRunner().invoke(cli, ["articles", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("a#b.db")) == []
    assert not (tmp_path / "run").exists()


def test_a_damaged_database_is_one_line_and_exit_3(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    story = tmp_path / "s.txt"
    story.write_text("Clashes in Kidal\n" + "Fighting killed three people in Kidal on Monday. " * 400,
                     encoding="utf-8")
    assert CliRunner().invoke(cli, ["ingest", str(story), "--db", str(db), "--no-extract"]).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    for page in range(1, len(data) // page_size):  # every page but the header page
        data[page * page_size:page * page_size + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["articles", "--db", str(db)])
    assert result.exit_code == 3, result.output
    assert "database" in result.output and "Traceback" not in result.output


def test_an_inferred_year_is_flagged_in_events_the_export_and_the_incident_page(tmp_path: Path) -> None:
    story = tmp_path / "omdurman.txt"
    story.write_text("Shelling kills nine in Omdurman\nOMDURMAN, May 17 (Reuters) - Artillery shells struck a "
                     "market in Omdurman on Wednesday, killing nine people, medics said. The fighting that began "
                     "in April 2023 has displaced millions.\n", encoding="utf-8")
    db = str(tmp_path / "u.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(story), "--db", db]).exit_code == 0
    listing = runner.invoke(cli, ["events", "--db", db])
    assert "uncertain)" in listing.output, listing.output
    exported = runner.invoke(cli, ["export", "--db", db, "--format", "json"])
    [event] = json.loads(exported.output)["events"]
    assert event["date_uncertain"] is True and event["date"].startswith("2023-05")
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as client:
        page = client.get(f"/incidents/{event['id']}")
    assert "year inferred from the text, uncertain" in page.text


def test_a_sentence_that_is_a_table_of_figures_is_noted_not_read(tmp_path: Path) -> None:
    """Reading stays linear: a pasted statistics table is not searched for claims, and the run says so."""
    table = " ".join(f"{i % 97 + 3} killed, {i * 7 % 1000}" for i in range(300))
    prose = ("Gunmen killed four farmers near Gusau on Monday, police said. The attackers arrived on motorcycles "
             "and set fire to several houses before they fled into the forest, residents told reporters. ") * 8
    story = tmp_path / "table.txt"
    story.write_text(f"Gunmen kill four farmers in Zamfara\n{prose}\nDistrict figures: {table}.\n", encoding="utf-8")
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["extract", str(story)])
    assert result.exit_code == 0, result.output
    assert "read as tables, not claims" in result.output and "killed 4" in result.output
    assert CliRunner().invoke(cli, ["ingest", str(story), "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as conn:
        reason = conn.execute("SELECT reason FROM ingest_log WHERE status = 'stored'").fetchone()[0]
    assert "read as tables" in reason
