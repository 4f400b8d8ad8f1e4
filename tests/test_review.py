"""The review queue: each kind is found, the most important comes first, and the CLI, the API and the web
page give the same items."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from test_merge import ISRAEL_ARMY, KHAN_YOUNIS, NABLUS, article, ingest, make_report

from sitrep.cli import cli
from sitrep.records import ActorMention, CasualtyClaim, Evidence, Place
from sitrep.review import review_queue
from sitrep.store import Store
from sitrep.web import create_app

COUNTRY_ONLY = Place("Palestine", 31.9, 35.2, "PSE", geo_precision=3, kind="country")
UNKNOWN_GUNMEN = ActorMention("Unidentified Armed Group (Palestine)", "gunmen", "rebel group", 3, "PSE")


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "review.db"
    t = "Gunmen opened fire on a checkpoint on Tuesday, officials said."
    with Store(path) as s:
        ingest(s, article("p1", "Wire", "2024-03-12", t),
               [make_report("p1", t, place=COUNTRY_ONLY, killed=(3, 3), day="2024-03-10")])
        ingest(s, article("d1", "Wire", "2024-03-12", t), [make_report("d1", t, place=NABLUS, killed=(4, 4))])
        ingest(s, article("d2", "Daily", "2024-03-13", t), [make_report("d2", t, place=NABLUS, killed=(6, 6))])
        vague = make_report("v1", t, place=KHAN_YOUNIS, day="2024-02-01")
        vague = dataclasses.replace(vague, claims=[CasualtyClaim("killed", 24, vague=True,
                                                                 evidence=Evidence.of(t, 0, len(t)))])
        ingest(s, article("v1", "Wire", "2024-02-02", t), [vague])
        ingest(s, article("n1", "Wire", "2024-01-05", t),
               [make_report("n1", t, place=KHAN_YOUNIS, day="2024-01-04", actors=(ISRAEL_ARMY, UNKNOWN_GUNMEN))])
        ingest(s, article("s1", "Wire", "2024-01-06", "A statement about talks."), [])
        with s.transaction():
            s.conn.execute("UPDATE articles SET extracted_at = '2024-01-06T00:00:00Z' WHERE id = 's1'")
    return path


def _kinds(items: list) -> dict[str, list[str]]:  # type: ignore[type-arg]
    out: dict[str, list[str]] = {}
    for i in items:
        out.setdefault(i.kind, []).append(i.event_id or i.article_id)
    return out


def test_every_kind_is_found(db: Path) -> None:
    with Store(db, readonly=True) as s:
        items = review_queue(s.conn)
        found = _kinds(items)
        events = {r["article_id"]: r["event_id"] for r in s.conn.execute("SELECT article_id, event_id FROM reports")}
    assert found["place"] == [events["p1"]]
    assert found["disputed"] == [events["d1"]]
    assert found["vague"] == [events["v1"]]
    assert events["n1"] in found["no_claim"] and events["n1"] in found["actor"]
    assert found["nothing_found"] == ["s1"]
    assert [i.kind for i in items][:2] == ["place", "disputed"], "kinds come in their order of importance"


def test_more_dead_come_first_within_a_kind(db: Path) -> None:
    with Store(db, readonly=True) as s:
        claims = review_queue(s.conn, ["no_claim"])
    killed = [i.killed or 0 for i in claims]
    assert killed == sorted(killed, reverse=True)


def test_cli_api_and_page_agree(db: Path) -> None:
    with Store(db, readonly=True) as s:
        expected = [i.to_json() for i in review_queue(s.conn)]
    cli_items = json.loads(CliRunner().invoke(cli, ["review", "--db", str(db), "--json"]).output)
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as client:
        api_items = client.get("/api/review").json()["items"]
        page = client.get("/review")
        bad = client.get("/api/review?kind=bogus")
    assert cli_items == api_items == expected
    assert page.status_code == 200 and all(str(i["event_id"] or i["article_id"]) in page.text for i in expected)
    assert bad.status_code == 400


def test_kind_filter_and_limit(db: Path) -> None:
    result = CliRunner().invoke(cli, ["review", "--db", str(db), "--kind", "disputed", "--kind", "place",
                                      "--limit", "1", "--json"])
    assert [i["kind"] for i in json.loads(result.output)] == ["place"]
