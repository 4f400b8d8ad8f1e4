"""The ``sitrep`` command line: ``sitrep --help`` lists the commands."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from typing import Any

import click

from . import __version__
from .commands.common import EXIT_DB

#: command modules; each exposes ``COMMANDS``, a list of click commands
COMMAND_MODULES = [
    "sitrep.commands.ingest",
    "sitrep.commands.extract",
    "sitrep.commands.events",
    "sitrep.commands.export",
    "sitrep.commands.review",
    "sitrep.commands.serve",
    "sitrep.commands.bench",
    "sitrep.commands.gazetteer",
    "sitrep.commands.rework",
    "sitrep.commands.corrections",
]

EPILOG = """\b
Examples:
  sitrep ingest samples/ --db sitrep.db      store and extract a folder of articles
  sitrep events --db sitrep.db               list merged incidents
  sitrep events show EVENT_ID                every claim behind one incident, with evidence
  sitrep export --format acled-csv -o out.csv
  sitrep serve                               map, timeline and incident pages on 127.0.0.1:8000
  sitrep gazetteer import NG.txt             add a GeoNames country dump's villages to the gazetteer
  sitrep reextract --country NGA             place stored articles again after that import
  sitrep rebuild                             re-merge every incident after a merge.json change
  sitrep fix EVENT_ID --fatalities 11 --reason "ministry list of names"   correct an incident by hand
"""


class SitrepGroup(click.Group):
    """Turns a database error that a command did not expect (a damaged file) into one line and exit 3."""

    def invoke(self, ctx: click.Context) -> Any:
        from .store import StoreError

        try:
            return super().invoke(ctx)
        except (sqlite3.DatabaseError, StoreError) as exc:
            click.echo(f"Error: the database cannot be read ({exc}). If the file is damaged, restore a copy "
                       "or ingest the articles again into a new --db file.", err=True)
            raise SystemExit(EXIT_DB) from exc


@click.group(cls=SitrepGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
def cli() -> None:
    """sitrep: turn news reports about armed conflict into an auditable incident dataset.

    The database is a SQLite file: --db PATH, or the SITREP_DB environment variable, or ./sitrep.db.
    """


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:  # a command area not built yet
        if _exc.name != _name:
            raise
        continue
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point for the ``sitrep`` script."""
    sys.exit(cli(standalone_mode=True))
