"""The user gazetteer: places a user imported (``sitrep gazetteer import``), kept beside the built index.

Each import is one *source* (a label such as ``NG`` or ``villages``) stored as a gzipped CSV of
normalised rows in the user gazetteer folder, with a manifest (``sources.json``) that records what
was imported, when, from where, how many rows per country and the rows' SHA-256. The folder is
``$SITREP_GAZETTEER`` if set, else ``user-gazetteer/`` in the sitrep cache folder (``SITREP_CACHE_DIR``,
default ``~/.cache/sitrep``). Worker processes read the same folder; remote Dask workers need the same
folder (a shared path in ``SITREP_GAZETTEER``) or the same imports.

:func:`digest` names the current set of sources; the gazetteer's cache key includes it, so an import
or a removal rebuilds the cached index once, and :func:`overlay` adds the rows to a built index.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST = "sources.json"
ROW_FIELDS = ("name", "aliases", "lat", "lon", "country", "admin1", "admin2", "population", "kind",
              "geo_precision", "source_id")
DUPLICATE_DEGREES = 0.05  # a shipped place of the same name and country this close is the same place
_LABEL_RE = re.compile(r"[^A-Za-z0-9_.\-]+")


@dataclass(frozen=True)
class UserPlace:
    """One imported place, as stored."""

    name: str
    lat: float
    lon: float
    country: str  # ISO3
    admin1: str | None = None
    admin2: str | None = None
    population: int = 0
    kind: str = "populated place"
    geo_precision: int = 1
    aliases: tuple[str, ...] = ()
    source_id: str = ""  # GeoNames id, or the input's line number


@dataclass
class SourceInfo:
    """What the manifest keeps about one import."""

    label: str
    file: str
    path: str
    format: str
    imported: str
    rows: int
    sha256: str
    countries: dict[str, int] = field(default_factory=dict)


def folder() -> Path:
    """The user gazetteer folder (``SITREP_GAZETTEER``, else ``<cache>/user-gazetteer``)."""
    override = os.environ.get("SITREP_GAZETTEER")
    if override:
        return Path(override).expanduser()
    from .gazetteer import cache_dir

    return cache_dir() / "user-gazetteer"


def clean_label(label: str) -> str:
    """A label usable as a file name: ``Nigeria villages.csv`` -> ``Nigeria_villages``."""
    cleaned = _LABEL_RE.sub("_", label).strip("._-")
    return cleaned[:64] or "places"


# -- manifest -------------------------------------------------------------------------------------
def sources() -> dict[str, SourceInfo]:
    """The imported sources by label (empty when nothing was imported)."""
    path = folder() / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {label: SourceInfo(**info) for label, info in raw.get("sources", {}).items()}


def digest() -> str:
    """A short hash of the imported sources' contents ("" when there are none)."""
    found = sources()
    if not found:
        return ""
    h = hashlib.sha256()
    for label in sorted(found):
        h.update(f"{label}\0{found[label].sha256}\n".encode())
    return h.hexdigest()[:12]


def _write_manifest(found: dict[str, SourceInfo]) -> None:
    payload = {"version": 1, "sources": {label: asdict(info) for label, info in sorted(found.items())}}
    _atomic_write(folder() / MANIFEST, json.dumps(payload, indent=1, ensure_ascii=False).encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# -- saving and removing --------------------------------------------------------------------------
def save_source(label: str, places: Iterable[UserPlace], *, path: str, fmt: str) -> SourceInfo:
    """Store ``places`` (streamed) as source ``label``, replacing an earlier import of that label."""
    label = clean_label(label)
    target = folder() / f"{label}.csv.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    h = hashlib.sha256()
    countries: Counter[str] = Counter()
    try:
        with gzip.GzipFile(tmp, "wb", mtime=0) as raw, io.TextIOWrapper(raw, "utf-8", newline="") as text:
            writer = csv.writer(text)
            writer.writerow(ROW_FIELDS)
            for place in places:
                row = _as_row(place)
                h.update("\t".join(row).encode("utf-8"))
                writer.writerow(row)
                countries[place.country] += 1
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    info = SourceInfo(label=label, file=target.name, path=path, format=fmt,
                      imported=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                      rows=sum(countries.values()), sha256=h.hexdigest(), countries=dict(countries.most_common()))
    found = sources()
    found[label] = info
    _write_manifest(found)
    return info


def remove_sources(labels: Iterable[str] | None = None) -> list[str]:
    """Remove the named sources (all when ``labels`` is None); returns the labels removed."""
    found = sources()
    chosen = list(found) if labels is None else [label for label in labels if label in found]
    for label in chosen:
        (folder() / found.pop(label).file).unlink(missing_ok=True)
    if chosen:
        _write_manifest(found)
    return chosen


def _as_row(p: UserPlace) -> list[str]:
    return [p.name, "|".join(p.aliases), f"{p.lat:.5f}", f"{p.lon:.5f}", p.country, p.admin1 or "", p.admin2 or "",
            str(p.population), p.kind, str(p.geo_precision), p.source_id]


# -- reading -----------------------------------------------------------------------------------------
def iter_places() -> Iterator[UserPlace]:
    """Every stored place of every source, source by source."""
    for info in sources().values():
        path = folder() / info.file
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield UserPlace(
                    name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]), country=row["country"],
                    admin1=row["admin1"] or None, admin2=row["admin2"] or None,
                    population=int(row["population"] or 0), kind=row["kind"],
                    geo_precision=int(row["geo_precision"] or 1),
                    aliases=tuple(a for a in row["aliases"].split("|") if a), source_id=row["source_id"],
                )


# -- joining the built index ---------------------------------------------------------------------
def overlay(entries: list[Any], index: dict[str, tuple[int, ...]], meta: dict[str, Any],
            config: dict[str, Any]) -> tuple[list[Any], dict[str, tuple[int, ...]], dict[str, Any]]:
    """The built index plus the user's places (source ``user``).

    A user place does not take a name key that the project's own additions hold for its country, nor
    one a shipped GeoNames place of its country holds within ``DUPLICATE_DEGREES`` (the same place
    imported again from a country dump); every other name key it adds beside the shipped candidates,
    so resolution scores it like any other candidate (admin context, focus country, population).
    """
    from .gazetteer import Entry, normalise, skeleton_index

    admin = _AdminRules(entries, meta, config)
    entries = list(entries)
    added: dict[str, list[int]] = {}
    for place in iter_places():
        country, admin1 = admin.apply(place)
        place = replace(place, country=country)
        keys = _free_keys(place, [place.name, *place.aliases], entries, index, normalise)
        if not keys:
            continue
        entries.append(Entry(place.name, place.lat, place.lon, country, admin1, place.admin2, place.population,
                             place.kind, place.geo_precision, None, "user"))
        for key in keys:
            added.setdefault(key, []).append(len(entries) - 1)
    merged = dict(index)
    for key, positions in added.items():
        merged[key] = (*index.get(key, ()), *positions)
    longest = max((len(k.split()) for k in added), default=0)
    meta = {**meta, "max_key_tokens": min(8, max(meta["max_key_tokens"], longest)),
            "skeletons": skeleton_index(merged, entries)}  # towns of 5,000+ also under spelling variants
    return entries, merged, meta


class _AdminRules:
    """The project's admin1 rules (``countries.json``) applied to user places as to shipped towns:
    renamed admin units, units that belong to another country, admin1 taken from the nearest seat."""

    def __init__(self, entries: list[Any], meta: dict[str, Any], config: dict[str, Any]) -> None:
        self.renames: dict[str, dict[str, str]] = config.get("admin1_names", {})
        iso2_to_iso3: dict[str, str] = meta.get("iso2_to_iso3", {})
        self.moves = {iso2_to_iso3.get(iso2, iso2): units
                      for iso2, units in config.get("admin1_country_override", {}).items()}
        nearest = set(config.get("admin1_by_nearest_seat", []))
        self.seats: dict[str, list[Any]] = {}
        for e in entries:
            if e.country in nearest and e.source == "extra" and e.kind == "city" and e.admin1:
                self.seats.setdefault(e.country, []).append(e)

    def apply(self, place: UserPlace) -> tuple[str, str | None]:
        """(country, admin1) for a user place."""
        from .gazetteer import nearest_admin1

        country = self.moves.get(place.country, {}).get(place.admin1 or "", place.country)
        if self.seats.get(country):
            return country, nearest_admin1(place.lat, place.lon, self.seats[country])
        return country, self.renames.get(country, {}).get(place.admin1 or "", place.admin1)


def _free_keys(place: UserPlace, names: list[str], entries: list[Any], index: dict[str, tuple[int, ...]],
               normalise: Any) -> list[str]:
    """The normalised names of ``place`` that no project or shipped entry already holds for it."""
    keys: list[str] = []
    for name in names:
        key = normalise(name)
        if not key or key in keys:
            continue
        if any(_same_place(entries[i], place) for i in index.get(key, ())):
            continue
        keys.append(key)
    return keys


def _same_place(entry: Any, place: UserPlace) -> bool:
    if entry.country != place.country:
        return False
    if entry.source in ("extra", "country"):
        return True
    return entry.source == "geonames" and abs(entry.lat - place.lat) <= DUPLICATE_DEGREES and \
        abs(entry.lon - place.lon) <= DUPLICATE_DEGREES
