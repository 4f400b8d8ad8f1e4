"""The ingest stage end to end: every input kind, idempotency, bad inputs, crashes, URLs, the CLI."""

from __future__ import annotations

import http.server
import json
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.ingest import run_ingest
from sitrep.pipeline import Pipeline
from sitrep.sources import InputSpec, fetch_url
from sitrep.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PLACES = ["Bakhmut", "Kharkiv", "El Geneina", "Timbuktu", "Menaka", "Lashio", "Myawaddy", "Bunia", "Beni",
          "Mogadishu", "Kidal", "Sake"]


def _article_text(i: int) -> str:
    place = PLACES[i]
    return (f"Shelling kills {i + 2} in {place}\n"
            f"At least {i + 2} people were killed and {i + 5} wounded when shells hit a market in {place} on "
            f"Monday, local officials said. Witnesses said the shelling began early in the morning and "
            f"lasted for several hours, and that rescue teams were still searching the ruins of "
            f"{i + 1} houses.\n")


def _ingest(tmp_path: Path, *inputs: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return run_ingest(list(inputs), db_path=tmp_path / "t.db", extract=False, progress=False, **kwargs)  # type: ignore[arg-type]


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


# -- input kinds -----------------------------------------------------------------------------------
def test_text_file_is_stored_with_clean_text_raw_and_metadata(tmp_path: Path) -> None:
    src = FIXTURES / "junk" / "local_tv.txt"
    summary = _ingest(tmp_path, str(src))
    assert summary.stored == ["local_tv"]
    with Store(tmp_path / "t.db") as store:
        article = store.get_article("local_tv")
    assert article is not None
    assert article.text == (FIXTURES / "junk" / "local_tv.expected.txt").read_text(encoding="utf-8").strip()
    assert article.raw == src.read_text(encoding="utf-8")
    assert article.outlet == "Associated Press"
    assert article.published == "2024-03-02"
    assert article.title == "Russian drone kills 12 in Odesa apartment block"
    assert len(article.content_hash) == 64


def test_html_file_uses_page_metadata(tmp_path: Path) -> None:
    _ingest(tmp_path, str(FIXTURES / "lakes_herald.html"))
    with Store(tmp_path / "t.db") as store:
        article = store.get_article("lakes_herald")
    assert article is not None
    assert (article.outlet, article.published, article.title) == (
        "Lakes Herald", "2024-02-09", "M23 rebels shell camp near Goma, killing nine")
    assert "<p>" in article.raw and "<p>" not in article.text
    assert "Fighting around Sake" in article.text.split("\n")


def test_manifest_values_win_and_paths_are_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    shutil.copy(FIXTURES / "junk" / "wire_hardwrapped.txt", tmp_path / "texts" / "mali.txt")
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(
        json.dumps({"id": "mali-1", "path": "texts/mali.txt", "outlet": "Sahel Wire",
                    "published": "2024-03-17", "title": "Wedding strike"}) + "\n"
        + json.dumps({"id": "gone", "path": "texts/missing.txt", "outlet": None, "published": None}) + "\n"
        + "{not json\n",
        encoding="utf-8",
    )
    summary = _ingest(tmp_path, manifest=str(manifest))
    assert summary.stored == ["mali-1"]
    reasons = {s.source: s.reason for s in summary.skipped}
    assert any("missing.txt" in src and "no such file" in r for src, r in reasons.items())
    assert any(src.endswith("manifest.jsonl:3") and "not valid JSON" in r for src, r in reasons.items())
    with Store(tmp_path / "t.db") as store:
        article = store.get_article("mali-1")
    assert article is not None
    assert (article.outlet, article.published, article.title, article.published_uncertain) == (
        "Sahel Wire", "2024-03-17", "Wedding strike", False)


def test_folder_is_recursive_sorted_and_ignores_hidden_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "b.txt").write_text(_article_text(1), encoding="utf-8")
    (folder / "sub" / "a.txt").write_text(_article_text(2), encoding="utf-8")
    (folder / ".secret.txt").write_text(_article_text(3), encoding="utf-8")
    (folder / ".hidden" / "c.txt").write_text(_article_text(4), encoding="utf-8")
    summary = _ingest(tmp_path, str(folder))
    assert summary.stored == ["b", "a"]  # sorted by path: in/b.txt < in/sub/a.txt
    assert summary.skipped == []


def test_same_stem_in_two_folders_gets_two_ids(tmp_path: Path) -> None:
    for n, sub in enumerate(("x", "y")):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "report.txt").write_text(_article_text(n), encoding="utf-8")
    summary = _ingest(tmp_path, str(tmp_path / "in"))
    assert len(summary.stored) == 2 and summary.stored[0] == "report"
    assert summary.stored[1].startswith("report-")


# -- idempotency and crashes -----------------------------------------------------------------------
def test_reingest_is_unchanged_and_changes_nothing(tmp_path: Path) -> None:
    inputs = [str(FIXTURES / "junk" / f"{s}.txt") for s in ("portal_glued", "archive_newsletter", "local_tv",
                                                           "wire_hardwrapped")]
    inputs.append(str(FIXTURES / "lakes_herald.html"))
    first = _ingest(tmp_path, *inputs)
    assert len(first.stored) == 5
    db = tmp_path / "t.db"
    before = {t: _count(db, t) for t in ("articles", "reports", "claims", "events")}
    second = _ingest(tmp_path, *inputs)
    assert second.stored == [] and sorted(second.unchanged) == sorted(first.stored)
    assert {t: _count(db, t) for t in before} == before
    assert _count(db, "ingest_log") >= 2 * (5 + len(first.skipped))


def test_edited_file_replaces_its_article(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(_article_text(0), encoding="utf-8")
    _ingest(tmp_path, str(path))
    path.write_text(_article_text(0) + "The governor declared three days of mourning.\n", encoding="utf-8")
    summary = _ingest(tmp_path, str(path))
    assert summary.replaced == ["story"]
    assert _count(tmp_path / "t.db", "articles") == 1


def test_crash_mid_batch_then_rerun_stores_everything_once(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"a{i}.txt").write_text(_article_text(i), encoding="utf-8")
    real_process = Pipeline.process
    calls = {"n": 0}

    def crashing_process(self: Pipeline, store: Store, article):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 4:
            with store.transaction():  # die half-way through writing the 4th article
                store.insert_article(article)
                raise KeyboardInterrupt
        return real_process(self, store, article)

    monkeypatch.setattr(Pipeline, "process", crashing_process)
    interrupted = _ingest(tmp_path, str(folder))  # Ctrl-C ends the run; the summary says so
    assert interrupted.interrupted and interrupted.stored == ["a0", "a1", "a2"]
    db = tmp_path / "t.db"
    assert _count(db, "articles") == 3  # the interrupted article was rolled back
    monkeypatch.setattr(Pipeline, "process", real_process)
    summary = _ingest(tmp_path, str(folder))
    assert sorted(summary.unchanged) == ["a0", "a1", "a2"]
    assert summary.stored == ["a3", "a4", "a5"]
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        assert ids == [f"a{i}" for i in range(6)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_extractor_error_on_one_article_does_not_stop_the_batch(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(_article_text(i), encoding="utf-8")
    real_process = Pipeline.process

    def flaky(self: Pipeline, store: Store, article):  # type: ignore[no-untyped-def]
        if article.id == "a1":
            raise ValueError("model exploded")
        return real_process(self, store, article)

    monkeypatch.setattr(Pipeline, "process", flaky)
    summary = _ingest(tmp_path, str(folder))
    assert summary.stored == ["a0", "a2"]
    skipped = [(Path(s.source).name, "model exploded" in s.reason) for s in summary.skipped]
    assert skipped == [("a1.txt", True)]


# -- the CLI on a messy folder ---------------------------------------------------------------------
def test_cli_messy_folder_stores_good_flags_french_lists_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(10):
        (folder / f"good{i:02d}.txt").write_text(_article_text(i), encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes(b"war " * (6 * 1024 * 1024 // 4))
    shutil.copy(FIXTURES / "french.txt", folder / "francais.txt")
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--no-extract"])
    assert result.exit_code == 0, result.output
    out = result.output
    for name, reason in (("scan.txt", "binary"), ("empty.txt", "empty"), ("huge.txt", "too large")):
        line = next(ln for ln in out.splitlines() if name in ln)
        assert reason in line, line
    with Store(db) as store:
        ok = store.articles(status="ok")
        flagged = store.articles(status="non_english")
    assert len(ok) == 10
    assert [(a.id, a.language) for a in flagged] == [("francais", "fr")]
    assert "flagged non-English" in out
    articles = CliRunner().invoke(cli, ["articles", "--db", str(db)])
    assert articles.exit_code == 0 and "francais" in articles.output and "fr (non_english)" in articles.output
    with sqlite3.connect(db) as conn:
        statuses = dict(conn.execute("SELECT status, COUNT(*) FROM ingest_log GROUP BY status").fetchall())
    assert statuses == {"stored": 10, "flagged": 1, "skipped": 3}


def test_cli_show_prints_clean_and_raw_text(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(FIXTURES / "junk" / "portal_glued.txt"), "--db", str(db),
                               "--no-extract", "-q"]).exit_code == 0
    shown = runner.invoke(cli, ["show", "portal_glued", "--db", str(db)])
    assert shown.exit_code == 0
    assert "outlet: Gulf Wire" in shown.output and "published: 2024-05-12" in shown.output
    assert "Navigation menu" not in shown.output and "Aid blocked" in shown.output
    raw = runner.invoke(cli, ["show", "portal_glued", "--db", str(db), "--raw"])
    assert "Navigation menu" in raw.output
    missing = runner.invoke(cli, ["show", "nope", "--db", str(db)])
    assert missing.exit_code != 0 and "no article" in missing.output


def test_cli_without_inputs_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2


def test_cli_database_error_exits_3(tmp_path: Path) -> None:
    bad = tmp_path / "notadb.db"
    bad.write_bytes(b"this is not a sqlite file at all" * 100)
    result = CliRunner().invoke(cli, ["ingest", str(FIXTURES / "french.txt"), "--db", str(bad)])
    assert result.exit_code == 3


# -- URLs against a local server -------------------------------------------------------------------
ARTICLE_HTML = (FIXTURES / "lakes_herald.html").read_bytes()


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/article.html":
            self._send(200, ARTICLE_HTML, "text/html; charset=utf-8")
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path.startswith("/hop/"):
            n = int(self.path.rsplit("/", 1)[1])
            self._redirect(f"/hop/{n - 1}" if n > 0 else "/article.html")
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(6 * 16):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, code: int, body: bytes, ctype: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _fetch(url: str, allow_private: bool = True):  # type: ignore[no-untyped-def]
    return fetch_url(InputSpec(source=url, is_url=True), allow_private=allow_private)


def test_url_ingest_stores_page_with_hash_id(server: str, tmp_path: Path) -> None:
    summary = _ingest(tmp_path, f"{server}/article.html", allow_private=True)
    assert len(summary.stored) == 1 and summary.stored[0].startswith("url-")
    with Store(tmp_path / "t.db") as store:
        article = store.get_article(summary.stored[0])
    assert article is not None and article.outlet == "Lakes Herald"
    assert article.url == f"{server}/article.html"


def test_url_redirects_are_followed_up_to_five(server: str) -> None:
    doc = _fetch(f"{server}/hop/4")
    assert getattr(doc, "url", None) == f"{server}/article.html"
    too_many = _fetch(f"{server}/hop/6")
    assert "too many redirects" in getattr(too_many, "reason", "")


@pytest.mark.parametrize("path, reason", [
    ("/loop", "too many redirects"),
    ("/big", "too large"),
    ("/missing", "HTTP error 404"),
])
def test_bad_urls_are_skipped_with_reason(server: str, path: str, reason: str) -> None:
    result = _fetch(server + path)
    assert reason in getattr(result, "reason", ""), result


def test_loopback_is_refused_without_allow_private(server: str, tmp_path: Path) -> None:
    summary = _ingest(tmp_path, f"{server}/article.html")
    assert summary.stored == []
    assert "refused" in summary.skipped[0].reason and "--allow-private" in summary.skipped[0].reason


def test_unreachable_and_non_http_urls_are_skipped(tmp_path: Path) -> None:
    summary = _ingest(tmp_path, "http://127.0.0.1:9/nothing", "ftp://example.org/a.txt", allow_private=True)
    reasons = [s.reason for s in summary.skipped]
    assert "unreachable" in reasons[0] and "unsupported URL scheme" in reasons[1]
