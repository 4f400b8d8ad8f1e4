"""Security: XSS payloads in every stored field and query parameter render inert, SQL injection
through every API parameter changes nothing, path traversal fails, oversized requests are refused,
security headers are set, and the URL ingester only fetches public http(s) addresses.

The same payload corpus is driven through a real browser in tests/test_security_browser.py.
"""

from __future__ import annotations

import hashlib
import http.server
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from sitrep import sources
from sitrep.records import (
    ActorMention,
    Article,
    ArticleExtraction,
    CasualtyClaim,
    DateRef,
    Event,
    Evidence,
    IncidentReport,
    Place,
    Range,
    Tally,
    Victim,
)
from sitrep.sources import InputSpec, fetch_url, list_inputs
from sitrep.store import Store
from sitrep.web import create_app

# -- the payload corpus ------------------------------------------------------------------------------
XSS_PAYLOADS = [
    "<script>alert('x1')</script>",
    '"><script>alert("x2")</script>',
    "'><img src=x onerror=alert('x3')>",
    "<svg/onload=alert('x4')>",
    "javascript:alert('x5')",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgneDYnKTwvc2NyaXB0Pg==",
    '<a href="javascript:alert(\'x7\')">x7</a>',
    "<iframe src=\"data:text/html,<script>alert('x8')</script>\"></iframe>",
    "</title><script>alert('x9')</script>",
    "</textarea><script>alert('x10')</script>",
    "<body onload=alert('x11')>",
    "{{ 7*7 }}{% raw %}x12",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('x13')>",
    "\u202e<script>alert('x14')</script>",
    "<scr<script>ipt>alert('x15')</script>",
    "&lt;script&gt;alert('x16')&lt;/script&gt;",
    "<object data=\"data:text/html,<script>alert('x17')</script>\"></object>",
    "`${alert('x18')}`",
    "<style>@import 'javascript:alert(19)';</style>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert('x20')\">",
]
SQL_PAYLOADS = [
    "' OR '1'='1", "1' OR 1=1 --", "'; DROP TABLE events; --", "\" OR \"\"=\"", "1; DELETE FROM articles",
    "' UNION SELECT id, text, raw FROM articles --", "%' AND 1=1 AND '%'='", "') OR ('a'='a", "1/*comment*/",
    "' || (SELECT sqlite_version()) || '", "ATTACH DATABASE '/tmp/x.db' AS x; --", "%", "_", "\\", "'",
    "UKR' --", "2024-01-01' OR '1'='1", "1e309", "-1", "999999999999999999999999", "NaN", "0x41",
    "1,2,3,4", "../../etc/passwd", "PRAGMA writable_schema=1",
]
N = len(XSS_PAYLOADS)


def _place(i: int, payload: str) -> Place:
    return Place(f"Gao {payload}", 16.27 + i / 100, -0.04, "MLI", admin1=f"Gao {payload}")


def build_hostile_db(path: Path) -> Path:
    """One article, incident, tally and victim per payload; the payload is in every text field."""
    with Store(path) as store, store.transaction():
        events = []
        for i, payload in enumerate(XSS_PAYLOADS):
            aid = f"hostile-{i:02d}{payload[:12]}"
            lead = f"Gunmen killed {i + 3} villagers near Gao on Monday, a local official said."
            text = f"{lead}\n{payload}\nA post online read {payload} and another {payload}."
            store.insert_article(Article(
                id=aid, text=text, raw=f"<p>{text}</p>", content_hash=hashlib.sha256(text.encode()).hexdigest(),
                source=f"fixture {payload}", outlet=f"Outlet {payload}", published="2024-06-08",
                title=f"Title {payload}", url=payload if payload.startswith(("javascript", "data")) else None,
            ))
            ev = Evidence.of(text, 0, len(lead))
            report = IncidentReport(
                article_id=aid, index=0, date=DateRef("2024-06-03", "day", evidence=Evidence.of(text, 48, 54)),
                place=_place(i, payload), event_type=f"Violence against civilians {payload}" if i % 2 else
                "Violence against civilians", sub_event_type=f"Attack {payload}",
                actors=[ActorMention(f"Unidentified Armed Group {payload}", f"Gunmen {payload}", evidence=ev)],
                claims=[CasualtyClaim("killed", i + 3, victims=f"villagers {payload}", claimant=f"official {payload}",
                                      evidence=ev)],
                victims=[Victim(f"Name {payload}", 30, "killed", f"role {payload}", ev)],
                fatalities=Range(i + 3, i + 3), main=True, summary=f"summary {payload}", evidence=ev,
            )
            store.save_extraction(ArticleExtraction(aid, [report], [Tally(
                "killed", 100 + i, victims=f"civilians {payload}", area=f"Gao region {payload}",
                period_start="2024-01-01", as_of="2024-06-08", claimant=f"ministry {payload}", evidence=ev)]))
            events.append(Event(
                id=f"{aid}#0", date=report.date, place=report.place, event_type=report.event_type,
                sub_event_type=report.sub_event_type, actors=[a.name for a in report.actors],
                fatalities=report.fatalities, injuries=None, reports=[report], merge_reasons=[f"reason {payload}"],
            ))
        store.replace_events(events)
    return path


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    return build_hostile_db(tmp_path_factory.mktemp("hostile") / "hostile.db")


@pytest.fixture(scope="module")
def client(hostile_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_db, allowed_hosts=["testserver"])) as c:
        yield c


def _file_digest(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    return hashlib.sha256(dump.encode()).hexdigest()


# -- XSS: what the HTML contains -----------------------------------------------------------------------
class ActiveContent(HTMLParser):
    """Collects everything in a page that could run script: inline scripts, event handlers, bad URLs."""

    URL_ATTRS = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "poster"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.found.append(f"<script> without a local src: {attrs}")
        if tag in ("iframe", "object", "embed", "frame", "base") or (tag == "meta" and "http-equiv" in names):
            self.found.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler {name} on <{tag}>")
            if name in self.URL_ATTRS and value and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.found.append(f"{name}={value[:40]} on <{tag}>")
            if name == "style" and value and "javascript" in value.lower():
                self.found.append(f"style with javascript on <{tag}>")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


def page_urls(client: TestClient) -> list[str]:
    items = client.get("/api/incidents", params={"limit": 500}).json()["items"]
    articles = client.get("/api/articles", params={"limit": 500}).json()["items"]
    assert len(items) == N and len(articles) == N
    urls = ["/", "/api/docs", "/nothing-here"]
    urls += [f"/incidents/{quote(i['id'], safe='')}" for i in items]
    urls += [f"/articles/{quote(a['id'], safe='')}" for a in articles]
    return urls


def test_stored_payloads_render_inert_in_every_page(client: TestClient) -> None:
    for url in page_urls(client):
        r = client.get(url)
        assert r.status_code in (200, 404), url
        assert active_content(r.text) == [], url
        assert "<script>alert" not in r.text and "<img src=x onerror" not in r.text and "<svg/onload" not in r.text


def test_article_page_shows_the_payload_as_text(client: TestClient) -> None:
    aid = client.get("/api/articles", params={"limit": 1}).json()["items"][0]["id"]
    html = client.get(f"/articles/{quote(aid, safe='')}").text
    assert "&lt;" in html  # escaped, so the reader sees the characters


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_query_parameters_are_not_reflected_as_markup(client: TestClient, payload: str) -> None:
    for url in ("/", "/api/docs", f"/incidents/{quote(payload, safe='')}", f"/articles/{quote(payload, safe='')}"):
        r = client.get(url, params={"q": payload, "actor": payload, "since": payload, "country": payload})
        assert r.status_code < 500
        assert active_content(r.text) == [], url


def test_json_api_serves_payloads_as_json_strings(client: TestClient) -> None:
    r = client.get("/api/incidents", params={"limit": 500})
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert any("<script>" in json_item["location"]["name"] for json_item in r.json()["items"])


def test_csv_export_defuses_formulas_and_keeps_payloads_as_text(client: TestClient) -> None:
    r = client.get("/api/incidents.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]


# -- SQL injection through every parameter -----------------------------------------------------------
def api_parameters(client: TestClient) -> list[tuple[str, str]]:
    """(path, query parameter) for every GET endpoint in the OpenAPI document."""
    spec = client.get("/api/openapi.json").json()
    out = []
    for path, methods in spec["paths"].items():
        for param in methods.get("get", {}).get("parameters", []):
            if param["in"] == "query":
                out.append((path, param["name"]))
    return out


def test_every_api_parameter_is_covered(client: TestClient) -> None:
    params = api_parameters(client)
    assert len(params) >= 25
    assert {name for _, name in params} >= {"q", "actor", "since", "until", "bbox", "country", "type", "limit",
                                            "offset", "min_killed", "disputed", "sort", "outcome", "area",
                                            "claimant", "outlet", "incident", "article"}


def test_sql_injection_through_every_parameter_changes_nothing(client: TestClient, hostile_db: Path) -> None:
    before = _file_digest(hostile_db)
    baseline = client.get("/api/incidents").json()["total"]
    tried = 0
    for path, name in api_parameters(client):
        url = path.replace("{event_id}", "x").replace("{article_id}", "x")
        for payload in SQL_PAYLOADS:
            r = client.get(url, params={name: payload})
            tried += 1
            assert r.status_code in (200, 400, 404, 422), (url, name, payload, r.status_code)
            if r.status_code == 200 and r.headers["content-type"].startswith("application/json"):
                body = r.json()
                if isinstance(body, dict) and "total" in body:
                    assert body["total"] <= baseline, (url, name, payload)
    for payload in SQL_PAYLOADS:  # ids in the path
        for prefix in ("/api/incidents/", "/api/articles/", "/incidents/", "/articles/"):
            r = client.get(prefix + quote(payload, safe=""))
            tried += 1
            assert r.status_code in (400, 404), (prefix, payload)
    assert tried > 500
    assert _file_digest(hostile_db) == before
    assert client.get("/api/incidents").json()["total"] == baseline == N


# -- paths, sizes, methods, headers --------------------------------------------------------------------
TRAVERSALS = [
    "/static/../web/app.py", "/static/%2e%2e/app.py", "/static/%2e%2e%2fapp.py", "/static/..%2f..%2fstore.py",
    "/static/....//....//etc/passwd", "/static/%252e%252e/app.py", "/static/..\\app.py", "/static/%c0%ae%c0%ae/app.py",
    "/static/vendor/../../../../../../etc/passwd", "/static//etc/passwd", "/static/%00", "/static/app.js%00.html",
    "/static/./../api.py", "/static/vendor/leaflet/../../../security.py", "/../../etc/passwd",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_path_traversal_on_static_routes_fails(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code in (400, 404, 405), (url, r.status_code)
    assert "root:x:" not in r.text and "def create_app" not in r.text and "import " not in r.text


def test_oversized_requests_are_refused(client: TestClient) -> None:
    assert client.post("/api/incidents", content=b"x" * 2_000_000).status_code in (405, 413)
    assert client.get("/api/incidents", headers={"content-length": "10000000"}).status_code == 413
    assert client.get("/api/incidents", headers={"transfer-encoding": "chunked"}).status_code == 413
    long_q = client.get("/api/incidents", params={"q": "a" * 60_000})
    assert long_q.status_code == 400 and "longer than" in long_q.json()["error"]
    many = "&".join(f"type=t{i}" for i in range(200))
    assert client.get(f"/api/incidents?{many}").status_code == 400
    assert client.get("/api/incidents", params={"limit": 10**9}).status_code == 422


def _real_server(db: Path) -> Iterator[str]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


def _raw_request(address: str, request: bytes) -> bytes:
    host, port = address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        try:
            while chunk := conn.recv(65536):
                data += chunk
        except ConnectionResetError:  # the server answered (or not) and closed before reading everything
            pass
        return data


def test_real_server_refuses_huge_headers_and_foreign_hosts(hostile_db: Path) -> None:
    for address in _real_server(hostile_db):
        huge = b"GET /api/incidents?q=" + b"a" * 200_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        answer = _raw_request(address, huge)
        assert answer == b"" or answer.split(b" ", 2)[1] in (b"400", b"413", b"414", b"431"), answer[:100]
        assert b"total" not in answer  # never served
        foreign = b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        assert _raw_request(address, foreign).split(b" ", 2)[1] == b"400"
        body = (b"POST /api/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000\r\n"
                b"Connection: close\r\n\r\n")
        assert _raw_request(address, body + b"x" * 1000).split(b" ", 2)[1] == b"413"


@pytest.mark.parametrize("url", ["/", "/api/incidents", "/api/incidents.csv", "/static/app.js", "/nothing",
                                 "/static/../x", "/api/incidents/none", "/api/openapi.json"])
def test_security_headers_on_every_kind_of_response(client: TestClient, url: str) -> None:
    h = client.get(url).headers
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert "script-src 'self'" in h["content-security-policy"] and "unsafe-inline" not in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"


def test_refused_body_still_has_security_headers(client: TestClient) -> None:
    h = client.post("/api/incidents", content=b"x" * 5000).headers
    assert h["x-content-type-options"] == "nosniff" and "frame-ancestors" in h["content-security-policy"]


# -- the URL ingester ----------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/a.txt", "gopher://example.org/", "data:text/html,<p>x</p>",
    "javascript:alert(1)", "ldap://example.org/", "dict://127.0.0.1:11211/", "jar:http://example.org/a!/b",
])
def test_only_http_and_https_are_fetched(url: str) -> None:
    result = fetch_url(InputSpec(source=url, is_url=True))
    assert "unsupported URL scheme" in getattr(result, "reason", ""), result


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost/", "http://127.1/", "http://2130706433/", "http://0x7f000001/",
    "http://0.0.0.0/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://10.0.0.1/", "http://172.16.5.4/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://100.64.0.1/",
    "http://user:pass@127.0.0.1:8000/", "https://127.0.0.1:443/",
])
def test_loopback_private_and_link_local_addresses_are_refused(url: str) -> None:
    result = fetch_url(InputSpec(source=url, is_url=True))
    assert "refused" in getattr(result, "reason", "") and "--allow-private" in result.reason, result


@pytest.mark.parametrize("url", ["http://example.org:99999/", "http://[::1", "http://[zz::1]/", "https://:80/"])
def test_malformed_urls_are_skipped_not_raised(url: str) -> None:
    listed = list_inputs([url])
    assert len(listed) == 1
    spec = listed[0]
    if isinstance(spec, InputSpec):
        result = fetch_url(spec)
        assert getattr(result, "reason", ""), result
    else:
        assert spec.reason


class _Dribble(http.server.BaseHTTPRequestHandler):
    """/slow: sends a byte at a time, forever; /big: no Content-Length, more than 5 MB; /home: redirect to loopback."""

    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/home":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/secret")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            if self.path == "/big":
                for _ in range(6 * 16):
                    self.wfile.write(b"x" * 65536)
            else:
                for _ in range(10_000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def dribble() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Dribble)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_fetch_caps_total_time(dribble: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "URL_TOTAL_TIMEOUT", 1.0)
    started = time.monotonic()
    result = fetch_url(InputSpec(source=f"{dribble}/slow", is_url=True), allow_private=True)
    assert time.monotonic() - started < 5
    assert "too slow" in getattr(result, "reason", ""), result


def test_url_fetch_caps_size_without_content_length(dribble: str) -> None:
    result = fetch_url(InputSpec(source=f"{dribble}/big", is_url=True), allow_private=True)
    assert "too large" in getattr(result, "reason", ""), result


def test_redirect_to_a_private_address_is_refused(dribble: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every hop is checked: a public page may not bounce the fetcher to loopback."""
    real_check = sources.check_url_allowed
    calls: list[str] = []

    def first_hop_public(url: str, *, allow_private: bool = False) -> None:
        calls.append(url)
        real_check(url, allow_private=len(calls) == 1)  # pretend the first host is public

    monkeypatch.setattr(sources, "check_url_allowed", first_hop_public)
    result = fetch_url(InputSpec(source=f"{dribble}/home", is_url=True))
    assert len(calls) == 2 and "refused" in getattr(result, "reason", ""), result
