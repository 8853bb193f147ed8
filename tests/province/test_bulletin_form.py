"""The collector's staff pages (/staff/) on SQLite and PostgreSQL: sign-in, CSRF, bulletins sent from
the form queued exactly as `province bulletin send` queues them and served to the station, an
emergency only after its confirmation, uploads stored by sha256, bad input answered on the page,
HTML escaping, and `province user`."""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import json
import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import numpy as np
import pytest
from fixtures.audio import need, write_wav
from provhelpers import province

from console.province import store
from console.province.models import MediaFile, StaffSession, StaffUser
from console.sync import api
from console.sync.inbox import Inbox
from console.sync.worker import Backoff, SyncWorker

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mật khẩu đủ dài"


class Browser:
    """Requests to the collector on connections of their own, keeping its cookies as a browser does."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.cookies: dict[str, str] = {}
        self.set_cookie: list[str] = []  # the last answer's Set-Cookie headers
        self.raw = b""  # the last answer's body

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, headers with lower-case names, text)."""
        u = urlsplit(self.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            self.raw = r.read()
            text = self.raw.decode("utf-8", "replace")
            got = {k.lower(): v for k, v in r.getheaders()}
            self.set_cookie = r.msg.get_all("Set-Cookie") or []
        finally:
            conn.close()
        for raw in self.set_cookie:
            for name, morsel in SimpleCookie(raw).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return r.status, got, text

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict | list, headers: dict | None = None):
        body = urlencode(fields, doseq=True).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def post_multipart(self, path: str, fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]] = (),
                       headers: dict | None = None):
        body, ctype = multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": ctype, **(headers or {})})

    def login(self, user: str = "alice", password: str = PASSWORD) -> None:
        status, headers, _ = self.post("/staff/login", {"user": user, "password": password})
        assert status == 303 and headers["location"] == "/staff/?lang=vi", status
        assert "tt_staff" in self.cookies

    def csrf(self) -> str:
        status, _, page = self.get("/staff/")
        assert status == 200
        return re.search(r'name="csrf" value="([^"]+)"', page)[1]

    def send(self, *, stations=("st",), priority="normal", title="Thông báo", text="", targets="", media=None,
             csrf: str | None = None, all_stations=False, headers=None, lang="vi"):
        """The bulletin form as a browser posts it: every field, an empty file input when no file."""
        fields = [("csrf", self.csrf() if csrf is None else csrf)] + [("station", s) for s in stations]
        if all_stations:
            fields.append(("all", "1"))
        fields += [("priority", priority), ("title", title), ("text", text), ("targets", targets)]
        files = [("media", media[0], media[1])] if media else [("media", "", b"")]
        return self.post_multipart(f"/staff/bulletins?lang={lang}", fields, files, headers)


def multipart(fields: list[tuple[str, str]], files=()) -> tuple[bytes, str]:
    boundary = "----tt-form-7MA4YWxkTrZu0gW"
    out = b""
    for name, value in fields:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").encode() + \
            value.encode() + b"\r\n"
    for name, filename, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def cli(*args: str, data: Path, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "TT_DATA_DIR": str(data)}
    r = subprocess.run([sys.executable, "-m", "console", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                       input=stdin, timeout=120, check=False)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def queued(collector, station: str) -> list[dict]:
    with collector.db.sessions() as s:
        return store.bulletins_after(s, station, 0)


def same_but_when(a: dict, b: dict) -> dict:
    return {k: v for k, v in a.items() if k not in ("issued_at",)} == {k: v for k, v in b.items() if k not in ("issued_at",)}


@pytest.fixture
def staff(collector) -> Browser:
    """A signed-in browser of staff user alice; stations st and st2 exist."""
    with collector.db.sessions.begin() as s:
        store.add_user(s, "alice", PASSWORD)
        store.add_token(s, "st")
        store.add_token(s, "st2", name="Đài Quy Nhơn")
    b = Browser(collector.url)
    b.login()
    return b


def test_sending_needs_a_signed_in_staff_member(collector):
    with collector.db.sessions.begin() as s:
        store.add_user(s, "alice", PASSWORD)
        store.add_token(s, "st")
        stored = s.get(StaffUser, "alice").password
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    b = Browser(collector.url)
    status, headers, _ = b.get("/staff/")
    assert status == 303 and headers["location"].startswith("/staff/login")
    assert b.get("/staff")[1]["location"] == "/staff/"
    status, _, page = b.send(csrf="x")
    assert status == 401 and "Cần đăng nhập" in page
    assert b.get("/")[0] == 200  # the overview stays open
    assert b.post("/staff/login", {"user": "alice", "password": "wrong password"})[0] == 401
    status, _, page = b.post("/staff/login", {"user": "nobody", "password": PASSWORD})
    assert status == 401 and "Sai tên đăng nhập hoặc mật khẩu" in page and "tt_staff" not in b.cookies
    b.cookies["tt_staff"] = "forged"
    assert b.get("/staff/")[0] == 303

    b.login()
    cookie = next(c for c in b.set_cookie if c.startswith("tt_staff="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie
    with collector.db.sessions() as s:  # only the cookie's hash is kept
        assert s.scalars(store.select(StaffSession.hash)).all() == [store.hash_token(b.cookies["tt_staff"])]
    status, headers, page = b.get("/staff/")
    assert status == 200 and "Đã đăng nhập: alice" in page and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "<script" not in page and "http://" not in page and "https://" not in page  # nothing from elsewhere
    csrf = b.csrf()
    assert b.post("/staff/logout", {"csrf": csrf})[0] == 303
    assert b.get("/staff/")[0] == 303
    assert queued(collector, "st") == []


def test_forms_without_the_session_token_or_from_another_site_are_refused(collector, staff):
    port = urlsplit(collector.url).port
    for kw in ({"csrf": ""}, {"csrf": "not-the-token"},
               {"headers": {"Origin": "http://evil.example"}},
               {"headers": {"Origin": "null"}},
               {"headers": {"Sec-Fetch-Site": "cross-site"}}):
        status, _, page = staff.send(title="Tin giả", text="Họp dân", **kw)
        assert status == 403 and "CSRF" in page and "Tin giả" not in page, kw  # nothing of it shown back
    other = Browser(collector.url)  # a token of another session is not this one's
    with collector.db.sessions.begin() as s:
        store.add_user(s, "bob", PASSWORD)
    other.login("bob")
    assert staff.send(text="Họp dân", csrf=other.csrf())[0] == 403
    assert queued(collector, "st") == []
    status, _, page = staff.send(priority="emergency", text="Bão", headers={"Origin": f"http://127.0.0.1:{port}"})
    assert status == 200  # the confirmation page
    draft = re.search(r'name="draft" value="([^"]+)"', page)[1]
    assert staff.post("/staff/confirm", {"csrf": "x", "draft": draft, "action": "send"})[0] == 403
    assert other.post("/staff/confirm", {"csrf": other.csrf(), "draft": draft, "action": "send"})[0] == 409  # not bob's
    assert staff.post("/staff/logout", {"csrf": "x"})[0] == 403  # logging out is a form too
    assert queued(collector, "st") == []


def test_bulletins_from_the_form_are_queued_as_the_command_queues_them_and_reach_the_station(
        collector, staff, station_db, audio_files, tmp_path):
    # normal, with a text, to two stations
    status, headers, _ = staff.send(stations=("st", "st2"), title="Lịch tiêm chủng", text="Thứ Hai tại trạm y tế xã.",
                                    targets="26734, 26737")
    assert status == 303 and headers["location"] == "/staff/?lang=vi&sent=st:1,st2:1"
    page = staff.get(headers["location"])[2]
    assert "Đã xếp hàng bản tin cho 2 đài: st (#1), st2 (#1)" in page
    [form] = queued(collector, "st")
    assert queued(collector, "st2")[0]["issued_at"] == form["issued_at"]  # one send
    assert form["targets"] == ["26734", "26737"] and form["issued_by"] == "alice" and form["media"] is None

    # an emergency with audio: nothing is queued before the confirmation
    wav = need(audio_files, "wav")
    status, _, page = staff.send(priority="emergency", title="Bão số 3", media=(wav.name, wav.read_bytes()))
    assert status == 200 and "Xác nhận gửi bản tin KHẨN CẤP" in page and len(queued(collector, "st")) == 1
    draft = re.search(r'name="draft" value="([^"]+)"', page)[1]
    status, headers, _ = staff.post("/staff/confirm", {"csrf": staff.csrf(), "draft": draft, "action": "send"})
    assert status == 303 and headers["location"] == "/staff/?lang=vi&sent=st:2"
    status, _, page = staff.post("/staff/confirm", {"csrf": staff.csrf(), "draft": draft, "action": "send"})
    assert status == 409 and "hãy soạn lại" in page  # a reload sends nothing twice
    form_emergency = queued(collector, "st")[1]
    assert form_emergency["priority"] == "emergency" and form_emergency["media"]["sha256"] == \
        hashlib.sha256(wav.read_bytes()).hexdigest()

    # the same two bulletins by `province bulletin send`, to a third station: the same rows
    with collector.db.sessions.begin() as s:
        store.add_token(s, "cli")
    data = tmp_path / "cli"
    a = json.loads(cli("province", "bulletin", "send", "--db", collector.db_url, "--station", "cli", "--priority",
                       "normal", "--title", "Lịch tiêm chủng", "--text", "Thứ Hai tại trạm y tế xã.", "--target",
                       "26734", "26737", "--issued-by", "alice", "--json", data=data).stdout)
    b = json.loads(cli("province", "bulletin", "send", "--db", collector.db_url, "--station", "cli", "--priority",
                       "emergency", "--title", "Bão số 3", "--media", str(wav), "--issued-by", "alice", "--json",
                       data=data).stdout)
    assert same_but_when({**a, "station": "st"}, {"station": "st", **form})
    assert same_but_when({**b, "station": "st"}, {"station": "st", **form_emergency})
    with collector.db.sessions() as s:
        assert s.scalar(store.select(store.func.count()).select_from(MediaFile)) == 1  # stored once

    # the station pulls them over the API (media checked against its sha256) and answers
    from console.audio.library import Library
    from console.media.store import MediaStore
    from console.schedule.service import Scheduler

    library = Library(station_db, MediaStore(tmp_path / "media"), "operator", "admin")
    scheduler = Scheduler(station_db, library, "operator", "admin")
    inbox = Inbox(station_db, library=library, scheduler=scheduler)
    worker = SyncWorker(station_db, province(collector.url, "st", collector.token("st")), inbox=inbox,
                        media_dir=tmp_path / "inbox", backoff=lambda: Backoff(0.01, 0.2), idle_s=0.05, poll_wait_s=0.5)
    assert asyncio.run(worker.drain())["bulletins"] == 2
    assert {b["id"]: b["state"] for b in inbox.list()} == {1: "waiting", 2: "confirm"}
    inbox.reject(1, "Không phù hợp <địa bàn>")
    asyncio.run(worker.drain())
    assert collector.receipts("st", 1) == {"received": "", "rejected": "Không phù hợp <địa bàn>"}
    page = staff.get("/staff/")[2]
    sends = page.split('<section class="sent">')[1:]  # newest first: the command's two, then the form's
    assert [re.findall(r"<td>([^<]+)</td><td>#(\d+)</td>", x) for x in sends] == \
        [[("cli", "2")], [("cli", "1")], [("st", "2")], [("st", "1"), ("st2", "1")]]
    assert "Khẩn cấp</span> Bão số 3" in sends[2] and 'class="r-received">đã nhận ' in sends[2]
    assert "sha256 " + form_emergency["media"]["sha256"][:12] in sends[2]
    assert "Thông thường</span> Lịch tiêm chủng" in sends[3] and "người gửi: alice" in sends[3]
    assert "<td>st2</td><td>#1</td><td><span class=\"pending\">đài chưa nhận</span>" in sends[3]
    assert re.search(r'<td>st</td><td>#1</td><td><span class="r-received">đã nhận [^<]+</span>; '
                     r'<span class="r-rejected">từ chối [^<]+</span> — Không phù hợp &lt;địa bàn&gt;</td>', sends[3])
    assert "Station&#x27;s receipts" not in page and "What the station did" in staff.get("/staff/?lang=en")[2]


def test_an_emergency_can_be_cancelled_and_all_stations_chosen(collector, staff):
    status, _, page = staff.send(stations=(), all_stations=True, priority="emergency", title="Sóng thần", text="Sơ tán")
    assert status == 200 and "st, st2" in page and "tới 2 đài" in page
    draft = re.search(r'name="draft" value="([^"]+)"', page)[1]
    status, headers, _ = staff.post("/staff/confirm", {"csrf": staff.csrf(), "draft": draft, "action": "cancel"})
    assert status == 303 and "Đã huỷ" in staff.get(headers["location"])[2]
    assert queued(collector, "st") == queued(collector, "st2") == []
    status, headers, _ = staff.send(stations=(), all_stations=True, priority="priority", title="Nắng nóng", text="...")
    assert status == 303 and headers["location"].endswith("sent=st:1,st2:1")
    drafts = [re.search(r'name="draft" value="([^"]+)"', staff.send(priority="emergency", text=f"{i}")[2])[1]
              for i in range(4)]  # a user's newest three wait
    assert staff.post("/staff/confirm", {"csrf": staff.csrf(), "draft": drafts[0], "action": "send"})[0] == 409
    assert staff.post("/staff/confirm", {"csrf": staff.csrf(), "draft": drafts[3], "action": "send"})[0] == 303
    assert [b["text"] for b in queued(collector, "st")] == ["...", "3"]


def test_an_uploaded_file_is_stored_by_its_sha256_and_served_to_the_station(collector, staff, tmp_path):
    rate = 48000  # 65 s: larger than the API's 4 MiB request limit, which is not the form's
    tone = 0.2 * np.sin(np.arange(rate * 65) * 2 * np.pi * 440 / rate)
    data = write_wav(tmp_path / "tone.wav", tone.astype(np.float32)).read_bytes()
    assert len(data) > api.MAX_REQUEST_BYTES
    status, _, _ = staff.send(title="Bản tin chiều", media=("bản tin chiều.wav", data))
    assert status == 303
    [b] = queued(collector, "st")
    sha = hashlib.sha256(data).hexdigest()
    assert b["media"] == {"url": f"/v1/media/{sha}", "sha256": sha, "bytes": len(data)}
    with collector.db.sessions() as s:
        row = s.get(MediaFile, sha)
        assert (row.name, row.content_type, row.data) == ("bản tin chiều.wav", "audio/x-wav", data)
    token = collector.token("st")
    station = Browser(collector.url)
    assert station.request("GET", b["media"]["url"], headers={"Authorization": f"Bearer {token}"})[0] == 200
    assert station.raw == data

    async def pull() -> list[dict]:
        client = province(collector.url, "st", token)
        try:
            return await client.bulletins(0, 0)
        finally:
            await client.close()
    assert asyncio.run(pull()) == [b]
    assert not any(collector.server.staff._upload_dir.iterdir())  # the temporary copy is gone


def test_bad_input_is_answered_on_the_page(collector, staff, audio_files):
    collector.server.staff.max_upload = 50_000
    wav = need(audio_files, "wav").read_bytes()
    assert len(wav) > 50_000
    cases = [
        ({"title": "", "text": "x"}, 400, "Cần nhập tiêu đề"),
        ({"title": "   ", "text": "x"}, 400, "Cần nhập tiêu đề"),
        ({"title": "T" * 257, "text": "x"}, 400, "Cần nhập tiêu đề"),
        ({"text": "x", "media": ("a.mp3", need(audio_files, "mp3").read_bytes())}, 400, "không phải cả hai"),
        ({"text": "  "}, 400, "Cần nhập nội dung văn bản hoặc chọn tệp âm thanh"),
        ({"stations": ("nobody",), "text": "x"}, 404, "Không có đài «nobody»"),
        ({"stations": ("st", "<b>x</b>"), "text": "x"}, 404, "Không có đài «&lt;b&gt;x&lt;/b&gt;»"),
        ({"stations": (), "text": "x"}, 400, "Chọn ít nhất một đài"),
        ({"priority": "urgent", "text": "x"}, 400, "Chọn mức độ"),
        ({"targets": "26734 <b>", "text": "x"}, 400, "«&lt;b&gt;» không phải là mã đơn vị hành chính"),
        ({"media": ("big.wav", wav)}, 413, "lớn hơn giới hạn 49 KiB"),
        ({"media": ("tin.mp3", need(audio_files, "text.mp3").read_bytes())}, 400, "không phải tệp âm thanh"),
        ({"media": ("tin.m4a", need(audio_files, "truncated.m4a").read_bytes())}, 400, "tệp hỏng hoặc bị cắt cụt"),
        ({"media": ("tin.mp3", b"")}, 400, "tệp rỗng"),
        ({"media": ("tin.mp4", need(audio_files, "noaudio.mp4").read_bytes())}, 400, "tệp không có tiếng"),
        ({"text": "x" * (70 << 10)}, 413, "quá dài"),
        ({"title": "", "text": "x", "lang": "en"}, 400, "A title is needed"),
    ]
    for kw, status, message in cases:
        got, _, page = staff.send(**{"title": "Giữ lại <tiêu đề>", **kw})
        assert (got, message in page) == (status, True), (kw, got, page[:2000])
        assert 'class="error"' in page and "<form" in page  # the form again, with the message
        if "title" not in kw:
            assert 'value="Giữ lại &lt;tiêu đề&gt;"' in page  # what was typed is kept
    u = urlsplit(collector.url)
    for body, ctype in ((b"garbage", "multipart/form-data; boundary=zz"), (b"x", "multipart/form-data"),
                        (b"--zz\r\nnonsense", "multipart/form-data; boundary=zz"),
                        (b"\xff\xfe=\xff", "application/x-www-form-urlencoded")):
        got, _, page = staff.request("POST", "/staff/bulletins", body, {"Content-Type": ctype})
        assert got == 400 and "Không đọc được biểu mẫu" in page, (body, got)
    assert staff.request("GET", "/staff/confirm")[0] == 405
    assert queued(collector, "st") == []
    staged = collector.server.staff._upload_dir
    assert staged is not None and not any(staged.iterdir())  # no upload left behind
    assert Browser(f"http://{u.hostname}:{u.port}").get("/v1/summary")[0] == 200  # still serving


def test_what_staff_and_stations_typed_is_escaped(collector, staff):
    title = "<script>alert(1)</script> & \"quotes\""
    status, _, page = staff.send(title=title, text="<b>bold</b>", targets="a<b")
    assert status == 400 and "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert staff.send(title=title, text="<img src=x onerror=alert(1)>")[0] == 303
    _, _, page = staff.get("/staff/")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    status, _, page = staff.send(priority="emergency", title=title, text="<i>x</i>")
    assert status == 200 and "<script>alert" not in page and "&lt;i&gt;x&lt;/i&gt;" in page
    with collector.db.sessions.begin() as s:
        store.add_token(s, "x1", name="<script>alert(2)</script>")
    _, _, page = staff.get("/staff/?lang=en")
    assert "<script>alert(2)" not in page and "&lt;script&gt;alert(2)&lt;/script&gt; (x1)" in page


def test_the_language_follows_the_query_then_the_browser(collector):
    b = Browser(collector.url)
    assert "Đăng nhập" in b.get("/staff/login")[2]
    assert "Sign in" in b.get("/staff/login", **{"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})[2]
    assert "Đăng nhập" in b.get("/staff/login", **{"Accept-Language": "fr, vi;q=0.8, en;q=0.7"})[2]
    assert "Đăng nhập" in b.get("/staff/login?lang=vi", **{"Accept-Language": "en"})[2]
    assert "Sign in" in b.get("/staff/login?lang=en")[2]


def test_the_user_command(collector, tmp_path):
    url, data = collector.db_url, tmp_path / "cli"
    made = cli("province", "user", "add", "alice", "--password-stdin", "--db", url, "--json", data=data,
               stdin=PASSWORD + "\n")
    assert json.loads(made.stdout) == {"user": "alice", "reset": False}
    again = cli("province", "user", "add", "alice", "--password-stdin", "--db", url, data=data, stdin="another one\n",
                check=False)
    assert again.returncode == 1 and "already" in again.stderr
    short = cli("province", "user", "add", "bob", "--password-stdin", "--db", url, data=data, stdin="short\n", check=False)
    assert short.returncode == 1 and "at least 8" in short.stderr
    bad = cli("province", "user", "add", "-x", "--password-stdin", "--db", url, data=data, stdin=PASSWORD + "\n",
              check=False)
    assert bad.returncode == 2  # argparse: not a name
    no_tty = cli("province", "user", "add", "carol", "--db", url, data=data, stdin="", check=False)
    assert no_tty.returncode == 2 and "--password-stdin" in no_tty.stderr
    assert [u["name"] for u in json.loads(cli("province", "user", "list", "--db", url, "--json", data=data).stdout)] \
        == ["alice"]

    b = Browser(collector.url)
    b.login("alice", PASSWORD)
    assert b.get("/staff/")[0] == 200
    cli("province", "user", "add", "alice", "--reset", "--password-stdin", "--db", url, data=data,
        stdin="một mật khẩu mới\n")
    assert b.get("/staff/")[0] == 303  # a new password ends the sessions
    assert b.post("/staff/login", {"user": "alice", "password": PASSWORD})[0] == 401
    b.login("alice", "một mật khẩu mới")
    removed = cli("province", "user", "remove", "alice", "--db", url, "--json", data=data)
    assert json.loads(removed.stdout) == {"user": "alice", "removed": True}
    assert b.get("/staff/")[0] == 303
    gone = cli("province", "user", "remove", "alice", "--db", url, data=data, check=False)
    assert gone.returncode == 1 and "no user alice" in gone.stderr


def test_the_overview_links_to_the_staff_page(collector):
    page = Browser(collector.url).get("/?lang=en")[2]
    assert '<a href="/staff/?lang=en">' in page
