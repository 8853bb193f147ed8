"""The reference collector on SQLite and PostgreSQL: bad requests answered cleanly, records stored once,
the overview derived from the records, and the implementation checked against docs/province-api.yaml."""

from __future__ import annotations

import gzip
import http.client
import json
from pathlib import Path
from urllib.parse import urlsplit

import msgspec
import pytest
import yaml

from console.province import store
from console.province.server import CollectorServer
from console.sync import api

DOC = Path(__file__).resolve().parents[2] / "docs" / "province-api.yaml"


def call(url: str, method: str, path: str, body: bytes | dict | None = None, token: str | None = None,
         headers: dict | None = None) -> tuple[int, object]:
    """One request on its own connection; (status, JSON body or text)."""
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    if isinstance(body, dict):
        body = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    try:
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        raw = r.read()
    finally:
        conn.close()
    try:
        return r.status, json.loads(raw)
    except ValueError:
        return r.status, raw.decode("utf-8", "replace")


def recs(first: int, n: int, **data) -> list[dict]:
    return [{"seq": s, "type": "asrun", "ts": 1000 + s, "data": {"n": s, **data}} for s in range(first, first + n)]


@pytest.fixture
def tokens(collector):
    return collector.token("st"), collector.token("other")


def test_records_are_stored_once_and_a_replay_is_harmless(collector, tokens):
    token, _ = tokens
    path = api.station_path("st", "records")
    assert call(collector.url, "POST", path, {"records": recs(1, 5), "backlog": 7}, token) == \
        (200, {"acked_through": 5, "stored": 5, "duplicates": 0})
    assert call(collector.url, "POST", path, {"records": recs(1, 5)}, token) == \
        (200, {"acked_through": 5, "stored": 0, "duplicates": 5})  # a replay
    assert call(collector.url, "POST", path, {"records": recs(3, 6)}, token) == \
        (200, {"acked_through": 8, "stored": 3, "duplicates": 3})  # overlapping
    status, body = call(collector.url, "POST", path, {"records": recs(4, 1, changed=True)}, token)
    assert (status, body["error"], body["seq"]) == (409, "seq_conflict", 4)  # a replay that differs
    status, body = call(collector.url, "POST", path, {"records": recs(12, 2)}, token)
    assert (status, body["error"], body["expected"], body["acked_through"]) == (409, "gap", 9, 8)
    assert [r[0] for r in collector.records("st")] == list(range(1, 9))
    assert call(collector.url, "GET", api.station_path("st", "cursor"), token=token) == (200, {"acked_through": 8})


# gzip with mtime=0: the bodies are part of the test ids, which must be the same in every xdist worker.
@pytest.mark.parametrize("body, headers, status, code", [
    (b"{not json", {}, 400, "malformed"),
    (b'{"records": [{"seq": 1, "type": "asrun", "ts": 1}]}', {}, 400, "malformed"),  # no data
    (b'{"records": [], "extra": 1}', {}, 400, "malformed"),
    (b'{"records": [{"seq": 0, "type": "asrun", "ts": 1, "data": {}}]}', {}, 400, "malformed"),
    (b'{"records": [{"seq": 1, "type": "Bad Type", "ts": 1, "data": {}}]}', {}, 400, "malformed"),
    (json.dumps({"records": recs(1, 1) + recs(3, 1)}).encode(), {}, 400, "bad_order"),
    (b"plain text", {"Content-Encoding": "gzip"}, 400, "malformed"),
    (gzip.compress(b'{"records": []}', mtime=0)[:-9], {"Content-Encoding": "gzip"}, 400, "malformed"),  # truncated
    (b"{}", {"Content-Encoding": "br"}, 415, "unsupported_encoding"),
    (b" " * (api.MAX_REQUEST_BYTES + 1), {}, 413, "too_large"),
    (gzip.compress(b" " * (api.MAX_DECODED_BYTES + 10), mtime=0), {"Content-Encoding": "gzip"}, 413, "too_large"),  # a bomb
    (json.dumps({"records": recs(1, api.MAX_RECORDS + 1)}).encode(), {}, 413, "too_many_records"),
])
def test_bad_batches_are_answered_cleanly(collector, tokens, body, headers, status, code):
    token, _ = tokens
    got_status, got = call(collector.url, "POST", api.station_path("st", "records"), body, token,
                           {"Content-Type": "application/json", **headers})
    assert (got_status, got["error"]) == (status, code), got
    assert got["message"]
    assert collector.records("st") == []
    assert call(collector.url, "GET", api.station_path("st", "cursor"), token=token)[0] == 200  # still serving


def test_tokens_are_kept_as_hashes_and_checked(collector, tokens):
    token, other = tokens
    path = api.station_path("st", "cursor")
    with collector.db.sessions() as s:
        stored = s.scalars(store.select(store.Token.hash)).all()
    assert token not in stored and store.hash_token(token) in stored
    assert token.startswith("tt_")  # never "-…", which a command line would take for an option
    assert call(collector.url, "GET", path)[1]["error"] == "unauthorized"
    assert call(collector.url, "GET", path, token="wrong")[1]["error"] == "unauthorized"
    assert call(collector.url, "GET", path, token=other)[0] == 403
    assert call(collector.url, "GET", path, headers={"Authorization": "Basic abc"})[0] == 401
    with collector.db.sessions.begin() as s:
        assert store.revoke_tokens(s, "st") == 1
    assert call(collector.url, "GET", path, token=token)[0] == 401


def test_the_overview_is_derived_from_the_records(collector, tokens):
    token, _ = tokens
    now = store.now_ms()
    item = {"schedule": 1, "start": now, "dur_ms": 600_000, "status": "played", "reason": "", "ts": now}
    records = [
        {"type": "inventory", "data": {"devices": [{"id": f"LOA-{i}", "name": f"Cụm {i}", "unit": "26734", "lat": 13.9,
                                                    "lon": 108.0, "fw": "1.2", "groups": ["all"]} for i in range(4)]}},
        {"type": "device_event", "data": {"device": "LOA-0", "kind": "online", "detail": {}}},
        {"type": "device_event", "data": {"device": "LOA-1", "kind": "online", "detail": {}}},
        {"type": "device_event", "data": {"device": "LOA-2", "kind": "offline", "detail": {}}},
        {"type": "device_event", "data": {"device": "LOA-1", "kind": "fault.raised", "detail": {"fault": "amp"}}},
        {"type": "asrun", "data": {**item, "item": "s1.a.0", "device": "LOA-0", "played_ms": 600_000}},
        {"type": "asrun", "data": {**item, "item": "s1.a.0", "device": "LOA-1", "played_ms": 300_000}},
        {"type": "asrun", "data": {**item, "item": "s1.b.0", "device": "LOA-1", "played_ms": 1_200_000}},
        {"type": "alarm", "data": {"id": 1, "device": "LOA-1", "rule": "fault.amp", "state": "new"}},
        {"type": "alarm", "data": {"id": 2, "device": "LOA-2", "rule": "offline", "state": "new"}},
        {"type": "alarm", "data": {"id": 2, "device": "LOA-2", "rule": "offline", "state": "resolved"}},
    ]
    batch = [{"seq": i + 1, "ts": now + i, **r} for i, r in enumerate(records)]
    assert call(collector.url, "POST", api.station_path("st", "records"), {"records": batch, "backlog": 42}, token)[0] == 200
    status, summary = call(collector.url, "GET", "/v1/summary")
    st = next(s for s in summary["stations"] if s["station"] == "st")
    assert st["devices"] == {"total": 4, "online": 2, "offline": 1, "faulty": 1}
    assert st["broadcast_ms_today"] == 1_800_000  # s1.a.0 once (its longest), s1.b.0
    assert (st["open_alarms"], st["backlog"], st["acked_through"]) == (1, 42, 11)
    assert st["last_sync_at"] >= now
    status, page = call(collector.url, "GET", "/")
    assert status == 200 and "<td>st</td>" in page and "Đồng bộ lần cuối" in page and "0.5" in page
    assert "Last sync" in call(collector.url, "GET", "/?lang=en")[1]


def test_the_page_escapes_what_stations_are_called(collector):
    with collector.db.sessions.begin() as s:
        store.add_token(s, "x1", name="<script>alert(1)</script>")
    page = call(collector.url, "GET", "/")[1]
    assert "<script>alert" not in page and "&lt;script&gt;" in page


# -- the implementation against docs/province-api.yaml ----------------------------------------------

def _scenarios(c, token: str, other: str, monkeypatch, media: str):
    """(path in the document, method) -> {status: request producing it}."""
    cur, rec = api.station_path("st", "cursor"), api.station_path("st", "records")
    bul, rcp = api.station_path("st", "bulletins"), api.station_path("st", "bulletins", "1", "receipt")

    def boom(name):
        def make():
            monkeypatch.setattr(store, name, lambda *a, **k: 1 / 0)
        return make

    def req(method, path, body=None, tok=None, headers=None, before=None):
        return (method, path, body, tok, headers, before)
    good = {"records": recs(1, 2)}
    return {
        ("/v1/stations/{station}/cursor", "get"): {
            200: req("GET", cur, tok=token), 401: req("GET", cur), 403: req("GET", cur, tok=other),
            500: req("GET", cur, tok=token, before=boom("cursor"))},
        ("/v1/stations/{station}/records", "post"): {
            200: req("POST", rec, good, token), 400: req("POST", rec, b"[", token), 401: req("POST", rec, good, "bad"),
            403: req("POST", rec, good, other), 409: req("POST", rec, {"records": recs(5, 1)}, token),
            413: req("POST", rec, b" " * (api.MAX_REQUEST_BYTES + 1), token),
            415: req("POST", rec, good, token, {"Content-Encoding": "deflate"}),
            500: req("POST", rec, good, token, before=boom("ingest"))},
        ("/v1/stations/{station}/bulletins", "get"): {
            200: req("GET", bul + "?after=0&wait=0.1", tok=token), 400: req("GET", bul + "?after=-1", tok=token),
            401: req("GET", bul), 403: req("GET", bul, tok=other),
            500: req("GET", bul, tok=token, before=boom("bulletins_after"))},
        ("/v1/stations/{station}/bulletins/{id}/receipt", "post"): {
            200: req("POST", rcp, {"status": "received"}, token), 400: req("POST", rcp, {"status": "lost"}, token),
            401: req("POST", rcp, {"status": "received"}), 403: req("POST", rcp, {"status": "received"}, other),
            404: req("POST", api.station_path("st", "bulletins", "99", "receipt"), {"status": "received"}, token),
            413: req("POST", rcp, b" " * 70_000, token),
            500: req("POST", rcp, {"status": "played"}, token, before=boom("put_receipt"))},
        ("/v1/media/{sha256}", "get"): {
            200: req("GET", f"/v1/media/{media}", tok=token), 401: req("GET", f"/v1/media/{media}"),
            404: req("GET", "/v1/media/" + "0" * 64, tok=token),
            500: req("GET", f"/v1/media/{media}", tok=token, before=boom("get_media"))},
        ("/v1/summary", "get"): {200: req("GET", "/v1/summary"), 500: req("GET", "/v1/summary", before=boom("summary"))},
        ("/", "get"): {200: req("GET", "/"), 500: req("GET", "/", before=boom("summary"))},
    }


def _resolve(doc: dict, obj: dict) -> dict:
    while "$ref" in obj:
        node = doc
        for part in obj["$ref"].lstrip("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def _required(doc: dict, schema: dict) -> set[str]:
    schema = _resolve(doc, schema)
    keys = set(schema.get("required", ()))
    for sub in schema.get("allOf", ()):
        keys |= _required(doc, sub)
    return keys


def test_the_implementation_matches_the_openapi_document(collector, tokens, monkeypatch, tmp_path):
    doc = yaml.safe_load(DOC.read_text(encoding="utf-8"))
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method): {int(s): r for s, r in op["responses"].items()}
                  for path, item in doc["paths"].items() for method, op in item.items()}
    app = CollectorServer(collector.db).app()
    routes = {(r.resource.canonical, r.method.lower()) for r in app.router.routes() if r.method != "HEAD"}
    assert routes == set(documented)

    token, other = tokens
    (tmp_path / "a.mp3").write_bytes(b"ID3 not really audio")
    with collector.db.sessions.begin() as s:
        media = store.send_bulletin(s, "st", "normal", "T", media=tmp_path / "a.mp3")["media"]["sha256"]
    scenarios = _scenarios(collector, token, other, monkeypatch, media)
    assert {k: set(v) for k, v in scenarios.items()} == {k: set(v) for k, v in documented.items()}
    for (path, method), by_status in scenarios.items():
        for status, (m, p, body, tok, headers, before) in sorted(by_status.items()):
            monkeypatch.undo()
            if before:
                before()
            got, answer = call(collector.url, m, p, body, tok, headers)
            assert got == status, (path, method, status, answer)
            response = _resolve(doc, documented[(path, method)][status])
            content = response.get("content", {})
            if "application/json" in content:
                assert isinstance(answer, dict), (path, status, answer)
                missing = _required(doc, content["application/json"]["schema"]) - set(answer)
                assert not missing, (path, method, status, missing)
            if status >= 400:
                assert {"error", "message"} <= set(answer), (path, status, answer)
    monkeypatch.undo()
    # The wire types of console/sync/api.py accept what the document's examples are made of.
    msgspec.convert({"records": recs(1, 1), "backlog": 0}, api.Batch)
