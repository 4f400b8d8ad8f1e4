"""``sitrep gazetteer``: import places (GeoNames dumps, CSV) the extractor then knows, list and remove them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .common import EXIT_PARTIAL, quiet_option

GROUP_EPILOG = """\b
Examples:
  sitrep gazetteer import NG.txt               a GeoNames country dump (also NG.zip, allCountries.zip)
  sitrep gazetteer import villages.csv         a CSV: name,lat,lon,admin1,country
  sitrep gazetteer list                        what is imported, places per country
  sitrep gazetteer lookup "Tudun Wada"         the candidates a name has, imported ones marked
  sitrep gazetteer remove villages             undo one import (--all: every import)

\b
Imported places are stored in the user gazetteer folder ($SITREP_GAZETTEER, else
user-gazetteer/ in the sitrep cache folder, ~/.cache/sitrep or $SITREP_CACHE_DIR) and used by
every later `sitrep ingest`/`extract`, also on --workers and local Dask workers. Articles already
stored keep the places they were given until `sitrep reextract` (e.g. --country NGA) places them again.
"""

IMPORT_EPILOG = """\b
Examples:
  sitrep gazetteer import NG.txt
  sitrep gazetteer import ~/Downloads/SO.zip --admin-codes admin1CodesASCII.txt
  sitrep gazetteer import my-villages.csv --name field-team
  sitrep gazetteer import allCountries.zip --country Somalia --name SO
  sitrep gazetteer import kivu.csv --country COD      rows without a country column are in Congo (DRC)
  sitrep gazetteer import places.tsv --format csv

\b
CSV header (any order, case-insensitive; other columns are ignored):
  name,lat,lon,admin1,country[,admin2,alternatenames,population,kind]
  Tudun Gwandara,10.6512,7.3140,Kaduna,NG,Igabi,Tudun Gwandara|Gwandara,1200,village
country: ISO2 (NG), ISO3 (NGA) or a name (Nigeria); alternatenames separated by | or ,.

\b
GeoNames (download.geonames.org/export/dump: XX.zip per country, allCountries.zip): kept are
populated places (class P, not historical or abandoned), districts (ADM2, ADM3), camps and
military sites (S: CMPRF, CMP, MILB, AIRB); first-order regions already ship with sitrep.
"""


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160
    return console


@click.group(epilog=GROUP_EPILOG)
def gazetteer() -> None:
    """Add your own places (villages, neighbourhoods, camps) to the gazetteer the extractor uses.

    The shipped gazetteer holds GeoNames places of 500+ people; smaller villages fall back to their
    region or are not found. Import a GeoNames country dump or your own CSV to place them.
    """


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[object]:
    """A progress bar over the bytes read, one task per phase (None when quiet)."""
    if not enabled:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, int] = {}

        def update(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = int(bar.add_task(f"reading {phase}", total=total))
            bar.update(tasks[phase], completed=done)  # type: ignore[arg-type]

        yield update


@gazetteer.command("import", epilog=IMPORT_EPILOG)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["auto", "geonames", "csv"]), default="auto", show_default=True,
              help="Input format; auto looks at the first line (19 tab-separated fields: GeoNames).")
@click.option("--name", "label", metavar="LABEL",
              help="Name of this import (default: the file name, e.g. NG). Importing again under the same "
                   "name replaces it.")
@click.option("--admin-codes", "admin_files", multiple=True, type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="GeoNames admin1CodesASCII.txt / admin2Codes.txt, to name admin codes "
                                    "a dump has no ADM1/ADM2 rows for (repeatable).")
@click.option("--country", metavar="ISO2|ISO3|NAME",
              help="Only this country's places (e.g. from allCountries); CSV rows without a country are taken "
                   "as this country.")
@click.option("--show-problems", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many bad lines to list (all are counted).")
@quiet_option
def import_(file: Path, fmt: str, label: str | None, admin_files: tuple[Path, ...], country: str | None,
            show_problems: int, quiet: bool) -> None:
    """Import places from FILE: a GeoNames dump (.txt, .zip, .gz) or a CSV with a header.

    Bad lines (coordinates out of range, unknown country, missing name) are listed with their line
    number and skipped. Exit code 0: imported; 1: some lines were bad, or nothing could be imported
    (the message says which).
    """
    from ..extract.gazetteer import Gazetteer
    from ..gazetteer_import import GazetteerImportError, import_file

    console = _console()
    if not file.is_file():
        raise click.BadParameter(f"no such file: {file}", param_hint="FILE")
    iso3 = _country_option(country)
    try:
        with _progress(not quiet) as update:
            report = import_file(file, label=label, fmt=fmt, admin_files=list(admin_files), country=iso3,
                                 progress=update)  # type: ignore[arg-type]
    except GazetteerImportError as exc:
        if exc.report is not None:
            _print_problems(console, exc.report, show_problems)
        raise click.ClickException(f"{exc}. Check the file's format (sitrep gazetteer import --help).") from exc
    except OSError as exc:
        raise _unwritable(exc) from exc
    if not quiet:
        _print_import(console, report)
    _print_problems(console, report, show_problems)
    console.print(f"{report.imported} place(s) imported as [bold]{report.label}[/bold]"
                  f" ({report.problem_count} bad line(s)).")
    Gazetteer.reset()
    with console.status("Joining them to the gazetteer index (once; later runs load it from the cache)..."):
        Gazetteer.load()
    console.print("Ready: `sitrep ingest` and `sitrep extract` now use these places.")
    if report.problem_count:
        raise SystemExit(EXIT_PARTIAL)


def _unwritable(exc: OSError) -> click.ClickException:
    from ..extract import user_gazetteer

    return click.ClickException(f"cannot write the user gazetteer in {user_gazetteer.folder()}: "
                                f"{exc.strerror or exc}. Set SITREP_GAZETTEER to a writable folder.")


def _country_option(value: str | None) -> str | None:
    """ISO3 for a --country value, or a usage error that says what is accepted."""
    from ..gazetteer_import import RowProblem, country_iso3

    try:
        return country_iso3(value) if value else None
    except RowProblem as exc:
        raise click.BadParameter(str(exc), param_hint="--country") from exc


def _print_import(console: Console, report: object) -> None:
    from ..gazetteer_import import ImportReport

    assert isinstance(report, ImportReport)
    table = Table(title=f"Imported {report.path} ({report.format})")
    table.add_column("country")
    table.add_column("places", justify="right")
    for iso3, count in report.countries.items():
        table.add_row(iso3, str(count))
    console.print(table)
    extra = [f"{report.lines} line(s) read"]
    if report.not_kept:
        extra.append(f"{report.not_kept} row(s) not kept (other feature kinds such as rivers and hills, "
                     "or other countries)")
    if report.duplicates:
        extra.append(f"{report.duplicates} duplicate row(s) skipped")
    console.print("; ".join(extra))


def _print_problems(console: Console, report: object, limit: int) -> None:
    from ..gazetteer_import import ImportReport

    assert isinstance(report, ImportReport)
    if not report.problem_count:
        return
    console.print(f"[yellow]{report.problem_count} bad line(s) skipped[/yellow]:")
    for line, reason in report.problems[:limit]:
        console.print(f"  line {line}: {reason}", markup=False)
    if report.problem_count > limit:
        console.print(f"  ... and {report.problem_count - limit} more (--show-problems N lists more)")


@gazetteer.command("list", epilog="\b\nExamples:\n  sitrep gazetteer list\n  sitrep gazetteer list --countries")
@click.option("--countries", is_flag=True, help="One row per source and country.")
def list_(countries: bool) -> None:
    """What is imported: each source's name, file, format, date and places per country."""
    from ..extract import user_gazetteer

    found = user_gazetteer.sources()
    console = _console()
    if not found:
        console.print(f"No places imported (folder {user_gazetteer.folder()}). "
                      "Add some with `sitrep gazetteer import FILE`.")
        return
    table = Table(title=f"{len(found)} imported source(s) in {user_gazetteer.folder()}")
    for column in ("name", "places", "countries", "format", "imported", "from"):
        table.add_column(column, overflow="fold")
    for info in found.values():
        if countries:
            for iso3, count in info.countries.items():
                table.add_row(info.label, str(count), iso3, info.format, info.imported, info.path)
            continue
        top = ", ".join(f"{c} {n}" for c, n in list(info.countries.items())[:6])
        more = f" (+{len(info.countries) - 6} more)" if len(info.countries) > 6 else ""
        table.add_row(info.label, str(info.rows), top + more, info.format, info.imported, info.path)
    console.print(table)


@gazetteer.command("remove", epilog="\b\nExamples:\n  sitrep gazetteer remove NG\n  sitrep gazetteer remove --all")
@click.argument("labels", nargs=-1)
@click.option("--all", "remove_all", is_flag=True, help="Remove every imported source.")
def remove(labels: tuple[str, ...], remove_all: bool) -> None:
    """Remove imported sources by name (see `sitrep gazetteer list`); the shipped gazetteer stays."""
    from ..extract import user_gazetteer

    if not labels and not remove_all:
        raise click.UsageError("name the source(s) to remove (see `sitrep gazetteer list`) or pass --all")
    unknown = [label for label in labels if label not in user_gazetteer.sources()]
    if unknown:
        raise click.ClickException(f"no imported source named {', '.join(unknown)}; "
                                   "`sitrep gazetteer list` shows the names")
    try:
        removed = user_gazetteer.remove_sources(None if remove_all else labels)
    except OSError as exc:
        raise _unwritable(exc) from exc
    click.echo(f"removed {len(removed)} source(s): {', '.join(removed) or '-'}")


@gazetteer.command("lookup", epilog="\b\nExample:\n  sitrep gazetteer lookup \"Tudun Wada\" --country NG")
@click.argument("name")
@click.option("--country", metavar="ISO2|ISO3|NAME", help="Only candidates in this country.")
def lookup(name: str, country: str | None) -> None:
    """The gazetteer's candidates for NAME (shipped and imported), largest first."""
    from ..extract.gazetteer import Gazetteer

    iso3 = _country_option(country)
    found = [e for e in Gazetteer.load().lookup(name) if iso3 is None or e.country == iso3]
    if not found:
        click.echo(f"no place named {name!r}" + (f" in {iso3}" if iso3 else "")
                   + ". Import one with `sitrep gazetteer import FILE`.")
        return
    table = Table(title=f"{len(found)} candidate(s) for {name!r}")
    for column in ("name", "country", "admin1", "admin2", "kind", "population", "lat, lon", "source"):
        table.add_column(column, overflow="fold")
    for e in sorted(found, key=lambda e: -e.population):
        table.add_row(e.name, e.country, e.admin1 or "-", e.admin2 or "-", e.kind, str(e.population),
                      f"{e.lat:.4f}, {e.lon:.4f}", "imported" if e.source == "user" else e.source)
    _console().print(table)


COMMANDS = [gazetteer]
