"""Settings read once from the data files into frozen, validated records.

``data/merge.json`` (every threshold and weight of merging and reconciliation) becomes a
``MergeSettings``: the file is checked when it is loaded, so a missing key or a value of the wrong
kind fails at once with the file and the key named (``SettingsError``), not deep inside a merge.
This module sits at the bottom of the package with the records: merging, reconciliation and
corrections all read it, and it imports nothing of sitrep's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

#: what ``data/merge.json`` must hold: top-level numbers, and per section each key's kind
MERGE_SCHEMA: dict[str, Any] = {
    "merge_threshold": "number", "neighbourhood_hops": "int", "settled_event_size": "int",
    "exact_neighbourhood_size": "int",
    "date": {"day_slack_days": "int", "same_day": "number", "adjacent_day": "number", "within_week": "number",
             "within_month": "number", "window_days": "int", "mergeable_precisions": "list"},
    "place": {"near_km": "number", "same_place_km": "number", "close_km": "number",
              "containment_max_km": "number", "same_place": "number", "contained": "number",
              "contained_in_region": "number", "contained_in_country": "number", "close": "number",
              "near": "number", "specificity_by_kind": "dict", "region_kinds": "list", "country_kinds": "list"},
    "type": {"same": "number", "compatible": "number", "unknown": "number", "compatible_pairs": "list",
             "tie_order": "list"},
    "actors": {"overlap_weight": "number"},
    "figures": {"overlap": "number", "close": "number", "close_ratio": "number", "loose_ratio": "number",
                "far": "number", "injuries_factor": "number"},
    "victims": {"shared": "number", "disjoint": "number"},
    "wording": {"weight": "number", "min_token_length": "int", "stopwords": "list"},
    "claimant_tiers": {"close": "list", "independent": "list", "party": "list"},
    "tier_rank": {"close": "number", "independent": "number", "unattributed": "number", "other": "number",
                  "party": "number"},
    "best_figure": {"retrospective_after_days": "int", "lower_bound_qualifiers": "list", "round_multiple": "int"},
}

_KINDS: dict[str, tuple[type, ...]] = {"number": (int, float), "int": (int,), "list": (list,), "dict": (dict,)}
_ARTICLE = {"number": "a", "int": "an", "list": "a", "dict": "a"}


class SettingsError(ValueError):
    """A data file that cannot be used: names the file and the key."""


@dataclass(frozen=True)
class MergeSettings:
    """The thresholds and weights of ``data/merge.json`` (one place for all of them), checked against
    ``MERGE_SCHEMA`` when loaded."""

    raw: dict[str, Any] = field(repr=False)

    @property
    def threshold(self) -> float:
        return float(self.raw["merge_threshold"])

    def section(self, name: str) -> dict[str, Any]:
        value: dict[str, Any] = self.raw[name]
        return value

    def weight(self, section: str, key: str) -> float:
        return float(self.raw[section][key])

    @cached_property
    def wording_stopwords(self) -> frozenset[str]:
        """One shared set (the word-set cache keys on it: a new set per call would be stored per entry)."""
        return frozenset(self.raw["wording"]["stopwords"])

    @cached_property
    def mergeable_precisions(self) -> frozenset[str]:
        return frozenset(self.raw["date"]["mergeable_precisions"])

    @cached_property
    def compatible_types(self) -> frozenset[frozenset[str]]:
        return frozenset(frozenset(p) for p in self.raw["type"]["compatible_pairs"])


def check_keys(data: Any, schema: dict[str, Any], where: str, prefix: str = "") -> None:
    """Raise ``SettingsError`` naming ``where`` and the dotted key when ``data`` lacks a key of
    ``schema`` or holds a value of another kind ("number", "int", "list", "dict" or a nested schema)."""
    if not isinstance(data, dict):
        what = f"key {prefix.rstrip('.')!r}" if prefix else "the file"
        raise SettingsError(f"{where}: {what} must be an object")
    for key, kind in schema.items():
        name = prefix + key
        if key not in data:
            raise SettingsError(f"{where}: missing key {name!r}")
        value = data[key]
        if isinstance(kind, dict):
            check_keys(value, kind, where, name + ".")
        elif isinstance(value, bool) or not isinstance(value, _KINDS[kind]):
            raise SettingsError(f"{where}: key {name!r} must be {_ARTICLE[kind]} {kind}, not {value!r}")


def read_merge_settings(path: str | Path | None = None) -> MergeSettings:
    """Read and check ``path`` (default: the packaged ``data/merge.json``)."""
    if path is None:
        where, text = "data/merge.json", resources.files("sitrep").joinpath("data/merge.json").read_text("utf-8")
    else:
        where, text = str(path), Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{where}: not valid JSON ({exc})") from exc
    check_keys(data, MERGE_SCHEMA, where)
    return MergeSettings(raw=data)


@lru_cache(maxsize=1)
def load_settings() -> MergeSettings:
    """The merge settings, read and checked once."""
    return read_merge_settings()
