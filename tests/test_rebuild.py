"""``sitrep rebuild`` and ``sitrep reextract``: stored work redone after a settings change, an upgrade or a
gazetteer import, ending as a fresh ingest would, and resumable after an interruption.

The databases are built from our own sample articles (samples/); the Nigerian story and its village
row are written for these tests.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from test_gazetteer_import import _reload, cache  # noqa: F401  (the temporary-cache fixture)

from sitrep import rebuild, settings
from sitrep.cli import cli
from sitrep.gazetteer_import import import_file
from sitrep.ingest import run_ingest
from sitrep.pipeline import Pipeline
from sitrep.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
#: Ukrainian and Sudanese stories with merges across outlets, and single-source incidents
SUBSET = ["a01_chuhuiv_strike_ap.txt", "a02_chuhuiv_toll_reuters.txt", "a03_chuhuiv_strike_meridian.html",
          "a04_ukraine_liveblog_ledger.html", "a06_abushouk_shelling_afp.txt", "a07_elfasher_market_horizon.html"]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def ingest(db: Path, pipeline: Pipeline, files: list[str] = SUBSET, *, extract: bool = True) -> None:
    """Ingest sample files with their outlets and dates from samples/manifest.jsonl."""
    lines = (SAMPLES / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    records = [r for line in lines if line.strip() and (r := json.loads(line))["path"] in files]
    manifest = db.with_suffix(".jsonl")
    manifest.write_text("".join(json.dumps({**r, "path": str(SAMPLES / r["path"])}) + "\n" for r in records),
                        encoding="utf-8")
    run_ingest([], manifest=str(manifest), allow_outside=True, db_path=db, progress=False,
               pipeline=pipeline if extract else Pipeline(extract=False))


def snapshot(db: Path) -> list[tuple[Any, ...]]:
    """What a user sees of the events: every column but the write time, and each event's members."""
    with Store(db) as store:
        rows = store.conn.execute(
            "SELECT e.*, (SELECT group_concat(id, ' ') FROM (SELECT id FROM reports r WHERE r.event_id = e.id "
            "ORDER BY id)) AS members FROM events e ORDER BY e.id").fetchall()
    return [tuple(row[k] for k in row.keys() if k != "updated_at") for row in rows]


def consistent(db: Path) -> None:
    """No event without a member, no member of a missing event, every English article's results present."""
    with Store(db) as store:
        c = store.conn
        assert c.execute("SELECT count(*) FROM events WHERE id NOT IN "
                         "(SELECT event_id FROM reports WHERE event_id IS NOT NULL)").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM reports WHERE event_id IS NOT NULL AND event_id NOT IN "
                         "(SELECT id FROM events)").fetchone()[0] == 0
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.fixture()
def strict_merging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """data/merge.json with a merge threshold no pair reaches (as a user editing the file would set it)."""
    raw = json.loads(resources.files("sitrep").joinpath("data/merge.json").read_text(encoding="utf-8"))
    raw["merge_threshold"] = 99.0
    text = json.dumps(raw)
    changed = SimpleNamespace(joinpath=lambda _name: SimpleNamespace(read_text=lambda encoding="utf-8": text))
    monkeypatch.setattr(settings, "resources", SimpleNamespace(files=lambda _package: changed))
    settings.load_settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.load_settings.cache_clear()


def test_rebuild_after_a_merge_settings_change_gives_what_a_fresh_ingest_gives(
        tmp_path: Path, pipeline: Pipeline, request: pytest.FixtureRequest) -> None:
    before = tmp_path / "before.db"
    ingest(before, pipeline)
    merged = snapshot(before)
    assert any(len(row[-1].split()) > 1 for row in merged)  # some incidents have several sources
    request.getfixturevalue("strict_merging")
    result = CliRunner().invoke(cli, ["rebuild", "--db", str(before), "-q"])
    assert result.exit_code == 0, result.output
    fresh = tmp_path / "fresh.db"
    ingest(fresh, pipeline)
    assert snapshot(before) == snapshot(fresh)
    assert all(len(row[-1].split()) == 1 for row in snapshot(fresh))  # nothing merges at that threshold
    assert f"{len(snapshot(fresh))} events (there were {len(merged)})" in result.output
    consistent(before)


def test_rebuild_and_reextract_without_a_change_change_nothing(tmp_path: Path, pipeline: Pipeline) -> None:
    db = tmp_path / "s.db"
    ingest(db, pipeline)
    expected = snapshot(db)
    with Store(db) as store:
        assert rebuild.rebuild(store) == len(expected)
    assert snapshot(db) == expected
    with Store(db) as store:
        rebuild.mark_pending(store, rebuild.select_articles(store, rebuild.Selection()))
        summary = rebuild.reextract(store, pipeline)
    assert len(summary.done) == len(SUBSET) and not summary.failed
    assert snapshot(db) == expected


def test_ingest_no_extract_then_reextract_pending_is_a_full_ingest(tmp_path: Path, pipeline: Pipeline) -> None:
    full, later = tmp_path / "full.db", tmp_path / "later.db"
    ingest(full, pipeline)
    ingest(later, pipeline, extract=False)
    assert snapshot(later) == []
    with Store(later) as store:
        assert len(rebuild.pending_articles(store)) == len(SUBSET)
        rebuild.reextract(store, pipeline, batch_size=4)
        assert rebuild.pending_articles(store) == []
    assert snapshot(later) == snapshot(full)


def test_an_interrupted_reextract_is_consistent_and_resumable(tmp_path: Path, pipeline: Pipeline,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.db"
    ingest(db, pipeline)
    expected = snapshot(db)
    calls = {"n": 0}
    real = rebuild.update_events

    def failing_second_batch(store: Store, report_ids: list[str]) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut while merging")
        real(store, report_ids)

    monkeypatch.setattr(rebuild, "update_events", failing_second_batch)
    with Store(db) as store:
        rebuild.mark_pending(store, rebuild.select_articles(store, rebuild.Selection()))
        with pytest.raises(RuntimeError, match="power cut"):
            rebuild.reextract(store, pipeline, batch_size=2)
        waiting = rebuild.pending_articles(store)
    assert waiting == sorted(a.removesuffix(".txt").removesuffix(".html") for a in SUBSET)[2:]  # batch 1 kept
    consistent(db)
    assert snapshot(db) == expected  # the old results stand until replaced
    monkeypatch.setattr(rebuild, "update_events", real)
    result = CliRunner().invoke(cli, ["reextract", "--pending", "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert "4 article(s) re-extracted" in result.output
    with Store(db) as store:
        assert rebuild.pending_articles(store) == []
    assert snapshot(db) == expected
    consistent(db)


NIGERIA_STORY = (
    "Gunmen kill five farmers in northwest Nigeria\n\n"
    "KADUNA, Nigeria, April 9 - Gunmen on motorcycles killed five farmers in the village of Rafin Zurfi in "
    "Kaduna State on Monday and set fire to a grain store, a police spokesman said on Tuesday.\n\n"
    "Residents said the attackers came from the forest west of the village.\n"
)


def _place(db: Path) -> tuple[Any, ...]:
    with Store(db) as store:
        row = store.conn.execute("SELECT location_name, geo_precision, lat, lon FROM events").fetchone()
    return tuple(row)


def test_reextract_after_a_gazetteer_import_updates_the_places(cache: Path, tmp_path: Path,  # noqa: F811
                                                               pipeline: Pipeline) -> None:
    story = tmp_path / "ng_rafin_zurfi_wire.txt"
    story.write_text(NIGERIA_STORY, encoding="utf-8")
    db = tmp_path / "ng.db"
    run_ingest([str(story)], db_path=db, progress=False, pipeline=pipeline)
    name, precision, lat, _ = _place(db)
    assert name == "Rafin Zurfi" and precision == 2 and abs(lat - 10.721) > 0.05  # placed at its state
    villages = tmp_path / "villages.csv"
    villages.write_text("name,lat,lon,admin1,country\nRafin Zurfi,10.7210,7.2810,Kaduna State,NGA\n", encoding="utf-8")
    import_file(villages)
    _reload()
    result = CliRunner().invoke(cli, ["reextract", "--country", "Nigeria", "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    name, precision, lat, lon = _place(db)
    assert (name, precision) == ("Rafin Zurfi", 1)
    assert abs(lat - 10.721) < 1e-3 and abs(lon - 7.281) < 1e-3
    consistent(db)


def test_reextract_filters_choose_the_articles(tmp_path: Path, pipeline: Pipeline) -> None:
    db = tmp_path / "s.db"
    ingest(db, pipeline)
    with Store(db) as store:
        by_country = rebuild.select_articles(store, rebuild.Selection(country="SDN"))
        by_id = rebuild.select_articles(store, rebuild.Selection(article_ids=("a01_chuhuiv_strike_ap",)))
        by_outlet = rebuild.select_articles(store, rebuild.Selection(outlet="reuters"))
        late = rebuild.select_articles(store, rebuild.Selection(since="2024-05-17"))
        published = dict(store.conn.execute("SELECT id, published FROM articles").fetchall())
    assert by_country == ["a06_abushouk_shelling_afp", "a07_elfasher_market_horizon"]
    assert by_id == ["a01_chuhuiv_strike_ap"]
    assert by_outlet == ["a02_chuhuiv_toll_reuters"]
    assert late == sorted(aid for aid, day in published.items() if day and day >= "2024-05-17")
    assert "a01_chuhuiv_strike_ap" not in late and "a06_abushouk_shelling_afp" in late
    result = CliRunner().invoke(cli, ["reextract", "--article", "nope", "--db", str(db), "-q"])
    assert result.exit_code == 1 and "no English article nope" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles WHERE extracted_at IS NULL").fetchone()[0] == 0
