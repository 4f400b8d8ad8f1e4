"""Read a GeoNames dump or a CSV of places for the user gazetteer (``sitrep gazetteer import``).

Two formats, detected from the first line (or chosen):

- **GeoNames** dumps (``allCountries.txt``, ``XX.txt``, also inside their ``.zip`` or gzipped): 19
  tab-separated fields, no header. Only the feature classes and codes listed in
  ``data/gazetteer_import.json`` are kept (populated places, districts, camps...). Admin1/admin2 *codes*
  are turned into names from the dump's own ADM1/ADM2 rows (a first, cheap pass over the file), or from
  GeoNames' ``admin1CodesASCII.txt``/``admin2Codes.txt`` given with ``--admin-codes``; a code with no
  name is kept as the code.
- **CSV** with a header: ``name, lat, lon, admin1, country`` (country as ISO2, ISO3 or a name) and
  optionally ``admin2, alternatenames, population, kind`` (header spellings in the data file).

Files are streamed line by line: memory stays bounded (the admin names of the first pass) whatever
the size. Bad lines (coordinates out of range, unknown country, missing name, wrong field count) are
reported with their line number and skipped; the import goes on.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, cast

from .extract.gazetteer import (
    DATA_DIR,
    country_tables,
    is_plain_latin,
    load_country_config,
    normalise,
)
from .extract.user_gazetteer import SourceInfo, UserPlace, clean_label, remove_sources, save_source

SETTINGS_FILE = DATA_DIR / "gazetteer_import.json"
MAX_PROBLEMS_KEPT = 200  # problems listed line by line; the rest are only counted
MAX_CSV_KEYS = 500_000  # CSV rows remembered to skip duplicates (bounds memory on huge CSVs)
GEONAMES_FIELDS = 19
Progress = Callable[[int], None]  # bytes read so far
PhaseProgress = Callable[[str, int, int | None], None]  # (phase, bytes read, total bytes or None)

#: ``normalise`` without its cache: millions of village names must not crowd out the extraction's names
_fold: Callable[[str], str] = normalise.__wrapped__


class GazetteerImportError(ValueError):
    """The file cannot be imported at all (unreadable, empty, no usable header, no usable line)."""

    def __init__(self, message: str, report: ImportReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class ImportReport:
    """What an import read, kept and skipped."""

    label: str
    path: str
    format: str = ""
    lines: int = 0
    imported: int = 0
    not_kept: int = 0  # GeoNames features of a class or code not imported; rows of another --country
    duplicates: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    problem_count: int = 0
    countries: dict[str, int] = field(default_factory=dict)
    info: SourceInfo | None = None

    def problem(self, line: int, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append((line, reason))


class RowProblem(ValueError):
    """One input line that cannot be used (the message says why)."""


@cache
def settings() -> dict[str, Any]:
    return dict(json.loads(SETTINGS_FILE.read_text(encoding="utf-8")))


@cache
def _country_codes() -> dict[str, str]:
    """ISO2, ISO3 and normalised country names (and aliases) -> ISO3."""
    countries, _ = country_tables(load_country_config())
    codes: dict[str, str] = {}
    for iso2, row in countries.items():
        codes[iso2.upper()] = row["iso3"]
        codes[row["iso3"].upper()] = row["iso3"]
        for name in [row.get("name"), *row.get("aliases", [])]:
            if name:
                codes[normalise(name)] = row["iso3"]
    return codes


def country_iso3(value: str) -> str:
    """ISO3 for an ISO2/ISO3 code or a country name; RowProblem when unknown."""
    value = value.strip()
    found = _country_codes().get(value.upper()) if len(value) in (2, 3) else None
    found = found or _country_codes().get(normalise(value))
    if not found:
        raise RowProblem(f"unknown country {value!r} (use an ISO2/ISO3 code or an English name)")
    return found


def coordinates(lat: str, lon: str) -> tuple[float, float]:
    try:
        y, x = float(lat), float(lon)
    except ValueError as exc:
        raise RowProblem(f"latitude/longitude {lat!r}, {lon!r} are not numbers") from exc
    if not -90.0 <= y <= 90.0:
        raise RowProblem(f"latitude {y} is outside -90..90")
    if not -180.0 <= x <= 180.0:
        raise RowProblem(f"longitude {x} is outside -180..180")
    return y, x


def _aliases(name: str, candidates: list[str]) -> tuple[str, ...]:
    """Plain Latin spellings other than ``name``, at most ``max_aliases``."""
    seen = {_fold(name)}
    kept: list[str] = []
    for alias in candidates:
        alias = alias.strip()
        key = _fold(alias)
        if key in seen or not alias[:1].isupper() or not is_plain_latin(alias):
            continue
        seen.add(key)
        kept.append(alias)
        if len(kept) >= settings()["max_aliases"]:
            break
    return tuple(kept)


@cache
def _district_suffix() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in settings()["district_suffixes"])
    return re.compile(rf"\s+(?:{words})$", re.IGNORECASE)


def _district_aliases(name: str, kind: str) -> list[str]:
    """A district is also named without its suffix and with "District": "Igabi LGA" -> Igabi, Igabi District."""
    if kind != "district":
        return []
    bare = _district_suffix().sub("", name)
    return [bare, f"{bare} District"]


# -- opening files -----------------------------------------------------------------------------------
READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error)


@contextmanager
def open_lines(path: Path) -> Iterator[tuple[IO[bytes], int | None]]:
    """The file as a binary stream (a .gz decompressed; a .zip's data member) and its size if known.

    Only opening is guarded here (errors of the caller's own work, such as writing, pass through);
    reading errors are turned into messages by :func:`_decoded`."""
    with ExitStack() as stack:
        try:
            fh, size = _open(path, stack)
        except READ_ERRORS as exc:
            raise GazetteerImportError(f"cannot read {path}: {exc}") from exc
        yield fh, size


def _open(path: Path, stack: ExitStack) -> tuple[IO[bytes], int | None]:
    if path.suffix.lower() == ".zip":
        archive = stack.enter_context(zipfile.ZipFile(path))
        member = _zip_member(archive)
        return stack.enter_context(archive.open(member)), member.file_size
    if path.suffix.lower() == ".gz":
        return cast(IO[bytes], stack.enter_context(gzip.open(path, "rb"))), None
    return stack.enter_context(path.open("rb")), path.stat().st_size


def _zip_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    members = [m for m in archive.infolist() if not m.is_dir() and "readme" not in m.filename.lower()]
    if not members:
        raise GazetteerImportError("the zip archive holds no data file")
    return max(members, key=lambda m: m.file_size)


def _decoded(fh: IO[bytes], progress: Progress | None) -> Iterator[str]:
    """Lines as text (bad bytes replaced), reporting bytes read every 1 MB."""
    done = reported = 0
    try:
        for raw in fh:
            done += len(raw)
            if progress is not None and done - reported >= 1 << 20:
                progress(done)
                reported = done
            yield raw.decode("utf-8", errors="replace").rstrip("\r\n")
    except READ_ERRORS as exc:
        raise GazetteerImportError(f"the file is damaged or cut short after {done} bytes: {exc}") from exc
    if progress is not None:
        progress(done)


def detect_format(path: Path) -> str:
    """``geonames`` or ``csv``, from the first non-empty line."""
    with open_lines(path) as (fh, _):
        for line in _decoded(fh, None):
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) >= 15 and fields[0].strip().isdigit():
                return "geonames"
            return "csv"
    raise GazetteerImportError(f"{path} is empty")


# -- GeoNames ------------------------------------------------------------------------------------------
def admin_names(path: Path, extra_files: list[Path], progress: Progress | None = None) -> dict[str, str]:
    """Admin codes -> names: ``NG.23`` (admin1) and ``NG.23.xyz`` (admin2), from the dump's own ADM1 and
    ADM2 rows, then GeoNames' code files (admin1CodesASCII.txt, admin2Codes.txt) where given."""
    names: dict[str, str] = {}
    for extra in extra_files:
        with open_lines(extra) as (fh, _):
            for line in _decoded(fh, None):
                fields = line.split("\t")
                if len(fields) >= 2 and "." in fields[0]:
                    names.setdefault(fields[0], fields[1])
    with open_lines(path) as (fh, _):
        for line in _decoded(fh, progress):
            fields = line.split("\t")
            if len(fields) < 12 or fields[6] != "A" or fields[7] not in ("ADM1", "ADM2"):
                continue
            code = f"{fields[8]}.{fields[10]}" + (f".{fields[11]}" if fields[7] == "ADM2" else "")
            names[code] = fields[1]
    return names


def _feature(fclass: str, fcode: str) -> tuple[str, int] | None:
    """(kind, geo_precision) for a kept GeoNames feature, else None."""
    codes = settings()["geonames_features"].get(fclass)
    if codes is None:
        return None
    chosen = codes.get(fcode, codes.get("*"))
    return (str(chosen[0]), int(chosen[1])) if chosen else None


def geonames_place(fields: list[str], admin: dict[str, str]) -> UserPlace | None:
    """One GeoNames line as a place (None for a feature that is not kept)."""
    if len(fields) < 15:
        raise RowProblem(f"expected {GEONAMES_FIELDS} tab-separated fields, found {len(fields)}")
    feature = _feature(fields[6], fields[7])
    if feature is None:
        return None
    name = fields[1].strip()
    if not name:
        raise RowProblem("no name")
    lat, lon = coordinates(fields[4], fields[5])
    iso2, a1, a2 = fields[8].strip(), fields[10].strip(), fields[11].strip()
    if not iso2:
        raise RowProblem("no country code")
    country = country_iso3(iso2)
    kind, precision = feature
    candidates = [fields[2], *fields[3].split(","), *_district_aliases(name, kind)]
    population = int(fields[14]) if fields[14].strip().isdigit() and kind != "district" else 0
    return UserPlace(
        name=name, lat=lat, lon=lon, country=country,
        admin1=admin.get(f"{iso2}.{a1}", a1) if a1 and a1 != "00" else None,
        admin2=admin.get(f"{iso2}.{a1}.{a2}", a2) if a2 else None,
        population=population, kind=kind, geo_precision=precision, aliases=_aliases(name, candidates),
        source_id=fields[0].strip(),
    )


def read_geonames(lines: Iterator[str], admin: dict[str, str], report: ImportReport,
                  country: str | None = None) -> Iterator[UserPlace]:
    """Places of a GeoNames dump; with ``country`` (ISO3) only that country's."""
    for number, line in enumerate(lines, start=1):
        report.lines = number
        if not line.strip():
            continue
        try:
            place = geonames_place(line.split("\t"), admin)
        except RowProblem as exc:
            report.problem(number, str(exc))
            continue
        if place is None or (country and place.country != country):
            report.not_kept += 1
            continue
        yield place


# -- CSV -------------------------------------------------------------------------------------------------
def _column_map(header: list[str], *, need_country: bool = True) -> dict[str, int]:
    """Field -> column index, from the header's spellings (data file ``csv_columns``)."""
    lowered = [h.strip().lower().lstrip("\ufeff") for h in header]
    found: dict[str, int] = {}
    for field_name, spellings in settings()["csv_columns"].items():
        for spelling in spellings:
            if spelling in lowered:
                found[field_name] = lowered.index(spelling)
                break
    missing = [f for f in ("name", "lat", "lon", "country") if f not in found and (need_country or f != "country")]
    if missing:
        raise GazetteerImportError(
            f"the CSV header has no {', '.join(missing)} column (found: {', '.join(header)}); expected name, lat, "
            "lon, admin1, country (or give the country with --country)")
    return found


def csv_place(row: list[str], columns: dict[str, int], line: int, country: str | None = None) -> UserPlace:
    """One CSV row as a place; ``country`` (ISO3) for rows with no country of their own."""
    def get(name: str) -> str:
        i = columns.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    if len(row) <= max(columns[f] for f in ("name", "lat", "lon")):
        raise RowProblem(f"only {len(row)} fields")
    name = get("name")
    if not name:
        raise RowProblem("no name")
    lat, lon = coordinates(get("lat"), get("lon"))
    kind = get("kind").lower() or "populated place"
    population = get("population").replace(",", "")
    aliases = get("alternatenames").replace("|", ",").split(",")
    return UserPlace(
        name=name, lat=lat, lon=lon, country=country_iso3(get("country")) if get("country") or not country else country,
        admin1=get("admin1") or None,
        admin2=get("admin2") or None, population=int(population) if population.isdigit() else 0, kind=kind,
        geo_precision=int(settings()["csv_kinds"].get(kind, 1)),
        aliases=_aliases(name, [*aliases, *_district_aliases(name, kind)]), source_id=f"line {line}",
    )


def read_csv(lines: Iterator[str], report: ImportReport, country: str | None = None) -> Iterator[UserPlace]:
    """Places of a CSV; with ``country`` (ISO3) only that country's, rows without a country taken as it."""
    first = next(lines, "")
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(lines, delimiter=delimiter)
    columns = _column_map(next(csv.reader([first], delimiter=delimiter), []), need_country=country is None)
    seen: set[tuple[str, str, float, float]] = set()
    for row in reader:
        number = reader.line_num + 1  # the header is line 1
        report.lines = number
        if not any(cell.strip() for cell in row):
            continue
        try:
            place = csv_place(row, columns, number, country)
        except RowProblem as exc:
            report.problem(number, str(exc))
            continue
        if country and place.country != country:
            report.not_kept += 1
            continue
        key = (_fold(place.name), place.country, round(place.lat, 3), round(place.lon, 3))
        if key in seen:
            report.duplicates += 1
            continue
        if len(seen) < MAX_CSV_KEYS:
            seen.add(key)
        yield place


# -- the import ---------------------------------------------------------------------------------------
def import_file(path: Path, *, label: str | None = None, fmt: str = "auto", admin_files: list[Path] | None = None,
                country: str | None = None, progress: PhaseProgress | None = None) -> ImportReport:
    """Import ``path`` as user gazetteer source ``label`` (default: the file name without extension).

    Replaces an earlier import of the same label, so importing a file again changes nothing.
    ``country`` (ISO3): only that country's places (a CSV's rows without a country are taken as it).
    ``progress(phase, bytes_read, total_or_None)`` is called as the file is read.
    """
    if not path.is_file():
        raise GazetteerImportError(f"no such file: {path}")
    fmt = detect_format(path) if fmt == "auto" else fmt
    report = ImportReport(label=clean_label(label or path.name.split(".")[0]), path=str(path.resolve()), format=fmt)
    with open_lines(path) as (_, total):
        pass

    def phase(name: str) -> Progress | None:
        return None if progress is None else (lambda done: progress(name, done, total))

    admin = admin_names(path, admin_files or [], phase("admin names")) if fmt == "geonames" else {}
    with open_lines(path) as (fh, _):
        lines = _decoded(fh, phase("places"))
        places = read_geonames(lines, admin, report, country) if fmt == "geonames" else \
            read_csv(lines, report, country)
        report.info = save_source(report.label, places, path=report.path, fmt=fmt)
    if report.info.rows == 0:
        remove_sources([report.label])
        raise GazetteerImportError(f"no usable place in {path} ({report.problem_count} bad line(s)); nothing imported",
                                   report)
    report.imported = report.info.rows
    report.countries = report.info.countries
    return report
