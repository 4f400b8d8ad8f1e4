"""Every command of the README's walkthrough runs, in order, against the database the walkthrough builds."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import cli

ROOT = Path(__file__).resolve().parent.parent
#: commands that need the network, a long time or a folder the reader brings: checked with --help only
NOT_RUN = ("https://", "sitrep serve", "sitrep bench", "big-archive/", "NG.zip", "villages.csv")


def walkthrough() -> list[str]:
    """The ``sitrep ...`` lines of the README's "Using it" code block, without their comments."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Using it"):]
    block = section[section.index("```") + 3:]
    block = block[:block.index("```")]
    return [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines() if line.startswith("sitrep ")]


def test_the_walkthrough_is_long_enough_to_mean_something() -> None:
    commands = walkthrough()
    assert len(commands) >= 12 and sum(any(n in c for n in NOT_RUN) for c in commands) == len(NOT_RUN)


def test_every_readme_command_runs_against_the_readme_database(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SITREP_DB", raising=False)
    monkeypatch.setenv("SITREP_GAZETTEER", str(tmp_path / "user-gazetteer"))  # never the reader's own imports
    runner = CliRunner()
    outputs: dict[str, str] = {}
    for line in walkthrough():
        args = shlex.split(line)[1:]
        files = ("conflict.db", "incidents.json", "acled.csv", "incidents.csv", "incidents.geojson")
        args = [str(tmp_path / a) if a in files else a for a in args]
        if any(n in line for n in NOT_RUN):
            args.append("--help")
        elif "../shared/eval" in line and not (ROOT / "../shared/eval/manifest.jsonl").exists():
            continue
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        outputs[line] = result.output
    shown = next(out for line, out in outputs.items() if line.startswith("sitrep events show"))
    assert "Chuhu" in shown, "the README's example incident is the Chuhuiv strike it shows"
    assert (tmp_path / "acled.csv").read_text(encoding="utf-8").startswith("event_id_cnty")
