"""``sitrep rebuild`` (re-merge every stored report) and ``sitrep reextract`` (extract stored articles again)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import click

from ..store import StoreError
from .common import EXIT_DB, EXIT_PARTIAL, db_option, open_store, quiet_option


@click.command(epilog="""\b
Examples:
  sitrep rebuild                    after editing src/sitrep/data/merge.json (thresholds, weights)
  sitrep rebuild --db conflict.db -q
""")
@db_option
@quiet_option
def rebuild(db_path: str, quiet: bool) -> None:
    """Merge every stored incident report into events again, from scratch.

    Run it after a change to the merge settings (data/merge.json) or an upgrade of sitrep's merging:
    the events become what a fresh ingest of the same articles would give, and corrections made by
    hand (`sitrep fix`, `split`, `join`) are applied again. It is one transaction: if it is
    interrupted nothing has changed, and running it again does the whole job.
    """
    from ..ingest import progress_bar
    from ..rebuild import rebuild as run_rebuild

    with open_store(db_path, must_exist=True) as store, contextlib.ExitStack() as bars:
        before = len(store.event_rows())

        def writing(total: int) -> Callable[[int], None]:
            reporter = bars.enter_context(progress_bar(total, enabled=not quiet, label="rebuild", unit="events"))

            def advance(done: int) -> None:
                for _ in range(done):
                    reporter.advance("events")
            return advance

        try:
            if not quiet:
                click.echo(f"re-merging the incident reports of {db_path} ...", err=True)
            run_rebuild(store, writing=writing)
            count = len(store.event_rows())  # after the corrections (a join makes one of several)
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing was changed. Run `sitrep rebuild` again.", err=True)
            raise SystemExit(130) from None
        except StoreError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(EXIT_DB) from exc
    click.echo(f"{count} events (there were {before}) in {db_path}")


@click.command(epilog="""\b
Examples:
  sitrep reextract                          every stored English article
  sitrep reextract --country NGA            after `sitrep gazetteer import NG.zip`
  sitrep reextract --outlet Reuters --since 2024-05-01
  sitrep reextract --article a01_chuhuiv_strike_ap --article a02_chuhuiv_toll_reuters
  sitrep reextract --pending                articles stored with `ingest --no-extract`, or left by a stop
""")
@db_option
@click.option("--article", "article_ids", multiple=True, metavar="ID", help="Only this article (repeatable).")
@click.option("--outlet", help="Only articles of this outlet (exact name, any case).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Only articles published on or after this day.")
@click.option("--country", metavar="ISO3|NAME", help="Only articles with an incident placed in this country.")
@click.option("--pending", is_flag=True,
              help="Only articles waiting for extraction (ingest --no-extract, an interrupted reextract).")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True,
              help="Articles re-extracted per transaction.")
@quiet_option
def reextract(db_path: str, article_ids: tuple[str, ...], outlet: str | None, since: object, country: str | None,
              pending: bool, batch_size: int, quiet: bool) -> None:
    """Run extraction again on stored articles and re-merge the incidents that changed.

    Run it after an upgrade of sitrep or a `sitrep gazetteer import`: the chosen articles get the
    places, figures and types a fresh ingest would give them, and their incidents are merged again
    (corrections made by hand are applied again). The chosen articles are first marked as waiting,
    then re-extracted a batch per transaction; until then their old results stay. If the run is
    interrupted, `sitrep reextract --pending` (or the same command) finishes the job.
    """
    from ..dataset.countries import country_code
    from ..ingest import progress_bar
    from ..pipeline import Pipeline
    from ..rebuild import Selection, mark_pending, pending_articles, select_articles
    from ..rebuild import reextract as run_reextract

    code = None
    if country:
        code = country_code(country)
        if code is None:
            raise click.BadParameter(f"unknown country {country!r}: give an ISO3 code such as NGA or a name",
                                     param_hint="--country")
    day = since.date().isoformat() if since is not None else None  # type: ignore[attr-defined]
    selection = Selection(article_ids=article_ids, outlet=outlet, since=day, country=code)
    with open_store(db_path, must_exist=True) as store:
        try:
            if not pending:
                chosen = select_articles(store, selection)
                if article_ids and (missing := sorted(set(article_ids) - set(chosen))):
                    raise click.ClickException(f"no English article {', '.join(missing)} in {db_path} "
                                               "(list them with `sitrep articles`)")
                mark_pending(store, chosen)
            waiting = len(pending_articles(store))
            if not quiet:
                click.echo(f"re-extracting {waiting} article(s) in {db_path} ...", err=True)
            with progress_bar(waiting, enabled=not quiet, label="reextract") as bar:
                summary = run_reextract(store, Pipeline(), batch_size=batch_size, advance=bar.advance)
        except KeyboardInterrupt:
            click.echo("Interrupted: the finished batches are kept. Run `sitrep reextract --pending` to finish.",
                       err=True)
            raise SystemExit(130) from None
        except StoreError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(EXIT_DB) from exc
        events = len(store.event_rows())
    click.echo(f"{len(summary.done)} article(s) re-extracted ({summary.reports} incident reports) in "
               f"{summary.seconds:.1f}s; {events} events in {db_path}")
    for article_id, why in summary.failed:
        click.echo(f"  failed: {article_id}: {why} (still waiting; fix and run `sitrep reextract --pending`)", err=True)
    if summary.failed:
        raise SystemExit(EXIT_PARTIAL)


COMMANDS = [rebuild, reextract]
