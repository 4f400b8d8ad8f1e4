"""CSV and GeoJSON downloads of a filtered incident set (from the API's incident dicts)."""

from __future__ import annotations

import csv
import io
from typing import Any

CSV_COLUMNS = [
    "id",
    "date",
    "date_end",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actors",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "injuries_best",
    "injuries_low",
    "injuries_high",
    "disputed",
    "n_sources",
    "sources",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Defuse text a spreadsheet would run as a formula (CSV injection); numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _fig(figures: dict[str, Any] | None, key: str) -> Any:
    return figures.get(key) if figures else None


def csv_row(item: dict[str, Any], sources: list[str]) -> list[Any]:
    loc = item["location"]
    row = [
        item["id"],
        item["date"],
        item["date_end"],
        item["date_precision"],
        item["event_type"],
        item["sub_event_type"],
        "; ".join(item["actors"]),
        loc["country"],
        loc["admin1"],
        loc["admin2"],
        loc["name"],
        loc["lat"],
        loc["lon"],
        loc["geo_precision"],
        _fig(item["fatalities"], "best"),
        _fig(item["fatalities"], "low"),
        _fig(item["fatalities"], "high"),
        _fig(item["injuries"], "best"),
        _fig(item["injuries"], "low"),
        _fig(item["injuries"], "high"),
        int(item["disputed"]),
        item["n_sources"],
        "; ".join(sources),
    ]
    return [spreadsheet_safe(v) for v in row]


def to_csv(items: list[dict[str, Any]], sources: dict[str, list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow(csv_row(item, sources.get(item["id"], [])))
    return buf.getvalue()


def to_geojson(items: list[dict[str, Any]], sources: dict[str, list[str]]) -> dict[str, Any]:
    """A FeatureCollection; incidents without coordinates get ``"geometry": null`` (RFC 7946 allows it)."""
    features = []
    for item in items:
        loc = item["location"]
        geometry = None
        if loc["lat"] is not None and loc["lon"] is not None:
            geometry = {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]}
        properties = {k: v for k, v in item.items() if k != "id"}
        properties["sources"] = sources.get(item["id"], [])
        features.append({"type": "Feature", "id": item["id"], "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}
