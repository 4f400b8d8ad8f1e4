"""Inputs a new or hostile user can give: manifests with paths and urls, publication dates, folders with a
manifest, paths outside the manifest's folder, special files, malformed HTTP servers, terminal markup."""

from __future__ import annotations

import ipaddress
import json
import os
import socketserver
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from script_loader import load_script

from sitrep import sources
from sitrep.clean import UnreadableInput, decode_bytes, html_to_text, is_headline
from sitrep.cli import cli
from sitrep.ingest import run_ingest
from sitrep.metadata import parse_published, text_metadata
from sitrep.records import SkippedInput
from sitrep.sources import InputSpec, fetch_url, list_inputs, read_file

mutation = load_script("mutation_corpus")

STORY = ("Militia attack kills five in Ituri village\n"
         "Five villagers were killed when militiamen attacked a farming village near Djugu on Tuesday, "
         "a local official said. Several houses were burned during the raid.\n")


def _ingest(tmp_path: Path, *inputs: str, manifest: str | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    return run_ingest(list(inputs), db_path=tmp_path / "t.db", manifest=manifest, extract=False,
                      progress=False, **kwargs)  # type: ignore[arg-type]


def _manifest(folder: Path, *records: dict[str, object]) -> Path:
    path = folder / "manifest.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# -- manifests ---------------------------------------------------------------------------------------
def test_manifest_record_with_path_and_url_reads_the_file_and_keeps_the_url(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    manifest = _manifest(tmp_path, {"id": "a", "path": "a.txt", "url": "https://news.invalid/a",
                                    "published": "2024-03-05"})
    summary = _ingest(tmp_path, manifest=str(manifest))
    assert summary.stored == ["a"] and not summary.skipped and summary.local_copies == 1
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("SELECT url, published FROM articles").fetchone() == ("https://news.invalid/a",
                                                                                "2024-03-05")


@pytest.mark.parametrize(("given", "stored"), [
    ("2023-01-26", "2023-01-26"),
    ("2023-01-26T22:30:00-05:00", "2023-01-26"),
    ("2023-01-26 08:15Z", "2023-01-26"),
    ("Thu, 26 Jan 2023 10:00:00 +0000", "2023-01-26"),
    ("January 26, 2023", "2023-01-26"),
    ("26 January 2023", "2023-01-26"),
    ("26/01/2023", "2023-01-26"),
    ("01/26/2023", "2023-01-26"),
    ("07/07/2023", "2023-07-07"),
])
def test_published_forms_that_are_read(given: str, stored: str) -> None:
    assert parse_published(given) == stored


@pytest.mark.parametrize(("given", "why"), [
    ("03/04/2023", "ambiguous"),
    ("2024-02-30", "not a real day"),
    ("last Tuesday", "YYYY-MM-DD"),
    ("2023", "YYYY-MM-DD"),
])
def test_published_forms_that_are_refused(given: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_published(given)


def test_bad_published_skips_that_line_with_its_number_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY.replace("five", "six"), encoding="utf-8")
    manifest = _manifest(tmp_path, {"id": "a", "path": "a.txt", "published": "26/01/2023"},
                         {"id": "b", "path": "b.txt", "published": "05/06/2023"})
    summary = _ingest(tmp_path, manifest=str(manifest))
    assert summary.stored == ["a"]
    [skipped] = summary.skipped
    assert skipped.source.endswith("manifest.jsonl:2") and "ambiguous" in skipped.reason


def test_manifest_path_outside_its_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    outside = tmp_path / "private.txt"
    outside.write_text(STORY, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    manifest = _manifest(corpus, {"id": "x", "path": "../private.txt"}, {"id": "y", "path": str(outside)})
    refused = list_inputs([], str(manifest))
    assert all(isinstance(s, SkippedInput) and "outside the manifest's folder" in s.reason for s in refused)
    allowed = list_inputs([], str(manifest), allow_outside=True)
    assert [s.source for s in allowed if isinstance(s, InputSpec)] == [str(outside), str(outside)]


def test_nul_byte_and_symlink_loop_in_a_manifest_are_that_line_s_problem(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    manifest = _manifest(tmp_path, {"id": "n", "path": "bad\x00name.txt"}, {"id": "l", "path": "loop"},
                         {"id": "g", "path": "good.txt"})
    summary = _ingest(tmp_path, manifest=str(manifest))
    assert summary.stored == ["g"] and len(summary.skipped) == 2


def test_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    manifest = _manifest(tmp_path, {"id": "a", "path": "a.txt", "title": "Raid\u2028in Djugu"})
    assert [type(s) for s in list_inputs([], str(manifest))] == [InputSpec]


# -- folders and special files --------------------------------------------------------------------------
def test_folder_with_a_manifest_reads_it_and_does_not_list_its_files_twice(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY.replace("five", "seven"), encoding="utf-8")
    for name in ("k1.json", "k2.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    _manifest(tmp_path, {"id": "from-manifest", "path": "a.txt", "outlet": "Ituri Daily"})
    summary = _ingest(tmp_path, str(tmp_path))
    assert sorted(summary.stored) == ["b", "from-manifest"]
    assert summary.manifests == [str(tmp_path / "manifest.jsonl")]
    [skipped] = summary.skipped  # one line for both .json files
    assert "(2 files)" in skipped.source and "'.json'" in skipped.reason


def test_symlink_in_a_folder_that_leads_outside_it_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(STORY, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link.txt").symlink_to(secret)
    [spec] = list_inputs([str(corpus)])
    assert isinstance(spec, SkippedInput) and "outside" in spec.reason


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = read_file(InputSpec(source=str(fifo)))
    assert isinstance(result, SkippedInput) and "not a regular file" in result.reason


def test_a_device_is_refused() -> None:
    result = read_file(InputSpec(source="/dev/zero"))
    assert isinstance(result, SkippedInput) and "not a regular file" in result.reason


# -- the year of a dateline without one ----------------------------------------------------------------
def test_dateline_year_comes_from_a_full_date_in_the_text_not_the_clock() -> None:
    text = ("GOMA, March 4 (Reuters) - Rebels shelled a camp on Monday, officials said.\n"
            "The camp was set up after fighting on 4 March 2019 and again in 2021.\n")
    meta = text_metadata(text, text)
    assert (meta.published, meta.published_uncertain) == ("2019-03-04", True)


def test_dateline_year_comes_from_the_url() -> None:
    text = "BAMAKO, Aug 9 (AFP) - Gunmen attacked a convoy, the army said.\n"
    meta = text_metadata(text, text, url="https://news.invalid/world/2022/08/09/convoy-attack")
    assert meta.published == "2022-08-09"


def test_dateline_without_any_year_in_the_text_is_left_undated() -> None:
    text = "MOGADISHU, May 17 (Reuters) - A car bomb exploded near a checkpoint, police said.\n"
    assert text_metadata(text, text).published is None


# -- titles --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("line", ["By REUTERS STAFF More by this Author", "Home News World Africa Sahel",
                                  "Home | World | Asia | Opinion"])
def test_bylines_and_navigation_are_not_headlines(line: str) -> None:
    assert not is_headline(line)


def test_a_headline_is_a_headline() -> None:
    assert is_headline("Drone strike on Sudan market kills 14, medics say")


def test_navigation_first_line_is_not_taken_as_the_title() -> None:
    text = "Home News World Politics\nDrone strike on Sudan market kills 14\nA drone hit a market on Sunday.\n"
    assert text_metadata(text, text).title == "Drone strike on Sudan market kills 14"


# -- terminal output -------------------------------------------------------------------------------------
def test_markup_and_escape_codes_in_stored_text_reach_the_terminal_harmlessly(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    manifest = _manifest(tmp_path, {"id": "a", "path": "a.txt", "title": "[/b] [link=x]Raid\x1b[31m",
                                    "outlet": "[bold]Outlet"})
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "--manifest", str(manifest), "--db", db, "--no-extract"]).exit_code == 0
    listing = runner.invoke(cli, ["articles", "--db", db])
    assert listing.exit_code == 0, listing.output
    assert "[bold]Outlet" in listing.output and "\x1b" not in listing.output
    shown = runner.invoke(cli, ["show", "a", "--db", db])
    assert shown.exit_code == 0 and "\x1b" not in shown.output


# -- malformed HTTP servers ------------------------------------------------------------------------------
#: the hostile responses of the mutation corpus, by path (a binary body is fetched, then refused at decoding)
RESPONSES = {f"/{name}": body for name, body in mutation.HOSTILE_RESPONSES.items() if name != "binary-body"}


class _RawHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        request = self.request.recv(65536).decode("latin-1")
        path = request.split(" ")[1] if " " in request else "/"
        try:
            if path == "/drip":
                for byte in b"HTTP/1.1 200 OK\r\n":
                    self.request.sendall(bytes([byte]))
                    time.sleep(0.3)
            self.request.sendall(RESPONSES.get(path, b"HTTP/1.1 404 Not Found\r\n\r\n"))
        except OSError:
            pass


@pytest.fixture(scope="module")
def raw_server() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _RawHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", sorted(RESPONSES))
def test_a_malformed_response_is_that_url_s_skip_reason(raw_server: str, path: str) -> None:
    result = fetch_url(InputSpec(source=raw_server + path, is_url=True), allow_private=True)
    assert isinstance(result, SkippedInput), result
    assert result.reason


def test_a_server_dripping_its_headers_is_cut_off_by_one_deadline(raw_server: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "URL_TOTAL_TIMEOUT", 1.0)
    started = time.monotonic()
    result = fetch_url(InputSpec(source=raw_server + "/drip", is_url=True), allow_private=True)
    assert time.monotonic() - started < 4
    assert isinstance(result, SkippedInput) and "too slow" in result.reason


def test_credentials_in_a_url_are_a_skip_not_a_crash() -> None:
    result = fetch_url(InputSpec(source="http://user:pass@127.0.0.1:notaport/", is_url=True), allow_private=True)
    assert isinstance(result, SkippedInput)


def test_one_bad_server_does_not_stop_the_batch(tmp_path: Path, raw_server: str) -> None:
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(STORY.replace("five", f"{i + 5} more"), encoding="utf-8")
    summary = _ingest(tmp_path, str(tmp_path / "a0.txt"), raw_server + "/bad-status-line", str(tmp_path / "a1.txt"),
                      raw_server + "/150-headers", str(tmp_path / "a2.txt"), allow_private=True)
    assert sorted(summary.stored) == ["a0", "a1", "a2"] and len(summary.skipped) == 2



@pytest.mark.parametrize(("address", "public"), [
    ("::127.0.0.1", False), ("::ffff:10.0.0.7", False), ("64:ff9b::192.168.1.1", False),
    ("2002:7f00:1::1", False), ("64:ff9b::8.8.8.8", True), ("2606:4700::1111", True), ("::1", False),
])
def test_ipv6_addresses_that_embed_a_private_ipv4_address_are_private(address: str, public: bool) -> None:
    assert sources._is_public(ipaddress.ip_address(address)) is public


def test_the_api_shows_a_local_file_s_name_not_its_path() -> None:
    from sitrep.web.queries import public_source

    assert public_source("/home/analyst/corpus/secret/a.txt") == "a.txt"
    assert public_source("https://news.invalid/a") == "https://news.invalid/a"


# -- decoding --------------------------------------------------------------------------------------------
def test_a_few_broken_bytes_in_a_utf8_file_keep_it_utf8() -> None:
    data = "Clashes near Bunia – “heavy” fighting, said Médecins Sans Frontières. ".encode() * 4 + b"\xff\n"
    text = decode_bytes(data)
    assert "Médecins" in text and "â€" not in text


def test_a_utf16_bom_before_8_bit_text_is_ignored() -> None:
    assert decode_bytes(b"\xff\xfeShelling hit a market in Kharkiv.") == "Shelling hit a market in Kharkiv."


def test_a_cp1252_file_is_still_read_as_cp1252() -> None:
    assert decode_bytes("Soldiers raided Ségou overnight.".encode("cp1252")) == "Soldiers raided Ségou overnight."


@pytest.mark.parametrize("data", [b"%PDF-1.7\nstream of text objects", b"PK\x03\x04 zipped", b"{\\rtf1 text}"])
def test_documents_that_are_not_text_are_refused_with_what_to_do(data: bytes) -> None:
    with pytest.raises(UnreadableInput, match="convert it to text"):
        decode_bytes(data)


def test_html_nested_deeper_than_the_parser_limit_keeps_its_text() -> None:
    page = ("<html><body>" + "<div>" * 400 + "<p>Gunmen killed six traders on the road to Mopti on Friday, "
            "officials said.</p>" + "</div>" * 400 + "</body></html>")
    assert "six traders" in html_to_text(page)


def test_an_undated_article_is_dated_from_its_photo_caption_when_nothing_else_dates_it() -> None:
    text = ("Soldiers withdraw after two-day raid\n"
            "Armoured vehicles leave the town of Beni, March 3, 2021. (Photo: Jean Dupont/Kivu Images)\n"
            "The army said the operation ended on Wednesday morning after heavy fighting on Tuesday.\n")
    meta = text_metadata(text, text)
    assert (meta.published, meta.published_uncertain) == ("2021-03-03", True)
