"""``sitrep gazetteer import``: GeoNames dumps and CSVs into the user gazetteer, and their use in extraction.

The GeoNames rows and CSV rows below are written for these tests (village names invented or real,
ids and figures invented). Every test works in a temporary cache folder: the user's ~/.cache is
only read (to copy the built index, so the tests need not rebuild it).
"""

from __future__ import annotations

import gzip
import os
import shutil
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.commands.gazetteer import gazetteer as gazetteer_cli
from sitrep.extract import extract_article, places
from sitrep.extract import user_gazetteer as ug
from sitrep.extract.gazetteer import Gazetteer, cache_path
from sitrep.gazetteer_import import GazetteerImportError, detect_format, import_file
from sitrep.records import Article
from sitrep.scale import ProcessExecutor, check_worker_gazetteers

# geonameid, name, asciiname, alternatenames, lat, lon, class, code, cc, cc2, admin1, admin2, admin3, admin4,
# population, elevation, dem, timezone, modification date
GEONAMES_ROWS = [
    ("9900001", "Tudun Gwandara", "Tudun Gwandara", "Gwandara,Tudun-Gwandara", "10.65120", "7.31400", "P", "PPL",
     "NG", "", "23", "020", "", "", "1200", "", "610", "Africa/Lagos", "2024-01-10"),
    ("9900002", "Kaduna State", "Kaduna State", "Kaduna", "10.33333", "7.75000", "A", "ADM1", "NG", "", "23", "",
     "", "", "6113503", "", "600", "Africa/Lagos", "2024-01-10"),
    ("9900003", "Igabi", "Igabi", "", "10.80000", "7.55000", "A", "ADM2", "NG", "", "23", "020", "", "",
     "430229", "", "620", "Africa/Lagos", "2024-01-10"),
    ("9900004", "Gurara River", "Gurara River", "", "9.50000", "7.20000", "H", "STM", "NG", "", "23", "", "", "",
     "0", "", "500", "Africa/Lagos", "2024-01-10"),
    ("9900005", "Kwanar Maje", "Kwanar Maje", "", "95.00000", "7.20000", "P", "PPL", "NG", "", "23", "", "", "",
     "0", "", "500", "Africa/Lagos", "2024-01-10"),
    ("9900006", "Rugan Bawa", "Rugan Bawa", "", "9.00000", "7.20000", "P", "PPL", "ZZ", "", "23", "", "", "",
     "0", "", "500", "Africa/Lagos", "2024-01-10"),
    ("9900007", "Anguwan Rimi Sabuwa", "Anguwan Rimi Sabuwa", "", "10.71000", "7.40100", "P", "PPLX", "NG", "",
     "23", "020", "", "", "300", "", "612", "Africa/Lagos", "2024-01-10"),
    ("9900008", "Minta", "Minta", "", "9.61000", "8.93000", "P", "PPL", "NG", "", "49", "", "", "", "900", "",
     "1200", "Africa/Lagos", "2024-01-10"),
    ("9900009", "Plateau State", "Plateau State", "Plateau", "9.16667", "9.75000", "A", "ADM1", "NG", "", "49", "",
     "", "", "3206531", "", "1200", "Africa/Lagos", "2024-01-10"),
]
BROKEN_LINE = "this line is not GeoNames"

CSV_TEXT = """name,lat,lon,admin1,country,alternatenames,population,kind
Kanyaruchinya Camp,-1.5800,29.2600,North Kivu,COD,Kanyaruchinya,9000,camp
Bweremana,-1.6900,29.0300,North Kivu,CD,,4000,village
Ngoma Hill,-1.7000,29.1000,North Kivu,Atlantis,,,village
,-1.7000,29.1000,North Kivu,COD,,,village
Far Away,-123.0,29.1,North Kivu,COD,,,village
Bweremana,-1.6900,29.0300,North Kivu,Democratic Republic of the Congo,,4000,village
Sake Ridge,-1.5700,29.0400,North Kivu,Democratic Republic of the Congo,,,area
"""


def write_geonames(path: Path, rows: list[tuple[str, ...]] = GEONAMES_ROWS, broken: bool = True) -> Path:
    lines = ["\t".join(r) for r in rows] + ([BROKEN_LINE] if broken else [])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary cache folder holding a copy of the built index; the gazetteer reloaded around the test."""
    built = cache_path()
    folder = tmp_path / "cache"
    folder.mkdir()
    if built.exists():
        shutil.copy(built, folder / built.name)
    monkeypatch.setenv("SITREP_CACHE_DIR", str(folder))
    monkeypatch.delenv("SITREP_GAZETTEER", raising=False)
    _reload()
    yield folder
    monkeypatch.undo()
    _reload()


def _reload() -> None:
    Gazetteer.reset()
    places._focus_countries.cache_clear()
    places._scan_matches.cache_clear()


def test_detects_the_two_formats(tmp_path: Path) -> None:
    assert detect_format(write_geonames(tmp_path / "NG.txt")) == "geonames"
    (tmp_path / "v.csv").write_text(CSV_TEXT, encoding="utf-8")
    assert detect_format(tmp_path / "v.csv") == "csv"


def test_geonames_import_keeps_places_names_admin_codes_and_reports_bad_lines(cache: Path, tmp_path: Path) -> None:
    report = import_file(write_geonames(tmp_path / "NG.txt"))
    assert report.label == "NG" and report.format == "geonames"
    assert report.imported == 4  # 2 villages, a neighbourhood, a district; ADM1 and the river are not kept
    assert report.not_kept == 3
    assert report.countries == {"NGA": 4}
    assert [line for line, _ in report.problems] == [5, 6, 10]
    reasons = " | ".join(reason for _, reason in report.problems)
    assert "latitude 95.0" in reasons and "unknown country 'ZZ'" in reasons and "19 tab-separated" in reasons
    stored = {p.name: p for p in ug.iter_places()}
    village = stored["Tudun Gwandara"]
    assert (village.admin1, village.admin2, village.country) == ("Kaduna State", "Igabi", "NGA")
    assert "Gwandara" in village.aliases
    assert stored["Anguwan Rimi Sabuwa"].kind == "neighbourhood"
    assert (stored["Igabi"].kind, stored["Igabi"].geo_precision, stored["Igabi"].population) == ("district", 2, 0)
    assert (cache / "user-gazetteer" / "NG.csv.gz").exists()


def test_geonames_admin_code_without_a_name_is_kept_as_the_code(cache: Path, tmp_path: Path) -> None:
    rows = [r for r in GEONAMES_ROWS if r[7] not in ("ADM1", "ADM2")]
    import_file(write_geonames(tmp_path / "NG.txt", rows, broken=False))
    village = next(p for p in ug.iter_places() if p.name == "Tudun Gwandara")
    assert (village.admin1, village.admin2) == ("23", "020")
    codes = tmp_path / "admin1CodesASCII.txt"
    codes.write_text("NG.23\tKaduna\tKaduna\t2335722\n", encoding="utf-8")
    import_file(tmp_path / "NG.txt", admin_files=[codes])
    village = next(p for p in ug.iter_places() if p.name == "Tudun Gwandara")
    assert village.admin1 == "Kaduna"


def test_geonames_zip_and_gz_are_read_without_unpacking(cache: Path, tmp_path: Path) -> None:
    archive = tmp_path / "NG.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "GeoNames readme")
        z.writestr("NG.txt", (write_geonames(tmp_path / "x.txt")).read_text(encoding="utf-8"))
    report = import_file(archive)
    assert (report.label, report.imported) == ("NG", 4)
    packed = tmp_path / "NG.txt.gz"
    packed.write_bytes(gzip.compress((tmp_path / "x.txt").read_bytes()))
    assert import_file(packed).imported == 4
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(packed.read_bytes()[:-12])
    with pytest.raises(GazetteerImportError, match="damaged or cut short"):
        import_file(cut)
    assert list(ug.sources()) == ["NG"]  # the good import stays


def test_csv_import_reads_codes_and_names_and_reports_bad_rows(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "kivu villages.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    report = import_file(path, label="kivu villages")
    assert report.label == "kivu_villages"
    assert report.imported == 3 and report.countries == {"COD": 3}
    assert report.duplicates == 1
    assert [line for line, _ in report.problems] == [4, 5, 6]
    assert "Atlantis" in report.problems[0][1] and "no name" in report.problems[1][1]
    stored = {p.name: p for p in ug.iter_places()}
    assert stored["Kanyaruchinya Camp"].kind == "camp" and stored["Kanyaruchinya Camp"].population == 9000
    assert stored["Sake Ridge"].geo_precision == 3


def test_country_option_keeps_one_country_and_fills_missing_ones(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("name,lat,lon,admin1,country\n"
                    "Kalehe Centre,-2.1000,28.9000,South Kivu,\n"
                    "Minova Port,-1.7000,29.0100,South Kivu,COD\n"
                    "Gisenyi Lakeside,-1.7000,29.2600,Western,RWA\n", encoding="utf-8")
    report = import_file(path, country="COD")
    assert (report.imported, report.not_kept, report.problem_count) == (2, 1, 0)
    assert {p.name for p in ug.iter_places()} == {"Kalehe Centre", "Minova Port"}
    no_column = tmp_path / "kivu.csv"
    no_column.write_text("name,lat,lon,admin1\nKalehe Centre,-2.1000,28.9000,South Kivu\n", encoding="utf-8")
    assert import_file(no_column, country="COD").countries == {"COD": 1}
    with pytest.raises(GazetteerImportError, match="--country"):
        import_file(no_column)


def test_geonames_country_option_reads_one_country_of_a_world_dump(cache: Path, tmp_path: Path) -> None:
    somali = ("9900020", "Buulo Gaduud", "Buulo Gaduud", "", "0.45000", "42.45000", "P", "PPL", "SO", "", "13",
              "", "", "", "0", "", "30", "Africa/Mogadishu", "2024-01-10")
    path = write_geonames(tmp_path / "allCountries.txt", [*GEONAMES_ROWS, somali], broken=False)
    report = import_file(path, country="SOM")
    assert (report.imported, report.countries) == (1, {"SOM": 1})


def test_csv_without_required_columns_imports_nothing(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("town,latitude,longitude\nX,1,2\n", encoding="utf-8")
    with pytest.raises(GazetteerImportError, match="no name, country column"):
        import_file(path)
    assert ug.sources() == {}


def test_reimport_is_idempotent_and_remove_undoes_it(cache: Path, tmp_path: Path) -> None:
    path = write_geonames(tmp_path / "NG.txt")
    import_file(path)
    first = (ug.digest(), [p.name for p in ug.iter_places()])
    import_file(path)
    assert (ug.digest(), [p.name for p in ug.iter_places()]) == first
    assert list(ug.sources()) == ["NG"]
    assert ug.remove_sources(["NG"]) == ["NG"]
    assert ug.digest() == "" and list(ug.iter_places()) == []


def test_geonames_import_streams_in_bounded_memory(cache: Path, tmp_path: Path) -> None:
    template = list(GEONAMES_ROWS[0])
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(30_000):
            template[0], template[1], template[2] = str(8_000_000 + i), f"Kauyen Gona {i}", f"Kauyen Gona {i}"
            fh.write("\t".join(template) + "\n")
    tracemalloc.start()
    try:
        report = import_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.imported == 30_000
    assert peak < 4_000_000  # a few MB whatever the file's size: rows go straight to the stored file


def _article(text: str) -> Article:
    return Article(id="gz", text=text, raw=text, content_hash="gz", source="test", published="2024-03-05")


VILLAGE_STORY = (
    "Gunmen kill six in northwest Nigeria\n\n"
    "Gunmen killed six people and abducted several others overnight in the village of Tudun Gwandara in "
    "Kaduna State, police said on Tuesday.\n\n"
    "A police spokesman said officers had been deployed to the area."
)


def test_an_imported_village_is_where_the_article_places_the_attack(cache: Path, tmp_path: Path) -> None:
    before = extract_article(_article(VILLAGE_STORY)).reports
    # without the import the village keeps its name but only its state's place (unresolved, precision 3)
    assert not any(r.place and r.place.name == "Tudun Gwandara" and r.place.kind != "unresolved" for r in before)
    import_file(write_geonames(tmp_path / "NG.txt"))
    _reload()
    reports = extract_article(_article(VILLAGE_STORY)).reports
    place = reports[0].place
    assert place is not None and place.name == "Tudun Gwandara"
    assert (place.country, place.admin1, place.geo_precision) == ("NGA", "Kaduna State", 1)
    assert abs(place.lat - 10.6512) < 1e-3 and abs(place.lon - 7.314) < 1e-3
    assert list(cache.glob("gazetteer-*-user-*.pkl"))  # the joined index is cached for later runs and workers
    ug.remove_sources()
    _reload()
    assert extract_article(_article(VILLAGE_STORY)).reports[0].place != place
    assert not list(cache.glob("gazetteer-*-user-*.pkl"))  # removed with the imports


WIRE_STORY = (
    "Gunmen killed six villagers in Tudun Gwandara, a farming community in Kaduna State, Nigeria, police "
    "said on Tuesday. Several others were abducted."
)


def test_an_imported_village_survives_the_entity_labels(cache: Path, tmp_path: Path) -> None:
    """The small spaCy model calls unfamiliar village names people; an imported one of the story's country
    is still the place (with spaCy, as `sitrep ingest` runs)."""
    from sitrep.extract import Extractor

    import_file(write_geonames(tmp_path / "NG.txt"))
    _reload()
    [report] = Extractor().extract(_article(WIRE_STORY)).reports
    assert report.place is not None and (report.place.name, report.place.geo_precision) == ("Tudun Gwandara", 1)


NAMESAKE_STORY = (
    "Attackers killed four farmers in Minta, a village in Plateau State in central Nigeria, on Sunday, "
    "a local official said."
)


def test_an_imported_village_beats_a_namesake_in_another_country(cache: Path, tmp_path: Path) -> None:
    shipped = places.resolve_place("Minta", ["NGA"])
    assert shipped is not None and shipped.country != "NGA"  # only a Cameroonian Minta ships
    import_file(write_geonames(tmp_path / "NG.txt"))
    _reload()
    report = extract_article(_article(NAMESAKE_STORY)).reports[0]
    assert report.place is not None
    assert (report.place.name, report.place.country, report.place.admin1) == ("Minta", "NGA", "Plateau State")


def test_a_large_imported_town_is_found_under_a_transliteration(cache: Path, tmp_path: Path) -> None:
    town = ("9900030", "Gidan Tagwaye", "Gidan Tagwaye", "", "11.21000", "6.52000", "P", "PPL", "NG", "",
            "23", "", "", "", "40000", "", "700", "Africa/Lagos", "2024-01-10")
    import_file(write_geonames(tmp_path / "NG.txt", [*GEONAMES_ROWS, town], broken=False))
    _reload()
    variants = Gazetteer.load().lookup_spelling("gidan tagwaie")
    assert [e.name for e in variants] == ["Gidan Tagwaye"]


def test_a_shipped_town_imported_again_is_not_doubled(cache: Path, tmp_path: Path) -> None:
    kaduna = next(e for e in Gazetteer.load().lookup("Kaduna") if e.source == "geonames" and e.country == "NGA")
    row = ("9900010", "Kaduna", "Kaduna", "", f"{kaduna.lat + 0.01:.5f}", f"{kaduna.lon:.5f}", "P", "PPLA", "NG", "",
           "23", "", "", "", "1582102", "", "600", "Africa/Lagos", "2024-01-10")
    import_file(write_geonames(tmp_path / "NG.txt", [*GEONAMES_ROWS, row], broken=False))
    _reload()
    sources = [e.source for e in Gazetteer.load().lookup("Kaduna") if e.country == "NGA" and e.kind != "region"]
    assert sources == ["geonames"]


def test_worker_processes_use_the_imported_places(cache: Path, tmp_path: Path) -> None:
    import_file(write_geonames(tmp_path / "NG.txt"))
    _reload()
    places.resolve_place("Tudun Gwandara", ["NGA"])  # builds the joined cache the workers then read
    executor = ProcessExecutor(1)
    try:
        place = executor.submit(places.resolve_place, "Tudun Gwandara", ["NGA"]).result(timeout=120)
    finally:
        executor.close()
    assert place is not None and (place.name, place.admin1) == ("Tudun Gwandara", "Kaduna State")


class _FakeCluster:
    def __init__(self, digests: dict[str, str]) -> None:
        self.digests = digests

    def run(self, fn: object) -> dict[str, str]:
        return self.digests


def test_a_cluster_without_the_imports_is_refused(cache: Path, tmp_path: Path) -> None:
    import_file(write_geonames(tmp_path / "NG.txt"))
    check_worker_gazetteers(_FakeCluster({"tcp://a:1": ug.digest()}))
    with pytest.raises(RuntimeError, match="SITREP_GAZETTEER"):
        check_worker_gazetteers(_FakeCluster({"tcp://a:1": ug.digest(), "tcp://b:1": ""}))


# -- the command line ------------------------------------------------------------------------------
def test_cli_import_list_lookup_remove(cache: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    path = write_geonames(tmp_path / "NG.txt")
    result = runner.invoke(gazetteer_cli, ["import", str(path), "-q"])
    assert result.exit_code == 1, result.output  # imported, with bad lines
    assert "4 place(s) imported as NG" in result.output
    assert "line 5: latitude 95.0 is outside -90..90" in result.output
    assert "line 10:" in result.output
    listed = runner.invoke(gazetteer_cli, ["list"])
    assert listed.exit_code == 0 and "NG" in listed.output and "NGA 4" in listed.output
    found = runner.invoke(gazetteer_cli, ["lookup", "Gwandara", "--country", "NG"])
    assert "Tudun Gwandara" in found.output and "imported" in found.output
    assert runner.invoke(gazetteer_cli, ["remove", "XX"]).exit_code != 0
    removed = runner.invoke(gazetteer_cli, ["remove", "--all"])
    assert removed.exit_code == 0 and "removed 1 source(s): NG" in removed.output
    assert "No places imported" in runner.invoke(gazetteer_cli, ["list"]).output


def test_cli_import_of_an_unusable_file_says_what_to_do(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("town,latitude,longitude\nX,1,2\n", encoding="utf-8")
    result = CliRunner().invoke(gazetteer_cli, ["import", str(path)])
    assert result.exit_code == 1
    assert "no name, country column" in result.output and "--help" in result.output
    missing = CliRunner().invoke(gazetteer_cli, ["import", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    os.environ["SITREP_GAZETTEER"] = str(blocked)
    try:
        result = CliRunner().invoke(gazetteer_cli, ["import", str(write_geonames(tmp_path / "NG.txt"))])
    finally:
        del os.environ["SITREP_GAZETTEER"]
    assert result.exit_code == 1 and "Set SITREP_GAZETTEER to a writable folder" in result.output
    unknown = CliRunner().invoke(gazetteer_cli, ["import", str(path), "--country", "Atlantis"])
    assert unknown.exit_code == 2 and "unknown country 'Atlantis'" in unknown.output


@pytest.mark.parametrize(("written", "bare"), [
    ("Province du Yatenga", "Yatenga"), ("Province de la Kossi", "Kossi"), ("Territoire de Beni", "Beni"),
    ("Kabupaten Nduga", "Nduga"), ("Departamento de Cauca", "Cauca"), ("Kurram District", "Kurram"),
])
def test_admin2_names_lose_their_unit_words_in_several_languages(written: str, bare: str) -> None:
    from sitrep.extract.gazetteer import _bare_admin2

    assert _bare_admin2(written) == bare
