"""``sitrep export``: the incident dataset in any format of the registry (``dataset.formats.FORMATS``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..dataset.formats import FORMATS, render
from ..dataset.read import Dataset
from .common import db_option, open_store
from .events import filter_options, make_query

EPILOG = """\b
Examples:
  sitrep export --format json > export.json           the full dataset (articles, events, tallies, victims)
  sitrep export --format acled-csv -o incidents.csv   ACLED columns, one row per incident
  sitrep export --format csv --excel -o incidents.csv our columns, with a byte order mark for Excel
  sitrep export --format geojson --country Palestine -o map.geojson
  sitrep export --format json --since 2023-06-01 --min-killed 5
"""
FORMAT_HELP = "; ".join(f"{f.name}: {f.help}" for f in FORMATS.values())


@click.command(epilog=EPILOG)
@db_option
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="json", show_default=True,
              help=FORMAT_HELP + ".")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
@click.option("--excel", is_flag=True, help="Start a CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8.")
@filter_options
def export(db_path: str, fmt: str, output: str | None, excel: bool, **filters: Any) -> None:
    """Export merged incidents with their per-source figures and evidence."""
    if excel and not FORMATS[fmt].tabular:
        raise click.BadParameter(f"--excel applies to the CSV formats, not {fmt}", param_hint="--excel")
    query = make_query(**filters)
    with open_store(db_path, must_exist=True) as store:
        out = render(fmt, Dataset(store.conn), query, bom=excel)
    if output is None:
        click.echo(out.text, nl=False)
        return
    try:
        with Path(output).open("w", encoding="utf-8", newline="") as fh:
            fh.write(out.text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {out.count} incident(s) to {output} ({fmt})", err=True)


COMMANDS = [export]
