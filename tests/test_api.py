"""The HTTP API and server-rendered pages, through FastAPI's TestClient (no network)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from urllib.parse import quote

import pytest
from conftest_web import DISPUTED_ID, HOSTILE_ID, HOSTILE_OUTLET, HOSTILE_TITLE, build_web_db
from fastapi.testclient import TestClient

from sitrep.place_confidence import LEGEND
from sitrep.web import create_app
from sitrep.web.highlight import Span, figure_span, segments
from sitrep.web.security import CONTENT_SECURITY_POLICY
from sitrep.web.views import safe_url

ALL_IDS = 8


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return build_web_db(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(db_path):
    with TestClient(create_app(db_path, allowed_hosts=["testserver"])) as c:
        yield c


def ids(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


# -- incidents ----------------------------------------------------------------------------------------
def test_incidents_lists_everything_with_total(client):
    body = client.get("/api/incidents").json()
    assert body["total"] == ALL_IDS and len(body["items"]) == ALL_IDS
    first = body["items"][0]
    assert {"id", "date", "event_type", "location", "actors", "fatalities", "disputed", "n_sources"} <= set(
        first
    )
    assert [i["date"] for i in body["items"]] == sorted((i["date"] for i in body["items"]), reverse=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"since": "2024-06-01"},
            {"ua-chasiv-0605#0", "sd-khartoum-0612#0", f"{HOSTILE_ID}#0", "ml-mopti-0610#0"},
        ),
        ({"until": "2024-03-11"}, {"sd-fasher-0310#0", "sd-fasher-0310#1"}),
        ({"since": "2024-03-12", "until": "2024-03-18"}, {DISPUTED_ID, "ua-odesa-0318#0"}),
        ({"country": "mli"}, {f"{HOSTILE_ID}#0", "ml-mopti-0610#0"}),
        (
            {"country": "MLI,SDN"},
            {
                f"{HOSTILE_ID}#0",
                "ml-mopti-0610#0",
                "sd-fasher-0310#0",
                "sd-fasher-0310#1",
                "sd-khartoum-0612#0",
            },
        ),
        ({"type": "Battles"}, {"ua-chasiv-0605#0", "sd-fasher-0310#1"}),
        ({"actor": "rapid support"}, {"sd-fasher-0310#0", "sd-fasher-0310#1"}),
        ({"min_killed": 11}, {f"{HOSTILE_ID}#0", "ua-chasiv-0605#0", "sd-fasher-0310#0"}),
        ({"disputed": "true"}, {DISPUTED_ID}),
        ({"q": "omdurman"}, {"sd-fasher-0310#1"}),
        ({"q": "drone"}, {"ua-odesa-0318#0"}),  # matches the report summary
        ({"bbox": "20,40,45,55"}, {DISPUTED_ID, "ua-odesa-0318#0", "ua-chasiv-0605#0"}),
        ({"bbox": "-10,10,1,20"}, {f"{HOSTILE_ID}#0", "ml-mopti-0610#0"}),
    ],
)
def test_incident_filters(client, query, expected):
    assert ids(client.get("/api/incidents", params=query)) == expected


def test_repeated_type_and_disputed_false(client):
    got = ids(client.get("/api/incidents", params=[("type", "Battles"), ("type", "Protests")]))
    assert got == {"ua-chasiv-0605#0", "sd-fasher-0310#1", "sd-khartoum-0612#0"}
    assert DISPUTED_ID not in ids(client.get("/api/incidents", params={"disputed": "false"}))
    assert len(ids(client.get("/api/incidents", params={"disputed": "false"}))) == ALL_IDS - 1


def test_paging_is_bounded_and_total_kept(client):
    first = client.get("/api/incidents", params={"limit": 3, "offset": 0}).json()
    second = client.get("/api/incidents", params={"limit": 3, "offset": 3}).json()
    assert first["total"] == second["total"] == ALL_IDS
    assert len(first["items"]) == 3 and not {i["id"] for i in first["items"]} & {
        i["id"] for i in second["items"]
    }
    assert client.get("/api/incidents", params={"offset": 100}).json()["items"] == []


def test_sort_by_killed(client):
    items = client.get("/api/incidents", params={"sort": "killed_desc"}).json()["items"]
    assert items[0]["id"] == "sd-fasher-0310#0"


def test_incident_detail_has_sources_claims_victims_and_reasons(client):
    r = client.get(f"/api/incidents/{DISPUTED_ID.replace('#', '%23')}")
    assert r.status_code == 200
    body = r.json()
    assert body["disputed"] is True and body["fatalities"] == {"best": 9, "low": 7, "high": 9}
    assert [s["outlet"] for s in body["sources"]] == ["Kyiv Wire", "Eastern Dispatch"]
    assert {s["claimants"][0] for s in body["sources"]} == {"regional governor", "state emergency service"}
    assert {(c["outcome"], c["count"]) for c in body["claims"]} == {
        ("killed", 7),
        ("injured", 19),
        ("killed", 9),
        ("injured", 23),
    }
    ev = body["claims"][0]["evidence"]
    text = client.get(f"/api/articles/{body['claims'][0]['article_id']}").json()["text"]
    assert text[ev["start"] : ev["end"]] == ev["text"]
    assert body["victims"][0]["name"] == "Hanna Bondar" and body["victims"][0]["age"] == 67
    assert len(body["merge_reasons"]) == 2


def test_downloads_follow_the_filters(client):
    r = client.get("/api/incidents.csv", params={"country": "UKR"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["id"] for row in rows} == {DISPUTED_ID, "ua-odesa-0318#0", "ua-chasiv-0605#0"}
    kharkiv = next(row for row in rows if row["id"] == DISPUTED_ID)
    assert (kharkiv["fatalities_low"], kharkiv["fatalities_high"], kharkiv["disputed"]) == ("7", "9", "1")
    assert kharkiv["sources"] == "ua-kharkiv-0312; ua-kharkiv-0313"
    g = client.get("/api/incidents.geojson", params={"country": "MLI"})
    assert g.status_code == 200 and g.headers["content-type"].startswith("application/geo+json")
    features = g.json()["features"]
    assert {f["id"] for f in features} == {f"{HOSTILE_ID}#0", "ml-mopti-0610#0"}
    gao = next(f for f in features if f["id"] == f"{HOSTILE_ID}#0")
    assert gao["geometry"] == {"type": "Point", "coordinates": [-0.04, 16.27]}


def test_csv_defuses_spreadsheet_formulas(db_path, tmp_path):
    copy = tmp_path / "formula.db"
    copy.write_bytes(db_path.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "UPDATE events SET location_name = '=HYPERLINK(\"http://x\")' WHERE id = ?", (DISPUTED_ID,)
        )
    with TestClient(create_app(copy, allowed_hosts=["testserver"])) as c:
        rows = list(csv.DictReader(io.StringIO(c.get("/api/incidents.csv").text)))
    assert next(r for r in rows if r["id"] == DISPUTED_ID)["location"].startswith("'=")


def test_timeline_counts_per_day_and_type(client):
    days = client.get("/api/timeline", params={"until": "2024-03-31"}).json()["days"]
    assert {"day": "2024-03-10", "event_type": "Battles", "incidents": 1, "killed": 4} in days
    assert sum(d["incidents"] for d in days) == 4


# -- articles, tallies, victims -----------------------------------------------------------------------
def test_articles_list_and_detail(client):
    body = client.get("/api/articles").json()
    assert body["total"] == 8 and "text" not in body["items"][0]
    assert ids(client.get("/api/articles", params={"outlet": "nile"})) == {
        "sd-fasher-0310",
        "sd-khartoum-0612",
    }
    detail = client.get(f"/api/articles/{HOSTILE_ID}").json()
    assert detail["outlet"] == HOSTILE_OUTLET and detail["title"] == HOSTILE_TITLE
    assert "<script>alert(1)</script>" in detail["text"]
    [claim] = detail["claims"]
    assert detail["text"][claim["evidence"]["start"] : claim["evidence"]["end"]].startswith("GAO, June 8")
    assert claim["event_id"] == f"{HOSTILE_ID}#0"


def test_tallies_as_points_and_series(client):
    body = client.get("/api/tallies").json()
    assert [p["count"] for p in body["points"]] == [212, 240, 301]
    [series] = body["series"]
    assert series["area"] == "Kharkiv region" and series["claimant"] == "regional prosecutor's office"
    assert [p["date"] for p in series["points"]] == ["2024-03-12", "2024-03-18", "2024-06-05"]
    assert [
        p["count"] for p in client.get("/api/tallies", params={"until": "2024-03-31"}).json()["points"]
    ] == [212, 240]


def test_victims(client):
    body = client.get("/api/victims").json()
    assert body["total"] == 1 and body["items"][0]["event_id"] == DISPUTED_ID
    assert client.get("/api/victims", params={"incident": "ml-mopti-0610#0"}).json()["total"] == 0
    assert client.get("/api/victims", params={"q": "bondar"}).json()["total"] == 1


# -- bad parameters: clear 4xx JSON, never 500 -------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/api/incidents", {"since": "yesterday"}, 400),
        ("/api/incidents", {"since": "2024-02-30"}, 400),
        ("/api/incidents", {"until": "2024-13-01"}, 400),
        ("/api/incidents", {"since": "2024-06-01", "until": "2024-03-01"}, 400),
        ("/api/incidents", {"bbox": "1,2,3"}, 400),
        ("/api/incidents", {"bbox": "a,b,c,d"}, 400),
        ("/api/incidents", {"bbox": "0,0,nan,10"}, 400),
        ("/api/incidents", {"bbox": "0,50,10,40"}, 400),
        ("/api/incidents", {"bbox": "0,0,200,10"}, 400),
        ("/api/incidents", {"country": "Atlantis"}, 400),
        ("/api/incidents", {"type": "picnics"}, 400),
        ("/api/incidents.csv", {"bom": "1", "type": "picnics"}, 400),
        ("/api/incidents.geojson", {"bom": "1"}, 400),
        ("/api/incidents", {"q": "x" * 201}, 400),
        ("/api/incidents", {"limit": 501}, 422),
        ("/api/incidents", {"limit": 0}, 422),
        ("/api/incidents", {"limit": "99999999999999999999999"}, 422),
        ("/api/incidents", {"offset": -1}, 422),
        ("/api/incidents", {"offset": "9" * 30}, 422),
        ("/api/incidents", {"min_killed": "lots"}, 422),
        ("/api/incidents", {"disputed": "maybe"}, 422),
        ("/api/incidents", {"sort": "id; DROP TABLE events"}, 422),
        ("/api/incidents.csv", {"bbox": "x"}, 400),
        ("/api/incidents.geojson", {"since": "2024/01/01"}, 400),
        ("/api/timeline", {"until": "soon"}, 400),
        ("/api/articles", {"since": "0"}, 400),
        ("/api/tallies", {"outcome": "exploded"}, 422),
        ("/api/tallies", {"limit": 10**9}, 422),
        ("/api/victims", {"limit": 10**6}, 422),
        ("/api/incidents/no-such-incident", {}, 404),
        ("/api/articles/no-such-article", {}, 404),
        ("/api/nothing-here", {}, 404),
    ],
)
def test_bad_parameters_are_clear_json_errors(client, url, params, status):
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert isinstance(r.json()["error"], str) and r.json()["error"]


def test_error_names_the_parameter(client):
    body = client.get("/api/incidents", params={"bbox": "1,2,3"}).json()
    assert body["param"] == "bbox" and "minlon,minlat,maxlon,maxlat" in body["error"]


@pytest.mark.parametrize(
    "value",
    [
        "' OR 1=1 --",
        '"; DROP TABLE events; --',
        "%",
        "_",
        "\\",
        "UKR' OR 'a'='a",
        "\x00",
        "1) UNION SELECT * FROM articles --",
        "Battles' --",
    ],
)
def test_injection_like_values_change_nothing(client, db_path, value):
    for name in ("q", "actor", "type"):
        r = client.get("/api/incidents", params={name: value})
        assert r.status_code in (200, 400), r.text
        if r.status_code == 200:
            assert r.json()["total"] == 0
    assert client.get("/api/incidents").json()["total"] == ALL_IDS
    assert client.get("/api/articles", params={"q": value}).status_code in (200, 400)
    victims = client.get("/api/victims", params={"q": value, "incident": value})
    assert victims.status_code == 400 or victims.json()["total"] == 0
    assert client.get(f"/api/incidents/{quote(value, safe='')}").status_code in (400, 404)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == ALL_IDS


@pytest.mark.parametrize(
    "raw", ["q=%ED%B3%BF", "q=%FF%FE", "q=%00", "actor=%C0%80", "country=%00UK", "bbox=%00", "since=%FF"]
)
def test_badly_encoded_query_strings_are_4xx(client, raw):
    r = client.get("/api/incidents?" + raw)
    assert 400 <= r.status_code < 500 or (r.status_code == 200 and r.json()["total"] == 0), r.text


# -- read-only, headers, bodies, static files ----------------------------------------------------------
def test_no_endpoint_writes(client):
    for url in ("/api/incidents", f"/api/incidents/{DISPUTED_ID}", "/api/articles"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            assert client.request(method, url).status_code == 405


def test_request_body_is_refused(client):
    assert client.post("/api/incidents", content=b"x" * 5000).status_code == 413
    assert client.get("/api/incidents", headers={"content-length": "999999"}).status_code == 413


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/api/incidents",
        f"/incidents/{DISPUTED_ID.replace('#', '%23')}",
        "/static/app.js",
        "/api/nothing",
    ],
)
def test_security_headers(client, url):
    headers = client.get(url).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "connect-src 'self'",
        "img-src 'self' data:",
    ):
        assert directive in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "url",
    [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/vendor/../../db.py",
        "/static/%2e%2e/%2e%2e/store.py",
        "/static//etc/passwd",
        "/static/..%5capp.py",
    ],
)
def test_static_path_traversal_fails(client, url):
    r = client.get(url)
    assert r.status_code in (400, 404)
    assert "create_app" not in r.text and "root:" not in r.text


def test_vendored_files_are_served_with_licences(client):
    for url in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/LICENSE",
        "/static/vendor/leaflet.markercluster/MIT-LICENCE.txt",
        "/static/vendor/topojson-client/LICENSE",
        "/static/vendor/world-atlas/LICENSE",
    ):
        assert client.get(url).status_code == 200
    topo = client.get("/static/vendor/world-atlas/countries-50m.json").json()
    names = {g["properties"]["name"] for g in topo["objects"]["countries"]["geometries"]}
    assert {"Ukraine", "Sudan", "Mali"} <= names


def test_foreign_host_header_is_refused(db_path):
    with TestClient(create_app(db_path), base_url="http://evil.example") as c:
        assert c.get("/api/incidents").status_code == 400
    with TestClient(create_app(db_path), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/incidents").status_code == 200


def test_openapi_document_and_plain_docs_page(client):
    spec = client.get("/api/openapi.json").json()
    assert {
        "/api/incidents",
        "/api/incidents/{event_id}",
        "/api/articles",
        "/api/tallies",
        "/api/victims",
        "/api/incidents.csv",
        "/api/incidents.geojson",
    } <= set(spec["paths"])
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/api/incidents" in page.text
    assert "cdn" not in page.text.lower() and "swagger" not in page.text.lower()


def test_missing_database_is_a_503_not_a_500(tmp_path):
    with TestClient(create_app(tmp_path / "absent.db", allowed_hosts=["testserver"])) as c:
        r = c.get("/api/incidents")
    assert r.status_code == 503 and "database" in r.json()["error"]
    assert not (tmp_path / "absent.db").exists()


def test_not_a_sitrep_database_is_a_503(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x (a)")
    with TestClient(create_app(other, allowed_hosts=["testserver"])) as c:
        assert c.get("/api/incidents").status_code == 503


# -- pages --------------------------------------------------------------------------------------------
def test_index_page_has_filters_and_no_external_resources(client):
    html = client.get("/", params={"since": "2024-06-01", "country": "MLI"}).text
    assert 'name="since" value="2024-06-01"' in html and '<option value="MLI" selected>' in html
    for marker in ("http://", "https://", "//cdn", "<style", " style="):
        assert marker not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_incident_page_marks_figures_in_evidence_and_flags_disagreement(client):
    r = client.get(f"/incidents/{DISPUTED_ID.replace('#', '%23')}")
    assert r.status_code == 200
    assert all(f'<mark class="hl-figure">{n}</mark>' in r.text for n in (7, 9, 23))
    assert r.text.count('class="num disagree"') == 4  # 7 vs 9 killed, 19 vs 23 injured
    assert "Hanna Bondar" in r.text and "same place (Kharkiv)" in r.text


def test_incident_page_says_how_precise_the_place_is(client):
    page = client.get(f"/incidents/{DISPUTED_ID.replace('#', '%23')}").text
    assert '<span id="place-confidence" class="confidence">place</span>' in page
    assert 'id="place-legend"' not in page
    item = client.get(f"/api/incidents/{DISPUTED_ID.replace('#', '%23')}").json()
    assert (item["location"]["precision_words"], item["location"]["low_confidence"]) == ("place", False)


@pytest.fixture()
def vague_client(db_path, tmp_path):
    """The web database with one incident placed at its region only and one not placed at all."""
    path = tmp_path / "vague.db"
    shutil.copy(db_path, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE events SET geo_precision = 3 WHERE id = ?", (DISPUTED_ID,))
        conn.execute("UPDATE events SET location_name = NULL, lat = NULL, lon = NULL, admin1 = NULL "
                     "WHERE id = ?", (f"{HOSTILE_ID}#0",))
    with TestClient(create_app(path, allowed_hosts=["testserver"])) as c:
        yield c


def test_incident_page_marks_low_confidence_places(vague_client):
    page = vague_client.get(f"/incidents/{DISPUTED_ID.replace('#', '%23')}").text
    assert '<span id="place-confidence" class="confidence low">? region only</span>' in page
    assert f'<p class="hint" id="place-legend">{LEGEND}</p>' in page
    unplaced = vague_client.get(f"/incidents/{HOSTILE_ID}%230").text
    assert '<span id="place-confidence" class="confidence low">? not resolved</span>' in unplaced
    items = {i["id"]: i["location"] for i in vague_client.get("/api/incidents?limit=100").json()["items"]}
    assert (items[DISPUTED_ID]["precision_words"], items[DISPUTED_ID]["low_confidence"]) == ("region only", True)
    assert items[f"{HOSTILE_ID}#0"]["precision_words"] == "not resolved"
    assert vague_client.get("/").text.count(LEGEND) == 1  # the list's legend


def test_hostile_data_is_escaped_everywhere(client):
    article = client.get(f"/articles/{HOSTILE_ID}").text
    incident = client.get(f"/incidents/{HOSTILE_ID}%230").text
    for html in (article, incident):
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Sahel" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(2)&gt;" in article
    assert "&lt;b&gt;Sahel&lt;/b&gt;" in article and "&lt;img src=x onerror=alert(4)&gt;" in article
    assert 'href="javascript:' not in article and '<mark class="hl-figure">11</mark>' in article
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in incident or "alert(1)" not in incident


def test_unknown_pages_are_html_404(client):
    r = client.get("/incidents/nope<script>")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<script>" not in r.text and "nope&lt;script&gt;" in r.text


# -- helpers ------------------------------------------------------------------------------------------
def test_safe_url_only_links_http():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "/relative",
        "http://",
        "vbscript:x",
        "https://ex ample.org",
    ):
        assert safe_url(bad) is None


def test_segments_split_overlapping_spans_without_losing_text():
    text = "Officials said 12 people died and 3 were hurt."
    three = text.index("3 were")
    spans = [
        Span(0, len(text), "evidence", "a"),
        Span(15, 17, "figure", "a"),
        Span(three, three + 6, "evidence", "b"),
        Span(three, three + 1, "figure", "b"),
    ]
    segs = segments(text, spans)
    assert "".join(s.text for s in segs) == text
    assert [s.text for s in segs if s.kind == "figure"] == ["12", "3"]
    assert segs[0].anchors == ["a"]


def test_figure_span_finds_digits_and_words():
    text = "Rescuers said twelve people and 1,250 sheep died; 2 more were missing."
    start = text.index("twelve")
    assert text[slice(*figure_span(text, 0, len(text), 12))] == "twelve"
    assert text[slice(*figure_span(text, 0, len(text), 1250))] == "1,250"
    assert text[slice(*figure_span(text, 0, len(text), 2))] == "2"
    assert figure_span(text, start, len(text), 99) is None
    assert json.dumps(figure_span(text, 0, len(text), 125)) == "null"  # not inside 1,250
