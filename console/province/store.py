"""The reference collector's logic over its database: tokens, storing records once, bulletins,
receipts, and the overview derived from the records (docs/province-api.md).

Plain functions over a ``Session``; the caller owns the transaction. Requests that a client got
wrong raise :class:`ApiError` with the HTTP status and error code the server answers with.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import itertools
import mimetypes
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from console.province.models import (
    SCHEMA_VERSION,
    AlarmState,
    AsRun,
    Base,
    Bulletin,
    BulletinReceipt,
    DeviceState,
    MediaFile,
    Meta,
    Record,
    StaffSession,
    StaffUser,
    Station,
    Token,
)
from console.store.db import Database, StoreError, make_engine
from console.store.models import now_ms
from console.sync import api

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


class ApiError(Exception):
    """A request the collector refuses: HTTP ``status``, error ``code``, one-sentence ``message``."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.extra = status, code, extra

    def body(self) -> dict[str, Any]:
        return api.error_body(self.code, str(self), **self.extra)


# -- the database ---------------------------------------------------------------------------------

def open_collector(url: str) -> Database:
    """Connect, create the schema if it is missing, check its version."""
    engine: Engine = make_engine(url)
    try:
        Base.metadata.create_all(engine)
        db = Database(engine, sessionmaker(engine, expire_on_commit=False))
        with db.sessions.begin() as s:
            row = s.get(Meta, "schema")
            if row is None:
                s.add(Meta(key="schema", value=SCHEMA_VERSION))
            elif row.value != SCHEMA_VERSION:
                raise StoreError(f"the collector database has schema {row.value}; this collector knows {SCHEMA_VERSION}")
    except Exception:
        engine.dispose()
        raise
    return db


def _insert(session: Session):
    return {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[session.get_bind().dialect.name]


def _upsert(session: Session, model: type[Base], rows: list[dict[str, Any]], keys: tuple[str, ...],
            newer: str | None = None) -> None:
    """Insert or update by ``keys``; with ``newer``, an existing row changes only if that column of the
    new row is not older. Rows with the same key keep the newest (one statement may not touch a row twice)."""
    if not rows:
        return
    latest: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        k = tuple(r[c] for c in keys)
        if k not in latest or newer is None or r[newer] >= latest[k][newer]:
            latest[k] = r
    table = model.__table__
    stmt = _insert(session)(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: stmt.excluded[c] for c in rows[0] if c not in keys},
        where=(table.c[newer] <= stmt.excluded[newer]) if newer else None)
    session.execute(stmt, list(latest.values()))


# -- stations and tokens --------------------------------------------------------------------------

def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_station_id(station: str) -> str:
    if not re.fullmatch(api.STATION_PATTERN, station or ""):
        raise ApiError(400, "bad_station", f"{station!r} is not a station id: 1-64 letters, digits, '.', '_' or '-'.")
    return station


def add_token(session: Session, station: str, name: str = "") -> str:
    """A new token for ``station`` (created if unknown); only its hash is kept, so it is shown once."""
    check_station_id(station)
    row = session.get(Station, station)
    if row is None:
        session.add(Station(id=station, name=name or station))
    elif name:
        row.name = name
    # A fixed prefix: a token never starts with "-" (which a command line would take for an option)
    # and is recognisable when it leaks into a log or a paste.
    token = "tt_" + secrets.token_urlsafe(32)
    session.add(Token(station_id=station, hash=hash_token(token)))
    return token


def revoke_tokens(session: Session, station: str) -> int:
    result = session.execute(update(Token).where(Token.station_id == station, Token.revoked_at.is_(None))
                             .values(revoked_at=now_ms()))
    return result.rowcount


def station_for_token(session: Session, token: str) -> str | None:
    return session.scalar(select(Token.station_id).where(Token.hash == hash_token(token), Token.revoked_at.is_(None)))


def stations(session: Session) -> list[dict[str, Any]]:
    active = dict(session.execute(select(Token.station_id, func.count()).where(Token.revoked_at.is_(None))
                                  .group_by(Token.station_id)).all())
    return [{"station": s.id, "name": s.name, "tokens": active.get(s.id, 0), "acked_through": s.acked_through,
             "last_sync_at": s.last_sync_at} for s in session.scalars(select(Station).order_by(Station.id))]


def _station(session: Session, station: str, lock: bool = False) -> Station:
    row = session.get(Station, station, with_for_update=lock)
    if row is None:
        raise ApiError(404, "unknown_station", f"There is no station {station}.")
    return row


def cursor(session: Session, station: str) -> int:
    row = _station(session, station)
    row.last_seen_at = now_ms()
    return row.acked_through


# -- records --------------------------------------------------------------------------------------

def ingest(session: Session, station: str, batch: api.Batch) -> api.Ack:
    """Store the batch's new records once. Records the collector holds already are skipped if they are
    the same (a retry), and refused if they differ (409 ``seq_conflict``); a batch that does not start
    right after the held records is refused (409 ``gap``, with ``expected``)."""
    records = batch.records
    for a, b in itertools.pairwise(records):
        if b.seq != a.seq + 1:
            raise ApiError(400, "bad_order", f"Records must have consecutive seqs in ascending order: {b.seq} follows {a.seq}.")
    row = _station(session, station, lock=True)  # one batch of a station at a time (PostgreSQL)
    now = now_ms()
    row.last_seen_at = now
    held = row.acked_through
    old = [r for r in records if r.seq <= held]
    new = [r for r in records if r.seq > held]
    if old:
        stored = dict(session.execute(select(Record.seq, Record.digest).where(
            Record.station_id == station, Record.seq.between(old[0].seq, old[-1].seq))).all())
        for r in old:
            if stored.get(r.seq) != api.record_digest(r.seq, r.type, r.ts, r.data):
                raise ApiError(409, "seq_conflict", f"Record {r.seq} differs from the record {r.seq} held here; "
                               "a station's seqs must never be reused.", seq=r.seq, acked_through=held)
    if new and new[0].seq != held + 1:
        raise ApiError(409, "gap", f"The next record must be {held + 1}, not {new[0].seq}.",
                       expected=held + 1, acked_through=held)
    if new:
        session.execute(Record.__table__.insert(), [
            {"station_id": station, "seq": r.seq, "type": r.type, "ts": r.ts, "data": r.data,
             "digest": api.record_digest(r.seq, r.type, r.ts, r.data), "received_at": now} for r in new])
        derive(session, station, new)
        row.acked_through = new[-1].seq
        row.last_sync_at = now
    if batch.backlog is not None:
        row.backlog = batch.backlog
    return api.Ack(acked_through=row.acked_through, stored=len(new), duplicates=len(old))


def derive(session: Session, station: str, records: Sequence[api.Record]) -> None:
    """Keep the overview's tables up to date from new records (runs of one type at a time, in order).
    Records whose data lacks what a table needs are stored all the same and derive nothing."""
    for kind, run in itertools.groupby(records, key=lambda r: r.type):
        handler = _DERIVE.get(kind)
        if handler is not None:
            handler(session, station, list(run))


def _str(v: Any) -> str:
    return v if isinstance(v, str) else ""


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _asrun(session: Session, station: str, records: list[api.Record]) -> None:
    rows = []
    for r in records:
        d = r.data
        if _str(d.get("item")) and _str(d.get("device")) and _int(d.get("start")) is not None:
            rows.append({"station_id": station, "item": d["item"][:64], "device_id": d["device"][:64],
                         "schedule_id": _int(d.get("schedule")), "start": d["start"], "dur_ms": _int(d.get("dur_ms")) or 0,
                         "status": _str(d.get("status"))[:16], "played_ms": _int(d.get("played_ms")) or 0,
                         "ts": _int(d.get("ts")) or r.ts})
    _upsert(session, AsRun, rows, ("station_id", "item", "device_id"), newer="ts")


def _alarm(session: Session, station: str, records: list[api.Record]) -> None:
    rows = []
    for r in records:
        d = r.data
        if _int(d.get("id")) is not None:
            rows.append({"station_id": station, "alarm_id": d["id"], "device_id": _str(d.get("device"))[:64],
                         "rule": _str(d.get("rule"))[:32], "severity": _str(d.get("severity"))[:16],
                         "state": _str(d.get("state"))[:16], "raised_at": _int(d.get("raised_at")),
                         "resolved_at": _int(d.get("resolved_at")), "ts": r.ts})
    _upsert(session, AlarmState, rows, ("station_id", "alarm_id"), newer="ts")


def _devices(session: Session, station: str, ids: Iterable[str]) -> dict[str, DeviceState]:
    ids = set(ids)
    found = {d.device_id: d for d in session.scalars(select(DeviceState).where(
        DeviceState.station_id == station, DeviceState.device_id.in_(ids)))}
    for dev in ids - set(found):
        found[dev] = DeviceState(station_id=station, device_id=dev, groups=[], faults=[])
        session.add(found[dev])
    return found


def _device_event(session: Session, station: str, records: list[api.Record]) -> None:
    events = [r for r in records if _str(r.data.get("device"))]
    devices = _devices(session, station, (r.data["device"][:64] for r in events))
    for r in events:
        d, dev = r.data, devices[r.data["device"][:64]]
        kind = d.get("kind")
        if kind in ("online", "offline") and (dev.state_ts is None or r.ts >= dev.state_ts):
            dev.online, dev.state_ts = kind == "online", r.ts
        elif kind in ("fault.raised", "fault.cleared"):
            detail = d.get("detail") if isinstance(d.get("detail"), dict) else {}
            fault = _str(detail.get("fault")) or "other"
            faults = [f for f in dev.faults or [] if f != fault]
            dev.faults = faults + [fault] if kind == "fault.raised" else faults


def _inventory(session: Session, station: str, records: list[api.Record]) -> None:
    listed = records[-1].data.get("devices")  # the newest snapshot of the run is the one that counts
    if not isinstance(listed, list):
        return
    listed = [d for d in listed if isinstance(d, dict) and _str(d.get("id"))]
    devices = _devices(session, station, (d["id"][:64] for d in listed))
    for d in listed:
        dev = devices[d["id"][:64]]
        dev.name, dev.unit, dev.fw = _str(d.get("name"))[:128], _str(d.get("unit"))[:16], _str(d.get("fw"))[:64]
        lat, lon = d.get("lat"), d.get("lon")
        dev.lat = float(lat) if isinstance(lat, (int, float)) else None
        dev.lon = float(lon) if isinstance(lon, (int, float)) else None
        dev.groups = [g for g in d.get("groups") or [] if isinstance(g, str)]
    session.flush()
    for dev in session.scalars(select(DeviceState).where(DeviceState.station_id == station,
                                                         DeviceState.device_id.not_in(list(devices)))):
        session.delete(dev)  # no longer in the station's inventory (retired)


_DERIVE = {"asrun": _asrun, "alarm": _alarm, "device_event": _device_event, "inventory": _inventory}


# -- bulletins ------------------------------------------------------------------------------------

TARGET_PATTERN = r"^[A-Za-z0-9._-]{1,32}$"  # an administrative unit code (or a station's own name for a zone)


def check_bulletin(session: Session, stations: Sequence[str], priority: str, title: str, *, text: str = "",
                   media: Path | None = None, targets: Sequence[str] = ()) -> list[str]:
    """Refuse a bulletin that :func:`send_bulletins` would refuse (:class:`ApiError`), without queuing
    anything; returns the stations, each once, in the order given."""
    if priority not in api.PRIORITIES:
        raise ApiError(400, "bad_priority", f"The priority is one of {', '.join(api.PRIORITIES)}.")
    if not 0 < len(title.strip()) <= 256:
        raise ApiError(400, "bad_title", "A bulletin needs a title of at most 256 characters.")
    if text.strip() and media is not None:
        raise ApiError(400, "text_and_media", "A bulletin has a text or a media file, not both.")
    if not text.strip() and media is None:
        raise ApiError(400, "empty", "A bulletin needs a text or a media file.")
    for t in targets:
        if not re.fullmatch(TARGET_PATTERN, t):
            raise ApiError(400, "bad_target", f"{t!r} is not a unit code: 1-32 letters, digits, '.', '_' or '-'.",
                           target=t)
    if media is not None and Path(media).stat().st_size > api.MAX_MEDIA_BYTES:
        raise ApiError(413, "too_large", f"The media file is larger than {api.MAX_MEDIA_BYTES >> 20} MiB.")
    wanted = list(dict.fromkeys(stations))
    if not wanted:
        raise ApiError(400, "no_station", "A bulletin needs at least one station.")
    known = set(session.scalars(select(Station.id).where(Station.id.in_(wanted))))
    for station in wanted:
        if station not in known:
            raise ApiError(404, "unknown_station", f"There is no station {station}.", station=station)
    return wanted


def send_bulletins(session: Session, stations: Sequence[str], priority: str, title: str, *, text: str = "",
                   media: Path | None = None, targets: Sequence[str] = (), valid_from: int | None = None,
                   valid_to: int | None = None, issued_by: str = "") -> list[dict[str, Any]]:
    """Queue one bulletin for each of ``stations`` (all or none: the caller's transaction), the media
    file stored once by its sha256; returns them as the stations will see them (media URL relative),
    each with its ``station``. What ``province bulletin send`` and the staff page both call."""
    wanted = check_bulletin(session, stations, priority, title, text=text, media=media, targets=targets)
    sha, size = None, 0
    if media is not None:
        data = Path(media).read_bytes()
        if len(data) > api.MAX_MEDIA_BYTES:  # it grew since the check
            raise ApiError(413, "too_large", f"The media file is larger than {api.MAX_MEDIA_BYTES >> 20} MiB.")
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
        if session.get(MediaFile, sha) is None:
            session.add(MediaFile(sha256=sha, bytes=size, name=Path(media).name[:256], data=data,
                                  content_type=mimetypes.guess_type(str(media))[0] or "application/octet-stream"))
            session.flush()  # before the bulletins that refer to it
    now = now_ms()  # one send, one time: the staff page shows the bulletins of a send together
    out = []
    for station in sorted(wanted):  # rows locked in one order: concurrent sends cannot deadlock
        row = _station(session, station, lock=True)
        row.bulletin_seq += 1
        b = Bulletin(station_id=station, id=row.bulletin_seq, priority=priority, title=title.strip(), text=text,
                     media_sha256=sha, targets=list(targets), valid_from=valid_from, valid_to=valid_to,
                     issued_by=issued_by, issued_at=now)
        session.add(b)
        out.append({"station": station, **bulletin_json(b, size if sha else 0)})
    session.flush()
    return sorted(out, key=lambda b: wanted.index(b["station"]))


def send_bulletin(session: Session, station: str, priority: str, title: str, **kw: Any) -> dict[str, Any]:
    """Queue a bulletin for one ``station`` (:func:`send_bulletins`); returns it without ``station``."""
    b = send_bulletins(session, [station], priority, title, **kw)[0]
    del b["station"]
    return b


def media_url(sha256: str) -> str:
    return f"{api.PREFIX}/media/{sha256}"


def bulletin_json(b: Bulletin, media_bytes: int | None) -> dict[str, Any]:
    return {"id": b.id, "priority": b.priority, "title": b.title, "text": b.text,
            "media": {"url": media_url(b.media_sha256), "sha256": b.media_sha256, "bytes": media_bytes}
            if b.media_sha256 else None,
            "targets": list(b.targets or []), "valid_from": b.valid_from, "valid_to": b.valid_to,
            "issued_by": b.issued_by, "issued_at": b.issued_at}


def bulletins_after(session: Session, station: str, after: int, limit: int = 100) -> list[dict[str, Any]]:
    rows = session.execute(select(Bulletin, MediaFile.bytes).outerjoin(MediaFile, Bulletin.media_sha256 == MediaFile.sha256)
                           .where(Bulletin.station_id == station, Bulletin.id > after).order_by(Bulletin.id).limit(limit))
    return [bulletin_json(b, size) for b, size in rows]


def latest_bulletins(session: Session) -> dict[str, int]:
    """The newest bulletin id of every station (what long-polls wait for)."""
    return dict(session.execute(select(Station.id, Station.bulletin_seq)).all())


def put_receipt(session: Session, station: str, bulletin_id: int, status: str, note: str) -> None:
    if session.get(Bulletin, (station, bulletin_id)) is None:
        raise ApiError(404, "unknown_bulletin", f"There is no bulletin {bulletin_id} for station {station}.")
    _station(session, station).last_seen_at = now_ms()
    _upsert(session, BulletinReceipt, [{"station_id": station, "bulletin_id": bulletin_id, "status": status,
                                         "note": note, "received_at": now_ms()}],
            ("station_id", "bulletin_id", "status"))


def receipts(session: Session, station: str, bulletin_id: int) -> dict[str, str]:
    return dict(session.execute(select(BulletinReceipt.status, BulletinReceipt.note).where(
        BulletinReceipt.station_id == station, BulletinReceipt.bulletin_id == bulletin_id)).all())


def get_media(session: Session, sha256: str) -> MediaFile | None:
    return session.get(MediaFile, sha256)


def recent_bulletins(session: Session, limit: int = 300) -> list[dict[str, Any]]:
    """The newest ``limit`` bulletins (newest first), each with its station, media name and size, and
    its receipts (``[{"status", "note", "received_at"}]`` in the order of ``api.RECEIPT_STATUSES``)."""
    rows = session.execute(select(Bulletin, MediaFile.name, MediaFile.bytes)
                           .outerjoin(MediaFile, Bulletin.media_sha256 == MediaFile.sha256)
                           .order_by(Bulletin.issued_at.desc(), Bulletin.station_id, Bulletin.id.desc())
                           .limit(limit)).all()
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for b, name, size in rows:
        item = {"station": b.station_id, **bulletin_json(b, size), "receipts": []}
        if item["media"] is not None:
            item["media"]["name"] = name
        out[(b.station_id, b.id)] = item
    if out:
        order = {s: i for i, s in enumerate(api.RECEIPT_STATUSES)}
        found = session.scalars(select(BulletinReceipt).where(
            BulletinReceipt.station_id.in_({k[0] for k in out}),
            BulletinReceipt.bulletin_id >= min(k[1] for k in out))).all()
        for r in sorted(found, key=lambda r: order.get(r.status, len(order))):
            item = out.get((r.station_id, r.bulletin_id))
            if item is not None:
                item["receipts"].append({"status": r.status, "note": r.note, "received_at": r.received_at})
    return list(out.values())


# -- staff accounts (the bulletin page) -----------------------------------------------------------

USER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"
MIN_PASSWORD = 8
SESSION_MS = 12 * 3600 * 1000  # a login lasts a working day
# scrypt at n=2^14, r=8, p=1 (16 MiB, ~50 ms): what OWASP's cheat sheet gives as the minimum.
_SCRYPT = {"n": 1 << 14, "r": 8, "p": 1}


def hash_password(password: str, salt: bytes | None = None, n: int = _SCRYPT["n"], r: int = _SCRYPT["r"],
                  p: int = _SCRYPT["p"]) -> str:
    """``scrypt$n$r$p$salt$hash`` with a random 16-byte salt (base64)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * r * n + (1 << 20), dklen=32)
    return "$".join(("scrypt", str(n), str(r), str(p), base64.b64encode(salt).decode(), base64.b64encode(digest).decode()))


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, _ = stored.split("$")
        if kind != "scrypt":
            return False
        again = hash_password(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(again.encode(), stored.encode())


@functools.cache
def _nobody() -> str:
    """What an unknown name's password is checked against: a failed login takes the same time either way."""
    return hash_password(secrets.token_urlsafe(16))


def check_user_name(name: str) -> str:
    if not re.fullmatch(USER_PATTERN, name or ""):
        raise ApiError(400, "bad_user", f"{name!r} is not a user name: 1-64 letters, digits, '.', '_', '@' or '-'.")
    return name


def add_user(session: Session, name: str, password: str, *, reset: bool = False) -> None:
    """Create staff account ``name`` (``reset``: or give an existing one a new password, ending its sessions)."""
    check_user_name(name)
    if len(password) < MIN_PASSWORD:
        raise ApiError(400, "weak_password", f"A password has at least {MIN_PASSWORD} characters.")
    row = session.get(StaffUser, name)
    if row is not None and not reset:
        raise ApiError(409, "user_exists", f"There is a user {name} already (--reset gives it a new password).")
    if row is None:
        session.add(StaffUser(name=name, password=hash_password(password)))
    else:
        row.password = hash_password(password)
        session.execute(delete(StaffSession).where(StaffSession.user == name))


def remove_user(session: Session, name: str) -> None:
    if session.get(StaffUser, name) is None:
        raise ApiError(404, "unknown_user", f"There is no user {name}.")
    session.execute(delete(StaffSession).where(StaffSession.user == name))
    session.execute(delete(StaffUser).where(StaffUser.name == name))


def users(session: Session) -> list[dict[str, Any]]:
    return [{"name": u.name, "created_at": u.created_at}
            for u in session.scalars(select(StaffUser).order_by(StaffUser.name))]


def authenticate(session: Session, name: str, password: str) -> bool:
    """Whether ``password`` is staff account ``name``'s (about 50 ms, whether the account exists or not)."""
    row = session.get(StaffUser, name)
    return check_password(password, row.password if row is not None else _nobody()) and row is not None


def open_staff_session(session: Session, name: str) -> tuple[str, str]:
    """A new session of ``name``: (its cookie token, its CSRF token). Only the cookie's sha256 is kept;
    expired sessions are removed on the way."""
    now = now_ms()
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(StaffSession(hash=hash_token(token), user=name, csrf=csrf, created_at=now, expires_at=now + SESSION_MS))
    return token, csrf


def staff_session(session: Session, token: str) -> tuple[str, str] | None:
    """(user, CSRF token) of a session that has not expired."""
    row = session.get(StaffSession, hash_token(token)) if token else None
    if row is None or row.expires_at < now_ms():
        return None
    return row.user, row.csrf


def logout(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.hash == hash_token(token)))


# -- the overview ---------------------------------------------------------------------------------

def summary(session: Session, tz: str = DEFAULT_TZ, now: int | None = None) -> dict[str, Any]:
    """Stations with their last sync and backlog, devices online, broadcast hours today (in ``tz``) and
    open alarms, from the records held. Broadcast time counts each scheduled part once per station, for
    as long as it played on the device that played it longest."""
    now = now_ms() if now is None else now
    zone = ZoneInfo(tz)
    day = datetime.fromtimestamp(now / 1000, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    day_start = int(day.timestamp() * 1000)
    day_end = int((day.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=zone).timestamp() * 1000)
    devices = _device_counts(session)
    alarms = dict(session.execute(select(AlarmState.station_id, func.count()).where(AlarmState.state != "resolved")
                                  .group_by(AlarmState.station_id)).all())
    per_item = (select(AsRun.station_id, AsRun.item, func.max(AsRun.played_ms).label("ms"))
                .where(AsRun.start >= day_start, AsRun.start < day_end).group_by(AsRun.station_id, AsRun.item)
                .subquery())
    played = dict(session.execute(select(per_item.c.station_id, func.sum(per_item.c.ms))
                                  .group_by(per_item.c.station_id)).all())
    sent = dict(session.execute(select(Bulletin.station_id, func.count()).group_by(Bulletin.station_id)).all())
    out = []
    for s in session.scalars(select(Station).order_by(Station.id)):
        total, online, offline, faulty = devices.get(s.id, (0, 0, 0, 0))
        out.append({"station": s.id, "name": s.name, "acked_through": s.acked_through, "last_sync_at": s.last_sync_at,
                    "last_seen_at": s.last_seen_at, "backlog": s.backlog,
                    "devices": {"total": total, "online": online, "offline": offline, "faulty": faulty},
                    "broadcast_ms_today": int(played.get(s.id) or 0), "open_alarms": alarms.get(s.id, 0),
                    "bulletins": sent.get(s.id, 0)})
    totals = {"stations": len(out), "devices": sum(s["devices"]["total"] for s in out),
              "online": sum(s["devices"]["online"] for s in out),
              "broadcast_ms_today": sum(s["broadcast_ms_today"] for s in out),
              "open_alarms": sum(s["open_alarms"] for s in out),
              "backlog": sum(s["backlog"] or 0 for s in out)}
    return {"generated_at": now, "tz": tz, "day": day.date().isoformat(), "stations": out, "totals": totals}


def _device_counts(session: Session) -> dict[str, tuple[int, int, int, int]]:
    counts: dict[str, list[int]] = {}
    for station, online, faults in session.execute(select(DeviceState.station_id, DeviceState.online, DeviceState.faults)):
        c = counts.setdefault(station, [0, 0, 0, 0])
        c[0] += 1
        c[1] += online is True
        c[2] += online is False
        c[3] += bool(faults)
    return {s: tuple(c) for s, c in counts.items()}
