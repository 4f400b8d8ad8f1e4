"""The one read layer: every output gives the same incidents and figures for the same filter, exports cost a
fixed number of SQL statements, CSV cells are spreadsheet-safe, and the best figure follows one rule."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from test_merge import JENIN, article, ingest, make_report

from sitrep.cli import cli
from sitrep.dataset.formats import FORMATS, acled_event_id, render
from sitrep.dataset.query import IncidentQuery, QueryError
from sitrep.dataset.read import Dataset
from sitrep.reconcile import build_event, reason_text
from sitrep.records import FigureDigest
from sitrep.settings import load_settings
from sitrep.store import Store
from sitrep.web import create_app
from sitrep.web.views import figures_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
#: Ukraine (a five-source strike), Sudan (a two-source shelling), Mali and Haiti: several countries, dates,
#: types, disputed and undisputed incidents
SAMPLE_IDS = ("a01_chuhuiv_strike_ap", "a02_chuhuiv_toll_reuters", "a03_chuhuiv_strike_meridian",
              "a04_ukraine_liveblog_ledger", "a05_kherson_minibus_pivden", "a06_abushouk_shelling_afp",
              "a07_elfasher_market_horizon", "a09_elobeid_battle_kordofanpost", "a10_sevare_drones_afp",
              "a11_mopti_port_shelling_sahelobserver", "a16_kenscoff_gang_attack_ap",
              "a17_petionville_mob_haitiinsight")
#: (CLI options, API parameters) asking the same question
FILTERS: list[tuple[list[str], dict[str, Any]]] = [
    ([], {}),
    (["--country", "Sudan"], {"country": "Sudan"}),  # a country by name
    (["--country", "UKR", "--min-killed", "1"], {"country": "UKR", "min_killed": 1}),
    (["--type", "explosions", "--since", "2024-12-01"], {"type": "explosions", "since": "2024-12-01"}),
    (["--disputed"], {"disputed": "true"}),
    (["--country", "haiti,mali", "--until", "2025-03-01"], {"country": "haiti,mali", "until": "2025-03-01"}),
]
Figures = tuple[int | None, int | None, int | None]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("samples")
    lines = [line for line in (SAMPLES / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"] in SAMPLE_IDS]
    for line in lines:
        shutil.copy(SAMPLES / json.loads(line)["path"], folder)
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(folder / "samples.db")
    result = CliRunner().invoke(cli, ["ingest", "--quiet", "--manifest", str(folder / "manifest.jsonl"), "--db", db])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def client(sample_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(sample_db, allowed_hosts=["testserver"])) as c:
        yield c


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _from_json_events(events: list[dict[str, Any]]) -> list[tuple[str, Figures]]:
    return [(e["id"], (f["best"], f["low"], f["high"]) if (f := e["fatalities"]) else (None, None, None))
            for e in events]


def _from_csv(text: str) -> list[tuple[str, Figures]]:
    return [(r["id"], (_int(r["fatalities_best"]), _int(r["fatalities_low"]), _int(r["fatalities_high"])))
            for r in csv.DictReader(io.StringIO(text))]


def _from_geojson(doc: dict[str, Any]) -> list[tuple[str, Figures]]:
    return [(f["id"], (p["fatalities_best"], p["fatalities_low"], p["fatalities_high"]))
            for f in doc["features"] for p in [f["properties"]]]


def _acled(text: str) -> list[tuple[str, int]]:
    return [(r["event_id_cnty"], int(r["fatalities"])) for r in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize(("options", "params"), FILTERS)
def test_every_output_gives_the_same_incidents_and_figures(sample_db: str, client: TestClient, options: list[str],
                                                           params: dict[str, Any]) -> None:
    db = ["--db", sample_db]
    expected = _from_json_events(json.loads(_cli("events", *db, *options, "--json")))
    assert expected or options == ["--country", "UKR", "--min-killed", "1"] or params.get("since")
    exported = json.loads(_cli("export", *db, "--format", "json", *options))
    assert _from_json_events(exported["events"]) == expected
    assert _from_csv(_cli("export", *db, "--format", "csv", *options)) == expected
    assert _from_geojson(json.loads(_cli("export", *db, "--format", "geojson", *options))) == expected
    acled = [(acled_event_id_of(sample_db, i), best or 0) for i, (best, _, _) in expected]
    assert _acled(_cli("export", *db, "--format", "acled-csv", *options)) == acled  # fatalities = best

    api = {**params, "sort": "date_asc"}
    listed = client.get("/api/incidents", params={**api, "limit": 500}).json()
    assert listed["total"] == len(expected)
    assert _from_json_events(listed["items"]) == expected
    assert _from_json_events(client.get("/api/incidents.json", params=api).json()["events"]) == expected
    assert _from_csv(client.get("/api/incidents.csv", params=api).text) == expected
    assert _from_geojson(client.get("/api/incidents.geojson", params=api).json()) == expected
    assert _acled(client.get("/api/incidents.acled.csv", params=api).text) == acled
    for event_id, (best, low, high) in expected[:3]:
        page = client.get(f"/incidents/{event_id}").text
        shown = figures_text({"best": best, "low": low, "high": high} if best is not None else None)
        assert shown in page


def acled_event_id_of(db: str, event_id: str) -> str:
    with Store(db, readonly=True) as store:
        row = Dataset(store.conn).get(event_id, "summary")
    assert row is not None
    return acled_event_id(row)


def test_the_cli_and_the_api_offer_the_formats_of_the_registry(client: TestClient) -> None:
    help_text = _cli("export", "--help")
    for fmt in FORMATS.values():
        assert fmt.name in help_text
        response = client.get(f"/api/incidents.{fmt.extension}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(fmt.media_type[:9])


def test_the_best_figure_and_why_are_shown_by_events_show_and_the_incident_page(sample_db: str,
                                                                                client: TestClient) -> None:
    [disputed] = [e for e in json.loads(_cli("events", "--db", sample_db, "--json", "--country", "Sudan"))
                  if len(e["sources"]) > 1]
    reason = disputed["best_reason"]["fatalities"]
    assert reason.startswith(f"best {disputed['fatalities']['best']}: ") and "of 2 sources" in reason
    assert reason in _cli("events", "--db", sample_db, "show", disputed["id"]).replace("\n", " ")
    assert reason.replace('"', "&#34;") in client.get(f"/incidents/{disputed['id']}").text


# -- cost: a fixed number of statements, whatever the number of events ---------------------------------------
def _synthetic_db(path: Path, n: int) -> Path:
    with Store(path) as s:
        for i in range(n):
            text = f"Gunmen killed {i + 1} people in the Jenin camp, medics said."
            day = f"{2000 + i // 12:04d}-{i % 12 + 1:02d}-10"
            ingest(s, article(f"s{i:04d}", "Wire One", day, text),
                   [make_report(f"s{i:04d}", text, day=day, killed=(i + 1, i + 1), claimant="medics",
                                victims=("A. Name",))])
    return path


def _statements(db: Path, fmt: str, limit: int | None = None) -> tuple[int, int]:
    """How many SQL statements rendering ``fmt`` takes, and how many incidents it wrote."""
    with Store(db) as store:
        seen: list[str] = []
        store.conn.set_trace_callback(seen.append)
        out = render(fmt, Dataset(store.conn), IncidentQuery(limit=limit))
        store.conn.set_trace_callback(None)
    return len(seen), out.count


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_export_costs_the_same_number_of_statements_for_n_and_3n_events(tmp_path: Path, fmt: str) -> None:
    small, large = _synthetic_db(tmp_path / "n.db", 4), _synthetic_db(tmp_path / "3n.db", 12)
    (few, n), (many, three_n) = _statements(small, fmt), _statements(large, fmt)
    assert (n, three_n) == (4, 12)
    assert few == many
    assert _statements(large, fmt, limit=5)[0] == few  # a page of 5 reads no more than the whole set


# -- CSV safety, Excel, GeoJSON without a place ------------------------------------------------------------------
@pytest.fixture()
def hostile_db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    with Store(path) as s:
        text = '=HYPERLINK("http://example.invalid","open") gunmen killed 3 people, medics said.'
        ingest(s, article("h1", "@Wire", "2024-03-12", text),
               [make_report("h1", text, killed=(3, 3), claimant="medics", place=None, summary=text)])
        text2 = "+Gunmen killed 2 people in the Jenin camp on Monday, medics said."
        ingest(s, article("h2", "-Daily", "2024-07-01", text2),
               [make_report("h2", text2, day="2024-07-01", killed=(2, 2), claimant="medics", place=JENIN)])
    return path


@pytest.mark.parametrize("fmt", ["acled-csv", "csv"])
def test_no_csv_cell_can_run_as_a_formula(hostile_db: Path, fmt: str) -> None:
    text = _cli("export", "--db", str(hostile_db), "--format", fmt)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    risky = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
             or (c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit())]
    assert risky == []
    assert fmt != "acled-csv" or any(c.startswith("'=HYPERLINK") for c in cells)  # in the notes


def test_excel_and_bom_write_a_byte_order_mark(hostile_db: Path) -> None:
    db = ["--db", str(hostile_db)]
    assert _cli("export", *db, "--format", "csv", "--excel").startswith("\ufeff")
    assert not _cli("export", *db, "--format", "csv").startswith("\ufeff")
    with TestClient(create_app(hostile_db, allowed_hosts=["testserver"])) as c:
        assert c.get("/api/incidents.acled.csv", params={"bom": 1}).content.startswith("\ufeff".encode())
        assert not c.get("/api/incidents.csv").content.startswith("\ufeff".encode())
    result = CliRunner().invoke(cli, ["export", *db, "--format", "json", "--excel"])
    assert result.exit_code == 2 and "CSV formats" in result.output


def test_unplaced_incidents_have_null_geometry(hostile_db: Path) -> None:
    doc = json.loads(_cli("export", "--db", str(hostile_db), "--format", "geojson"))
    geometries = [f["geometry"] for f in doc["features"]]
    assert len(geometries) == 2 and geometries.count(None) == 1


def test_claim_keys_are_the_same_in_the_export_and_the_api(hostile_db: Path) -> None:
    [event] = [e for e in json.loads(_cli("export", "--db", str(hostile_db)))["events"] if e["location"]]
    with TestClient(create_app(hostile_db, allowed_hosts=["testserver"])) as c:
        detail = c.get(f"/api/incidents/{event['id']}").json()
    keys = {"article", "report", "article_id", "report_id"}
    assert keys <= set(event["claims"][0]) and keys <= set(detail["claims"][0])


# -- the query ---------------------------------------------------------------------------------------------------
def test_a_query_resolves_names_and_parts_and_refuses_what_can_never_match() -> None:
    q = IncidentQuery.of(countries=["sudan", "UKR"], event_types=["violence"], sub_event_types=["Armed clash"])
    assert q.countries == ("SDN", "UKR")
    assert q.event_types == ("Explosions/Remote violence", "Violence against civilians")
    assert q.sub_event_types == ("armed clash",)
    for bad in ({"countries": ["Atlantis"]}, {"event_types": ["picnic"]}, {"since": "2024-02-30"},
                {"since": "2024-05-01", "until": "2024-01-01"}, {"sort": "random"}):
        with pytest.raises(QueryError):
            IncidentQuery.of(**bad)  # type: ignore[arg-type]
    where, args = IncidentQuery.of(actor="'; DROP TABLE events; --").where()
    assert "DROP" not in where and any("DROP" in str(a) for a in args)


# -- the best figure ---------------------------------------------------------------------------------------------
def _at_least(report: Any) -> Any:
    report.claims = [replace(c, qualifier="at_least") for c in report.claims]
    return report


def test_an_exact_count_beats_a_later_round_at_least_figure_of_the_same_claimant_class() -> None:
    text = "Eleven people were killed in the camp, the health ministry said, naming them."
    named = tuple(f"Person {n}" for n in range(11))
    members = [make_report(f"m{i}", text, killed=(11, 11), claimant="health ministry", victims=named if i == 0 else ())
               for i in range(3)]
    hedge = _at_least(make_report("m9", "At least 10 were killed, the health ministry said.", killed=(10, 10),
                                  claimant="health ministry"))
    bylines = {f"m{i}": article(f"m{i}", "Wire", "2024-03-12", text) for i in range(3)}
    bylines["m9"] = article("m9", "Late Wire", "2024-03-13", "x")
    event = build_event("ev", [*members, hedge], bylines, [], load_settings())
    assert event.fatalities is not None and (event.fatalities.best, event.fatalities.low) == (11, 10)
    reason = event.figure_reasons["fatalities"]
    assert (reason["supporting"], reason["sources"]) == (3, 4)
    assert reason_text(reason) == ('best 11: health ministry via 3 of 4 sources, '
                                   'exact count over a round "at least" figure')


def test_a_same_day_report_beats_a_retrospective_months_later() -> None:
    same_day = make_report("d1", "Six were killed on Tuesday, the health ministry said.", killed=(6, 6),
                           claimant="health ministry")
    later = make_report("d2", "Nine people died in that raid in March, the health ministry said.", killed=(9, 9),
                        claimant="health ministry")
    bylines = {"d1": article("d1", "Wire", "2024-03-12", "x"), "d2": article("d2", "Review", "2024-08-20", "x")}
    event = build_event("ev", [same_day, later], bylines, [], load_settings())
    assert event.fatalities is not None and event.fatalities.best == 6
    assert event.figure_reasons["fatalities"]["why"] == "same-day report over a later retrospective"
    # and without the retrospective rule the newer figure would have won: the rule is what decides
    bylines["d2"] = article("d2", "Review", "2024-03-13", "x")
    assert build_event("ev", [same_day, later], bylines, [], load_settings()).fatalities.best == 9  # type: ignore[union-attr]


def test_a_digest_stored_before_the_reasons_still_reads() -> None:
    old = FigureDigest.from_json([4, 9, [0, -738000, "a1", 0], 9])
    assert old.rank == (0, 0, 0, -738000, "a1", 0) and old.by_figure == () and old.claimant is None
    assert FigureDigest.from_json(old.to_json()) == old


def test_a_round_hedge_is_not_beaten_by_a_smaller_figure() -> None:
    """"At least 195" gives way only to more, never to an exact 52 of the same claimant class."""
    exact = make_report("j1", "Fifty-two were killed, the health ministry said.", killed=(52, 52),
                        claimant="health ministry")
    hedge = _at_least(make_report("j2", "At least 195 were killed, the health ministry said.", killed=(195, 195),
                                  claimant="health ministry"))
    bylines = {"j1": article("j1", "Wire", "2024-03-12", "x"), "j2": article("j2", "Daily", "2024-03-14", "x")}
    for order in ([exact, hedge], [hedge, exact]):
        event = build_event("ev", order, bylines, [], load_settings())
        assert event.fatalities is not None and event.fatalities.best == 195
        assert event.figure_reasons["fatalities"]["why"] == "most recent"
