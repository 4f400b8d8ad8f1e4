"""The correction record and the parsing of what a person types (``--fatalities 9-12``, ``--place 5.1,7.2``).

A correction never names an event by its id alone (ids change when a rebuild merges differently): it
names the reports the event drew on by a ``ReportKey`` (the article's content hash, its id and the
report's position in it), and is re-found after a rebuild, a re-extraction or a re-ingest by the
event holding most of those reports.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: kinds of correction: a changed value, "not an incident", reports split out of an event, events joined
KINDS = ("fix", "not_incident", "split", "join")

#: event columns each ``sitrep fix`` option sets (actor1/actor2 set one place of the ``actors`` list)
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "place": ("location_name", "lat", "lon", "admin1", "admin2", "country", "geo_precision"),
    "date": ("date", "date_end", "date_precision"),
    "type": ("event_type",),
    "sub_type": ("sub_event_type",),
    "actor1": ("actor1",),
    "actor2": ("actor2",),
    "fatalities": ("fatalities_best", "fatalities_low", "fatalities_high"),
    "injuries": ("injuries_best", "injuries_low", "injuries_high"),
}
ACTOR_SLOTS = ("actor1", "actor2")


#: the longest reason, name or value a correction keeps (characters)
MAX_TEXT = 2000
#: the event columns a fix may set
FIXABLE = frozenset(c for columns in FIELD_COLUMNS.values() for c in columns)


class CorrectionError(ValueError):
    """A correction that cannot be made as asked (the message says what to type instead)."""


def check_text(value: str, what: str) -> str:
    """``value`` stripped, refused when empty or longer than ``MAX_TEXT``."""
    text = value.strip()
    if not text:
        raise CorrectionError(f"{what} is empty")
    if len(text) > MAX_TEXT:
        raise CorrectionError(f"{what} is longer than {MAX_TEXT} characters")
    return text


@dataclass(frozen=True)
class ReportKey:
    """One report an event draws on, named so that it can be found again after a rebuild."""

    article_id: str
    content_hash: str
    index: int

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article_id, "hash": self.content_hash, "index": self.index}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> ReportKey:
        return cls(str(value["article"]), str(value["hash"]), int(value["index"]))


@dataclass
class Correction:
    """One correction: what was changed (``fields``), on which reports' event (``target``), by whom and why.

    ``fix``: ``fields`` maps event columns (and actor1/actor2) to the corrected values. ``not_incident``:
    the target reports are no incident at all. ``split``: ``fields["split_off"]`` holds the keys of the
    reports that are another incident than the ``target`` reports. ``join``: the target reports are one
    incident. ``machine``: the values the correction replaced when it was made (for the history)."""

    kind: str
    fields: dict[str, Any]
    target: list[ReportKey]
    reason: str
    by: str
    at: str
    machine: dict[str, Any] = field(default_factory=dict)
    original_event_id: str | None = None
    event_id: str | None = None
    status: str = "applied"
    undone_by: str | None = None
    undone_at: str | None = None
    id: int | None = None

    @property
    def uid(self) -> str:
        """Identity across databases (export and import): the same correction imported twice is one."""
        core = json.dumps([self.kind, self.fields, [k.to_json() for k in self.target], self.by, self.at, self.reason],
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(core.encode("utf-8")).hexdigest()[:16]

    @property
    def active(self) -> bool:
        return self.undone_at is None

    @property
    def split_off(self) -> list[ReportKey]:
        return [ReportKey.from_json(k) for k in self.fields.get("split_off", [])]

    def summary(self) -> str:
        """A few words: what the correction does."""
        if self.kind == "fix":
            return describe(self.fields)
        if self.kind == "split":
            return f"split {len(self.split_off)} report(s) off"
        if self.kind == "join":
            return f"join {len(self.target)} report(s) into one incident"
        return "not an incident"

    def to_json(self) -> dict[str, Any]:
        """The JSONL line of ``sitrep corrections export`` (and the API's view of a correction)."""
        return {"uid": self.uid, "id": self.id, "kind": self.kind, "fields": self.fields, "machine": self.machine,
                "target": [k.to_json() for k in self.target], "original_event_id": self.original_event_id,
                "event_id": self.event_id, "status": self.status, "by": self.by, "at": self.at,
                "reason": self.reason, "undone_by": self.undone_by, "undone_at": self.undone_at}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Correction:
        """A correction from an exported line; raises ``CorrectionError`` naming what is missing."""
        try:
            kind = str(value["kind"])
            if kind not in KINDS:
                raise CorrectionError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
            found = cls(kind=kind, fields=dict(value.get("fields") or {}),
                        target=[ReportKey.from_json(k) for k in value["target"]], reason=str(value["reason"]),
                        by=str(value["by"]), at=str(value["at"]), machine=dict(value.get("machine") or {}),
                        original_event_id=value.get("original_event_id"),
                        undone_by=value.get("undone_by"), undone_at=value.get("undone_at"))
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CorrectionError):
                raise
            raise CorrectionError(f"not a correction ({type(exc).__name__}: {exc})") from exc
        if not found.target:
            raise CorrectionError("a correction needs at least one target report")
        check_text(found.reason, "the reason")
        unknown = sorted(set(found.fields) - FIXABLE) if kind == "fix" else []
        if unknown:
            raise CorrectionError(f"a fix cannot set {', '.join(unknown)} (only {', '.join(sorted(FIXABLE))})")
        if kind == "split" and not found.split_off:
            raise CorrectionError("a split needs the reports it takes off (fields.split_off)")
        return found


def describe(values: dict[str, Any]) -> str:
    """Event values in a few words, by field: ``fatalities 9 (9-12), place Chuhuiv (49.83, 36.69)``."""
    parts = []
    for name, columns in FIELD_COLUMNS.items():
        if not any(c in values for c in columns) and not (name in ACTOR_SLOTS and "actors" in values):
            continue
        if name == "place":
            lat, lon = values.get("lat"), values.get("lon")
            at = f" ({lat:.4f}, {lon:.4f})" if isinstance(lat, float) and isinstance(lon, float) else ""
            parts.append(f"place {values.get('location_name') or ''}{at}".rstrip())
        elif name == "date":
            parts.append(f"date {values.get('date') or '-'} ({values.get('date_precision') or '-'})")
        elif name in ("fatalities", "injuries"):
            best, low, high = (values.get(f"{name}_{k}") for k in ("best", "low", "high"))
            spread = f" ({low}-{high})" if low is not None and high is not None and low != high else ""
            parts.append(f"{name} {best if best is not None else '-'}{spread}")
        elif name in ACTOR_SLOTS and "actors" in values:
            if name == "actor1":
                parts.append(f"actors {_short(values['actors'])}")
        else:
            parts.append(f"{name.replace('_', '-')} {_short(values.get(columns[0]))}")
    return ", ".join(parts)


def _short(value: Any) -> str:
    text = "-" if value is None else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


_FIGURES = re.compile(r"^\s*(?:(\d+)\s*:\s*)?(\d+)\s*(?:-\s*(\d+))?\s*$")


def parse_figures(text: str, what: str) -> dict[str, int]:
    """``11`` (best, low and high 11), ``9-12`` (low 9, high 12, best 9) or ``11:9-12`` (best 11, 9 to 12)."""
    match = _FIGURES.match(text)
    if not match:
        raise CorrectionError(f"--{what} {text!r}: give a number (11), a range (9-12) or best:low-high (11:9-12)")
    best, low, high = match.group(1), int(match.group(2)), int(match.group(3) or match.group(2))
    best_value = int(best) if best is not None else low
    if high < low or not low <= best_value <= high:
        raise CorrectionError(f"--{what} {text!r}: low <= best <= high is needed")
    return {f"{what}_best": best_value, f"{what}_low": low, f"{what}_high": high}


def parse_date(text: str) -> dict[str, Any]:
    """``2024-05-16`` (a day) or ``2024-05`` (a month)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text.strip()):
            day = date.fromisoformat(text.strip() + "-01")
            return {"date": day.isoformat(), "date_end": None, "date_precision": "month"}
        return {"date": date.fromisoformat(text.strip()).isoformat(), "date_end": None, "date_precision": "day"}
    except ValueError as exc:
        raise CorrectionError(f"--date {text!r}: give a day (2024-05-16) or a month (2024-05)") from exc


_LAT_LON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``LAT,LON`` as numbers, or None when the text is a place name; raises for impossible ones."""
    match = _LAT_LON.match(text)
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CorrectionError(f"--place {text!r}: latitude must be within -90..90 and longitude within -180..180")
    return lat, lon
