"""Every way out of the dataset, drawn from ``IncidentRow``, and the registry of download formats.

- ``json``: the export contract (../shared/eval/README.md): articles, events with per-source figures and
  every claim with its evidence, tallies, victims; plus ``disputed``, ``merge_reasons``, ``figure_reasons``
  and ``notes``.
- ``acled-csv``: ACLED's columns in ACLED's order; ``fatalities`` is the best figure (low and high are in
  our own formats), the disagreement written into ``notes``.
- ``csv``: our own columns, one row per incident, with best/low/high.
- ``geojson``: an RFC 7946 FeatureCollection; an incident without coordinates has ``"geometry": null``.

``FORMATS`` is the registry: ``sitrep export --format`` offers its names and the API serves each at
``/api/incidents.<extension>``. Every CSV cell a spreadsheet would run as a formula is defused, and a
CSV can start with a UTF-8 byte order mark (``--excel``, ``?bom=1``) so Excel reads it as UTF-8.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..place_confidence import place_confidence
from ..reconcile import dispute_note, reason_text
from ..records import CasualtyClaim, Evidence, Range, Tally, parse_day
from .countries import acled_data, country_name, country_numeric, country_region
from .query import IncidentQuery
from .read import Dataset
from .rows import IncidentRow, SourceRow, best_of

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


# -- shared pieces -----------------------------------------------------------------------------------
def evidence_json(ev: Evidence | None) -> dict[str, Any] | None:
    return {"start": ev.start, "end": ev.end, "text": ev.text} if ev else None


def range_json(r: Range | None, *, best: bool = True) -> dict[str, int | None] | None:
    if r is None:
        return None
    out: dict[str, int | None] = {"low": r.low, "high": r.high}
    return {"best": best_of(r), **out} if best else out


def claim_json(article_id: str, report_id: str, c: CasualtyClaim) -> dict[str, Any]:
    """One claim; its article and report under both key spellings (``article``/``report`` of the export
    contract, ``article_id``/``report_id`` of the API), the same in every output."""
    return {"article": article_id, "report": report_id, "article_id": article_id, "report_id": report_id,
            "outcome": c.outcome, "count": c.count, "count_high": c.count_high, "qualifier": c.qualifier,
            "vague": c.vague, "part_of_total": c.part_of_total, "victims": c.victims, "victim_side": c.victim_side,
            "claimant": c.claimant, "evidence": evidence_json(c.evidence)}


def location_json(row: IncidentRow) -> dict[str, Any] | None:
    p = row.place
    if p is None:
        return None
    return {"name": p.name, "admin1": p.admin1, "admin2": p.admin2, "country": p.country,
            "lat": p.lat, "lon": p.lon, "geo_precision": p.geo_precision, "kind": p.kind}


def confidence_json(row: IncidentRow) -> dict[str, Any]:
    """The place's precision in words and whether it is low (``place_confidence``)."""
    p = row.place
    c = place_confidence(p.name if p else None, p.lat if p else None, p.geo_precision if p else None,
                         p.admin1 if p else None, p.kind if p else None)
    return {"precision_words": c.words, "low_confidence": c.low}


def reason_texts(row: IncidentRow) -> dict[str, str]:
    """Why each best figure was chosen, in words, by kind (none for events merged before reasons were kept)."""
    texts = {kind: reason_text(reason) for kind, reason in row.figure_reasons.items()}
    for kind in ("fatalities", "injuries"):
        if any(f"{kind}_{part}" in row.corrected for part in ("best", "low", "high")):
            texts[kind] = "corrected by hand (sitrep corrections list shows who, when and why)"
    return texts


def event_notes(row: IncidentRow) -> str:
    """A short description: the lead source's summary, then any dispute."""
    summary = next((s.summary.strip() for s in row.sources if s.summary.strip()), "")
    parts = [summary[:500]] if summary else []
    if (note := dispute_note(row.fatalities, row.sources)):
        parts.append(note + ".")
    return " ".join(parts)


def spreadsheet_safe(value: Any) -> Any:
    """Defuse text a spreadsheet would run as a formula (CSV injection); numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[list[Any]], *, bom: bool = False) -> str:
    """A CSV document (CRLF line ends) with every cell made spreadsheet-safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return (BOM if bom else "") + buffer.getvalue()


def json_text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- JSON: the export contract -------------------------------------------------------------------------
def source_json(s: SourceRow) -> dict[str, Any]:
    return {"article": s.article_id, "report": s.report_id, "outlet": s.outlet, "published": s.published,
            "claimants": s.claimants, "fatalities": range_json(s.fatalities, best=False),
            "injuries": range_json(s.injuries, best=False)}


def event_json(row: IncidentRow) -> dict[str, Any]:
    """One incident in the export contract (``sitrep events --json``, ``show --json``, the JSON export)."""
    return {
        "id": row.id, "date": row.date.date, "date_end": row.date.date_end, "date_precision": row.date.precision,
        "date_uncertain": row.date_uncertain,
        "event_type": row.event_type, "sub_event_type": row.sub_event_type, "location": location_json(row),
        "actors": row.actors, "fatalities": range_json(row.fatalities), "injuries": range_json(row.injuries),
        "sources": row.article_ids,
        "per_source": [source_json(s) for s in row.sources],
        "claims": [claim_json(s.article_id, s.report_id, c) for s in row.sources for c in s.claims],
        "disputed": row.disputed, "merge_reasons": row.merge_reasons, "figure_reasons": row.figure_reasons,
        "best_reason": reason_texts(row), "notes": event_notes(row),
        **corrected_json(row),
    }


def corrected_json(row: IncidentRow) -> dict[str, Any]:
    """``{"corrected": {column: the machine's value}}`` for an incident a person corrected, else nothing."""
    return {"corrected": row.corrected} if row.corrected else {}


def corrected_tag(row: IncidentRow) -> str:
    """ACLED ``tags`` words for the columns a person corrected (``sitrep fix``)."""
    return "corrected by hand: " + ", ".join(sorted(row.corrected)) if row.corrected else ""


def tally_json(article_id: str, t: Tally) -> dict[str, Any]:
    return {"article": article_id, "outcome": t.outcome, "count": t.count, "qualifier": t.qualifier,
            "victims": t.victims, "area": t.area, "period_start": t.period_start, "as_of": t.as_of,
            "claimant": t.claimant, "evidence": evidence_json(t.evidence)}


def export_document(ds: Dataset, q: IncidentQuery) -> dict[str, Any]:
    """The whole export object of the contract for the incidents ``q`` selects."""
    rows = ds.rows(q, "full")
    tallies = [tally_json(aid, t) for aid, t in ds.tallies(q.since, q.until)]
    victims = [{"article": s.article_id, "event": r.id, "report": s.report_id, "name": v.name, "age": v.age,
                "outcome": v.outcome, "role": v.role}
               for r in rows for s in r.sources for v in s.victims]
    used = {a for r in rows for a in r.article_ids} | {t["article"] for t in tallies}
    articles = [a for a in ds.article_bylines() if not q.narrowed or a["id"] in used]
    return {"articles": articles, "events": [event_json(r) for r in rows], "tallies": tallies, "victims": victims}


# -- the API's incident items ----------------------------------------------------------------------------
def incident_item(row: IncidentRow) -> dict[str, Any]:
    """One incident as the API lists it (the export's field names, the place's confidence added)."""
    p = row.place
    return {
        "id": row.id, "date": row.date.date, "date_end": row.date.date_end, "date_precision": row.date.precision,
        "event_type": row.event_type, "sub_event_type": row.sub_event_type,
        "location": {"name": p.name if p else None, "admin1": p.admin1 if p else None,
                     "admin2": p.admin2 if p else None, "country": p.country if p else None,
                     "lat": p.lat if p else None, "lon": p.lon if p else None,
                     "geo_precision": p.geo_precision if p else None, "kind": p.kind if p else None,
                     **confidence_json(row)},
        "actors": row.actors, "fatalities": range_json(row.fatalities), "injuries": range_json(row.injuries),
        "disputed": row.disputed, "n_sources": row.n_sources, "date_uncertain": row.date_uncertain,
        "best_reason": reason_texts(row), **corrected_json(row),
    }


def incident_detail(row: IncidentRow) -> dict[str, Any]:
    """One incident as the API and the incident page show it: the list item, why it was merged, and why
    each best figure was chosen (as data and in words)."""
    return {**incident_item(row), "merge_reasons": row.merge_reasons, "figure_reasons": row.figure_reasons,
            "updated_at": row.updated_at}


# -- ACLED CSV --------------------------------------------------------------------------------------------
def _inter(inter_code: int, category: str) -> int:
    if inter_code:
        return inter_code
    by_category: dict[str, int] = acled_data()["inter_by_category"]
    return int(by_category.get(category.lower(), 0))


def acled_actors(row: IncidentRow) -> dict[str, Any]:
    """actor1/assoc_actor_1/inter1, actor2/assoc_actor_2/inter2 and interaction from the sides named."""
    mentions = list({m.name: m for s in row.sources for m in s.actors}.values())
    inter = {id(m): _inter(m.inter_code, m.category) for m in mentions}

    def side(m: Any) -> tuple[str, str]:
        code = inter[id(m)]
        return (m.country or "", "state" if code == 1 else "civilians" if code == 7 else "other")

    mentions.sort(key=lambda m: inter[id(m)] in (0, 6, 7))  # armed actors first, stable otherwise
    first = mentions[0] if mentions else None
    second = next((m for m in mentions if first and side(m) != side(first)), None)
    assoc1 = [m.name for m in mentions if first and m is not first and side(m) == side(first)]
    assoc2 = [m.name for m in mentions if m is not first and m is not second and m.name not in assoc1]
    inter1 = inter[id(first)] if first else 0
    inter2 = inter[id(second)] if second else 0
    actor2 = second.name if second else ""
    if not second and row.event_type in acled_data()["civilian_event_types"]:
        actor2 = acled_data()["civilians_actor"].format(country=country_name(row.place.country if row.place else None))
        inter2 = 7
    low, high = sorted((inter1, inter2))
    interaction = inter1 * 10 if not inter2 else low * 10 + high
    return {"actor1": first.name if first else "", "assoc_actor_1": "; ".join(assoc1), "inter1": inter1,
            "actor2": actor2, "assoc_actor_2": "; ".join(assoc2), "inter2": inter2 or "",
            "interaction": interaction}


def acled_event_id(row: IncidentRow) -> str:
    """ISO3 letters + a number derived from the event id (stable across runs)."""
    iso3 = row.place.country if row.place else "XXX"
    return f"{iso3}{int(hashlib.sha1(row.id.encode()).hexdigest()[:7], 16)}"


def source_scale(outlets: Iterable[str]) -> str:
    data = acled_data()
    scales = {data["outlet_scale"].get(o.strip().lower(), "Other") for o in outlets}
    order: list[str] = data["source_scale_order"]
    return "-".join(sorted(scales, key=order.index)) if scales else ""


def _timestamp(row: IncidentRow) -> int:
    """Newest source publication date as Unix time (stable for the same sources)."""
    days = [d for s in row.sources if (d := parse_day(s.published))]
    if not days:
        return 0
    newest = max(days)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())


def acled_row(row: IncidentRow) -> dict[str, Any]:
    data = acled_data()
    p = row.place
    country = p.country if p else None
    day = parse_day(row.date.date)
    outlets = list(dict.fromkeys(s.outlet for s in row.sources if s.outlet))
    disorder = data["disorder_type_by_sub_event"].get(row.sub_event_type) or data["disorder_type"].get(
        row.event_type, "")
    actors = acled_actors(row)
    civilian = row.event_type in data["civilian_event_types"] or actors["inter2"] == 7
    return {
        "event_id_cnty": acled_event_id(row), "event_date": row.date.date or "", "year": day.year if day else "",
        "time_precision": data["time_precision"].get(row.date.precision or "", 3), "disorder_type": disorder,
        "event_type": row.event_type, "sub_event_type": row.sub_event_type, **actors,
        "civilian_targeting": "Civilian targeting" if civilian else "", "iso": country_numeric(country) or "",
        "region": country_region(country), "country": country_name(country),
        "admin1": (p.admin1 or "") if p else "", "admin2": (p.admin2 or "") if p else "", "admin3": "",
        "location": p.name if p else "", "latitude": f"{p.lat:.4f}" if p else "",
        "longitude": f"{p.lon:.4f}" if p else "", "geo_precision": p.geo_precision if p else "",
        "source": "; ".join(outlets), "source_scale": source_scale(outlets), "notes": event_notes(row),
        "fatalities": best_of(row.fatalities) or 0,
        "tags": "; ".join(t for t in ("disputed figures" if row.disputed else "", corrected_tag(row)) if t),
        "timestamp": _timestamp(row),
    }


def acled_csv(rows: list[IncidentRow], *, bom: bool = False) -> str:
    columns: list[str] = acled_data()["columns"]
    return csv_text(columns, ([cells[c] for c in columns] for cells in map(acled_row, rows)), bom=bom)


# -- plain CSV ---------------------------------------------------------------------------------------------
CSV_COLUMNS = ["id", "date", "date_end", "date_precision", "event_type", "sub_event_type", "actors", "country",
               "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities_best",
               "fatalities_low", "fatalities_high", "injuries_best", "injuries_low", "injuries_high", "disputed",
               "n_sources", "sources", "best_reason"]


def csv_row(row: IncidentRow) -> list[Any]:
    p, f, i = row.place, row.fatalities, row.injuries
    return [row.id, row.date.date, row.date.date_end, row.date.precision, row.event_type, row.sub_event_type,
            "; ".join(row.actors), p.country if p else None, p.admin1 if p else None, p.admin2 if p else None,
            p.name if p else None, p.lat if p else None, p.lon if p else None, p.geo_precision if p else None,
            best_of(f), f.low if f else None, f.high if f else None, best_of(i), i.low if i else None,
            i.high if i else None, int(row.disputed), row.n_sources, "; ".join(row.article_ids),
            reason_texts(row).get("fatalities", "")]


def plain_csv(rows: list[IncidentRow], *, bom: bool = False) -> str:
    return csv_text(CSV_COLUMNS, (csv_row(r) for r in rows), bom=bom)


# -- GeoJSON ---------------------------------------------------------------------------------------------
def _figure_columns(kind: str, r: Range | None) -> dict[str, int | None]:
    return {f"{kind}_best": best_of(r), f"{kind}_low": r.low if r else None, f"{kind}_high": r.high if r else None}


def geojson_feature(row: IncidentRow) -> dict[str, Any]:
    p = row.place
    geometry = None
    if p is not None and p.lat is not None and p.lon is not None:
        geometry = {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]}
    return {
        "type": "Feature", "id": row.id, "geometry": geometry,
        "properties": {
            "id": row.id, "date": row.date.date, "date_end": row.date.date_end, "date_precision": row.date.precision,
            "event_type": row.event_type, "sub_event_type": row.sub_event_type,
            "location": p.name if p else None, "admin1": p.admin1 if p else None, "admin2": p.admin2 if p else None,
            "country": p.country if p else None, "geo_precision": p.geo_precision if p else None,
            **confidence_json(row), "actors": row.actors,
            **_figure_columns("fatalities", row.fatalities), **_figure_columns("injuries", row.injuries),
            "disputed": row.disputed, "n_sources": row.n_sources, "sources": row.article_ids,
            "best_reason": reason_texts(row), **({"corrected": sorted(row.corrected)} if row.corrected else {}),
        },
    }


def geojson_document(rows: list[IncidentRow]) -> dict[str, Any]:
    """A FeatureCollection of every incident; unplaced ones have ``"geometry": null`` (RFC 7946 allows it)."""
    return {"type": "FeatureCollection", "features": [geojson_feature(r) for r in rows]}


# -- the registry --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rendered:
    text: str
    count: int


@dataclass(frozen=True)
class Format:
    """One export format: its name (``--format``), file extension (``/api/incidents.<extension>``),
    media type, one line of help, and how it renders the incidents a query selects."""

    name: str
    extension: str
    media_type: str
    help: str
    render: Callable[[Dataset, IncidentQuery, bool], Rendered]

    @property
    def tabular(self) -> bool:
        """A CSV (it may take a byte order mark)."""
        return self.media_type.startswith("text/csv")


def _json_format(ds: Dataset, q: IncidentQuery, bom: bool) -> Rendered:
    doc = export_document(ds, q)
    return Rendered(json_text(doc), len(doc["events"]))


def _acled_format(ds: Dataset, q: IncidentQuery, bom: bool) -> Rendered:
    rows = ds.rows(q, "full")
    return Rendered(acled_csv(rows, bom=bom), len(rows))


def _csv_format(ds: Dataset, q: IncidentQuery, bom: bool) -> Rendered:
    rows = ds.rows(q, "full")
    return Rendered(plain_csv(rows, bom=bom), len(rows))


def _geojson_format(ds: Dataset, q: IncidentQuery, bom: bool) -> Rendered:
    rows = ds.rows(q, "summary")
    return Rendered(json_text(geojson_document(rows)), len(rows))


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", "json", "application/json", "the export contract: articles, events with per-source figures and "
           "evidence, tallies, victims", _json_format),
    Format("acled-csv", "acled.csv", "text/csv; charset=utf-8", "ACLED's columns, fatalities = the best figure",
           _acled_format),
    Format("csv", "csv", "text/csv; charset=utf-8", "our columns: best/low/high figures, sources", _csv_format),
    Format("geojson", "geojson", "application/geo+json", "RFC 7946 points; unplaced incidents with null geometry",
           _geojson_format),
)}


def render(fmt: str, ds: Dataset, q: IncidentQuery, *, bom: bool = False) -> Rendered:
    """The incidents ``q`` selects in format ``fmt`` (a name in ``FORMATS``)."""
    return FORMATS[fmt].render(ds, q, bom)
