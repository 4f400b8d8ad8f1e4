"""Exports: the JSON contract field by field, the ACLED CSV, and RFC 7946 GeoJSON."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from test_merge import KHAN_YOUNIS, NABLUS, article, ingest, make_report, raid_articles

from sitrep.dataset.countries import acled_data
from sitrep.dataset.formats import acled_csv, export_document, geojson_document
from sitrep.dataset.query import IncidentQuery
from sitrep.dataset.read import Dataset
from sitrep.dataset.rows import IncidentRow
from sitrep.store import Store

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]


def export_json(store: Store, **filters: object) -> dict:
    return export_document(Dataset(store.conn), IncidentQuery.of(**filters))  # type: ignore[arg-type]


def load_events(store: Store, **filters: object) -> list[IncidentRow]:
    return Dataset(store.conn).rows(IncidentQuery.of(**filters), "full")  # type: ignore[arg-type]


@pytest.fixture()
def store(tmp_path: Path):
    """The four-outlet Jenin raid, a Nablus clash with a named victim, a Khan Younis strike, a tally."""
    with Store(tmp_path / "x.db") as s:
        for art, reports in raid_articles():
            ingest(s, art, reports)
        t = "Israeli forces shot dead Yusuf Amer, 19, during clashes in Nablus on Thursday, medics said."
        ingest(s, article("b1", "Wire One", "2024-04-04", t),
               [make_report("b1", t, day="2024-04-04", place=NABLUS, killed=(1, 1), victims=("Yusuf Amer",),
                            claimant="medics")])
        t2 = "A drone strike hit a car in Khan Younis on Friday; no casualties were reported."
        ingest(s, article("c1", "City Daily", "2024-05-03", t2),
               [make_report("c1", t2, day="2024-05-03", place=KHAN_YOUNIS,
                            event_type="Explosions/Remote violence", actors=())])
        tally_text = "Some 120 Palestinians have been killed in the West Bank since January, the UN says."
        with s.transaction():
            s.conn.execute("UPDATE articles SET text = ? WHERE id = 'b1'", (t + " " + tally_text,))
            s.conn.execute(
                "INSERT INTO tallies (article_id, outcome, count, qualifier, victims, area, period_start,"
                " as_of, claimant, ev_start, ev_end, ev_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                ("b1", "killed", 120, "about", "Palestinians", "West Bank", "2024-01-01", "2024-04-04", "UN",
                 len(t) + 1, len(t) + 1 + len(tally_text), tally_text))
        yield s


def test_json_export_matches_the_contract(store: Store) -> None:
    data = export_json(store)
    assert set(data) >= {"articles", "events", "tallies", "victims"}
    assert {a["id"] for a in data["articles"]} == {"a1", "a2", "a3", "a4", "b1", "c1"}
    for a in data["articles"]:
        assert set(a) >= {"id", "outlet", "published", "title"}
    assert len(data["events"]) == 3
    for e in data["events"]:
        assert set(e) >= {"id", "date", "date_end", "date_precision", "event_type", "sub_event_type",
                          "location", "actors", "fatalities", "injuries", "sources", "per_source", "claims"}
        assert set(e["location"]) >= {"name", "admin1", "country", "lat", "lon", "geo_precision"}
        assert isinstance(e["actors"], list) and isinstance(e["sources"], list)
        for fig in ("fatalities", "injuries"):
            assert e[fig] is None or set(e[fig]) == {"best", "low", "high"}
        for src in e["per_source"]:
            assert src["article"] in e["sources"]
            for fig in ("fatalities", "injuries"):
                assert src[fig] is None or set(src[fig]) == {"low", "high"}
        for c in e["claims"]:
            assert set(c) >= {"article", "outcome", "count", "qualifier", "victims", "claimant", "evidence"}
            assert set(c["evidence"]) == {"start", "end", "text"}

    raid = next(e for e in data["events"] if len(e["sources"]) == 4)
    assert raid["sources"] == ["a1", "a2", "a3", "a4"]
    assert raid["fatalities"] == {"best": 9, "low": 4, "high": 9}
    assert raid["injuries"] == {"best": 20, "low": 20, "high": 20}
    assert raid["date"] == "2024-03-12" and raid["date_precision"] == "day"
    assert raid["location"]["name"] == "Jenin refugee camp" and raid["location"]["country"] == "PSE"
    assert [p["fatalities"] for p in raid["per_source"]] == [
        {"low": 4, "high": 4}, {"low": 5, "high": 5}, {"low": 6, "high": 6}, {"low": 9, "high": 9}]
    assert raid["per_source"][0]["injuries"] is None
    assert raid["disputed"] is True and len(raid["merge_reasons"]) == 3
    assert "Sources disagree on fatalities" in raid["notes"]
    # evidence is the exact slice of the article's cleaned text
    texts = {a.id: a.text for a in store.articles()}
    for c in raid["claims"]:
        ev = c["evidence"]
        assert texts[c["article"]][ev["start"]:ev["end"]] == ev["text"]

    strike = next(e for e in data["events"] if e["sources"] == ["c1"])
    assert strike["fatalities"] is None and strike["per_source"][0]["fatalities"] is None

    [tally] = data["tallies"]
    keys = ("article", "outcome", "count", "qualifier", "victims", "area", "period_start", "as_of",
            "claimant")
    assert {k: tally[k] for k in keys} == {
        "article": "b1", "outcome": "killed", "count": 120, "qualifier": "about", "victims": "Palestinians",
        "area": "West Bank", "period_start": "2024-01-01", "as_of": "2024-04-04", "claimant": "UN"}
    assert texts["b1"][tally["evidence"]["start"]:tally["evidence"]["end"]] == tally["evidence"]["text"]

    [victim] = data["victims"]
    nablus = next(e for e in data["events"] if e["sources"] == ["b1"])
    assert {k: victim[k] for k in ("article", "event", "name", "age", "outcome")} == {
        "article": "b1", "event": nablus["id"], "name": "Yusuf Amer", "age": None, "outcome": "killed"}
    json.dumps(data)  # serialisable


def test_json_export_is_readable_by_the_scorer(store: Store) -> None:
    """The shared scorer runs on the export without errors (it is standard library only)."""
    scorer = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip("shared/eval is not beside the repository")
    import importlib.util

    spec = importlib.util.spec_from_file_location("score", scorer)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.score(scorer.parent / "gold", export_json(store))
    assert result["false_merges"] == 0


def test_filters(store: Store) -> None:
    assert len(load_events(store, since="2024-04-01")) == 2
    assert len(load_events(store, until="2024-03-31")) == 1
    assert len(load_events(store, countries=["palestine"])) == 3
    assert load_events(store, countries=["UKR"]) == []
    assert [e.place.name for e in load_events(store, event_types=["explosions"]) if e.place] == ["Khan Younis"]
    assert len(load_events(store, actor="militants")) == 2
    assert [e.fatalities.best for e in load_events(store, min_killed=2) if e.fatalities] == [9]
    assert len(load_events(store, disputed=True)) == 1
    assert len(load_events(store, limit=1)) == 1
    assert [e.place.name for e in load_events(store, admin1="khan younis") if e.place] == ["Khan Younis"]
    filtered = export_json(store, min_killed=2)
    assert {a["id"] for a in filtered["articles"]} == {"a1", "a2", "a3", "a4", "b1"}  # b1 holds the tally
    assert filtered["victims"] == []


def _acled_rows(store: Store) -> tuple[list[str], list[dict[str, str]], str]:
    text = acled_csv(load_events(store))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows, text


def test_acled_csv_columns_and_values(store: Store) -> None:
    header, rows, _ = _acled_rows(store)
    assert header == ACLED_COLUMNS == acled_data()["columns"]
    assert len(rows) == len(load_events(store)) == 3
    raid = next(r for r in rows if r["location"] == "Jenin refugee camp")
    assert raid["event_id_cnty"].startswith("PSE") and raid["event_id_cnty"][3:].isdigit()
    assert raid["event_date"] == "2024-03-12" and raid["year"] == "2024" and raid["time_precision"] == "1"
    assert raid["fatalities"] == "9"  # the best figure (low and high are in our own formats)
    assert "Israeli military 4" in raid["notes"] and "Palestinian health ministry 9" in raid["notes"]
    assert raid["iso"] == "275" and raid["country"] == "Palestine" and raid["region"] == "Middle East"
    assert raid["disorder_type"] == "Political violence"
    assert raid["actor1"] == "Military Forces of Israel" and raid["actor2"] == "Palestinian militants"
    assert (raid["inter1"], raid["inter2"], raid["interaction"]) == ("1", "2", "12")
    assert raid["source"] == "Wire One; City Daily; Monthly Review; Gulf Wire"
    strike = next(r for r in rows if r["location"] == "Khan Younis")
    assert strike["fatalities"] == "0" and strike["notes"]
    # ids are stable across exports
    assert [r["event_id_cnty"] for r in _acled_rows(store)[1]] == [r["event_id_cnty"] for r in rows]


def test_acled_csv_reads_with_pandas(store: Store) -> None:
    pd = pytest.importorskip("pandas")
    _, _, text = _acled_rows(store)
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns) == ACLED_COLUMNS
    assert len(frame) == 3
    assert sorted(frame["fatalities"].tolist()) == [0, 1, 9]


def validate_geojson(doc: dict) -> list[str]:
    """The RFC 7946 rules this export must follow; returns the problems found."""
    problems = []
    if doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return ["not a FeatureCollection with a features list"]
    for n, f in enumerate(doc["features"]):
        if f.get("type") != "Feature":
            problems.append(f"feature {n}: type is not Feature")
        geometry = f.get("geometry") or {}
        coords = geometry.get("coordinates")
        if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) != 2:
            problems.append(f"feature {n}: geometry is not a Point with two positions")
            continue
        lon, lat = coords
        if not all(isinstance(x, int | float) and math.isfinite(x) for x in coords):
            problems.append(f"feature {n}: coordinates are not numbers")
        elif not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"feature {n}: coordinates out of lon/lat range")
        if not isinstance(f.get("properties"), dict):
            problems.append(f"feature {n}: properties is not an object")
    return problems


def test_geojson_follows_rfc7946(store: Store) -> None:
    doc = geojson_document(load_events(store))
    assert validate_geojson(doc) == []
    assert validate_geojson(json.loads(json.dumps(doc))) == []
    assert len(doc["features"]) == 3
    raid = next(f for f in doc["features"] if f["properties"]["n_sources"] == 4)
    lon, lat = raid["geometry"]["coordinates"]
    assert (lon, lat) == (35.2892, 32.4614)  # [lon, lat], not [lat, lon]
    props = raid["properties"]
    assert (props["fatalities_best"], props["fatalities_low"], props["fatalities_high"]) == (9, 4, 9)
    assert props["disputed"] is True and props["location"] == "Jenin refugee camp"


def test_geojson_validator_catches_swapped_or_bad_points() -> None:
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [32.0, 200.0]}, "properties": {}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.0]}, "properties": {}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.0, 2.0]}, "properties": None},
    ]}
    assert len(validate_geojson(bad)) == 3
