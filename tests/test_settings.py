"""Merge settings are read once and checked at load: a broken data file names itself and the key."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from sitrep.settings import MergeSettings, SettingsError, check_keys, load_settings, read_merge_settings


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("sitrep").joinpath("data/merge.json").read_text("utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "merge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_shipped_file_loads_once_into_a_frozen_record() -> None:
    s = load_settings()
    assert s is load_settings()
    assert s.threshold == shipped()["merge_threshold"]
    with pytest.raises(FrozenInstanceError):
        s.raw = {}  # type: ignore[misc]


def test_a_copy_of_the_file_loads_from_a_path(tmp_path: Path) -> None:
    data = shipped()
    data["merge_threshold"] = 0.75
    assert read_merge_settings(write(tmp_path, data)).threshold == 0.75


def test_a_missing_key_is_named_with_the_file(tmp_path: Path) -> None:
    data = shipped()
    del data["place"]["near_km"]
    path = write(tmp_path, data)
    with pytest.raises(SettingsError, match=r"merge\.json: missing key 'place\.near_km'") as err:
        read_merge_settings(path)
    assert str(path) in str(err.value)


def test_a_value_of_the_wrong_kind_is_named(tmp_path: Path) -> None:
    data = shipped()
    data["date"]["window_days"] = "a month"
    with pytest.raises(SettingsError, match=r"key 'date\.window_days' must be an int, not 'a month'"):
        read_merge_settings(write(tmp_path, data))


def test_a_section_that_is_not_an_object_is_named(tmp_path: Path) -> None:
    data = shipped()
    data["wording"] = ["weight"]
    with pytest.raises(SettingsError, match=r"'wording' must be an object"):
        read_merge_settings(write(tmp_path, data))


def test_broken_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "merge.json"
    path.write_text('{"merge_threshold": 0.6,', encoding="utf-8")
    with pytest.raises(SettingsError, match="merge.json: not valid JSON"):
        read_merge_settings(path)


def test_a_boolean_is_not_a_number() -> None:
    with pytest.raises(SettingsError, match="'hops' must be an int, not True"):
        check_keys({"hops": True}, {"hops": "int"}, "x.json")


def test_settings_keep_their_helpers() -> None:
    s = MergeSettings(raw={"wording": {"stopwords": ["the"]}, "date": {"mergeable_precisions": ["day"]},
                           "type": {"compatible_pairs": [["Battles", "Riots"]]}})
    assert s.wording_stopwords == frozenset({"the"})
    assert frozenset({"Riots", "Battles"}) in s.compatible_types
