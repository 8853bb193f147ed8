"""The collector's staff pages (``/staff/``): province staff sign in and send bulletins to stations,
and see what the stations did with them (docs/province-api.md, "Staff pages").

Not part of the station API (docs/province-api.yaml): plain server-rendered HTML for people, served
beside it on the same port (``CollectorServer`` mounts :meth:`StaffPages.app`), no script and
nothing fetched from elsewhere, Vietnamese by default (``?lang=en`` or the browser's
Accept-Language).

- **Accounts**: ``python -m console province user add NAME`` (scrypt hash with a random salt,
  ``store.add_user``). Signing in sets a session cookie (random, only its sha256 is stored; HttpOnly,
  SameSite=Strict, Secure over HTTPS; 12 hours). The overview (``/``) stays open and read-only.
- **CSRF**: every form POST carries the session's own random token (compared in constant time), and
  a POST whose ``Origin`` is another site (or ``Sec-Fetch-Site: cross-site``) is refused before it is
  read. Pages may not be framed (clickjacking of the confirmation button).
- **Sending** goes through ``store.send_bulletins``, as ``province bulletin send`` does: an upload is
  streamed to a temporary file under its own (cleaned) name, checked with ffmpeg/ffprobe when there
  is one, and stored by its sha256 exactly as a ``--media FILE``. An emergency bulletin is held as a
  draft (in memory, 15 minutes) until the second, explicit confirmation.
- Bad input is answered with the form again and a message (400, 403, 413), never a 500; anything
  unexpected is logged and answered with a plain error page.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import logging
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import HttpProcessingError
from multidict import MultiDict

from console.province import store
from console.province.store import ApiError
from console.sync import api

if TYPE_CHECKING:
    from console.province.server import CollectorServer

log = logging.getLogger(__name__)

PREFIX = "/staff"
COOKIE = "tt_staff"
MAX_FIELD_BYTES = 64 << 10  # each form field but the file
MAX_FIELDS = 2000  # parts of one form (a station's checkbox is one)
DRAFT_S = 15 * 60  # how long an emergency waits for its confirmation
MAX_DRAFTS = 3  # per user: the newest wait, with their uploads
RECENT_SENDS = 30
LANGS = ("vi", "en")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

TEXT = {
    "vi": {
        "page": "Gửi bản tin tới các đài truyền thanh cơ sở", "overview": "Tổng quan các đài",
        "login_title": "Đăng nhập (cán bộ tỉnh)", "user": "Tên đăng nhập", "password": "Mật khẩu",
        "login": "Đăng nhập", "logout": "Đăng xuất", "signed_in": "Đã đăng nhập: {user}",
        "login_hint": "Tài khoản do quản trị viên tạo: python -m console province user add TÊN",
        "stations": "Đài nhận", "all": "Tất cả các đài ({n})",
        "none": "Chưa có đài nào. Tạo mã truy cập cho đài: python -m console province token add ĐÀI",
        "priority": "Mức độ (Thông tư 39/2020/TT-BTTTT)",
        "normal": "Thông thường", "priority_": "Ưu tiên", "emergency": "Khẩn cấp",
        "normal_hint": "đài xếp lịch phát", "priority_hint": "phát sớm nhất, trước các chương trình thường",
        "emergency_hint": "phát ngay, ngắt chương trình đang phát; cần xác nhận thêm một bước",
        "title": "Tiêu đề", "text": "Nội dung (văn bản)", "media": "hoặc tệp âm thanh",
        "media_hint": "MP3, WAV, M4A, OGG…, tối đa {limit}. Chỉ một trong hai: văn bản hoặc tệp âm thanh.",
        "targets": "Địa bàn (mã đơn vị hành chính, không bắt buộc)",
        "targets_hint": "cách nhau bằng dấu cách hoặc dấu phẩy; để trống: toàn bộ địa bàn của đài",
        "send": "Gửi bản tin", "recent": "Bản tin đã gửi gần đây", "no_recent": "Chưa gửi bản tin nào.",
        "by": "người gửi", "whole": "toàn bộ địa bàn", "area": "địa bàn", "file": "tệp",
        "station": "Đài", "number": "Số", "receipts": "Đài đã làm gì", "pending": "đài chưa nhận",
        "received": "đã nhận", "scheduled": "đã lên lịch", "played": "đã phát", "rejected": "từ chối",
        "queued": "Đã xếp hàng bản tin cho {n} đài: {list}. Các đài nhận ở lần đồng bộ tới.",
        "cancelled": "Đã huỷ: không gửi gì.",
        "confirm_title": "Xác nhận gửi bản tin KHẨN CẤP",
        "confirm_text": "Bản tin khẩn cấp được các đài phát ngay trên mọi cụm loa của địa bàn, ngắt chương trình "
                        "đang phát (hoặc ngay khi trực ban tại đài bấm xác nhận). Kiểm tra kỹ trước khi gửi.",
        "confirm_send": "Xác nhận: gửi KHẨN CẤP tới {n} đài", "cancel": "Huỷ, không gửi",
        "e_login": "Sai tên đăng nhập hoặc mật khẩu.",
        "e_auth": "Cần đăng nhập để gửi bản tin.",
        "e_csrf": "Yêu cầu bị từ chối: biểu mẫu không đến từ trang này hoặc phiên đã hết hạn (CSRF). "
                  "Tải lại trang rồi gửi lại.",
        "e_malformed": "Không đọc được biểu mẫu đã gửi.",
        "e_field": "Một ô của biểu mẫu quá dài (tối đa 64 KiB).",
        "e_bad_priority": "Chọn mức độ: thông thường, ưu tiên hoặc khẩn cấp.",
        "e_bad_title": "Cần nhập tiêu đề (tối đa 256 ký tự).",
        "e_text_and_media": "Bản tin có nội dung văn bản hoặc tệp âm thanh, không phải cả hai: bỏ một trong hai.",
        "e_empty": "Cần nhập nội dung văn bản hoặc chọn tệp âm thanh.",
        "e_bad_target": "«{target}» không phải là mã đơn vị hành chính.",
        "e_too_large": "Tệp âm thanh lớn hơn giới hạn {limit}.",
        "e_no_station": "Chọn ít nhất một đài (hoặc tất cả các đài).",
        "e_unknown_station": "Không có đài «{station}».",
        "e_not_audio": "Tệp «{name}» không dùng được: {reason}.",
        "a_not_audio": "không phải tệp âm thanh", "a_corrupt": "tệp hỏng hoặc bị cắt cụt",
        "a_empty": "tệp rỗng", "a_silent": "tệp không có tiếng",
        "e_draft": "Bản tin chờ xác nhận không còn (đã gửi, đã huỷ hoặc quá {min} phút): hãy soạn lại.",
        "e_server": "Máy chủ gặp lỗi khi xử lý yêu cầu này; lỗi đã được ghi lại. Thử lại sau.",
        "e_http": "Không có trang này hoặc yêu cầu không hợp lệ.",
    },
    "en": {
        "page": "Send a bulletin to the grassroots stations", "overview": "Stations overview",
        "login_title": "Sign in (province staff)", "user": "User name", "password": "Password",
        "login": "Sign in", "logout": "Sign out", "signed_in": "Signed in as {user}",
        "login_hint": "Accounts are created by the administrator: python -m console province user add NAME",
        "stations": "Stations", "all": "All stations ({n})",
        "none": "No stations yet. Create a station's token: python -m console province token add STATION",
        "priority": "Priority (Circular 39/2020/TT-BTTTT)",
        "normal": "Normal", "priority_": "Priority", "emergency": "Emergency",
        "normal_hint": "the station schedules it", "priority_hint": "played first, before normal programmes",
        "emergency_hint": "played at once, interrupting what plays; asks for one more confirmation",
        "title": "Title", "text": "Text", "media": "or an audio file",
        "media_hint": "MP3, WAV, M4A, OGG…, at most {limit}. One of the two: a text or an audio file.",
        "targets": "Target units (administrative unit codes, optional)",
        "targets_hint": "separated by spaces or commas; empty: the station's whole area",
        "send": "Send the bulletin", "recent": "Recent bulletins", "no_recent": "No bulletins sent yet.",
        "by": "sent by", "whole": "the whole area", "area": "units", "file": "file",
        "station": "Station", "number": "No.", "receipts": "What the station did", "pending": "not received yet",
        "received": "received", "scheduled": "scheduled", "played": "played", "rejected": "rejected",
        "queued": "Queued for {n} station(s): {list}. The stations get it at their next sync.",
        "cancelled": "Cancelled: nothing was sent.",
        "confirm_title": "Confirm the EMERGENCY bulletin",
        "confirm_text": "Stations play an emergency bulletin at once on every loudspeaker of the area, interrupting "
                        "what plays (or as soon as the station's operator confirms it). Check it before sending.",
        "confirm_send": "Confirm: send the EMERGENCY bulletin to {n} station(s)", "cancel": "Cancel, send nothing",
        "e_login": "Wrong user name or password.",
        "e_auth": "Sign in to send bulletins.",
        "e_csrf": "Refused: the form did not come from this page, or the session expired (CSRF). "
                  "Reload the page and send again.",
        "e_malformed": "The form sent cannot be read.",
        "e_field": "A field of the form is too long (at most 64 KiB).",
        "e_bad_priority": "Choose a priority: normal, priority or emergency.",
        "e_bad_title": "A title is needed (at most 256 characters).",
        "e_text_and_media": "A bulletin has a text or an audio file, not both: remove one of them.",
        "e_empty": "Write a text or choose an audio file.",
        "e_bad_target": "{target!r} is not an administrative unit code.",
        "e_too_large": "The audio file is larger than {limit}.",
        "e_no_station": "Choose at least one station (or all stations).",
        "e_unknown_station": "There is no station {station!r}.",
        "e_not_audio": "The file {name!r} cannot be used: {reason}.",
        "a_not_audio": "not an audio file", "a_corrupt": "corrupt or truncated",
        "a_empty": "the file is empty", "a_silent": "the file has no sound",
        "e_draft": "The bulletin waiting for confirmation is gone (sent, cancelled or older than {min} minutes): "
                   "write it again.",
        "e_server": "The server failed on this request; it is logged. Try again later.",
        "e_http": "There is no such page, or the request is not valid.",
    },
}


class FormError(Exception):
    """Input the page refuses: HTTP ``status`` and the key of its message (``e_...``) with its fields."""

    def __init__(self, status: int, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.status, self.key, self.fields = status, key, fields


@dataclass
class Upload:
    path: Path  # in a folder of its own under the server's upload folder, under the cleaned name
    name: str
    size: int


@dataclass
class Draft:
    """A bulletin as the form gave it (an emergency waiting for its confirmation)."""

    user: str
    stations: list[str]
    all: bool
    priority: str
    title: str
    text: str
    targets: list[str]
    media: Upload | None = None
    expires: float = field(default_factory=lambda: time.monotonic() + DRAFT_S)


def language(request: web.Request) -> str:
    """``?lang=``, else the first of Vietnamese and English the browser prefers, else Vietnamese."""
    lang = request.query.get("lang")
    if lang in LANGS:
        return lang
    best: tuple[float, str] | None = None
    for item in request.headers.get("Accept-Language", "").split(","):
        tag, *params = item.strip().split(";")
        base = tag.strip().lower().split("-")[0]
        q = 1.0
        for p in params:
            k, _, v = p.strip().partition("=")
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if base in LANGS and q > 0 and (best is None or q > best[0]):
            best = (q, base)
    return best[1] if best else "vi"


def _safe_name(name: str) -> str:
    """A file name without folders or odd characters (letters with diacritics are kept)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\-() ]+", "_", name).strip(" .")[:200]
    return name or "upload"


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f}".removesuffix(".0") + " MiB"
    return f"{max(1, round(n / 1024))} KiB"


def _split_targets(raw: str) -> list[str]:
    return list(dict.fromkeys(t for t in re.split(r"[\s,;]+", raw) if t))


e = html.escape


class StaffPages:
    """The staff pages of ``server`` (its database, executors and time zone)."""

    def __init__(self, server: CollectorServer) -> None:
        self.server = server
        self.max_upload = api.MAX_MEDIA_BYTES  # what store.send_bulletins accepts
        self._drafts: dict[str, Draft] = {}
        self._upload_dir: Path | None = None

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._pages])
        app.router.add_get("/", self.get_page)
        app.router.add_get("/login", self.get_login)
        app.router.add_post("/login", self.post_login)
        app.router.add_post("/logout", self.post_logout)
        app.router.add_post("/bulletins", self.post_bulletins)
        app.router.add_post("/confirm", self.post_confirm)
        app.on_cleanup.append(self._cleanup)
        return app

    async def _cleanup(self, _app: web.Application) -> None:
        self._drafts.clear()
        if self._upload_dir is not None:
            shutil.rmtree(self._upload_dir, ignore_errors=True)
            self._upload_dir = None

    # -- plumbing ---------------------------------------------------------------------------------

    @web.middleware
    async def _pages(self, request: web.Request, handler) -> web.StreamResponse:
        lang = language(request)
        try:
            response = await handler(request)
        except web.HTTPException as ex:
            if ex.status < 400:
                raise
            response = self._html(lang, TEXT[lang]["e_http"], f"<p class=error>{e(TEXT[lang]['e_http'])} "
                                  f"({ex.status} {e(ex.reason)})</p>", status=ex.status)
        except (asyncio.CancelledError, ConnectionError):
            raise
        except Exception:
            log.exception("staff pages: %s %s failed", request.method, request.path)
            response = self._html(lang, TEXT[lang]["e_server"], f"<p class=error>{e(TEXT[lang]['e_server'])}</p>",
                                  status=500)
        response.headers.update(SECURITY_HEADERS)
        return response

    @staticmethod
    def _url(lang: str, path: str = "/", **query: str) -> str:
        q = "&".join(f"{k}={quote(v, safe=':,')}" for k, v in {"lang": lang, **query}.items())
        return f"{PREFIX}{path}?{q}"

    async def _session(self, request: web.Request) -> tuple[str, str] | None:
        token = request.cookies.get(COOKIE, "")
        if not token:
            return None
        return await self.server._read(lambda s: store.staff_session(s, token))

    @staticmethod
    def _same_origin(request: web.Request) -> bool:
        """No browser sends a cross-site form here: ``Origin`` (when sent) is this host, and the fetch
        metadata (when sent) does not say cross-site."""
        origin = request.headers.get("Origin")
        if origin is not None and (origin == "null" or urlsplit(origin).netloc.lower() != request.host.lower()):
            return False
        return request.headers.get("Sec-Fetch-Site", "same-origin") != "cross-site"

    @staticmethod
    def _csrf_ok(form: MultiDict, csrf: str) -> bool:
        return hmac.compare_digest(form.get("csrf", "").encode(), csrf.encode())

    def _html(self, lang: str, title: str, body: str, *, status: int = 200, user: str = "", csrf: str = "",
              here: str = "/") -> web.Response:
        t = TEXT[lang]
        other = "en" if lang == "vi" else "vi"
        nav = [f'<a href="/?lang={lang}">{e(t["overview"])}</a>',
               f'<a href="{e(self._url(other, here))}" lang="{other}">{"English" if other == "en" else "Tiếng Việt"}</a>']
        if user:
            nav.append(f'<form method="post" action="{e(self._url(lang, "/logout"))}" class="inline">'
                       f'<input type="hidden" name="csrf" value="{e(csrf)}">{e(t["signed_in"].format(user=user))} '
                       f'<button type="submit">{e(t["logout"])}</button></form>')
        page = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{CSS}</style></head>
<body><nav>{' · '.join(nav)}</nav>
<h1>{e(title)}</h1>
{body}
</body></html>
"""
        return web.Response(text=page, status=status, content_type="text/html", charset="utf-8")

    # -- signing in and out -----------------------------------------------------------------------

    def _login_page(self, lang: str, message: str = "", name: str = "", next_: str = "", status: int = 200) -> web.Response:
        t = TEXT[lang]
        body = (f'<p class="error" role="alert">{e(message)}</p>' if message else "") + f"""
<form method="post" action="{e(self._url(lang, '/login'))}" class="box narrow">
<input type="hidden" name="next" value="{e(next_)}">
<label>{e(t['user'])}<br><input name="user" value="{e(name)}" autocomplete="username" required autofocus></label>
<label>{e(t['password'])}<br><input name="password" type="password" autocomplete="current-password" required></label>
<p><button type="submit" class="primary">{e(t['login'])}</button></p>
</form>
<p class="hint">{e(t['login_hint'])}</p>"""
        return self._html(lang, t["login_title"], body, status=status, here="/login")

    async def get_login(self, request: web.Request) -> web.Response:
        return self._login_page(language(request), next_=request.query.get("next", ""))

    async def post_login(self, request: web.Request) -> web.Response:
        lang = language(request)
        if not self._same_origin(request):
            return self._login_page(lang, TEXT[lang]["e_csrf"], status=403)
        try:
            form = await self._small_form(request)
        except FormError as ex:
            return self._login_page(lang, self._message(lang, ex), status=ex.status)
        name, password = form.get("user", "").strip(), form.get("password", "")
        # scrypt in a reader thread: a guesser does not hold up the stations' writes
        if not await self.server._read(lambda s: store.authenticate(s, name, password)):
            log.warning("staff pages: failed sign-in as %r from %s", name[:64], request.remote)
            return self._login_page(lang, TEXT[lang]["e_login"], name=name, next_=form.get("next", ""), status=401)
        token, _ = await self.server._write(lambda s: store.open_staff_session(s, name))
        next_ = form.get("next", "")
        # only a page of ours: never an open redirect to another site
        where = next_ if re.fullmatch(r"/staff/[A-Za-z0-9/_.?=&:,%-]*", next_) else self._url(lang)
        response = _redirect(where)
        response.set_cookie(COOKIE, token, path=PREFIX, httponly=True, samesite="Strict", secure=request.secure,
                            max_age=store.SESSION_MS // 1000)
        return response

    async def post_logout(self, request: web.Request) -> web.Response:
        lang = language(request)
        session = await self._session(request)
        if session is not None:
            form = MultiDict()
            if self._same_origin(request):
                try:
                    form = await self._small_form(request)
                except FormError:
                    pass
            if not self._csrf_ok(form, session[1]):
                return self._html(lang, TEXT[lang]["page"], f"<p class=error>{e(TEXT[lang]['e_csrf'])}</p>", status=403)
            token = request.cookies[COOKIE]
            await self.server._write(lambda s: store.logout(s, token))
        response = _redirect(self._url(lang, "/login"))
        response.del_cookie(COOKIE, path=PREFIX)
        return response

    # -- the page ---------------------------------------------------------------------------------

    async def get_page(self, request: web.Request) -> web.Response:
        lang = language(request)
        session = await self._session(request)
        if session is None:
            return _redirect(self._url(lang, "/login", next=self._url(lang)))
        notice = ""
        if sent := request.query.get("sent"):
            pairs = [p.partition(":")[::2] for p in sent.split(",")]
            shown = ", ".join(f"{s} (#{n})" for s, n in pairs if s and n.isdigit())
            notice = TEXT[lang]["queued"].format(n=len(pairs), list=shown)
        elif request.query.get("cancelled"):
            notice = TEXT[lang]["cancelled"]
        return await self._page(lang, *session, notice=notice)

    async def _page(self, lang: str, user: str, csrf: str, *, message: str = "", notice: str = "",
                    values: Draft | None = None, status: int = 200) -> web.Response:
        t = TEXT[lang]
        stations, recent = await self.server._read(lambda s: (store.stations(s), store.recent_bulletins(s)))
        tz = ZoneInfo(self.server.tz)
        v = values or Draft(user, [], False, "normal", "", "", [])
        chosen = set(v.stations)
        boxes = "".join(
            f'<label class="station"><input type="checkbox" name="station" value="{e(s["station"])}"'
            f'{" checked" if s["station"] in chosen and not v.all else ""}> {e(_station_label(s))}</label>'
            for s in stations)
        pick = (f'<label class="station all"><input type="checkbox" name="all" value="1"{" checked" if v.all else ""}> '
                f'<strong>{e(t["all"].format(n=len(stations)))}</strong></label><div class="stations">{boxes}</div>'
                if stations else f"<p>{e(t['none'])}</p>")
        radios = "".join(
            f'<label class="prio-{p}"><input type="radio" name="priority" value="{p}"{" checked" if v.priority == p else ""}> '
            f'<strong>{e(t[_pkey(p)])}</strong> <small>({e(t[p + "_hint"])})</small></label><br>'
            for p in api.PRIORITIES)
        body = []
        if message:
            body.append(f'<p class="error" role="alert">{e(message)}</p>')
        if notice:
            body.append(f'<p class="ok" role="status">{e(notice)}</p>')
        body.append(f"""<form method="post" action="{e(self._url(lang, '/bulletins'))}" enctype="multipart/form-data" class="box">
<input type="hidden" name="csrf" value="{e(csrf)}">
<fieldset><legend>{e(t['stations'])}</legend>{pick}</fieldset>
<fieldset><legend>{e(t['priority'])}</legend>{radios}</fieldset>
<label>{e(t['title'])}<br><input name="title" value="{e(v.title)}" maxlength="256" size="70" required></label>
<label>{e(t['text'])}<br><textarea name="text" rows="5" cols="70">{e(v.text)}</textarea></label>
<label>{e(t['media'])}<br><input type="file" name="media" accept="audio/*,.mp3,.wav,.m4a,.aac,.ogg,.opus,.flac,.wma,.amr"></label>
<p class="hint">{e(t['media_hint'].format(limit=_size(self.max_upload)))}</p>
<label>{e(t['targets'])}<br><input name="targets" value="{e(' '.join(v.targets))}" size="70"></label>
<p class="hint">{e(t['targets_hint'])}</p>
<p><button type="submit" class="primary">{e(t['send'])}</button></p>
</form>""")
        body.append(f"<h2>{e(t['recent'])}</h2>{_recent_html(recent, t, tz)}")
        return self._html(lang, t["page"], "\n".join(body), status=status, user=user, csrf=csrf)

    # -- sending ----------------------------------------------------------------------------------

    async def post_bulletins(self, request: web.Request) -> web.Response:
        lang = language(request)
        t = TEXT[lang]
        session = await self._session(request)
        if session is None:
            return self._html(lang, t["page"], f'<p class="error">{e(t["e_auth"])}</p><p><a href="'
                              f'{e(self._url(lang, "/login"))}">{e(t["login"])}</a></p>', status=401)
        user, csrf = session
        if not self._same_origin(request):
            return await self._page(lang, user, csrf, message=t["e_csrf"], status=403)
        draft = None
        try:
            try:
                form, upload = await self._read_form(request)
            except FormError as ex:  # the form again with what could be read of it (if it is the user's)
                form = ex.fields.pop("form", MultiDict())
                if self._csrf_ok(form, csrf):
                    draft = _draft(user, form, None)
                raise
            if not self._csrf_ok(form, csrf):  # and what it says is not shown back
                self._discard(_draft(user, form, upload))
                raise FormError(403, "e_csrf")
            draft = _draft(user, form, upload)
            await self._check(draft)
            if draft.priority == "emergency":
                draft.all = False  # what is confirmed is the stations shown, even if one is added meanwhile
                return self._confirm_page(lang, user, csrf, self._keep(draft), draft)
            return await self._send(lang, draft)
        except FormError as ex:
            self._discard(draft)
            return await self._page(lang, user, csrf, message=self._message(lang, ex), values=draft, status=ex.status)

    async def post_confirm(self, request: web.Request) -> web.Response:
        lang = language(request)
        t = TEXT[lang]
        session = await self._session(request)
        if session is None:
            return self._html(lang, t["page"], f'<p class="error">{e(t["e_auth"])}</p>', status=401)
        user, csrf = session
        try:
            if not self._same_origin(request):
                raise FormError(403, "e_csrf")
            form = await self._small_form(request)
            if not self._csrf_ok(form, csrf):
                raise FormError(403, "e_csrf")
            draft = self._drafts.get(form.get("draft", ""))
            if draft is None or draft.user != user or draft.expires < time.monotonic():
                raise FormError(409, "e_draft", min=DRAFT_S // 60)
            del self._drafts[form["draft"]]
            if form.get("action") != "send":
                self._discard(draft)
                return _redirect(self._url(lang, cancelled="1"))
            try:
                await self._check(draft)  # a station may have gone meanwhile
                return await self._send(lang, draft)
            except FormError:
                self._discard(draft)
                raise
        except FormError as ex:
            return await self._page(lang, user, csrf, message=self._message(lang, ex), status=ex.status)

    async def _check(self, d: Draft) -> None:
        """Refuse what store.send_bulletins would refuse, and an upload that is not audio."""
        def check(s) -> list[str]:
            wanted = [r["station"] for r in store.stations(s)] if d.all else d.stations
            return store.check_bulletin(s, wanted, d.priority, d.title, text=d.text,
                                        media=d.media.path if d.media else None, targets=d.targets)
        try:
            d.stations = await self.server._read(check)
        except ApiError as ex:
            raise FormError(ex.status, "e_" + ex.code, detail=str(ex), **ex.extra) from None
        if d.media is not None:
            await self._probe(d.media)

    async def _probe(self, upload: Upload) -> None:
        from console.audio import ffmpeg

        try:
            info = await asyncio.get_running_loop().run_in_executor(None, ffmpeg.probe, upload.path)
        except ffmpeg.FfmpegNotFound as ex:
            log.warning("staff pages: %s; %s is sent unchecked", ex, upload.name)
            return
        except ffmpeg.AudioError as ex:
            reason = ("a_empty" if ex.reason.startswith("file is empty") else
                      "a_not_audio" if ex.reason == "not an audio file" else "a_corrupt")
            raise FormError(400, "e_not_audio", name=upload.name, reason=reason) from None
        if not info.has_audio:
            raise FormError(400, "e_not_audio", name=upload.name, reason="a_silent")

    async def _send(self, lang: str, d: Draft) -> web.Response:
        def send(s) -> list[dict[str, Any]]:
            return store.send_bulletins(s, d.stations, d.priority, d.title, text=d.text,
                                        media=d.media.path if d.media else None, targets=d.targets, issued_by=d.user)
        try:
            sent = await self.server._write(send)
        except ApiError as ex:
            raise FormError(ex.status, "e_" + ex.code, detail=str(ex), **ex.extra) from None
        finally:
            self._discard(d)
        await self.server.wake_polls()
        log.info("staff pages: %s sent %s bulletin %r to %s", d.user, d.priority, d.title,
                 ", ".join(f"{b['station']}#{b['id']}" for b in sent))
        return _redirect(self._url(lang, sent=",".join(f"{b['station']}:{b['id']}" for b in sent)))

    def _keep(self, d: Draft) -> str:
        """Hold ``d`` for its confirmation; a user's older drafts beyond MAX_DRAFTS, and expired ones, go."""
        now = time.monotonic()
        mine = [k for k, old in self._drafts.items() if old.user == d.user]
        for key in [k for k, old in self._drafts.items() if old.expires < now] + mine[:max(0, len(mine) - MAX_DRAFTS + 1)]:
            if key in self._drafts:
                self._discard(self._drafts.pop(key))
        key = secrets.token_urlsafe(16)
        self._drafts[key] = d
        return key

    @staticmethod
    def _discard(d: Draft | None) -> None:
        if d is not None and d.media is not None:
            shutil.rmtree(d.media.path.parent, ignore_errors=True)

    def _message(self, lang: str, ex: FormError) -> str:
        t = TEXT[lang]
        fields = {**ex.fields, "limit": _size(self.max_upload)}
        if "reason" in fields:
            fields["reason"] = t.get(fields["reason"], fields["reason"])
        try:
            return t[ex.key].format(**fields)
        except KeyError:  # a code of store's this page has no words for: store's own sentence
            return fields.get("detail") or t["e_malformed"]

    def _confirm_page(self, lang: str, user: str, csrf: str, key: str, d: Draft) -> web.Response:
        t = TEXT[lang]
        what = (f"<dt>{e(t['file'])}</dt><dd>{e(d.media.name)} ({_size(d.media.size)})</dd>" if d.media
                else f"<dt>{e(t['text'])}</dt><dd class='text'>{e(d.text)}</dd>")
        body = f"""<div class="box danger">
<p>{e(t['confirm_text'])}</p>
<dl><dt>{e(t['stations'])}</dt><dd>{e(', '.join(d.stations))}</dd>
<dt>{e(t['title'])}</dt><dd><strong>{e(d.title)}</strong></dd>{what}
<dt>{e(t['area'])}</dt><dd>{e(' '.join(d.targets) or t['whole'])}</dd></dl>
<form method="post" action="{e(self._url(lang, '/confirm'))}">
<input type="hidden" name="csrf" value="{e(csrf)}"><input type="hidden" name="draft" value="{e(key)}">
<button type="submit" name="action" value="send" class="danger">{e(t['confirm_send'].format(n=len(d.stations)))}</button>
<button type="submit" name="action" value="cancel">{e(t['cancel'])}</button>
</form></div>"""
        return self._html(lang, t["confirm_title"], body, user=user, csrf=csrf)

    # -- reading forms ----------------------------------------------------------------------------

    async def _small_form(self, request: web.Request) -> MultiDict:
        """A form without a file (sign-in, confirmation): at most the collector's request size."""
        try:
            return MultiDict((k, v) for k, v in (await request.post()).items() if isinstance(v, str))
        except web.HTTPRequestEntityTooLarge:
            raise FormError(413, "e_field") from None
        except (ValueError, LookupError, HttpProcessingError):
            raise FormError(400, "e_malformed") from None

    async def _read_form(self, request: web.Request) -> tuple[MultiDict, Upload | None]:
        """The bulletin form: fields of at most MAX_FIELD_BYTES, the file ``media`` streamed to a
        temporary file of at most ``max_upload`` bytes."""
        if request.content_type != "multipart/form-data":
            return await self._small_form(request), None
        fields: MultiDict = MultiDict()
        upload: Upload | None = None
        try:
            try:
                reader = await request.multipart()
                count = 0
                while (part := await reader.next()) is not None:
                    count += 1
                    if count > MAX_FIELDS or not isinstance(part, BodyPartReader):  # or a nested multipart
                        raise FormError(400, "e_malformed")
                    if part.name == "media" and part.filename is not None:
                        got = await self._stage(part)
                        if got is not None:
                            if upload is not None:
                                self._discard(Draft("", [], False, "", "", "", [], got))
                                raise FormError(400, "e_malformed")
                            upload = got
                        continue
                    data = b""
                    while chunk := await part.read_chunk(1 << 14):
                        data += chunk
                        if len(data) > MAX_FIELD_BYTES:
                            raise FormError(413, "e_field")
                    fields.add(part.name or "", data.decode("utf-8"))
            except FormError:
                raise
            except (ValueError, LookupError, AssertionError, RuntimeError, HttpProcessingError) as ex:
                log.info("staff pages: a form that cannot be read: %s", ex)
                raise FormError(400, "e_malformed") from None
        except FormError as ex:
            if upload is not None:
                self._discard(Draft("", [], False, "", "", "", [], upload))
            ex.fields["form"] = fields
            raise
        return fields, upload

    async def _stage(self, part) -> Upload | None:
        """Write the file part to a folder of its own; None for an empty file input."""
        name = _safe_name(part.filename or "")
        if self._upload_dir is None:
            self._upload_dir = Path(tempfile.mkdtemp(prefix="tt-collector-uploads-"))
        folder = self._upload_dir / secrets.token_hex(8)
        folder.mkdir()
        path = folder / name
        size = 0
        try:
            with open(path, "wb") as f:  # noqa: ASYNC230 - 64 KiB writes to a local file
                while chunk := await part.read_chunk(1 << 16):
                    size += len(chunk)
                    if size > self.max_upload:
                        raise FormError(413, "e_too_large")
                    f.write(chunk)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if size == 0 and not part.filename:  # no file chosen
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return Upload(path, name, size)


async def to_index(request: web.Request) -> web.Response:
    return _redirect(PREFIX + "/?" + request.query_string if request.query_string else PREFIX + "/")


def _draft(user: str, form: MultiDict, upload: Upload | None) -> Draft:
    return Draft(user, form.getall("station", []), form.get("all") == "1", form.get("priority", ""),
                 form.get("title", ""), form.get("text", ""), _split_targets(form.get("targets", "")), upload)


def _redirect(where: str) -> web.Response:
    """303 See Other: after a POST the browser GETs ``where`` (a reload does not send again)."""
    return web.Response(status=303, headers={"Location": where})


def _pkey(priority: str) -> str:
    return "priority_" if priority == "priority" else priority


def _station_label(s: dict[str, Any]) -> str:
    return s["station"] if s["name"] in ("", s["station"]) else f"{s['name']} ({s['station']})"


def _recent_html(recent: list[dict[str, Any]], t: dict[str, str], tz: ZoneInfo) -> str:
    """The newest sends, one block each (the bulletins queued together), with each station's receipts."""
    def when(ms: int | None) -> str:
        return datetime.fromtimestamp(ms / 1000, tz).strftime("%H:%M %d/%m/%Y") if ms else ""

    sends: dict[tuple, list[dict[str, Any]]] = {}
    for b in recent:
        key = (b["issued_at"], b["issued_by"], b["priority"], b["title"], b["text"], (b["media"] or {}).get("sha256"))
        if key not in sends and len(sends) >= RECENT_SENDS:
            break
        sends.setdefault(key, []).append(b)
    if not sends:
        return f"<p>{e(t['no_recent'])}</p>"
    out = []
    for group in sends.values():
        b = group[0]
        meta = [when(b["issued_at"])]
        if b["issued_by"]:
            meta.append(f"{t['by']}: {b['issued_by']}")
        meta.append(f"{t['area']}: {' '.join(b['targets']) or t['whole']}")
        if b["media"]:
            m = b["media"]
            meta.append(f"{t['file']}: {m.get('name') or ''} ({_size(m['bytes'] or 0)}, sha256 {m['sha256'][:12]}…)")
        text = f'<p class="text">{e(_short(b["text"]))}</p>' if b["text"] else ""
        rows = []
        for x in sorted(group, key=lambda x: x["station"]):
            receipts = "; ".join(
                f'<span class="r-{e(r["status"])}">{e(t.get(r["status"], r["status"]))} {e(when(r["received_at"]))}</span>'
                + (f" — {e(r['note'])}" if r["note"] else "") for r in x["receipts"]) or \
                f'<span class="pending">{e(t["pending"])}</span>'
            rows.append(f"<tr><td>{e(x['station'])}</td><td>#{x['id']}</td><td>{receipts}</td></tr>")
        out.append(f"""<section class="sent">
<h3><span class="badge prio-{e(b['priority'])}">{e(t[_pkey(b['priority'])])}</span> {e(b['title'])}</h3>
<p class="meta">{e(' · '.join(meta))}</p>{text}
<table><thead><tr><th>{e(t['station'])}</th><th>{e(t['number'])}</th><th>{e(t['receipts'])}</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table></section>""")
    return "\n".join(out)


def _short(text: str, n: int = 400) -> str:
    return text if len(text) <= n else text[:n].rstrip() + "…"


CSS = """body{font-family:sans-serif;margin:1.5em auto;max-width:60em;padding:0 1em;color:#222}
nav{text-align:right;font-size:.9em;color:#555}form.inline{display:inline}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}h3{font-size:1.05em;margin:.2em 0}
.box{border:1px solid #bbb;border-radius:4px;padding:1em;background:#fafafa}.narrow{max-width:22em}
.box label{display:block;margin:.6em 0}fieldset{border:1px solid #ccc;margin:.6em 0}
.stations{display:flex;flex-wrap:wrap;gap:.2em 1.2em}.station{display:inline-block}
.hint{font-size:.85em;color:#555;margin:.1em 0 .6em}
.error{background:#fdecea;border:1px solid #d93025;padding:.6em;color:#a50e0e}
.ok{background:#e6f4ea;border:1px solid #188038;padding:.6em;color:#0d652d}
button{font-size:1em;padding:.3em 1em}button.primary{font-weight:bold}
button.danger{background:#c5221f;color:#fff;font-weight:bold;border:1px solid #8c1713}
div.danger{border:2px solid #c5221f;background:#fdecea}
.badge{font-size:.8em;padding:.1em .5em;border-radius:3px;background:#e8eaed}
.badge.prio-priority{background:#fde293}.badge.prio-emergency{background:#c5221f;color:#fff}
.prio-emergency strong{color:#c5221f}
section.sent{border-top:1px solid #ddd;padding:.5em 0}.meta{font-size:.85em;color:#555;margin:.2em 0}
.text{white-space:pre-wrap;margin:.3em 0}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}thead th{background:#eee}
.r-rejected{color:#a50e0e;font-weight:bold}.r-played{color:#0d652d;font-weight:bold}.pending{color:#777}
dt{font-weight:bold;margin-top:.4em}dd{margin-left:1em}"""
