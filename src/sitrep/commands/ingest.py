"""``sitrep ingest``, ``sitrep articles`` and ``sitrep show``."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ..clean import terminal_safe
from ..store import StoreError
from .common import EXIT_DB, cell, db_option, open_store, quiet_option


@click.command(epilog="""\b
Examples:
  sitrep ingest samples/                        every .txt/.html file under a folder
  sitrep ingest report.txt page.html            single files
  sitrep ingest --manifest corpus/manifest.jsonl
  sitrep ingest https://example.org/news/raid.html
  sitrep ingest samples/ --no-extract --db /tmp/test.db
  sitrep ingest big-corpus/ --workers 2           clean and extract on 2 local processes
  sitrep ingest --manifest m.jsonl --dask tcp://10.0.0.5:8786   on a Dask cluster (docs/SCALE.md)

\b
Manifest (JSON Lines), paths relative to the manifest file and inside its folder;
a record with both path and url reads the file and keeps the url as the address;
published: 2024-05-27, 27 May 2024, May 27, 2024, 27/05/2024 or an RFC 2822 date:
  {"id": "a1", "path": "texts/a1.txt", "outlet": "Reuters", "published": "2024-05-27"}
  {"id": "a2", "url": "https://example.org/a2", "outlet": "AP", "published": "2024-05-28", "title": "..."}
""")
@click.argument("paths", nargs=-1)
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False),
              help="JSONL file: one {id, path|url, outlet, published, title} object per line.")
@db_option
@click.option("--no-extract", is_flag=True,
              help="Only store the cleaned articles; extract them later with `sitrep reextract --pending`.")
@click.option("--allow-private", is_flag=True,
              help="Allow URLs on loopback, private or link-local addresses (refused by default).")
@click.option("--allow-outside-paths", "allow_outside", is_flag=True,
              help="Read manifest paths and folder symlinks that lead outside the manifest's or folder's own "
                   "folder (refused by default).")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Local worker processes for cleaning and extraction (0: one per core on large runs).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run cleaning and extraction on a Dask cluster: scheduler address or local:N.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Articles written per transaction (1: one transaction per article).")
@quiet_option
def ingest(paths: tuple[str, ...], manifest: str | None, db_path: str, no_extract: bool,
           allow_private: bool, allow_outside: bool, workers: int, dask_address: str | None, batch_size: int,
           quiet: bool) -> None:
    """Store news articles (files, folders, URLs, a manifest) and extract their incidents.

    PATHS are .txt or .html files, folders (read recursively, hidden files ignored), .jsonl
    manifests or http(s) URLs. Each article is cleaned (navigation, share bars, newsletter
    prompts and footers removed), its outlet, date and title are read from the manifest or the
    page, and non-English articles are stored but flagged. Re-running the same command is safe:
    articles already stored with the same text are reported as unchanged.

    Inputs that cannot be used (empty, binary, over 5 MB, unreachable) are listed at the end with
    the reason; the run still finishes with exit code 0. Exit code 3 means a database error.

    Articles are written in batches (--batch-size), each batch in one transaction: an interrupted
    run keeps the finished batches and the same command resumes after them.
    """
    from ..ingest import run_ingest

    if not paths and not manifest:
        raise click.UsageError("give at least one PATH or --manifest FILE (see sitrep ingest --help)")
    try:
        summary = run_ingest(list(paths), db_path=db_path, manifest=manifest, allow_private=allow_private,
                             allow_outside=allow_outside, extract=not no_extract, progress=not quiet,
                             batch_size=batch_size, workers=workers, dask=dask_address)
    except StoreError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(EXIT_DB) from exc
    _print_summary(summary, db_path, quiet=quiet)
    if summary.interrupted:
        click.echo(f"Interrupted: {len(summary.stored)} articles were stored in {db_path} before the stop, and "
                   "they are kept. Run the same command again to resume: stored articles are skipped as "
                   "unchanged.", err=True)
        raise SystemExit(130)


def _console() -> Console:
    """A console; wide when output goes to a file or pipe, so paths and reasons are not wrapped."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 200
    return console


def _print_summary(summary: object, db_path: str, *, quiet: bool) -> None:
    from ..records import IngestSummary

    assert isinstance(summary, IngestSummary)
    console = _console()
    new = len(summary.stored) - len(summary.replaced) - len(summary.flagged)
    if not quiet:
        table = Table(title=f"Ingest into {db_path} ({summary.seconds:.1f}s)", show_header=True)
        table.add_column("result")
        table.add_column("count", justify="right")
        for label, count in (("stored", new), ("replaced (text changed)", len(summary.replaced)),
                             ("flagged non-English (stored, not extracted)", len(summary.flagged)),
                             ("unchanged (already stored)", len(summary.unchanged)),
                             ("skipped", len(summary.skipped)),
                             ("read from a local path (the manifest's url kept as address)",
                              summary.local_copies),
                             ("incident reports extracted", summary.reports),
                             ("events created or updated", summary.events_touched)):
            table.add_row(label, str(count))
        console.print(table)
    if summary.manifests and not quiet:
        console.print(cell("Manifests read: " + ", ".join(summary.manifests)))
    if summary.skipped:
        skipped = Table(title="Skipped inputs", show_header=True)
        skipped.add_column("input", overflow="fold")
        skipped.add_column("reason", overflow="fold")
        for item in summary.skipped:
            skipped.add_row(cell(item.source), cell(item.reason))
        console.print(skipped)
    if quiet:
        console.print(f"{len(summary.stored)} stored, {len(summary.unchanged)} unchanged, "
                      f"{len(summary.flagged)} flagged, {len(summary.skipped)} skipped")


@click.command(epilog="""\b
Examples:
  sitrep articles
  sitrep articles --status non_english
""")
@db_option
@click.option("--status", type=click.Choice(["ok", "non_english"]), help="Only articles with this status.")
def articles(db_path: str, status: str | None) -> None:
    """List stored articles: id, date, outlet, title, language/status and length."""
    with open_store(db_path, must_exist=True, readonly=True) as store:
        rows = store.articles(status=status)
    table = Table(show_header=True, title=f"{len(rows)} articles in {db_path}")
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("outlet", max_width=24, overflow="ellipsis", no_wrap=True)
    table.add_column("title", max_width=60, overflow="ellipsis", no_wrap=True)
    table.add_column("language/status", no_wrap=True)
    table.add_column("words", justify="right", no_wrap=True)
    for a in rows:
        published = (a.published or "-") + ("?" if a.published_uncertain else "")
        state = a.language if a.status == "ok" else f"{a.language} ({a.status})"
        table.add_row(cell(a.id), published, cell(a.outlet), cell(a.title), cell(state), str(len(a.text.split())))
    _console().print(table)


@click.command(epilog="""\b
Examples:
  sitrep show 004_b26e2dcee2274f46
  sitrep show 004_b26e2dcee2274f46 --raw      the input as it was read
""")
@click.argument("article_id")
@db_option
@click.option("--raw", is_flag=True, help="Print the raw input instead of the cleaned text.")
def show(article_id: str, db_path: str, raw: bool) -> None:
    """Show one article: its metadata and cleaned text (what evidence offsets point into)."""
    with open_store(db_path, must_exist=True, readonly=True) as store:
        article = store.get_article(article_id)
    if article is None:
        raise click.ClickException(
            f"no article {article_id!r} in {db_path} (list them with `sitrep articles`)")
    published = article.published or "unknown"
    if article.published_uncertain:
        published += " (year inferred, uncertain)"
    for label, value in (("id", article.id), ("title", article.title), ("outlet", article.outlet),
                         ("published", published), ("source", article.source), ("url", article.url),
                         ("language", f"{article.language} ({article.status})"),
                         ("words", str(len(article.text.split()))), ("sha256", article.content_hash)):
        if value:
            click.echo(f"{label:>10}: {terminal_safe(value)}")
    click.echo("-" * 72)
    click.echo(terminal_safe(article.raw if raw else article.text))


COMMANDS = [ingest, articles, show]
