"""``sitrep export``: the incident dataset as JSON (the export contract), ACLED-style CSV or GeoJSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import click

from ..export import FORMATS, export_geojson, export_json, load_events, write_acled_csv
from .common import db_option, open_store
from .events import filter_options, make_filter

EPILOG = """\b
Examples:
  sitrep export --format json > export.json           the full dataset (articles, events, tallies, victims)
  sitrep export --format acled-csv -o incidents.csv   ACLED columns, one row per incident
  sitrep export --format geojson --country PSE -o map.geojson
  sitrep export --format json --since 2023-06-01 --min-killed 5
"""


@click.command(epilog=EPILOG)
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json: the export contract; acled-csv: ACLED columns; geojson: RFC 7946 points.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
@filter_options
def export(db_path: str, fmt: str, output: str | None, since: str | None, until: str | None,
           country: str | None, event_type: str | None, actor: str | None, min_killed: int | None) -> None:
    """Export merged incidents with their per-source figures and evidence."""
    flt = make_filter(since, until, country, event_type, actor, min_killed)
    with open_store(db_path, must_exist=True) as store:
        if fmt == "json":
            data = export_json(store, flt)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            count = len(data["events"])
        elif fmt == "geojson":
            collection = export_geojson(load_events(store, flt))
            text = json.dumps(collection, indent=2, ensure_ascii=False) + "\n"
            count = len(collection["features"])
        else:
            buffer = io.StringIO(newline="")
            count = write_acled_csv(load_events(store, flt), buffer)
            text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with Path(output).open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {count} incident(s) to {output} ({fmt})", err=True)


COMMANDS = [export]
